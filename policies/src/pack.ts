// The pack's policies as one explicit list: a policy is in the pack because it is named here, not
// because some module was imported for its side effects. Importing this module starts nothing;
// only index.ts serves the pack.
import type { Policies } from "@pulumi/policy";
import {
  netDefaultSecurityGroupNoRules,
  netFirewallRuleExplicit,
  netSecurityGroupNoInlineEgress,
  netSecurityGroupNoInlineIngress,
  netSecurityGroupRulesSingleStyle,
} from "./network";
import { netAccessPolicies } from "./net-access";
import { cmpPolicies } from "./cmp";
import { cmpEfaPolicies } from "./cmp-efa";
import { datPolicies } from "./dat";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { k8sPolicies } from "./k8s";
import { audPolicies, audPresencePolicies } from "./aud";
import { datBucketPolicies } from "./dat-buckets";
import { withExemptions } from "./exemptions";
import { netQuarantinePolicies } from "./net-quarantine";
import { netReachabilityPolicies } from "./net-reach";

/**
 * Every policy in the Moat pack, in report order (grouped by requirement domain); each takes
 * exemptions with a reason from the stack's policy config (POL-1, see exemptions.ts).
 */
export const moatPolicies: Policies = withExemptions([
  netDefaultSecurityGroupNoRules,
  netSecurityGroupNoInlineIngress,
  netSecurityGroupNoInlineEgress,
  netFirewallRuleExplicit,
  netSecurityGroupRulesSingleStyle,
  ...netAccessPolicies,
  ...netQuarantinePolicies,
  ...netReachabilityPolicies,
  ...cmpPolicies,
  ...cmpEfaPolicies,
  ...datPolicies,
  ...datBucketPolicies,
  ...iamPolicies,
  ...kmsPolicies,
  ...audPolicies,
  ...audPresencePolicies,
  ...k8sPolicies,
]);
