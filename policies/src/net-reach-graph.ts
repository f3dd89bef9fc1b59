// The stack's network reachability model (NET-4, NET-5, NET-6, NET-8): every flow its security
// groups allow, from where to where, on which protocol and ports, and which rule allows it. Pure:
// it reads resources through props.ts and imports only types from the policy SDK, so the policies
// (net-reach.ts) and `moat plan --reachability` share this one model.
//
// What it assumes, so a reader can judge what it proves:
// - Rules are tied to groups through property dependencies (`linked`), never through computed IDs,
//   so the model is the same while IDs are unknown (POL-2). A reference that no dependency ties to
//   a group of the stack is a group of another tenant ("foreign-group").
// - Every rule style counts: aws.vpc ingress/egress rules and legacy aws.ec2.SecurityGroupRule
//   (net-rules.ts), and inline `ingress`/`egress` entries of a security group (net-reach-inline.ts).
//   A legacy rule whose `type` is unknown counts as ingress. An inline list unknown at preview is
//   the provider's computed echo of a group that declares none (as net-edge.ts reads routes).
// - Between the stack's own groups, a flow is the receiving group's ingress rule; egress rules are
//   listed only where they lead out of the stack's groups (internet, blocks, other tenants), since
//   an own-group egress rule never widens what the receiving side admits.
// - A block outside the stack's VPCs is "internet" when it is /0; "other-network" when it is private
//   address space (RFC 1918, RFC 6598, IPv6 ULA), even if allowlisted: only a peering, transit
//   gateway or VPN could carry it, so it is another VPC's; otherwise public: "allowlist" when the given
//   allowlist contains it, or when no allowlist is given (the program writes only
//   moat:access.allowSshFrom and its rulesets there), else "public". A prefix list, an unparseable
//   block or a computed one not built from the VPC is "unplaced": unknown never passes.
// - A group is reachable from the internet (net-reach-exposure.ts) when something attached to it
//   has a public address (its own flag, its subnet's mapPublicIpOnLaunch, an Elastic IP) in a subnet
//   routed to an internet gateway, or when it is the access mode's entry point (the bastion group,
//   or the head group in direct mode). NACLs are not modelled: the program leaves them open and
//   enforces with security groups, so the model over-approximates, which is the safe side.
import type { PolicyResource } from "@pulumi/policy";
import { Cidr, cidrContains, parseCidr } from "./net-cidr";
import { inlineRules } from "./net-reach-inline";
import { Exposure, Member, groupExposure, stackMembers } from "./net-reach-exposure";
import { NetRule, RulePeer, originOf, stackRules } from "./net-rules";
import {
  NetType,
  TAG_ACCESS_MODE,
  TAG_ROLE,
  VpcInfo,
  groupVpcs,
  overlaps,
  readTag,
  stackVpcs,
} from "./net-stack";
import { Read, UNKNOWN, readString } from "./props";

/** Where one end of a flow lies (see the assumptions at the top of this file). */
export type EndKind =
  "group" | "foreign-group" | "vpc" | "internet" | "allowlist" | "public" | "other-network" | "unplaced";

/** Kinds of end outside the stack's VPCs. */
export const OUTSIDE_KINDS: readonly EndKind[] = [
  "internet",
  "allowlist",
  "public",
  "other-network",
  "unplaced",
  "foreign-group",
];

/** Kinds of end that belong to another tenant, or cannot be placed at all (NET-4). */
export const FOREIGN_KINDS: readonly EndKind[] = ["foreign-group", "other-network", "unplaced"];

/** One end of a flow. */
export interface FlowEnd {
  readonly kind: EndKind;
  /** A stable key, the same for every flow touching this end (a group's URN, a block's text). */
  readonly id: string;
  /** How tables and messages name it, e.g. `bastion group "dev-bastion-sg"`, `internet 0.0.0.0/0`. */
  readonly label: string;
  /** For kind "group". */
  readonly group?: PolicyResource;
}

/** A flow the stack's security groups allow. */
export interface Flow {
  readonly source: FlowEnd;
  readonly destination: FlowEnd;
  /** The rule responsible: an ingress rule on the destination, or an egress rule on the source. */
  readonly rule: ReachRule;
  /** The rule's description, or that it has none. */
  readonly why: string;
}

/** A security group of the stack with what the model knows about it. */
export interface ReachGroup {
  readonly resource: PolicyResource;
  readonly role: Read<string>;
  /** Access modes of its VPCs (`moat:access-mode`), UNKNOWN or undefined where not a literal. */
  readonly modes: readonly Read<string>[];
  readonly members: readonly Member[];
  readonly exposure: Exposure;
}

/** The whole model. */
export interface ReachGraph {
  readonly vpcs: readonly VpcInfo[];
  readonly groups: readonly ReachGroup[];
  readonly flows: readonly Flow[];
}

/** Tuning: the SSH allowlist, to tell allowlisted public blocks from other public ones. */
export interface ReachOptions {
  /** CIDR blocks allowed to SSH in (moat:access.allowSshFrom and rulesets). @default any public block */
  readonly allowlist?: readonly string[];
}

/** Address space that never arrives from the internet: RFC 1918, RFC 6598 shared, IPv6 ULA. */
export const PRIVATE_BLOCKS: readonly string[] = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "fc00::/7",
];

const privateBlocks = PRIVATE_BLOCKS.map((b) => parseCidr(b) as Cidr);

/** The role of the group the access mode exposes: bastion, head in direct mode, none in ssm. */
export const ENTRY_ROLE: Readonly<Record<string, string | undefined>> = {
  bastion: "bastion",
  direct: "head",
  ssm: undefined,
};

