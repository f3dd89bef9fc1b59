// DAT-4 on file systems: protected from deletion, backed up automatically. The EFS backup policy
// is linked to its file system by dependency, checked in every ID mode (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyResourceOptions, ResourceValidationPolicy } from "@pulumi/policy";
import { datEfsBackupPolicyEnabled, datFilesystemProtected, datFsxAutomaticBackups } from "./dat-backup";
import { DatType, FILESYSTEM_TYPES, datLabel } from "./dat-types";
import { ID_MODES, StackSpec, buildStack, urnOf } from "./net-fixtures";
import { StackViolation, neverRead, runResourcePolicy, runStackPolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

// The shared harness gives every resource default options; this wrapper sets the options a
// program passed (here `protect`), as the analyzer would.
function withOptions(
  policy: ResourceValidationPolicy,
  opts: Partial<PolicyResourceOptions>,
): ResourceValidationPolicy {
  const validations = [policy.validateResource ?? []].flat();
  return {
    ...policy,
    validateResource: validations.map(
      (v) => (args, report) => v({ ...args, opts: { ...args.opts, ...opts } }, report),
    ),
  };
}

const filesystem = (type: string, props: Record<string, unknown> = {}) => ({
  type,
  name: "shared",
  props: neverRead(
    { kmsKeyId: unknown.string, automaticBackupRetentionDays: 7, copyTagsToBackups: true, ...props },
    "arn",
    "id",
  ),
});

describe("dat-filesystem-protected (DAT-4)", () => {
  const policy = datFilesystemProtected;

  it("passes every FSx type and EFS created with protect: true", async () => {
    for (const type of FILESYSTEM_TYPES) {
      const run = await runResourcePolicy(withOptions(policy, { protect: true }), filesystem(type));
      assert.deepEqual(run, passes, type);
    }
  });

  it("fails every unprotected file system type, naming the option", async () => {
    for (const type of FILESYSTEM_TYPES) {
      assert.deepEqual(
        await runResourcePolicy(policy, filesystem(type)),
        fails(
          `Create ${datLabel(type, "shared")} with the resource option protect: true (e.g. { parent: this, protect: true }): without it a destroy or a replacement deletes the file system and the tenant's data with it (DAT-4).`,
        ),
        type,
      );
    }
  });
});

describe("dat-fsx-automatic-backups (DAT-4)", () => {
  const policy = datFsxAutomaticBackups;
  const lustre = (props: Record<string, unknown> = {}) => filesystem(DatType.lustre, props);
  const retention = (now: string, minimum = 7) =>
    `Set automaticBackupRetentionDays on FSx for Lustre file system "shared" to at least ${minimum} days, ${now}: daily backups are what bring the data back after a mistaken delete (DAT-4).`;
  const literal = (property: string) =>
    `Set ${property} on FSx for Lustre file system "shared" to a literal value: it is unknown at preview, so this policy cannot verify it (DAT-4, POL-2).`;

  it("passes a week of backups with tags copied, and longer", async () => {
    assert.deepEqual(await runResourcePolicy(policy, lustre()), passes);
    assert.deepEqual(await runResourcePolicy(policy, lustre({ automaticBackupRetentionDays: 35 })), passes);
  });

  it("fails backups turned off, unset or kept less than a week", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, lustre({ automaticBackupRetentionDays: 0 })),
      fails(retention("0 turns backups off")),
    );
    assert.deepEqual(
      await runResourcePolicy(policy, lustre({ automaticBackupRetentionDays: undefined })),
      fails(retention("it is not set")),
    );
    assert.deepEqual(
      await runResourcePolicy(policy, lustre({ automaticBackupRetentionDays: 5 })),
      fails(retention("not 5")),
    );
  });

  it("fails tags not copied to backups", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, lustre({ copyTagsToBackups: undefined })),
      fails(
        'Set copyTagsToBackups: true on FSx for Lustre file system "shared": its backups then carry the tenant, environment and owner tags, so each stays attributable to its tenant (DAT-4).',
      ),
    );
  });

  it("raises the minimum through config, never lowers it below 7", async () => {
    const raised = await runResourcePolicy(policy, lustre(), { minimumBackupRetentionDays: 14 });
    assert.deepEqual(raised, fails(retention("not 7", 14)));
    const lowered = await runResourcePolicy(policy, lustre({ automaticBackupRetentionDays: 3 }), {
      minimumBackupRetentionDays: 1,
    });
    assert.deepEqual(lowered, fails(retention("not 3")));
    assert.deepEqual(policy.configSchema?.properties.minimumBackupRetentionDays, {
      type: "integer",
      minimum: 7,
      maximum: 90,
      default: 7,
    });
  });

  it("applies to every FSx type, with copyTagsToBackups only where the type has it", async () => {
    const zfs = await runResourcePolicy(
      policy,
      filesystem(DatType.openZfs, { automaticBackupRetentionDays: 0 }),
    );
    assert.equal(zfs.violations.length, 1);
    const ontap = filesystem(DatType.ontap, { copyTagsToBackups: undefined });
    assert.deepEqual(await runResourcePolicy(policy, ontap), passes);
    const efs = await runResourcePolicy(policy, filesystem(DatType.efs));
    assert.match(efs.notApplicable ?? "", /^Policy only applies/);
  });

  it("fails settings unknown at preview (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      lustre({ automaticBackupRetentionDays: unknown.number, copyTagsToBackups: unknown.boolean }),
    );
    assert.deepEqual(run, fails(literal("automaticBackupRetentionDays"), literal("copyTagsToBackups")));
  });
});

