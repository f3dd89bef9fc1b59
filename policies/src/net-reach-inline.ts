// Inline `ingress` / `egress` entries of a security group, reduced to the rule shape of
// net-rules.ts, so the reachability model (net-reach-graph.ts) treats them like standalone rules.
// The engine records one property dependency for the whole list, not one per entry: groups an
// entry references are the groups the list was built from, an over-approximation that can only add
// flows, never hide one (NET-4, POL-2).
import type { PolicyResource } from "@pulumi/policy";
import { normalizeProtocol } from "./firewall-rule";
import type { ReachRule } from "./net-reach-graph";
import type { RulePeer } from "./net-rules";
import { GROUP_TYPES, NetType, elementAt, linked } from "./net-stack";
import { Props, UNKNOWN, readBoolean, readList, readNumber, readString } from "./props";

function cidrPeers(
  group: PolicyResource,
  direction: string,
  entry: Props,
  key: string,
  at: string,
): RulePeer[] {
  const list = readList(entry, key);
  const networks = linked(group, direction, NetType.vpc, NetType.subnet);
  if (list === UNKNOWN) {
    return [{ property: `${at}.${key}`, kind: "cidr", cidr: UNKNOWN, networks, groups: [] }];
  }
  return Array.from({ length: list?.length ?? 0 }, (_, i): RulePeer => {
    const value = elementAt(list ?? [], i);
    return {
      property: `${at}.${key}[${i}]`,
      kind: "cidr",
      cidr: value === UNKNOWN || typeof value === "string" ? value : undefined,
      networks,
      groups: [],
    };
  });
}

// Group references: the list's linked groups, plus a foreign reference when the entry names more
// groups than the list links (a literal `sg-...` or a value from outside the program).
function groupPeers(group: PolicyResource, direction: string, entry: Props, at: string): RulePeer[] {
  const list = readList(entry, "securityGroups");
  const count = list === UNKNOWN ? 1 : (list?.length ?? 0);
  if (count === 0) {
    return [];
  }
  const groups = linked(group, direction, ...GROUP_TYPES);
  const property = `${at}.securityGroups`;
  const peers: RulePeer[] = groups.length > 0 ? [{ property, kind: "group", networks: [], groups }] : [];
  if (list === UNKNOWN || count > groups.length) {
    peers.push({ property, kind: "group", networks: [], groups: [] });
  }
  return peers;
}

function entryRule(
  group: PolicyResource,
  direction: "ingress" | "egress",
  entry: unknown,
  i: number,
): ReachRule {
  const at = `${direction}[${i}]`;
  const label = `inline ${at} of security group "${group.name}"`;
  if (typeof entry !== "object" || entry === null) {
    // An entry unknown at preview may allow anything from anywhere.
    const peer: RulePeer = { property: at, kind: "cidr", cidr: UNKNOWN, networks: [], groups: [] };
    return {
      resource: group,
      label,
      direction,
      protocol: UNKNOWN,
      fromPort: UNKNOWN,
      toPort: UNKNOWN,
      groups: [group],
      peers: [peer],
      description: UNKNOWN,
    };
  }
  const props = entry as Props;
  const protocol = readString(props, "protocol");
  const self: RulePeer[] =
    readBoolean(props, "self") === false || readBoolean(props, "self") === undefined
      ? []
      : [{ property: `${at}.self`, kind: "group", networks: [], groups: [group] }];
  const prefixLists = readList(props, "prefixListIds");
  const prefixCount = prefixLists === UNKNOWN ? 1 : (prefixLists?.length ?? 0);
  return {
    resource: group,
    label,
    direction,
    protocol: typeof protocol === "string" ? normalizeProtocol(protocol) : protocol,
    fromPort: readNumber(props, "fromPort"),
    toPort: readNumber(props, "toPort"),
    groups: [group],
    peers: [
      ...cidrPeers(group, direction, props, "cidrBlocks", at),
      ...cidrPeers(group, direction, props, "ipv6CidrBlocks", at),
      ...Array.from({ length: prefixCount }, (_, j): RulePeer => ({
        property: `${at}.prefixListIds[${j}]`,
        kind: "prefix-list",
        networks: [],
        groups: [],
      })),
      ...groupPeers(group, direction, props, at),
      ...self,
    ],
    description: readString(props, "description"),
  };
}

/**
 * The inline rules of a security group (or the VPC's default group), one per list entry. A list
 * unknown at preview is the provider's computed echo of a group that declares none.
 */
export function inlineRules(group: PolicyResource): ReachRule[] {
  return (["ingress", "egress"] as const).flatMap((direction) => {
    const list = readList(group.props, direction);
    if (list === UNKNOWN || list === undefined) {
      return [];
    }
    return Array.from({ length: list.length }, (_, i) => entryRule(group, direction, elementAt(list, i), i));
  });
}
