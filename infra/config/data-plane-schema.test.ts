import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "./parse";
import { FILE, problems, rawConfig } from "./test-config";

describe("compute groups and shared filesystem in the stack file (CMP-1, DAT-1)", () => {
  it("refuses EFA on a type without EFA, naming the group, the type and the key", () => {
    const [problem, ...rest] = problems({
      "moat:computeGroups": [{ name: "small", instanceType: "g5.xlarge", nodeCount: 2, efa: true }],
    });
    assert.deepEqual(rest, []);
    assert.match(
      problem,
      /^stacks\/Pulumi\.acme-prod\.yaml: moat:computeGroups\[0\]\.efa group "small" asks for EFA, but g5\.xlarge does not support EFA/,
    );
  });

  it("refuses a type missing from the catalogue unless its network cards are given", () => {
    const group = { name: "new", instanceType: "x9.48xlarge", nodeCount: 2 };
    assert.match(
      problems({ "moat:computeGroups": [group] })[0],
      /moat:computeGroups\[0\]\.instanceType x9\.48xlarge \(group "new"\) is not in Moat's instance catalogue/,
    );
    assert.ok(
      parseStackConfig(rawConfig({ "moat:computeGroups": [{ ...group, efa: true, networkCards: 4 }] }), FILE)
        .ok,
    );
  });

  it("refuses a Lustre capacity AWS would reject, listing what it accepts", () => {
    const [problem] = problems({ "moat:sharedFilesystem": { type: "lustre", storageCapacityGiB: 3000 } });
    assert.match(
      problem,
      /^stacks\/Pulumi\.acme-prod\.yaml: moat:sharedFilesystem\.storageCapacityGiB 3000 GiB is not a size FSx for Lustre PERSISTENT_2 \(SSD\) accepts: use 1200, 2400 or a multiple of 2400 GiB/,
    );
  });

  it("refuses Lustre settings on EFS and EFS settings on Lustre", () => {
    assert.deepEqual(problems({ "moat:sharedFilesystem": { type: "efs", storageCapacityGiB: 1200 } }), [
      `${FILE}: moat:sharedFilesystem.storageCapacityGiB applies to type lustre only; remove it for efs`,
    ]);
    assert.deepEqual(problems({ "moat:sharedFilesystem": { type: "lustre", throughputMode: "elastic" } }), [
      `${FILE}: moat:sharedFilesystem.throughputMode applies to type efs only; remove it for lustre`,
    ]);
  });
});
