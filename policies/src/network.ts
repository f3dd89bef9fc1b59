// NET: network and firewall policies (REQUIREMENTS.md, NET-*). Each decides from what the user
// declared, never from IDs or ARNs the cloud computes, so a first preview, where those are
// unknown, gets the same verdict as an update (POL-2).
import type { ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AwsType, checkIngressRule, legacyIngressRuleShape, vpcIngressRuleShape } from "./firewall-rule";
import { UNKNOWN, forTypes, notApplicableQuietly, readList, readString, readValue } from "./props";
import { findMixedRuleStyles } from "./rule-style";

/**
 * NET-1: the VPC's default security group carries no rules. Leaving `ingress` and `egress` out is
 * compliant: the provider then strips every rule from the default group. An unknown list was
 * still declared, so it fails like a non-empty one.
 */
export const netDefaultSecurityGroupNoRules: ResourceValidationPolicy = {
  name: "net-default-security-group-no-rules",
  description:
    "Checks that the VPC's default security group carries no ingress or egress rules, so a resource left in it gets no network access (NET-1).",
  validateResource: forTypes([AwsType.defaultSecurityGroup], (args, reportViolation) => {
    for (const direction of ["ingress", "egress"] as const) {
      const rules = readList(args.props, direction);
      if (rules === UNKNOWN || (rules !== undefined && rules.length > 0)) {
        reportViolation(
          `Remove the ${direction} rules from default security group "${args.name}": the VPC's default group must carry none, so a resource left in it gets no network access (NET-1).`,
        );
      }
    }
  }),
};

// One check for both directions. An empty list is refused too: it makes the group own that
// direction, so the provider revokes the group's standalone rules whenever it updates the group.
function noInlineRules(direction: "ingress" | "egress", ids: string): ResourceValidation {
  const ruleType =
    direction === "ingress" ? "aws.vpc.SecurityGroupIngressRule" : "aws.vpc.SecurityGroupEgressRule";
  return forTypes([AwsType.securityGroup], (args, reportViolation) => {
    const rules = readValue(args.props, direction);
    if (rules === undefined) {
      return;
    }
    if (Array.isArray(rules) && rules.length === 0) {
      reportViolation(
        `Remove the empty ${direction} list from security group "${args.name}": even an empty list makes the group own its ${direction} rules, so it revokes the standalone ones on update (${ids}).`,
      );
    } else {
      reportViolation(
        `Move the inline ${direction} rules of security group "${args.name}" into standalone ${ruleType} resources, one per flow with a description (${ids}).`,
      );
    }
  });
}

/**
 * NET-1, NET-9: inbound flows exist only as explicit, standalone rule resources, never as a
 * security group's inline `ingress` list.
 */
export const netSecurityGroupNoInlineIngress: ResourceValidationPolicy = {
  name: "net-security-group-no-inline-ingress",
  description:
    "Checks that security groups declare no inline ingress, so every inbound flow is an explicit standalone firewall rule (NET-1, NET-9).",
  validateResource: noInlineRules("ingress", "NET-1, NET-9"),
};

/**
 * NET-9: a group's outbound rules are standalone resources too, so no group ever mixes inline and
 * standalone rules (NET-2's all-traffic egress is an `aws.vpc.SecurityGroupEgressRule`).
 */
export const netSecurityGroupNoInlineEgress: ResourceValidationPolicy = {
  name: "net-security-group-no-inline-egress",
  description:
    "Checks that security groups declare no inline egress, so a group's rules are never split between inline and standalone styles (NET-9).",
  validateResource: noInlineRules("egress", "NET-9"),
};

/**
 * NET-9: each inbound rule names its purpose, protocol, one source and a real port range, and
 * never opens all ports to a CIDR. Rules between security groups may allow all traffic, which
 * NET-3's intra-cluster rules need. Covers the current `aws.vpc.SecurityGroupIngressRule` and the
 * legacy `aws.ec2.SecurityGroupRule` of type "ingress" with one shared check.
 */
export const netFirewallRuleExplicit: ResourceValidationPolicy = {
  name: "net-firewall-rule-explicit",
  description:
    "Checks that every inbound firewall rule has a description, an explicit protocol, exactly one source and a real port range, and never opens all ports to a CIDR (NET-9).",
  validateResource: forTypes([AwsType.ingressRule, AwsType.legacyRule], (args, reportViolation) => {
    if (args.type === AwsType.ingressRule) {
      checkIngressRule(vpcIngressRuleShape(args.name, args.props)).forEach((m) => reportViolation(m));
      return;
    }
    const type = readString(args.props, "type");
    if (type === UNKNOWN) {
      reportViolation(
        `Set type on security group rule "${args.name}" to a literal "ingress" or "egress": it is unknown at preview, so this policy cannot tell whether the rule lets traffic in (NET-9, POL-2).`,
      );
      return;
    }
    if (type !== "ingress") {
      notApplicableQuietly(args, "Policy only applies to ingress rules");
    }
    checkIngressRule(legacyIngressRuleShape(args.name, args.props)).forEach((m) => reportViolation(m));
  }),
};

/**
 * NET-9 (and NET-1 for the default group): a security group's rules are either all inline or all
 * standalone. Runs over the whole stack because the two halves live on different resources; the
 * links come from property dependencies, not from group IDs (see rule-style.ts).
 */
export const netSecurityGroupRulesSingleStyle: StackValidationPolicy = {
  name: "net-security-group-rules-single-style",
  description:
    "Checks that no security group mixes inline rules with standalone rule resources, and that no standalone rule targets the VPC's default security group (NET-9, NET-1).",
  validateStack: (args, reportViolation) => {
    for (const finding of findMixedRuleStyles(args.resources)) {
      reportViolation(finding.message, finding.urn);
    }
  },
};