/** True when `role` is the entry point in every one of `modes` (a literal mode each). */
export const isEntryRole = (role: Read<string>, modes: readonly Read<string>[]) =>
  typeof role === "string" &&
  modes.length > 0 &&
  modes.every((m) => typeof m === "string" && ENTRY_ROLE[m] === role);

/** How tables name a group: `head group "dev-head-sg"`. */
export function groupLabel(group: PolicyResource): string {
  const role = readTag(group.props, TAG_ROLE);
  const what = typeof role === "string" ? role : role === UNKNOWN ? "unknown-role" : "untagged";
  return `${what} group "${group.name}"`;
}

const groupEnd = (group: PolicyResource): FlowEnd => ({
  kind: "group",
  id: group.urn,
  label: groupLabel(group),
  group,
});

function foreignEnd(resource: PolicyResource, property: string): FlowEnd {
  const value = readString(resource.props, property);
  const what = typeof value === "string" ? ` ${value}` : "";
  return {
    kind: "foreign-group",
    id: `foreign:${resource.urn}:${property}`,
    label: `foreign group${what} (${property} of "${resource.name}")`,
  };
}

function peerEnds(
  rule: NetRule,
  peer: RulePeer,
  vpcs: readonly VpcInfo[],
  resources: readonly PolicyResource[],
  allowlist: readonly Cidr[] | undefined,
): FlowEnd[] {
  if (peer.kind === "group") {
    const groups = peer.property === "self" ? rule.groups : peer.groups;
    return groups.length > 0 ? groups.map(groupEnd) : [foreignEnd(rule.resource, peer.property)];
  }
  const text = typeof peer.cidr === "string" ? peer.cidr : undefined;
  const origin = originOf(peer, vpcs, resources);
  const cidr = text === undefined ? undefined : parseCidr(text);
  const at = (kind: EndKind, label: string): FlowEnd => ({
    kind,
    id: `${kind}:${text ?? `${rule.resource.urn}:${peer.property}`}`,
    label,
  });
  if (origin === "inside") {
    return [at("vpc", `vpc ${text ?? `(${peer.property} built from the VPC)`}`)];
  }
  if (origin === "world") {
    return [at("internet", `internet ${text}`)];
  }
  if (!cidr) {
    const what =
      peer.kind === "prefix-list"
        ? "prefix list"
        : text === undefined
          ? "computed block"
          : "unparseable block";
    return [at("unplaced", `${what} ${text ?? `(${peer.property} of "${rule.resource.name}")`}`)];
  }
  if (privateBlocks.some((p) => cidrContains(p, cidr))) {
    return [at("other-network", `other network ${text}`)];
  }
  if (allowlist?.some((a) => cidrContains(a, cidr))) {
    return [at("allowlist", `allowlist ${text}`)];
  }
  return [allowlist ? at("public", `public ${text}`) : at("allowlist", `allowlist ${text}`)];
}

/** A rule of any style with its description: inline entries carry their own. */
export interface ReachRule extends NetRule {
  readonly description: Read<string>;
}

const why = ({ description }: ReachRule) =>
  description === UNKNOWN
    ? "description unknown at preview"
    : description === undefined || description.trim() === ""
      ? "no description"
      : description;

/** The flows one rule allows, each with the rule responsible. */
function ruleFlows(
  rule: ReachRule,
  vpcs: readonly VpcInfo[],
  resources: readonly PolicyResource[],
  allowlist: readonly Cidr[] | undefined,
): Flow[] {
  // A rule not tied to any group of the stack opens a group the stack does not declare.
  const own =
    rule.groups.length > 0 ? rule.groups.map(groupEnd) : [foreignEnd(rule.resource, "securityGroupId")];
  const flows: Flow[] = [];
  for (const peer of rule.peers) {
    for (const far of peerEnds(rule, peer, vpcs, resources, allowlist)) {
      for (const near of own) {
        if (rule.direction !== "egress") {
          flows.push({ source: far, destination: near, rule, why: why(rule) });
        } else if (far.kind !== "group") {
          flows.push({ source: near, destination: far, rule, why: why(rule) });
        }
      }
    }
  }
  return flows;
}

/** Builds the reachability model of a stack from its resources (see the assumptions above). */
export function reachGraph(resources: readonly PolicyResource[], options: ReachOptions = {}): ReachGraph {
  const vpcs = stackVpcs(resources);
  const allowlist = options.allowlist?.map(parseCidr).filter((c): c is Cidr => c !== undefined);
  const members = stackMembers(resources);
  const securityGroups = resources.filter(
    (r) => r.type === NetType.securityGroup || r.type === NetType.defaultSecurityGroup,
  );
  const groups = securityGroups.map((group): ReachGroup => {
    const role = readTag(group.props, TAG_ROLE);
    const modes = groupVpcs(group, vpcs).map((v) => readTag(v.resource.props, TAG_ACCESS_MODE));
    const attached = members.filter((m) => overlaps(m.groups, [group]));
    return {
      resource: group,
      role,
      modes,
      members: attached,
      exposure: groupExposure(group, attached, resources, isEntryRole(role, modes)),
    };
  });
  const standalone = stackRules(resources).map((rule): ReachRule => ({
    ...rule,
    description: readString(rule.resource.props, "description"),
  }));
  const rules = [...standalone, ...securityGroups.flatMap(inlineRules)];
  return { vpcs, groups, flows: rules.flatMap((rule) => ruleFlows(rule, vpcs, resources, allowlist)) };
}
