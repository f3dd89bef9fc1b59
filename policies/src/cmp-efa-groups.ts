// CMP-1 on how compute groups are placed and sized: a cluster placement group for every EFA
// template, one subnet per Auto Scaling group, an exact size and no silent instance refresh.
// Groups, templates, subnets and placement groups are tied together through property
// dependencies, never through the names and IDs the cloud computes (POL-2).
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  EfaType,
  computeGroups,
  groupTemplates,
  launchRole,
  linkedPlacementGroups,
  mayBeCompute,
  placementReference,
  templateEfa,
} from "./cmp-efa-nodes";
import { linked, overlaps } from "./net-stack";
import { UNKNOWN, readList, readNumber, readString, readValue } from "./props";

const groupLabel = (group: PolicyResource) => `compute Auto Scaling group "${group.name}"`;

const LABELS: Readonly<Record<string, string>> = {
  [EfaType.launchTemplate]: "compute launch template",
  [EfaType.autoscalingGroup]: "compute Auto Scaling group",
  [EfaType.instance]: "compute instance",
};

const label = (resource: PolicyResource) => `${LABELS[resource.type]} "${resource.name}"`;

/** A compute resource and the property through which it names its placement group. */
interface PlacementSource {
  readonly resource: PolicyResource;
  readonly property: "placement" | "placementGroup";
}

function placementSources(resources: readonly PolicyResource[]): PlacementSource[] {
  const groups = computeGroups(resources);
  return resources.flatMap((r): PlacementSource[] => {
    if (r.type === EfaType.launchTemplate && mayBeCompute(launchRole(r))) {
      return [{ resource: r, property: "placement" }];
    }
    if (r.type === EfaType.instance && mayBeCompute(launchRole(r))) {
      return [{ resource: r, property: "placementGroup" }];
    }
    return groups.includes(r) ? [{ resource: r, property: "placementGroup" }] : [];
  });
}

// The groups and instances of the stack that launch `template`.
function launchersOf(template: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter(
    (r) =>
      (r.type === EfaType.autoscalingGroup && overlaps(groupTemplates(r), [template])) ||
      (r.type === EfaType.instance &&
        overlaps(linked(r, "launchTemplate", EfaType.launchTemplate), [template])),
  );
}

/**
 * CMP-1: EFA nodes of one group sit in one cluster placement group. A compute template with EFA
 * interfaces names one in `placement`, or every group and instance launching it names one in
 * `placementGroup`; every placement group a compute resource names has strategy "cluster". A
 * group named by a literal or a value from outside the stack cannot be checked and is refused.
 */
export const cmpPlacementGroupClusterStrategy: StackValidationPolicy = {
  name: "cmp-placement-group-cluster-strategy",
  description:
    'Checks that every compute launch template with EFA interfaces launches into a placement group of this stack (its own placement or that of every group launching it), and that every placement group compute nodes use has strategy "cluster" (CMP-1).',
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const used = new Map<string, { group: PolicyResource; user: PolicyResource }>();
    for (const { resource, property } of placementSources(resources)) {
      const reference = placementReference(resource, property);
      const where = property === "placement" ? "placement.groupName" : "placementGroup";
      if (reference === "foreign") {
        reportViolation(
          `Build ${where} of ${label(resource)} from a placement group of this stack (its name output): a literal or external name cannot be checked for the "cluster" strategy (CMP-1).`,
          resource.urn,
        );
      }
      for (const group of linkedPlacementGroups(resource, property)) {
        if (!used.has(group.urn)) {
          used.set(group.urn, { group, user: resource });
        }
      }
    }
    for (const { group, user } of used.values()) {
      const strategy = readString(group.props, "strategy");
      if (strategy === UNKNOWN) {
        reportViolation(
          `Set strategy of placement group "${group.name}" to a literal "cluster": it is unknown at preview, so this policy cannot verify it (CMP-1, POL-2).`,
          group.urn,
        );
      } else if (strategy !== "cluster") {
        reportViolation(
          `Set strategy of placement group "${group.name}" to "cluster", not ${strategy === undefined ? "unset" : `"${strategy}"`}: ${label(user)} launches into it, and EFA traffic needs its nodes close together on one network spine (CMP-1).`,
          group.urn,
        );
      }
    }
    for (const template of resources.filter((r) => r.type === EfaType.launchTemplate)) {
      if (!mayBeCompute(launchRole(template)) || templateEfa(template.props) === "no") {
        continue;
      }
      if (placementReference(template, "placement") !== "absent") {
        continue;
      }
      const launchers = launchersOf(template, resources);
      const unplaced = launchers.filter((r) => placementReference(r, "placementGroup") === "absent");
      if (launchers.length === 0 || unplaced.length > 0) {
        const who = unplaced.length > 0 ? `: ${unplaced.map((r) => `"${r.name}"`).join(", ")} name none` : "";
        reportViolation(
          `Launch the nodes of ${label(template)} into a cluster placement group: set placement.groupName to the group's name output, or placementGroup on every Auto Scaling group and instance that launches it${who} (CMP-1).`,
          template.urn,
        );
      }
    }
  },
};

