// Finds security groups whose rules are split between inline lists and standalone rule resources
// (NET-9), from the resources a stack policy receives.
//
// Two facts shape this code. First, the rule -> group link comes from `propertyDependencies`,
// the engine's record of which resources a rule's `securityGroupId` input was built from: the ID
// itself is unknown until the group exists, so reading it would turn the policy advisory at the
// first preview (POL-2). Second, a stack policy sees outputs, and the AWS provider reads every
// rule on a group back into its `ingress`/`egress` outputs, standalone ones included, after a
// refresh or an update of the group. An inline entry therefore only counts as inline when no
// standalone rule on the same group explains it (same direction, description and protocol).
// Known gap: a rule removed from the program no longer explains its echo in a group refreshed
// before the removal, until the group is refreshed again; declared inline rules are also caught
// from inputs by net-security-group-no-inline-ingress / -egress, which have no such gap.
import type { PolicyResource } from "@pulumi/policy";
import { AwsType, normalizeProtocol } from "./firewall-rule";
import { Props, Read, UNKNOWN, readList, readString, readValue } from "./props";

/** A rule direction, named as the group's inline list property is. */
type Direction = "ingress" | "egress";

/** A standalone rule resource attached to a group, reduced to what explains an inline entry. */
interface StandaloneRule {
  readonly resource: PolicyResource;
  /** Both directions when a legacy rule's `type` is unknown, so it may explain either list. */
  readonly directions: readonly Direction[];
  readonly description: Read<string>;
  readonly protocol: Read<string>;
}

/** A violation found by a stack-wide check, reported against one resource. */
export interface Finding {
  readonly urn: string;
  readonly message: string;
}

function standaloneRule(resource: PolicyResource): StandaloneRule | undefined {
  const { props } = resource;
  const description = readString(props, "description");
  switch (resource.type) {
    case AwsType.ingressRule:
    case AwsType.egressRule: {
      const directions: Direction[] = [resource.type === AwsType.ingressRule ? "ingress" : "egress"];
      return { resource, directions, description, protocol: readString(props, "ipProtocol") };
    }
    case AwsType.legacyRule: {
      const type = readString(props, "type");
      const directions: Direction[] =
        type === "ingress" || type === "egress" ? [type] : ["ingress", "egress"];
      return { resource, directions, description, protocol: readString(props, "protocol") };
    }
    default:
      return undefined;
  }
}

const isGroup = (r: PolicyResource) =>
  r.type === AwsType.securityGroup || r.type === AwsType.defaultSecurityGroup;

// A rule whose `securityGroupId` is a literal ID targets a group outside the stack: no link here.
function targetGroups(rule: PolicyResource): PolicyResource[] {
  return (rule.propertyDependencies["securityGroupId"] ?? []).filter(isGroup);
}

const same = (a: Read<string>, b: Read<string>) => a !== UNKNOWN && b !== UNKNOWN && (a ?? "") === (b ?? "");

function explains(rule: StandaloneRule, direction: Direction, entry: Props): boolean {
  if (!rule.directions.includes(direction)) {
    return false;
  }
  const protocol = (p: Read<string>) => (typeof p === "string" ? normalizeProtocol(p) : p);
  return (
    same(rule.description, readString(entry, "description")) &&
    same(protocol(rule.protocol), protocol(readString(entry, "protocol")))
  );
}

/**
 * Counts the entries of a group's `ingress` or `egress` output that no standalone rule explains.
 * An unknown list (a new group that declares none) is no evidence of inline rules; an unknown
 * entry is counted, as nothing can explain it. Entries are read one index at a time: array
 * methods would read every element through the SDK's proxy and throw on the first unknown.
 */
function inlineEntryCount(group: Props, direction: Direction, rules: readonly StandaloneRule[]): number {
  const list = readList(group, direction);
  if (list === UNKNOWN || list === undefined) {
    return 0;
  }
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    const entry = readValue(list as unknown as Props, String(i));
    const known = typeof entry === "object" && entry !== null;
    if (!(known && rules.some((r) => explains(r, direction, entry as Props)))) {
      count++;
    }
  }
  return count;
}

/**
 * Returns one finding per security group that is the target of standalone rules and also carries
 * inline rules, and per standalone rule attached to the VPC's default group, which owns its whole
 * rule set (NET-1, NET-9).
 */
export function findMixedRuleStyles(resources: readonly PolicyResource[]): Finding[] {
  const byGroup = new Map<string, { group: PolicyResource; rules: StandaloneRule[] }>();
  for (const resource of resources) {
    const rule = standaloneRule(resource);
    if (!rule) {
      continue;
    }
    for (const group of targetGroups(resource)) {
      const entry = byGroup.get(group.urn) ?? { group, rules: [] };
      entry.rules.push(rule);
      byGroup.set(group.urn, entry);
    }
  }

  const findings: Finding[] = [];
  for (const { group, rules } of byGroup.values()) {
    const names = rules.map((r) => `"${r.resource.name}"`).join(", ");
    if (group.type === AwsType.defaultSecurityGroup) {
      findings.push({
        urn: group.urn,
        message:
          `Remove the standalone rules ${names} from default security group "${group.name}": ` +
          `the default group must carry no rules (NET-1), and it owns its whole rule set, so the two would overwrite each other (NET-9).`,
      });
      continue;
    }
    const mixed = (["ingress", "egress"] as const).filter((d) => inlineEntryCount(group.props, d, rules) > 0);
    if (mixed.length > 0) {
      findings.push({
        urn: group.urn,
        message:
          `Move the inline ${mixed.join(" and ")} rules of security group "${group.name}" into standalone rule resources: ` +
          `it is also the target of ${names}, and the two styles overwrite each other on every update (NET-9).`,
      });
    }
  }
  return findings;
}
