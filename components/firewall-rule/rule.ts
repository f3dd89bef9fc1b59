import type * as pulumi from "@pulumi/pulumi";
import {
  RuleProblem,
  RuleProtocol,
  cidrProblem,
  cidrWithin,
  descriptionProblem,
  isWorld,
  portProblems,
} from "./rule-checks";

/** Where an inbound flow comes from: one CIDR block, or one security group. */
export type FirewallRuleSource =
  | {
      /** An IPv4 block inside the tenant's VPC or allowlists, e.g. `203.0.113.0/24`. */
      readonly cidr: string;
    }
  | {
      /** A security group of the same stack (NET-4): never a literal ID of another tenant's group. */
      readonly securityGroupId: pulumi.Input<string>;
      /** How messages and flow listings name the group, e.g. `bastion security group`. */
      readonly label: string;
    };

/** One inbound flow: a single standalone rule on one security group (NET-9). */
export interface FirewallRuleSpec {
  /** The group the rule lets traffic into. */
  readonly securityGroupId: pulumi.Input<string>;
  /**
   * Which flow the rule allows and why, e.g. `NET-7: SSH to the bastion from office VPN`. At most
   * 255 characters of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (AWS's limit).
   */
  readonly description: string;
  /** `tcp`, `udp`, `icmp`, or `all` (every protocol and port: only from a security group). */
  readonly protocol: RuleProtocol;
  /** First port (ICMP: type). Required for tcp and udp; not allowed for `all`. */
  readonly fromPort?: number;
  /** Last port (ICMP: code). @default fromPort for tcp/udp, -1 (any) for icmp. */
  readonly toPort?: number;
  /** Exactly one source (NET-9). */
  readonly source: FirewallRuleSource;
}

/** What a rule is judged against: the tenant's own address space (NET-4, NET-6). */
export interface FirewallRuleContext {
  /** The tenant's VPC CIDR and allowlists; a CIDR source must lie inside one of them (NET-4). */
  readonly tenantCidrs: readonly string[];
  /**
   * Accept SSH (tcp 22 only) from 0.0.0.0/0. The stack must ask for it by name (NET-6); the rule
   * is then still reported by the policy pack. @default false
   */
  readonly acknowledgeWorldSsh?: boolean;
}

const isSsh = (rule: FirewallRuleSpec) =>
  rule.protocol === "tcp" && rule.fromPort === 22 && (rule.toPort ?? rule.fromPort) === 22;

// A rule that opens every port: all traffic, or the whole tcp/udp range (0 included, as AWS reads
// 0-65535 as "all ports" too).
function opensAllPorts(rule: FirewallRuleSpec): boolean {
  if (rule.protocol === "all") {
    return true;
  }
  const to = rule.toPort ?? rule.fromPort;
  return (
    (rule.protocol === "tcp" || rule.protocol === "udp") &&
    (rule.fromPort === 0 || rule.fromPort === 1) &&
    to === 65535
  );
}

function describePorts(rule: FirewallRuleSpec): string {
  if (rule.protocol === "all") {
    return "all traffic";
  }
  const to = rule.toPort ?? rule.fromPort;
  return to === rule.fromPort
    ? `${rule.protocol} ${rule.fromPort}`
    : `${rule.protocol} ${rule.fromPort}-${to}`;
}

function cidrSourceProblems(
  rule: FirewallRuleSpec,
  cidr: string,
  context: FirewallRuleContext,
  tenantCidrs: readonly string[],
): RuleProblem[] {
  const at = (reason: string): RuleProblem[] => [{ propertyPath: "source.cidr", reason }];
  const invalid = cidrProblem(cidr);
  if (invalid) {
    return at(invalid);
  }
  if (isWorld(cidr)) {
    if (!context.acknowledgeWorldSsh) {
      return at(
        `${cidr} opens ${describePorts(rule)} to the whole internet (NET-6); list your office or VPN ` +
          "ranges instead, or, for SSH only, set acknowledgeWorldSsh: true to accept the risk",
      );
    }
    if (!isSsh(rule)) {
      return at(
        `${cidr} opens ${describePorts(rule)} to the whole internet; acknowledgeWorldSsh covers SSH ` +
          "(tcp 22) only, and nothing else may be open to the outside (NET-6); narrow the source",
      );
    }
    return [];
  }
  if (!tenantCidrs.some((outer) => cidrWithin(cidr, outer))) {
    const owned = tenantCidrs.length > 0 ? tenantCidrs.join(", ") : "none given";
    return at(
      `${cidr} is outside the tenant's VPC and allowlists (${owned}), so it could be another ` +
        "tenant's range (NET-4); add it to the tenant's allowlist or use a source inside them",
    );
  }
  return [];
}

