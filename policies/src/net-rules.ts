// Firewall rules of all three types (aws.vpc ingress and egress rules, legacy
// aws.ec2.SecurityGroupRule) reduced to one shape, and where their sources lie. A rule is tied to
// its groups through property dependencies; group IDs are read only for their presence, and only
// when no dependency explains them, since they are unknown at a first preview (POL-2).
import type { PolicyResource } from "@pulumi/policy";
import { normalizeProtocol } from "./firewall-rule";
import { cidrContains, isWorld, parseCidr } from "./net-cidr";
import { GROUP_TYPES, NetType, VpcInfo, declared, elementAt, linked, overlaps } from "./net-stack";
import { Read, UNKNOWN, readBoolean, readList, readNumber, readString, readValue } from "./props";

/** A rule direction, named as the rule types name it. */
export type Direction = "ingress" | "egress";

/** One source (ingress) or destination (egress) of a rule. */
export interface RulePeer {
  /** The property as written, with an index for list elements (`cidrBlocks[1]`). */
  readonly property: string;
  readonly kind: "cidr" | "prefix-list" | "group";
  /** The block, for kind "cidr": a literal, or UNKNOWN when computed (e.g. `vpc.cidrBlock`). */
  readonly cidr?: Read<string>;
  /** For kind "cidr": the stack's VPCs and subnets the property was built from. */
  readonly networks: readonly PolicyResource[];
  /** For kind "group": the stack's groups referenced; empty when the reference leaves the stack. */
  readonly groups: readonly PolicyResource[];
}

/** A standalone firewall rule of any of the three types, reduced to what the NET policies judge. */
export interface NetRule {
  readonly resource: PolicyResource;
  /** How messages name the rule, e.g. `ingress rule "head-ssh"`. */
  readonly label: string;
  /** UNKNOWN for a legacy rule whose `type` is computed. */
  readonly direction: Read<Direction>;
  /** Normalized ("-1" reads as "all", "6" as "tcp"). */
  readonly protocol: Read<string>;
  readonly fromPort: Read<number>;
  readonly toPort: Read<number>;
  /** The stack's groups the rule is attached to (its `securityGroupId` dependencies). */
  readonly groups: readonly PolicyResource[];
  readonly peers: readonly RulePeer[];
}

function cidrPeer(
  resource: PolicyResource,
  property: string,
  value: Read<unknown>,
  index?: number,
): RulePeer {
  return {
    property: index === undefined ? property : `${property}[${index}]`,
    kind: "cidr",
    cidr: value === UNKNOWN || typeof value === "string" ? value : undefined,
    networks: linked(resource, property, NetType.vpc, NetType.subnet),
    groups: [],
  };
}

function cidrPeers(resource: PolicyResource, property: string): RulePeer[] {
  const list = readList(resource.props, property);
  if (list === UNKNOWN) {
    return [cidrPeer(resource, property, UNKNOWN)];
  }
  return Array.from({ length: list?.length ?? 0 }, (_, i) =>
    cidrPeer(resource, property, elementAt(list ?? [], i), i),
  );
}

// A group reference is read for its presence only when no dependency explains it: with a link,
// the (computed) ID value is never touched.
function groupPeer(resource: PolicyResource, property: string): RulePeer[] {
  const groups = linked(resource, property, ...GROUP_TYPES);
  if (groups.length === 0 && readValue(resource.props, property) === undefined) {
    return [];
  }
  return [{ property, kind: "group", networks: [], groups }];
}

