// CMP: compute and access policies (REQUIREMENTS.md, CMP-2 to CMP-9), in requirement order. CMP-1
// (EFA isolation) is enforced elsewhere. Each policy decides from what the user declared and from
// property dependencies, never from IDs or ARNs the cloud computes (POL-2).
import type { Policies } from "@pulumi/policy";
import { cmpInstanceMetadataImdsv2Required, cmpVolumeEncryptedCustomerKey } from "./cmp-compute";
import { cmpIamPolicyLeastPrivilege } from "./cmp-iam";
import { cmpNodeNoSecretDependency, cmpNodeNoSecretMaterial, cmpUserDataJupyterProtected } from "./cmp-leaks";
import {
  cmpJupyterTokenRandomPassword,
  cmpJupyterTokenRotationEpoch,
  cmpSecretEncryptedCustomerKey,
  cmpSsmParameterSecureString,
} from "./cmp-secrets";
import {
  cmpClusterSshKeyEd25519,
  cmpKeyPairStrongKey,
  cmpUserDataSshHardened,
  cmpUserDataSshServerEnabled,
} from "./cmp-ssh";

/** Every CMP policy, for the pack's explicit list (pack.ts). */
export const cmpPolicies: Policies = [
  cmpInstanceMetadataImdsv2Required,
  cmpVolumeEncryptedCustomerKey,
  cmpUserDataSshHardened,
  cmpKeyPairStrongKey,
  cmpClusterSshKeyEd25519,
  cmpNodeNoSecretMaterial,
  cmpUserDataSshServerEnabled,
  cmpSecretEncryptedCustomerKey,
  cmpSsmParameterSecureString,
  cmpJupyterTokenRandomPassword,
  cmpUserDataJupyterProtected,
  cmpIamPolicyLeastPrivilege,
  cmpNodeNoSecretDependency,
  cmpJupyterTokenRotationEpoch,
];
