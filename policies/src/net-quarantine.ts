// NET-11: a quarantined node group sits alone in a deny-all security group, tagged
// `moat:role = quarantine`: no inbound or outbound rule of any style, no rule elsewhere naming it
// as a peer, and no other group on the quarantined nodes. Rules and nodes are tied to groups
// through property dependencies, never through computed IDs (POL-2).
import type {
  Policies,
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { readItems, readLength } from "./aud-read";
import { NODE_TYPES, labelOf } from "./cmp-types";
import { stackRules } from "./net-rules";
import { GROUP_TYPES, NetType, TAG_ROLE, describeGroup, linked, readTag } from "./net-stack";
import { UNKNOWN, forTypes, readList } from "./props";

/** The `moat:role` of the deny-all group a quarantined node group is moved into. */
export const QUARANTINE_ROLE = "quarantine";

const NETWORK_INTERFACE = "aws:ec2/networkInterface:NetworkInterface";
const GROUP_ATTACHMENT =
  "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment";

/** True for a security group whose literal `moat:role` is quarantine. */
export const isQuarantine = (group: Pick<PolicyResource, "type" | "props">) =>
  group.type === NetType.securityGroup && readTag(group.props, TAG_ROLE) === QUARANTINE_ROLE;

/**
 * NET-11: a quarantine group declares no inline rule. Judged on inputs, where a group that
 * declares none has no `ingress` or `egress` at all; an empty list is deny-all too (NET-9's
 * policies ask for its removal), and a computed list may hold rules, so it fails.
 */
export const netQuarantineGroupNoInlineRules: ResourceValidationPolicy = {
  name: "net-quarantine-group-no-inline-rules",
  description:
    "Checks that every security group tagged moat:role quarantine declares no inline ingress or egress rules (NET-11).",
  validateResource: forTypes([NetType.securityGroup], (args, reportViolation) => {
    if (!isQuarantine(args)) {
      return;
    }
    for (const direction of ["ingress", "egress"] as const) {
      const rules = readList(args.props, direction);
      if (rules === UNKNOWN || (rules?.length ?? 0) > 0) {
        reportViolation(
          `Remove the inline ${direction} rules from quarantine security group "${args.name}": a quarantine group denies all traffic, so it carries no rule at all (NET-11).`,
        );
      }
    }
  }),
};

/**
 * NET-11: no standalone rule (aws.vpc ingress or egress rule, legacy aws.ec2.SecurityGroupRule)
 * is attached to a quarantine group or names it as its peer. A rule elsewhere that names it would
 * let the quarantined nodes reach, or be reached from, that group's members.
 */
export const netQuarantineGroupDenyAll: StackValidationPolicy = {
  name: "net-quarantine-group-deny-all",
  description:
    "Checks that no standalone firewall rule is attached to a security group tagged moat:role quarantine, and that no rule names such a group as its source or destination (NET-11).",
  validateStack: (args, reportViolation) => {
    const quarantines = args.resources.filter(isQuarantine);
    for (const rule of stackRules(args.resources)) {
      for (const group of quarantines) {
        if (rule.groups.some((g) => g.urn === group.urn)) {
          reportViolation(
            `Remove ${rule.label} from ${describeGroup(group)}: a quarantine group has no inbound or outbound rule, so the quarantined nodes can reach nothing and nothing can reach them (NET-11).`,
            rule.resource.urn,
          );
        }
        const peer = rule.peers.find((p) => p.kind === "group" && p.groups.some((g) => g.urn === group.urn));
        if (peer && !rule.groups.some((g) => g.urn === group.urn)) {
          reportViolation(
            `Remove ${describeGroup(group)} from ${peer.property} of ${rule.label}: a rule naming the quarantine group opens a path to or from the quarantined nodes (NET-11).`,
            rule.resource.urn,
          );
        }
      }
    }
  },
};

/** Properties of the node types and network interfaces that hold a list of security groups. */
const GROUP_LISTS = ["vpcSecurityGroupIds", "securityGroups", "securityGroupNames"];

// The number of group references in `node` that no dependency explains: literal IDs or names.
function unlinkedGroups(node: PolicyResource): number {
  const count = (property: string, declared: number | undefined) =>
    Math.max(0, (declared ?? 0) - linked(node, property, ...GROUP_TYPES).length);
  let unlinked = 0;
  for (const property of GROUP_LISTS) {
    // A computed list (the provider's echo of an unset property) holds no declared reference;
    // the dependencies below still show every group built from a resource.
    const length = readLength(node.props, property);
    unlinked += count(property, length === UNKNOWN ? undefined : length);
  }
  const interfaces = readItems(node.props, "networkInterfaces");
  if (interfaces !== UNKNOWN && interfaces !== undefined) {
    // Each interface lists its own groups, and a multi-card EFA template repeats the same ones on
    // every card; the dependencies name the distinct groups of all of them. So an interface with
    // more entries than linked groups holds a literal; the repeats across cards are not extra.
    const nested = interfaces.map((ni) => (typeof ni === "object" ? readLength(ni, "securityGroups") : 0));
    unlinked += Math.max(0, ...nested.map((n) => count("networkInterfaces", n === UNKNOWN ? 0 : n)));
  }
  return unlinked;
}

/** Every security group of the stack a node or interface is put in, by any property or attachment. */
function groupsOf(node: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const attached = resources
    .filter(
      (r) =>
        r.type === GROUP_ATTACHMENT &&
        linked(r, "networkInterfaceId", node.type).some((n) => n.urn === node.urn),
    )
    .flatMap((a) => linked(a, "securityGroupId", ...GROUP_TYPES));
  const own = Object.values(node.propertyDependencies)
    .flat()
    .filter((r) => (GROUP_TYPES as readonly string[]).includes(r.type));
  return [...new Map([...own, ...attached].map((g) => [g.urn, g])).values()];
}

/**
 * NET-11: a node (instance, launch template, launch configuration, spot request or network
 * interface) in a quarantine group is in no other group, so the deny-all group is its whole
 * posture: security groups are permissive unions, and any second group reopens its paths.
 */
export const netQuarantineNodeIsolated: StackValidationPolicy = {
  name: "net-quarantine-node-isolated",
  description:
    "Checks that every instance, launch template, launch configuration, spot request or network interface placed in a security group tagged moat:role quarantine is in no security group that is not one (NET-11).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    for (const node of resources.filter((r) => [...NODE_TYPES, NETWORK_INTERFACE].includes(r.type))) {
      const groups = groupsOf(node, resources);
      const quarantine = groups.find(isQuarantine);
      if (!quarantine) {
        continue;
      }
      const label =
        node.type === NETWORK_INTERFACE ? `network interface "${node.name}"` : labelOf(node.type, node.name);
      // Several quarantine groups together still allow nothing (an EFA group and its node group).
      const others = groups.filter((g) => !isQuarantine(g)).map(describeGroup);
      const attachedLiterals = resources.filter(
        (r) =>
          r.type === GROUP_ATTACHMENT &&
          linked(r, "networkInterfaceId", node.type).some((n) => n.urn === node.urn) &&
          linked(r, "securityGroupId", ...GROUP_TYPES).length === 0,
      ).length;
      const unlinked = unlinkedGroups(node) + attachedLiterals;
      if (unlinked > 0) {
        others.push(`${unlinked} security group${unlinked === 1 ? "" : "s"} given by literal ID or name`);
      }
      if (others.length > 0) {
        reportViolation(
          `Leave ${label} in quarantine security groups only, such as ${describeGroup(quarantine)}: it is also in ${others.join(", ")}, which keeps paths to and from the quarantined nodes open (NET-11).`,
          node.urn,
        );
      }
    }
  },
};

/** The NET-11 quarantine policies, in report order. */
export const netQuarantinePolicies: Policies = [
  netQuarantineGroupNoInlineRules,
  netQuarantineGroupDenyAll,
  netQuarantineNodeIsolated,
];
