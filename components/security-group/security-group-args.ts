import type { DefaultDenySecurityGroupArgs } from "./security-group";
import { MOAT_ROLES } from "../tenant/tags";
import {
  RuleProblem,
  cidrProblem,
  descriptionProblem,
  portProblems,
  resolvePorts,
} from "../firewall-rule/rule-checks";

/** One allowed outbound destination of an egress allowlist (NET-2's opt-in alternative). */
export interface EgressAllow {
  /** Destination IPv4 block, e.g. `0.0.0.0/0` for HTTPS anywhere or a package mirror's range. */
  readonly cidr: string;
  /** `tcp`, `udp` or `all` (every protocol and port to this block). */
  readonly protocol: "tcp" | "udp" | "all";
  /** First port; required for tcp and udp, not allowed for `all`. */
  readonly fromPort?: number;
  /** Last port. @default fromPort */
  readonly toPort?: number;
  /** Why nodes may reach this destination, e.g. `HTTPS to package mirrors`. */
  readonly description: string;
}

/**
 * A group's outbound rules: `all` (one explicit all-traffic rule, NET-2), `none` (no outbound
 * traffic at all, e.g. quarantine, NET-11) or an allowlist with one rule per entry.
 */
export type SecurityGroupEgress = "all" | "none" | readonly EgressAllow[];

/** One planned `aws.vpc.SecurityGroupEgressRule`. */
export interface EgressRuleSpec {
  /** Stable suffix of the rule's resource name, derived from its content, e.g. `tcp-443-0.0.0.0-0`. */
  readonly key: string;
  /** `tcp`, `udp` or `-1` (all traffic). */
  readonly ipProtocol: string;
  /** Destination block. */
  readonly cidrIpv4: string;
  /** First port; absent for all traffic. */
  readonly fromPort?: number;
  /** Last port; absent for all traffic. */
  readonly toPort?: number;
  /** The rule's description. */
  readonly description: string;
}

/** Description of the all-traffic egress rule a group gets for `egress: "all"`. */
export const ALL_EGRESS_DESCRIPTION =
  "NET-2: all outbound traffic, declared explicitly because AWS providers remove the implicit rule";

/** A CIDR as it can appear in a resource name: `10.0.0.0/16` becomes `10.0.0.0-16`. */
export function cidrKey(cidr: string): string {
  return cidr.replace("/", "-");
}

function entryKey(entry: EgressAllow): string {
  if (entry.protocol === "all") {
    return `all-${cidrKey(entry.cidr)}`;
  }
  const to = entry.toPort ?? entry.fromPort;
  const ports = to === entry.fromPort ? `${entry.fromPort}` : `${entry.fromPort}-${to}`;
  return `${entry.protocol}-${ports}-${cidrKey(entry.cidr)}`;
}

/**
 * Checks an egress setting and returns every problem, with paths under `path` (e.g. `egress[1].cidr`).
 * An allowlist must not be empty (say `none` instead) or repeat an entry (AWS refuses duplicates).
 */
export function egressProblems(egress: unknown, path = "egress"): RuleProblem[] {
  if (egress === "all" || egress === "none") {
    return [];
  }
  if (!Array.isArray(egress)) {
    return [
      {
        propertyPath: path,
        reason: `must be "all", "none" or a list of { cidr, protocol, ports, description }`,
      },
    ];
  }
  if (egress.length === 0) {
    return [
      {
        propertyPath: path,
        reason: `is an empty allowlist; list the destinations nodes may reach, or say "none" to allow no outbound traffic`,
      },
    ];
  }
  const problems: RuleProblem[] = [];
  const seen = new Map<string, number>();
  egress.forEach((entry: EgressAllow, i) => {
    const at = `${path}[${i}]`;
    const before = problems.length;
    const cidr = cidrProblem(entry?.cidr);
    if (cidr) {
      problems.push({ propertyPath: `${at}.cidr`, reason: cidr });
    }
    for (const p of portProblems(entry?.protocol, entry?.fromPort, entry?.toPort, ["tcp", "udp", "all"])) {
      problems.push({ propertyPath: `${at}.${p.propertyPath}`, reason: p.reason });
    }
    const description = descriptionProblem(entry?.description, "say why nodes may reach this destination");
    if (description) {
      problems.push({ propertyPath: `${at}.description`, reason: description });
    }
    if (problems.length === before) {
      const key = entryKey(entry);
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({
          propertyPath: at,
          reason: `repeats ${path}[${first}]; AWS refuses duplicate rules, so remove one`,
        });
      } else {
        seen.set(key, i);
      }
    }
  });
  return problems;
}

/**
 * Checks every {@link DefaultDenySecurityGroupArgs} property and returns all problems at once; an
 * empty array means the group can be created.
 */
export function validateSecurityGroupArgs(args: DefaultDenySecurityGroupArgs): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!(MOAT_ROLES as readonly string[]).includes(args.role)) {
    problems.push({
      propertyPath: "role",
      reason: `${JSON.stringify(args.role)} is not a moat:role; use one of ${MOAT_ROLES.join(", ")}`,
    });
  }
  const description = descriptionProblem(
    args.description,
    "say which nodes the group is for and what it allows",
  );
  if (description) {
    problems.push({ propertyPath: "description", reason: description });
  }
  problems.push(...egressProblems(args.egress));
  return problems;
}

/**
 * The egress rules a group gets: one all-traffic rule to 0.0.0.0/0 for `all` (NET-2), none for
 * `none`, one rule per allowlist entry otherwise. Rule keys come from content, not position, so
 * reordering the allowlist replaces nothing.
 *
 * @throws Error listing every problem {@link egressProblems} finds.
 */
export function planEgressRules(egress: SecurityGroupEgress): EgressRuleSpec[] {
  const problems = egressProblems(egress);
  if (problems.length > 0) {
    throw new Error(
      `Cannot plan egress rules: ${problems.map((p) => `${p.propertyPath}: ${p.reason}`).join("; ")}`,
    );
  }
  if (egress === "none") {
    return [];
  }
  if (egress === "all") {
    return [{ key: "all", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: ALL_EGRESS_DESCRIPTION }];
  }
  return egress.map((entry) => ({
    key: entryKey(entry),
    cidrIpv4: entry.cidr,
    description: entry.description,
    ...resolvePorts(entry.protocol, entry.fromPort, entry.toPort),
  }));
}
