// The NET policies on the access path (NET-2 to NET-8, NET-10) as one explicit list, in report
// order, for pack.ts to include. Each policy lives in the file of its concern:
// net-groups.ts (security groups and the rules between them), net-edge.ts (connections, public
// addresses, routes), net-ingress.ts (what comes in from outside, access modes, the bastion),
// net-flow-logs.ts (flow logs and log groups).
import type { Policies } from "@pulumi/policy";
import {
  netComputeNoPublicIp,
  netPrivateSubnetsNoInternetRoute,
  netVpcCrossNetworkLinksAbsent,
} from "./net-edge";
import { netLogGroupEncryptedRetained, netVpcFlowLogsEnabled } from "./net-flow-logs";
import {
  netClusterSecurityGroupSelfIngress,
  netNodeSecurityGroupEgressExplicit,
  netSecurityGroupReferencesOwnStack,
  netSecurityGroupRoleTagged,
  netStorageIngressFilesystemOnly,
} from "./net-groups";
import {
  netAccessModeIngress,
  netBastionHardened,
  netExternalIngressSshOnly,
  netWorldSshAcknowledged,
  netWorldSshReported,
} from "./net-ingress";

/** Every NET access-path policy, mandatory unless it says otherwise (only net-world-ssh-reported). */
export const netAccessPolicies: Policies = [
  netSecurityGroupRoleTagged,
  netNodeSecurityGroupEgressExplicit,
  netClusterSecurityGroupSelfIngress,
  netSecurityGroupReferencesOwnStack,
  netVpcCrossNetworkLinksAbsent,
  netComputeNoPublicIp,
  netPrivateSubnetsNoInternetRoute,
  netExternalIngressSshOnly,
  netWorldSshAcknowledged,
  netWorldSshReported,
  netAccessModeIngress,
  netBastionHardened,
  netStorageIngressFilesystemOnly,
  netVpcFlowLogsEnabled,
  netLogGroupEncryptedRetained,
];