/**
 * CMP-1: all nodes of a compute group share one subnet, hence one availability zone, as a cluster
 * placement group and EFA require. A literal list must have one element; a list computed as a
 * whole must be built from exactly one subnet of the stack.
 */
export const cmpAutoscalingGroupSingleSubnet: StackValidationPolicy = {
  name: "cmp-autoscaling-group-single-subnet",
  description:
    "Checks that every compute Auto Scaling group launches into exactly one subnet: vpcZoneIdentifiers a literal list of one element, or built from one subnet of the stack (CMP-1).",
  validateStack: (args, reportViolation) => {
    for (const group of computeGroups(args.resources)) {
      const list = readList(group.props, "vpcZoneIdentifiers");
      const subnets = linked(group, "vpcZoneIdentifiers", EfaType.subnet);
      const count = list === UNKNOWN ? subnets.length : (list?.length ?? 0);
      if (count !== 1) {
        const now =
          list === UNKNOWN
            ? `it is computed from ${subnets.length} subnets of this stack`
            : count === 0
              ? "it names none"
              : `it names ${count}`;
        reportViolation(
          `Set vpcZoneIdentifiers of ${groupLabel(group)} to exactly one subnet (${now}): the nodes of an EFA group share one availability zone and one cluster placement group (CMP-1).`,
          group.urn,
        );
      }
    }
  },
};

/**
 * CMP-1: a compute group is sized exactly to its node count, so AWS never adds or removes nodes
 * of a running training job on its own. Sizes must be literals: a computed size cannot be compared.
 */
export const cmpAutoscalingGroupFixedSize: StackValidationPolicy = {
  name: "cmp-autoscaling-group-fixed-size",
  description:
    "Checks that every compute Auto Scaling group has literal minSize, maxSize and desiredCapacity, all equal to its node count (CMP-1).",
  validateStack: (args, reportViolation) => {
    for (const group of computeGroups(args.resources)) {
      const sizes = (["minSize", "maxSize", "desiredCapacity"] as const).map((key) => ({
        key,
        value: readNumber(group.props, key),
      }));
      const unreadable = sizes.filter((s) => s.value === UNKNOWN || s.value === undefined);
      if (unreadable.length > 0) {
        reportViolation(
          `Set ${unreadable.map((s) => s.key).join(", ")} of ${groupLabel(group)} to the group's node count as a literal: ${unreadable.length === 1 ? "it is" : "they are"} unset or unknown at preview, so this policy cannot verify that the group is sized exactly (CMP-1, POL-2).`,
          group.urn,
        );
        continue;
      }
      if (new Set(sizes.map((s) => s.value)).size > 1) {
        const now = sizes.map((s) => `${s.key} ${String(s.value)}`).join(", ");
        reportViolation(
          `Set minSize, maxSize and desiredCapacity of ${groupLabel(group)} to the same node count, not ${now}: a compute group is sized exactly, so AWS never adds or removes nodes behind a running job (CMP-1).`,
          group.urn,
        );
      }
    }
  },
};

/** Policy config of {@link cmpAutoscalingGroupNoInstanceRefresh}. */
export interface InstanceRefreshConfig {
  /**
   * Accept `instanceRefresh` on compute groups, for a tenant that wants rolling replacement.
   * @default false
   */
  readonly allowInstanceRefresh?: boolean;
}

/**
 * CMP-1: replacing training nodes is never a side effect of a template change. An instance
 * refresh would terminate running nodes, and their jobs, whenever the template changes.
 */
export const cmpAutoscalingGroupNoInstanceRefresh: StackValidationPolicy = {
  name: "cmp-autoscaling-group-no-instance-refresh",
  description:
    "Checks that no compute Auto Scaling group declares an instanceRefresh, so a template change never silently replaces nodes running training jobs; allowInstanceRefresh in the policy config accepts one (CMP-1).",
  configSchema: {
    properties: {
      allowInstanceRefresh: {
        type: "boolean",
        default: false,
        description: "Accept instanceRefresh on compute Auto Scaling groups.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    if (args.getConfig<InstanceRefreshConfig>().allowInstanceRefresh === true) {
      return;
    }
    for (const group of computeGroups(args.resources)) {
      const refresh = readValue(group.props, "instanceRefresh");
      if (refresh !== undefined) {
        reportViolation(
          `Remove instanceRefresh from ${groupLabel(group)}: it replaces running nodes, and kills their training jobs, whenever the launch template changes; replace nodes deliberately, or set allowInstanceRefresh in this policy's config (CMP-1).`,
          group.urn,
        );
      }
    }
  },
};
