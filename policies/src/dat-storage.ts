// NET-8 for the shared file system itself: its network interfaces (FSx's, or EFS's mount targets)
// sit in storage subnets behind storage security groups, whose rules net-groups.ts checks. Subnets
// and groups are linked through property dependencies, so a literal or external ID, which no
// policy can check, is refused (POL-2).
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DatType, FSX_TYPES, datLabel } from "./dat-types";
import { TAG_ROLE, TAG_TIER, linked, readTag } from "./net-stack";
import { UNKNOWN } from "./props";

/** Where one kind of resource names its subnets and security groups. */
interface Placement {
  readonly subnets: string;
  readonly groups: string;
}

const PLACEMENT: Readonly<Record<string, Placement>> = {
  ...Object.fromEntries(FSX_TYPES.map((t) => [t, { subnets: "subnetIds", groups: "securityGroupIds" }])),
  [DatType.efsMountTarget]: { subnets: "subnetId", groups: "securityGroups" },
};

function placementProblems(resource: PolicyResource, where: Placement): string[] {
  const label = datLabel(resource.type, resource.name);
  const problems: string[] = [];
  const subnets = linked(resource, where.subnets, DatType.subnet);
  if (subnets.length === 0) {
    problems.push(
      `Build ${where.subnets} of ${label} from the storage subnet of this stack (its id output): a literal or external subnet cannot be checked for the storage tier (NET-8).`,
    );
  }
  for (const subnet of subnets) {
    const tier = readTag(subnet.props, TAG_TIER);
    if (tier !== "storage") {
      const now =
        tier === UNKNOWN ? "a tier unknown at preview" : tier === undefined ? "no tier" : `tier ${tier}`;
      problems.push(
        `Place ${label} in a subnet tagged ${TAG_TIER} storage, not subnet "${subnet.name}" (${now}): the shared file system sits in storage subnets, which route nothing to the internet (NET-8).`,
      );
    }
  }
  const groups = linked(resource, where.groups, DatType.securityGroup);
  if (groups.length === 0) {
    problems.push(
      `Set ${where.groups} of ${label} to the storage security group of this stack (its id output): without it the file system uses the VPC's default group, or a group no policy can check (NET-8).`,
    );
  }
  for (const group of groups) {
    const role = readTag(group.props, TAG_ROLE);
    if (role !== "storage") {
      const now =
        role === UNKNOWN ? "a role unknown at preview" : role === undefined ? "no role" : `role ${role}`;
      problems.push(
        `Protect ${label} with the security group tagged ${TAG_ROLE} storage, not security group "${group.name}" (${now}): only the storage group admits nothing but filesystem ports from the cluster's nodes (NET-8).`,
      );
    }
  }
  return problems;
}

/**
 * NET-8: FSx file systems and EFS mount targets, the shared file system's only network presence,
 * sit in storage-tier subnets and carry only storage-role security groups.
 */
export const datFilesystemStorageIsolated: StackValidationPolicy = {
  name: "dat-filesystem-storage-isolated",
  description:
    "Checks that every FSx file system and EFS mount target is placed in subnets tagged moat:tier storage and protected only by security groups tagged moat:role storage, all of this stack (NET-8).",
  validateStack: (args, reportViolation) => {
    for (const resource of args.resources) {
      const where = PLACEMENT[resource.type];
      if (where !== undefined) {
        placementProblems(resource, where).forEach((m) => reportViolation(m, resource.urn));
      }
    }
  },
};
