// DAT-1 on file systems as a first preview sees them: the tenant key's ARN is computed, so a
// kmsKeyId unknown at preview counts as set; the file systems' own IDs and ARNs are never read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  datFilesystemEncryptedCustomerKey,
  datLustrePersistentDeployment,
  kmsKeyProblem,
} from "./dat-encryption";
import { DatType, FILESYSTEM_TYPES, datLabel } from "./dat-types";
import { UNKNOWN } from "./props";
import { neverRead, runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

// Compliant inputs per type, each under the tenant key's computed ARN.
const BASE: Readonly<Record<string, Record<string, unknown>>> = {
  [DatType.lustre]: { deploymentType: "PERSISTENT_2", storageCapacity: 1200, perUnitStorageThroughput: 250 },
  [DatType.openZfs]: { deploymentType: "SINGLE_AZ_2", throughputCapacity: 160 },
  [DatType.ontap]: { deploymentType: "SINGLE_AZ_1", storageCapacity: 1024 },
  [DatType.windows]: { throughputCapacity: 32 },
  [DatType.efs]: { encrypted: true },
};

const filesystem = (type: string, props: Record<string, unknown> = {}) => ({
  type,
  name: "shared",
  props: neverRead({ kmsKeyId: unknown.string, ...BASE[type], ...props }, "arn", "id", "dnsName"),
});

describe("dat-filesystem-encrypted-customer-key (DAT-1)", () => {
  const policy = datFilesystemEncryptedCustomerKey;
  const noKey = (type: string) =>
    `Set kmsKeyId on ${datLabel(type, "shared")} to the tenant's customer-managed KMS key (its arn output): without it the data is encrypted under an AWS-managed key that the tenant's key policy and rotation do not govern (DAT-1).`;

  it("passes every FSx type and EFS under the tenant key's computed ARN", async () => {
    for (const type of FILESYSTEM_TYPES) {
      assert.deepEqual(await runResourcePolicy(policy, filesystem(type)), passes, type);
    }
  });

  it("fails every file system type without a kmsKeyId, with one shared check", async () => {
    for (const type of FILESYSTEM_TYPES) {
      const run = await runResourcePolicy(policy, filesystem(type, { kmsKeyId: undefined }));
      assert.deepEqual(run, fails(noKey(type)), type);
    }
  });

  it("fails an AWS-managed key, by alias or alias ARN", async () => {
    for (const key of ["alias/aws/fsx", "arn:aws:kms:us-east-1:111122223333:alias/aws/elasticfilesystem"]) {
      const run = await runResourcePolicy(policy, filesystem(DatType.efs, { kmsKeyId: key }));
      assert.deepEqual(
        run,
        fails(
          `Replace kmsKeyId "${key}" on EFS file system "shared" with the tenant's customer-managed KMS key: a key under alias/aws/ is AWS-managed, so the tenant's key policy and rotation do not govern it (DAT-1).`,
        ),
      );
    }
  });

  it("passes a literal customer key ARN or alias", async () => {
    for (const key of ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab", "alias/moat-acme"]) {
      assert.deepEqual(
        await runResourcePolicy(policy, filesystem(DatType.lustre, { kmsKeyId: key })),
        passes,
      );
    }
  });

  it("fails an EFS file system that is not encrypted, or whose flag is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, filesystem(DatType.efs, { encrypted: undefined, kmsKeyId: undefined })),
      fails(
        'Set encrypted: true on EFS file system "shared": without it EFS stores the tenant\'s data unencrypted (DAT-1).',
        noKey(DatType.efs),
      ),
    );
    assert.deepEqual(
      await runResourcePolicy(policy, filesystem(DatType.efs, { encrypted: unknown.boolean })),
      fails(
        'Set encrypted on EFS file system "shared" to a literal true: it is unknown at preview, so this policy cannot verify it (DAT-1, POL-2).',
      ),
    );
  });

  it("does not apply to other resources", async () => {
    const run = await runResourcePolicy(policy, { type: DatType.efsMountTarget, props: {} });
    assert.match(run.notApplicable ?? "", /^Policy only applies to resources of type/);
  });

  it("reads a key unknown at preview as the tenant key's computed ARN", () => {
    assert.equal(kmsKeyProblem(UNKNOWN, "x"), undefined);
    assert.notEqual(kmsKeyProblem("", "x"), undefined);
  });
});

describe("dat-lustre-persistent-deployment (DAT-1)", () => {
  const policy = datLustrePersistentDeployment;
  const scratch = (now: string) =>
    `Set deploymentType on FSx for Lustre file system "shared" to PERSISTENT_2 (or PERSISTENT_1), not ${now}: scratch file systems keep no replica, take no backups and cannot use the tenant's KMS key (DAT-1).`;

  it("passes PERSISTENT_2 and PERSISTENT_1", async () => {
    for (const deploymentType of ["PERSISTENT_2", "PERSISTENT_1"]) {
      assert.deepEqual(
        await runResourcePolicy(policy, filesystem(DatType.lustre, { deploymentType })),
        passes,
      );
    }
  });

  it("fails a scratch deployment, and one left to AWS's SCRATCH_1 default", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, filesystem(DatType.lustre, { deploymentType: "SCRATCH_2" })),
      fails(scratch("SCRATCH_2")),
    );
    assert.deepEqual(
      await runResourcePolicy(policy, filesystem(DatType.lustre, { deploymentType: undefined })),
      fails(scratch("unset, which AWS takes as SCRATCH_1")),
    );
  });

  it("fails a deployment type unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, filesystem(DatType.lustre, { deploymentType: unknown.string })),
      fails(
        'Set deploymentType on FSx for Lustre file system "shared" to a literal PERSISTENT_2: it is unknown at preview, so this policy cannot verify it (DAT-1, POL-2).',
      ),
    );
  });

  it("does not apply to other FSx types", async () => {
    const run = await runResourcePolicy(policy, filesystem(DatType.openZfs));
    assert.equal(run.notApplicable, `Policy only applies to resources of type '${DatType.lustre}'`);
  });
});