describe("dat-efs-backup-policy-enabled (DAT-4)", () => {
  const policy = datEfsBackupPolicyEnabled;

  function efsStack(): StackSpec {
    return {
      shared: { type: DatType.efs, props: { encrypted: true } },
      "shared-backup": {
        type: DatType.efsBackupPolicy,
        props: { backupPolicy: { status: "ENABLED" } },
        links: { fileSystemId: ["shared"] },
      },
    };
  }

  async function verdict(change: (s: StackSpec) => void, expected: readonly StackViolation[]) {
    for (const mode of ID_MODES) {
      const specs = efsStack();
      change(specs);
      const run = await runStackPolicy(policy, buildStack(specs, mode));
      assert.deepEqual(run, { violations: expected }, `ID mode ${mode}`);
    }
  }

  const onBackup = (message: string) => ({ message, urn: urnOf(DatType.efsBackupPolicy, "shared-backup") });
  const missing = {
    message:
      'Add an aws.efs.BackupPolicy to EFS file system "shared" with fileSystemId set to its id output and backupPolicy { status: "ENABLED" }: without it EFS takes no automatic backups (DAT-4).',
    urn: urnOf(DatType.efs, "shared"),
  };

  it("passes a file system with an enabled backup policy", () => verdict(() => {}, []));

  it("fails a file system without a backup policy, or whose policy backs up another one", async () => {
    await verdict((s) => delete s["shared-backup"], [missing]);
    await verdict(
      (s) => {
        s["other"] = { type: DatType.efs, props: {} };
        s["shared-backup"].links = { fileSystemId: ["other"] };
      },
      [missing],
    );
  });

  it("fails a disabled policy, and a status unknown at preview (POL-2)", async () => {
    await verdict(
      (s) => (s["shared-backup"].props.backupPolicy = { status: "DISABLED" }),
      [
        onBackup(
          'Set backupPolicy.status on EFS backup policy "shared-backup" to "ENABLED", not "DISABLED": EFS takes no automatic backups otherwise (DAT-4).',
        ),
      ],
    );
    const literal = onBackup(
      'Set backupPolicy.status on EFS backup policy "shared-backup" to a literal value: it is unknown at preview, so this policy cannot verify it (DAT-4, POL-2).',
    );
    await verdict((s) => (s["shared-backup"].props.backupPolicy = { status: unknown.string }), [literal]);
    await verdict((s) => (s["shared-backup"].props.backupPolicy = unknown.object), [literal]);
  });
});
