// NET policies on security groups and the rules between them: role tags, outbound rules (NET-2),
// intra-cluster rules (NET-3), references that stay in the stack (NET-4) and storage isolation
// (NET-8). Rules are tied to groups through property dependencies, never through group IDs.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { NetRule, describePeer, inbound, stackRules } from "./net-rules";
import { NetType, SECURITY_GROUP_ROLES, TAG_ROLE, describeGroup, overlaps, readTag } from "./net-stack";
import { UNKNOWN, forTypes, readBoolean, readValue } from "./props";

const groupsOf = (resources: readonly PolicyResource[]) =>
  resources.filter((r) => r.type === NetType.securityGroup);

const hasRole = (group: PolicyResource, ...roles: string[]) => {
  const role = readTag(group.props, TAG_ROLE);
  return typeof role === "string" && roles.includes(role);
};

const attachedTo = (rule: NetRule, group: PolicyResource) => overlaps(rule.groups, [group]);

/**
 * NET-2, NET-3, NET-6, NET-7, NET-8: the other NET policies decide by a group's role, so a group
 * without a literal, known role would escape them.
 */
export const netSecurityGroupRoleTagged: ResourceValidationPolicy = {
  name: "net-security-group-role-tagged",
  description:
    "Checks that every security group carries a literal moat:role tag the NET policies know, so the rules for bastion, head, compute, cluster and storage groups apply to it (NET-2, NET-3, NET-6, NET-7, NET-8).",
  validateResource: forTypes([NetType.securityGroup], (args, reportViolation) => {
    const role = readTag(args.props, TAG_ROLE);
    const known = SECURITY_GROUP_ROLES.join(", ");
    if (role === UNKNOWN) {
      reportViolation(
        `Set the ${TAG_ROLE} tag of security group "${args.name}" to a literal value: it is unknown at preview, so the NET policies cannot tell which rules apply (POL-2).`,
      );
    } else if (role === undefined || !(SECURITY_GROUP_ROLES as readonly string[]).includes(role)) {
      reportViolation(
        `Tag security group "${args.name}" with ${TAG_ROLE} set to one of ${known}${role === undefined ? "" : ` instead of "${role}"`}: the NET policies decide by role (NET-2, NET-8).`,
      );
    }
  }),
};

/**
 * NET-2: node groups carry an explicit outbound rule, because the AWS provider deletes the
 * implicit allow-all rule AWS creates. Any egress rule counts, so a tenant's egress allowlist
 * passes too. Quarantine groups deny everything by design (NET-11) and are not node groups here.
 */
export const netNodeSecurityGroupEgressExplicit: StackValidationPolicy = {
  name: "net-node-security-group-egress-explicit",
  description:
    "Checks that every bastion, head, compute and cluster security group has a standalone egress rule, as the provider removes AWS's implicit allow-all (NET-2).",
  validateStack: (args, reportViolation) => {
    const egress = stackRules(args.resources).filter((r) => r.direction === "egress");
    for (const group of groupsOf(args.resources)) {
      if (
        hasRole(group, "bastion", "head", "compute", "cluster") &&
        !egress.some((r) => attachedTo(r, group))
      ) {
        reportViolation(
          `Add a standalone egress rule to ${describeGroup(group)}: an all-traffic aws.vpc.SecurityGroupEgressRule (ipProtocol "-1", cidrIpv4 "0.0.0.0/0") or the tenant's egress allowlist, as the provider removes AWS's implicit one and the nodes would have no outbound access (NET-2).`,
          group.urn,
        );
      }
    }
  },
};

/**
 * NET-3: nodes of one cluster reach each other on every port and protocol; EFA traffic needs it.
 * The self link is a `referencedSecurityGroupId` / `sourceSecurityGroupId` built from the group
 * itself, or a legacy rule's `self`.
 */
export const netClusterSecurityGroupSelfIngress: StackValidationPolicy = {
  name: "net-cluster-security-group-self-ingress",
  description:
    "Checks that every cluster security group has a self-referencing all-traffic ingress rule, so the nodes of one cluster reach each other on all ports and protocols (NET-3).",
  validateStack: (args, reportViolation) => {
    const rules = stackRules(args.resources).filter((r) => r.direction === "ingress");
    for (const group of groupsOf(args.resources).filter((g) => hasRole(g, "cluster"))) {
      const selfAll = rules.some(
        (r) =>
          attachedTo(r, group) &&
          r.protocol === "all" &&
          r.peers.some((p) => p.kind === "group" && overlaps(p.groups, [group])),
      );
      if (!selfAll) {
        reportViolation(
          `Add an all-traffic ingress rule from ${describeGroup(group)} to itself (aws.vpc.SecurityGroupIngressRule with ipProtocol "-1" and referencedSecurityGroupId set to the group's own id): cluster nodes must reach each other on every port, as EFA requires (NET-3).`,
          group.urn,
        );
      }
    }
  },
};

