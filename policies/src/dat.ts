// DAT: the shared file system's policies as one explicit list, in requirement order, for pack.ts
// to include. Each lives in the file of its concern: dat-encryption.ts (DAT-1, at rest),
// dat-transit.ts (DAT-2, TLS to EFS), dat-backup.ts (DAT-4, deletion protection and backups) and
// dat-storage.ts (NET-8, where the file system sits). KMS keys' DAT-3 and DAT-4 are in kms.ts.
import type { Policies } from "@pulumi/policy";
import { datEfsBackupPolicyEnabled, datFilesystemProtected, datFsxAutomaticBackups } from "./dat-backup";
import { datFilesystemEncryptedCustomerKey, datLustrePersistentDeployment } from "./dat-encryption";
import { datFilesystemStorageIsolated } from "./dat-storage";
import { datEfsMountTls, datEfsPolicyDeniesInsecureTransport } from "./dat-transit";
import { datHttpsEndpointTls12 } from "./dat-listeners";

/** Every shared file system policy, each mandatory by the pack's default. */
export const datPolicies: Policies = [
  datFilesystemEncryptedCustomerKey,
  datLustrePersistentDeployment,
  datEfsPolicyDeniesInsecureTransport,
  datEfsMountTls,
  datHttpsEndpointTls12,
  datFilesystemProtected,
  datFsxAutomaticBackups,
  datEfsBackupPolicyEnabled,
  datFilesystemStorageIsolated,
];
