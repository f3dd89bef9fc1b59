import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  EFA_CAPACITY_STEP_GIB,
  LUSTRE_THROUGHPUTS,
  LustreSpec,
  efsSpecProblems,
  filesystemSpecProblems,
  isMetadataIops,
  lustreSpecProblems,
  resolveLustreSpec,
  validateLustreSpec,
} from "./filesystem-spec";

const lustre = (spec: Omit<LustreSpec, "type"> = {}): LustreSpec => ({ type: "lustre", ...spec });
const paths = (spec: LustreSpec) => lustreSpecProblems(spec).map((p) => p.propertyPath);
const reasonAt = (spec: LustreSpec, path: string) => {
  const found = lustreSpecProblems(spec).find((p) => p.propertyPath === path);
  assert.ok(found, `no problem at ${path}: ${JSON.stringify(lustreSpecProblems(spec))}`);
  return found.reason;
};

describe("validateLustreSpec: capacity (DAT-1)", () => {
  it("accepts the defaults: 1200 GiB at 250 MB/s/TiB, backups kept 7 days from 03:00", () => {
    assert.deepEqual(validateLustreSpec(lustre()), []);
    assert.deepEqual(resolveLustreSpec(lustre()), {
      storageCapacityGiB: 1200,
      throughputPerUnitMiB: 250,
      efa: false,
      backupRetentionDays: 7,
      dailyBackupStartTime: "03:00",
    });
  });

  it("accepts 1200, 2400 and every multiple of 2400 GiB", () => {
    for (const gib of [1200, 2400, 4800, 7200, 100800, 2400 * 100]) {
      assert.deepEqual(validateLustreSpec(lustre({ storageCapacityGiB: gib })), [], `${gib}`);
    }
  });

  it("refuses 1000 GiB with the allowed values and the nearest fix", () => {
    const reason = reasonAt(lustre({ storageCapacityGiB: 1000 }), "spec.storageCapacityGiB");
    assert.match(reason, /^1000 GiB is not a size FSx for Lustre PERSISTENT_2 \(SSD\) accepts/);
    assert.match(reason, /use 1200, 2400 or a multiple of 2400 GiB, e\.g\. 1200 GiB/);
    assert.match(reason, /docs\.aws\.amazon\.com\/fsx\/latest\/APIReference\/API_CreateFileSystem\.html/);
  });

  it("refuses 3000 GiB and offers 2400 or 4800", () => {
    assert.match(
      reasonAt(lustre({ storageCapacityGiB: 3000 }), "spec.storageCapacityGiB"),
      /e\.g\. 2400 or 4800 GiB/,
    );
  });

  it("refuses sizes that are not whole positive numbers", () => {
    for (const gib of [0, -2400, 1200.5, Number.NaN]) {
      assert.match(
        reasonAt(lustre({ storageCapacityGiB: gib }), "spec.storageCapacityGiB"),
        /is not a size in GiB/,
      );
    }
  });

  it("property: a size is accepted exactly when it is 1200 or a positive multiple of 2400", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), (gib) => {
        const accepted = !paths(lustre({ storageCapacityGiB: gib })).includes("spec.storageCapacityGiB");
        assert.equal(accepted, gib === 1200 || gib % 2400 === 0, `${gib}`);
      }),
    );
  });
});

