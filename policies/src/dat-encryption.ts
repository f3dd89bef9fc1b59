// DAT-1: the shared file system is encrypted at rest under the tenant's customer-managed key. The
// key's ARN is computed by the cloud, so a kmsKeyId unknown at preview counts as set; leaving it
// out, or naming an AWS-managed key, never does (POL-2).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DatType, FILESYSTEM_TYPES, datLabel } from "./dat-types";
import { Read, UNKNOWN, forTypes, readBoolean, readString } from "./props";

/** Lustre deployment types that keep data on replicated storage and accept a customer key. */
export const PERSISTENT_DEPLOYMENT_TYPES: readonly string[] = ["PERSISTENT_1", "PERSISTENT_2"];

// AWS-managed keys are addressed through their alias/aws/<service> alias, alone or in an ARN.
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/** The DAT-1 problem with a file system's `kmsKeyId`, or undefined when it names a customer key. */
export function kmsKeyProblem(kmsKeyId: Read<string>, label: string): string | undefined {
  if (kmsKeyId === UNKNOWN) {
    return undefined;
  }
  if (kmsKeyId === undefined || kmsKeyId === "") {
    return `Set kmsKeyId on ${label} to the tenant's customer-managed KMS key (its arn output): without it the data is encrypted under an AWS-managed key that the tenant's key policy and rotation do not govern (DAT-1).`;
  }
  if (AWS_MANAGED_ALIAS.test(kmsKeyId)) {
    return `Replace kmsKeyId "${kmsKeyId}" on ${label} with the tenant's customer-managed KMS key: a key under alias/aws/ is AWS-managed, so the tenant's key policy and rotation do not govern it (DAT-1).`;
  }
  return undefined;
}

/**
 * DAT-1: every FSx and EFS file system names the tenant's customer-managed key; EFS, which is
 * unencrypted unless asked, also sets `encrypted` to a literal true. One check for every type.
 */
export const datFilesystemEncryptedCustomerKey: ResourceValidationPolicy = {
  name: "dat-filesystem-encrypted-customer-key",
  description:
    "Checks that every FSx file system (Lustre, OpenZFS, ONTAP, Windows) and EFS file system is encrypted at rest with a customer-managed KMS key: kmsKeyId set and not an AWS-managed alias, and encrypted true on EFS (DAT-1).",
  validateResource: forTypes(FILESYSTEM_TYPES, (args, reportViolation) => {
    const label = datLabel(args.type, args.name);
    if (args.type === DatType.efs) {
      const encrypted = readBoolean(args.props, "encrypted");
      if (encrypted === UNKNOWN) {
        reportViolation(
          `Set encrypted on ${label} to a literal true: it is unknown at preview, so this policy cannot verify it (DAT-1, POL-2).`,
        );
      } else if (encrypted !== true) {
        reportViolation(
          `Set encrypted: true on ${label}: without it EFS stores the tenant's data unencrypted (DAT-1).`,
        );
      }
    }
    const problem = kmsKeyProblem(readString(args.props, "kmsKeyId"), label);
    if (problem !== undefined) {
      reportViolation(problem);
    }
  }),
};

/**
 * DAT-1: FSx for Lustre runs a PERSISTENT deployment. Scratch file systems keep no replica of the
 * data, take no backups and cannot use a customer-managed key; AWS's default is SCRATCH_1.
 */
export const datLustrePersistentDeployment: ResourceValidationPolicy = {
  name: "dat-lustre-persistent-deployment",
  description:
    "Checks that every FSx for Lustre file system uses a PERSISTENT deployment type (PERSISTENT_1 or PERSISTENT_2), never SCRATCH, so its data is replicated and encrypted under the tenant's key (DAT-1).",
  validateResource: forTypes([DatType.lustre], (args, reportViolation) => {
    const label = datLabel(args.type, args.name);
    const deployment = readString(args.props, "deploymentType");
    if (deployment === UNKNOWN) {
      reportViolation(
        `Set deploymentType on ${label} to a literal PERSISTENT_2: it is unknown at preview, so this policy cannot verify it (DAT-1, POL-2).`,
      );
    } else if (deployment === undefined || !PERSISTENT_DEPLOYMENT_TYPES.includes(deployment)) {
      const now = deployment === undefined ? "unset, which AWS takes as SCRATCH_1" : deployment;
      reportViolation(
        `Set deploymentType on ${label} to PERSISTENT_2 (or PERSISTENT_1), not ${now}: scratch file systems keep no replica, take no backups and cannot use the tenant's KMS key (DAT-1).`,
      );
    }
  }),
};