/**
 * Checks one inbound rule against NET-1, NET-4, NET-6 and NET-9 and returns every problem with its
 * property path; an empty array means the rule may be created. Refused: a missing description;
 * port 0, ports outside 1-65535 or fromPort > toPort for tcp/udp; all traffic or every tcp/udp port
 * from a CIDR (group-to-group all traffic is allowed, NET-3); a CIDR outside `tenantCidrs`; the
 * whole internet, unless `acknowledgeWorldSsh` is set and the rule is tcp 22. A `/0` entry in
 * `tenantCidrs` (an acknowledged world allowlist) never makes another block "the tenant's".
 */
export function firewallRuleProblems(rule: FirewallRuleSpec, context: FirewallRuleContext): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const description = descriptionProblem(rule.description, "say which flow the rule allows and why (NET-9)");
  if (description) {
    problems.push({ propertyPath: "description", reason: description });
  }

  const source = (rule.source ?? {}) as Partial<{ cidr: string; securityGroupId: unknown; label: string }>;
  const hasCidr = source.cidr !== undefined;
  const hasGroup = source.securityGroupId !== undefined;
  const allPortsFromCidr = hasCidr && !hasGroup && opensAllPorts(rule);
  if (allPortsFromCidr) {
    const path = rule.protocol === "all" ? "protocol" : "fromPort";
    problems.push({
      propertyPath: path,
      reason:
        `${describePorts(rule)} from CIDR ${source.cidr} opens every port; only rules between security ` +
        "groups may allow all traffic (NET-9, NET-3); narrow it to the ports the flow needs",
    });
  } else {
    problems.push(...portProblems(rule.protocol, rule.fromPort, rule.toPort, ["tcp", "udp", "icmp", "all"]));
  }

  const validTenantCidrs: string[] = [];
  (context.tenantCidrs ?? []).forEach((cidr, i) => {
    const invalid = cidrProblem(cidr);
    if (invalid) {
      problems.push({ propertyPath: `context.tenantCidrs[${i}]`, reason: invalid });
    } else if (!isWorld(cidr)) {
      validTenantCidrs.push(cidr);
    }
  });

  if (hasCidr === hasGroup) {
    problems.push({
      propertyPath: "source",
      reason: `${hasCidr ? "names both a CIDR and a security group" : "is missing"}; give exactly one: { cidr } or { securityGroupId, label } (NET-9)`,
    });
  } else if (hasCidr) {
    problems.push(...cidrSourceProblems(rule, source.cidr as string, context, validTenantCidrs));
  } else {
    if (source.securityGroupId === "") {
      problems.push({
        propertyPath: "source.securityGroupId",
        reason: "is empty; pass the source group's ID",
      });
    }
    if (typeof source.label !== "string" || source.label.trim() === "") {
      problems.push({
        propertyPath: "source.label",
        reason: "is missing; name the source group, e.g. bastion security group, so flows can be listed",
      });
    }
  }
  return problems;
}

/**
 * {@link firewallRuleProblems} as one line per problem, `<propertyPath>: <reason>`; an empty array
 * means the rule is valid.
 */
export function validateFirewallRule(rule: FirewallRuleSpec, context: FirewallRuleContext): string[] {
  return firewallRuleProblems(rule, context).map((p) => `${p.propertyPath}: ${p.reason}`);
}