describe("validateLustreSpec: throughput", () => {
  it("accepts each PERSISTENT_2 tier", () => {
    for (const tier of LUSTRE_THROUGHPUTS) {
      assert.deepEqual(validateLustreSpec(lustre({ throughputPerUnitMiB: tier })), []);
    }
  });

  it("refuses 300 MB/s/TiB, listing the tiers", () => {
    const spec = lustre({ throughputPerUnitMiB: 300 as LustreSpec["throughputPerUnitMiB"] });
    assert.deepEqual(paths(spec), ["spec.throughputPerUnitMiB"]);
    assert.match(
      reasonAt(spec, "spec.throughputPerUnitMiB"),
      /^300 is not a PERSISTENT_2 throughput tier: use 125, 250, 500 or 1000 MB\/s\/TiB \(https:/,
    );
  });

  it("names a PERSISTENT_1 tier as such", () => {
    const spec = lustre({ throughputPerUnitMiB: 200 as LustreSpec["throughputPerUnitMiB"] });
    assert.match(reasonAt(spec, "spec.throughputPerUnitMiB"), /200 MB\/s\/TiB is a PERSISTENT_1 tier/);
  });
});

describe("validateLustreSpec: EFA-enabled Lustre (GPUDirect Storage)", () => {
  it("accepts a whole number of file servers per tier: 4800 at 1000 up to 38400 at 125", () => {
    for (const tier of LUSTRE_THROUGHPUTS) {
      const step = EFA_CAPACITY_STEP_GIB[tier];
      for (const gib of [step, 3 * step]) {
        assert.deepEqual(
          validateLustreSpec(lustre({ efa: true, throughputPerUnitMiB: tier, storageCapacityGiB: gib })),
          [],
          `${gib} GiB at ${tier}`,
        );
      }
    }
    assert.deepEqual(EFA_CAPACITY_STEP_GIB, { 125: 38400, 250: 19200, 500: 9600, 1000: 4800 });
  });

  it("refuses the 1200 GiB default with EFA, naming the step for the tier and every tier's step", () => {
    const reason = reasonAt(lustre({ efa: true }), "spec.storageCapacityGiB");
    assert.match(reason, /^1200 GiB is not a size an EFA-enabled file system accepts at 250 MB\/s\/TiB/);
    assert.match(reason, /use a multiple of 19200 GiB, e\.g\. 19200 GiB/);
    assert.match(reason, /multiples of 38400 at 125, 19200 at 250, 9600 at 500, 4800 at 1000 MB\/s\/TiB/);
    assert.match(reason, /efa-file-systems\.html/);
  });

  it("refuses a plain PERSISTENT_2 size that is not a whole EFA step (2400 at 1000)", () => {
    const spec = lustre({ efa: true, throughputPerUnitMiB: 1000, storageCapacityGiB: 7200 });
    assert.match(reasonAt(spec, "spec.storageCapacityGiB"), /multiple of 4800 GiB, e\.g\. 4800 or 9600 GiB/);
  });

  it("refuses PERSISTENT_1-like settings (200 MB/s/TiB, 1200 GiB) with both problems at once", () => {
    const spec = lustre({
      efa: true,
      throughputPerUnitMiB: 200 as LustreSpec["throughputPerUnitMiB"],
      storageCapacityGiB: 1200,
    });
    assert.deepEqual(paths(spec), ["spec.throughputPerUnitMiB", "spec.storageCapacityGiB"]);
    assert.match(
      reasonAt(spec, "spec.throughputPerUnitMiB"),
      /PERSISTENT_1 tier, and Moat deploys PERSISTENT_2, the only deployment type with EFA/,
    );
    assert.match(reasonAt(spec, "spec.storageCapacityGiB"), /fix throughputPerUnitMiB first/);
  });

  it("refuses a non-boolean efa", () => {
    assert.match(
      reasonAt(lustre({ efa: "yes" as unknown as boolean }), "spec.efa"),
      /"yes" is not true or false/,
    );
  });
});

describe("validateLustreSpec: metadata IOPS and backups (DAT-4)", () => {
  it("accepts 1500, 3000, 6000 and multiples of 12000 up to 192000; refuses the rest", () => {
    for (const iops of [1500, 3000, 6000, 12000, 24000, 192000]) {
      assert.ok(isMetadataIops(iops), `${iops}`);
      assert.deepEqual(validateLustreSpec(lustre({ metadataIops: iops })), []);
    }
    for (const iops of [1000, 9000, 18000, 204000]) {
      assert.ok(!isMetadataIops(iops), `${iops}`);
      assert.match(
        reasonAt(lustre({ metadataIops: iops }), "spec.metadataIops"),
        /use 1500, 3000, 6000, 12000/,
      );
    }
  });

  it("DAT-4: keeps backups 7 to 90 days", () => {
    for (const days of [7, 30, 90]) {
      assert.deepEqual(validateLustreSpec(lustre({ backupRetentionDays: days })), []);
    }
    for (const days of [0, 6, 91, 7.5]) {
      assert.match(
        reasonAt(lustre({ backupRetentionDays: days }), "spec.backupRetentionDays"),
        /outside 7-90: backups are kept at least 7 days \(DAT-4\)/,
      );
    }
  });

  it("takes the backup start as HH:MM", () => {
    assert.deepEqual(validateLustreSpec(lustre({ dailyBackupStartTime: "23:59" })), []);
    for (const time of ["3:00", "24:00", "03:60", "0300"]) {
      assert.match(
        reasonAt(lustre({ dailyBackupStartTime: time }), "spec.dailyBackupStartTime"),
        /write HH:MM in UTC/,
      );
    }
  });

  it("reports every problem at once, as `path: reason` lines", () => {
    const lines = validateLustreSpec(
      lustre({
        storageCapacityGiB: 1000,
        metadataIops: 7,
        backupRetentionDays: 1,
        dailyBackupStartTime: "x",
      }),
    );
    assert.deepEqual(
      lines.map((l) => l.split(":")[0]),
      [
        "spec.storageCapacityGiB",
        "spec.metadataIops",
        "spec.backupRetentionDays",
        "spec.dailyBackupStartTime",
      ],
    );
  });
});

describe("efsSpecProblems and filesystemSpecProblems", () => {
  it("accepts elastic (the default) and bursting, refuses provisioned", () => {
    assert.deepEqual(efsSpecProblems({ type: "efs" }), []);
    assert.deepEqual(efsSpecProblems({ type: "efs", throughputMode: "bursting" }), []);
    const [problem] = efsSpecProblems({ type: "efs", throughputMode: "provisioned" as "elastic" });
    assert.equal(problem.propertyPath, "spec.throughputMode");
    assert.match(problem.reason, /use elastic \(the default\) or bursting/);
  });

  it("refuses an unknown filesystem type", () => {
    assert.deepEqual(filesystemSpecProblems({ type: "nfs" } as unknown as LustreSpec), [
      { propertyPath: "spec.type", reason: '"nfs" is not a filesystem type; use lustre or efs' },
    ]);
  });
});