/**
 * NET-4: a rule is attached to, and references, only groups of this stack. A reference with no
 * dependency on a group of the stack is a literal `sg-...` or a value from outside the program:
 * another tenant's group or an external one, either way a path across the tenant boundary.
 */
export const netSecurityGroupReferencesOwnStack: StackValidationPolicy = {
  name: "net-security-group-references-own-stack",
  description:
    "Checks that every firewall rule is attached to and references only security groups of this stack, never a literal or external group ID (NET-4).",
  validateStack: (args, reportViolation) => {
    for (const rule of stackRules(args.resources)) {
      const { resource, label } = rule;
      if (rule.groups.length === 0 && readValue(resource.props, "securityGroupId") !== undefined) {
        reportViolation(
          `Attach ${label} to a security group of this stack by passing the group's id output: its securityGroupId does not come from a group in the stack, so it may open another tenant's group (NET-4).`,
          resource.urn,
        );
      }
      // A legacy `self` names the rule's own group, judged just above.
      const foreign = rule.peers.filter(
        (p) => p.kind === "group" && p.groups.length === 0 && p.property !== "self",
      );
      for (const peer of foreign) {
        reportViolation(
          `Reference a security group of this stack in ${peer.property} of ${label}: the referenced group does not come from this stack, so the rule crosses the tenant boundary (NET-4).`,
          resource.urn,
        );
      }
    }
  },
};

/** Filesystem ports NET-8 allows into storage: Lustre (988, 1018-1023) and NFS for EFS (2049). */
export const FILESYSTEM_PORT_RANGES: readonly (readonly [number, number])[] = [
  [988, 988],
  [1018, 1023],
  [2049, 2049],
];

function filesystemPortsOnly(rule: NetRule): boolean {
  const { protocol, fromPort, toPort } = rule;
  return (
    protocol === "tcp" &&
    typeof fromPort === "number" &&
    typeof toPort === "number" &&
    FILESYSTEM_PORT_RANGES.some(([from, to]) => from <= fromPort && toPort <= to)
  );
}

/**
 * URNs of the security groups of EFA-enabled FSx for Lustre file systems, linked through the file
 * system's `securityGroupIds` property dependencies; `efaEnabled` must be literally true.
 */
function efaLustreGroups(resources: readonly PolicyResource[]): Set<string> {
  const urns = new Set<string>();
  for (const fs of resources.filter((r) => r.type === "aws:fsx/lustreFileSystem:LustreFileSystem")) {
    if (readBoolean(fs.props, "efaEnabled") === true) {
      (fs.propertyDependencies.securityGroupIds ?? []).forEach((g) => urns.add(g.urn));
    }
  }
  return urns;
}

/**
 * NET-8: the shared filesystem's group admits only filesystem ports, and only from the cluster's
 * own head, compute and cluster groups (or itself: Lustre servers talk to each other).
 */
export const netStorageIngressFilesystemOnly: StackValidationPolicy = {
  name: "net-storage-ingress-filesystem-only",
  description:
    "Checks that storage security groups accept only filesystem ports (tcp 988 and 1018-1023 for Lustre, 2049 for NFS; all traffic only for EFA-enabled Lustre, as AWS requires) and only from the cluster's head, compute and cluster groups (NET-8).",
  validateStack: (args, reportViolation) => {
    const rules = inbound(stackRules(args.resources));
    const efaGroups = efaLustreGroups(args.resources);
    for (const group of groupsOf(args.resources).filter((g) => hasRole(g, "storage"))) {
      for (const rule of rules.filter((r) => attachedTo(r, group))) {
        const into = `${rule.label} into ${describeGroup(group)}`;
        // EFA-enabled Lustre needs all traffic with its clients and itself (AWS requires it); the
        // sources below must still be the cluster's own groups.
        if (!efaGroups.has(group.urn) && !filesystemPortsOnly(rule)) {
          reportViolation(
            `Narrow ${into} to tcp 988, 1018-1023 (Lustre) or 2049 (NFS): storage accepts only its filesystem's ports, and a protocol or range unknown at preview cannot be verified (NET-8).`,
            rule.resource.urn,
          );
        }
        for (const peer of rule.peers) {
          const allowed =
            peer.kind === "group" &&
            peer.groups.length > 0 &&
            peer.groups.every((g) => g.urn === group.urn || hasRole(g, "head", "compute", "cluster"));
          if (!allowed) {
            const source =
              peer.kind === "group"
                ? peer.groups.map(describeGroup).join(", ") || peer.property
                : describePeer(peer);
            reportViolation(
              `Replace the source ${source} of ${into} with the cluster's head, compute or cluster security group: storage accepts traffic only from the cluster's own nodes (NET-8).`,
              rule.resource.urn,
            );
          }
        }
      }
    }
  },
};