/** Reduces a standalone rule resource to a NetRule; undefined for any other type. */
export function netRule(resource: PolicyResource): NetRule | undefined {
  const { props, name } = resource;
  const groups = linked(resource, "securityGroupId", ...GROUP_TYPES);
  const protocolOf = (key: string) => {
    const value = readString(props, key);
    return typeof value === "string" ? normalizeProtocol(value) : value;
  };
  const ports: Pick<NetRule, "fromPort" | "toPort"> = {
    fromPort: readNumber(props, "fromPort"),
    toPort: readNumber(props, "toPort"),
  };
  if (resource.type === NetType.ingressRule || resource.type === NetType.egressRule) {
    const direction = resource.type === NetType.ingressRule ? "ingress" : "egress";
    const cidr = (key: string) =>
      declared(resource, key) ? [cidrPeer(resource, key, readValue(props, key))] : [];
    const prefix: RulePeer[] = declared(resource, "prefixListId")
      ? [{ property: "prefixListId", kind: "prefix-list", networks: [], groups: [] }]
      : [];
    return {
      resource,
      label: `${direction} rule "${name}"`,
      direction,
      protocol: protocolOf("ipProtocol"),
      ...ports,
      groups,
      peers: [
        ...cidr("cidrIpv4"),
        ...cidr("cidrIpv6"),
        ...groupPeer(resource, "referencedSecurityGroupId"),
        ...prefix,
      ],
    };
  }
  if (resource.type === NetType.legacyRule) {
    const type = readString(props, "type");
    const prefixLists = readList(props, "prefixListIds");
    const prefixCount = prefixLists === UNKNOWN ? 1 : (prefixLists?.length ?? 0);
    const self: RulePeer[] =
      readBoolean(props, "self") === true ? [{ property: "self", kind: "group", networks: [], groups }] : [];
    return {
      resource,
      label: `security group rule "${name}"`,
      direction: type === "ingress" || type === "egress" || type === UNKNOWN ? type : undefined,
      protocol: protocolOf("protocol"),
      ...ports,
      groups,
      peers: [
        ...cidrPeers(resource, "cidrBlocks"),
        ...cidrPeers(resource, "ipv6CidrBlocks"),
        ...Array.from({ length: prefixCount }, (_, i): RulePeer => ({
          property: `prefixListIds[${i}]`,
          kind: "prefix-list",
          networks: [],
          groups: [],
        })),
        ...groupPeer(resource, "sourceSecurityGroupId"),
        ...self,
      ],
    };
  }
  return undefined;
}

/** Every standalone rule of the stack. */
export function stackRules(resources: readonly PolicyResource[]): NetRule[] {
  return resources.map(netRule).filter((r): r is NetRule => r !== undefined);
}

/**
 * Rules that may let traffic in: ingress, and legacy rules whose `type` is unknown, which must
 * not escape an inbound check by being undecidable (POL-2).
 */
export const inbound = (rules: readonly NetRule[]) => rules.filter((r) => r.direction !== "egress");

/** Where a peer lies relative to a set of VPCs: another group, inside, outside, or the internet. */
export type Origin = "group" | "inside" | "outside" | "world";

/**
 * Places a peer. A computed block counts as inside only when it was built from one of the VPCs
 * (or their subnets); a literal only when one of their blocks contains it. Anything that cannot
 * be placed, a prefix list included, is outside: unknown never passes (POL-2).
 */
export function originOf(
  peer: RulePeer,
  vpcs: readonly VpcInfo[],
  resources: readonly PolicyResource[],
): Origin {
  if (peer.kind === "group") {
    return "group";
  }
  if (peer.kind === "prefix-list" || peer.cidr === undefined) {
    return "outside";
  }
  if (peer.cidr === UNKNOWN) {
    const vpcResources = vpcs.map((v) => v.resource);
    const subnets = resources.filter(
      (r) => r.type === NetType.subnet && overlaps(linked(r, "vpcId", NetType.vpc), vpcResources),
    );
    return overlaps(peer.networks, [...vpcResources, ...subnets]) ? "inside" : "outside";
  }
  const cidr = parseCidr(peer.cidr);
  if (!cidr) {
    return "outside";
  }
  if (isWorld(cidr)) {
    return "world";
  }
  return vpcs.some((v) => v.cidrs.some((outer) => cidrContains(outer, cidr))) ? "inside" : "outside";
}

/** How messages name a peer: `cidrIpv4 "203.0.113.0/24"`, or the property alone when computed. */
export function describePeer(peer: RulePeer): string {
  return typeof peer.cidr === "string" ? `${peer.property} "${peer.cidr}"` : peer.property;
}

/** True when the rule admits exactly tcp port 22. */
export const isSshOnly = (rule: NetRule) =>
  rule.protocol === "tcp" && rule.fromPort === 22 && rule.toPort === 22;

/**
 * True when the rule may admit `port` over tcp: all traffic, or a tcp range containing it. An
 * unknown protocol or range may admit anything, so it counts.
 */
export function mayAdmitTcp(rule: NetRule, port: number): boolean {
  const { protocol, fromPort, toPort } = rule;
  if (protocol === "all" || protocol === UNKNOWN) {
    return true;
  }
  if (protocol !== "tcp") {
    return false;
  }
  const from = fromPort === UNKNOWN || fromPort === undefined ? 0 : fromPort;
  const to = toPort === UNKNOWN || toPort === undefined ? 65535 : toPort;
  return from <= port && port <= to;
}
