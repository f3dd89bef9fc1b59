// How the CMP-1 policies see compute nodes: the EFA interfaces of a launch template, the role of an
// Auto Scaling group, and the links between groups, templates and placement groups. Links come
// only from property dependencies; the IDs and names they carry may be unknown at a first preview
// (POL-2).
import type { PolicyResource } from "@pulumi/policy";
import { TAG_ROLE, elementAt, linked, nodeRole } from "./net-stack";
import { Props, Read, UNKNOWN, readList, readNumber, readString, readValue } from "./props";

/** Type tokens the CMP-1 policies read. */
export const EfaType = {
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  autoscalingGroup: "aws:autoscaling/group:Group",
  placementGroup: "aws:ec2/placementGroup:PlacementGroup",
  instance: "aws:ec2/instance:Instance",
  subnet: "aws:ec2/subnet:Subnet",
} as const;

/** The two EFA interface types: `efa` (EFA with ENA) and `efa-only`. */
export const EFA_INTERFACE_TYPES: readonly string[] = ["efa", "efa-only"];

/** One entry of a launch template's `networkInterfaces`, as far as CMP-1 cares. */
export interface TemplateInterface {
  /** Position in the list, for messages. */
  readonly position: number;
  /** `networkCardIndex`; AWS uses card 0 when it is left out. */
  readonly card: Read<number>;
  /** `interfaceType`: `efa`, `efa-only`, `interface`, or undefined for a plain ENA interface. */
  readonly type: Read<string>;
}

/**
 * The interfaces of a launch template, UNKNOWN when the list (or an entry) is unknown at
 * preview. Entries are read one index at a time, as array methods would read every element
 * through the SDK's proxy.
 */
export function templateInterfaces(props: Props): TemplateInterface[] | typeof UNKNOWN {
  const list = readList(props, "networkInterfaces");
  if (list === UNKNOWN) {
    return UNKNOWN;
  }
  const interfaces: TemplateInterface[] = [];
  for (let i = 0; i < (list?.length ?? 0); i++) {
    const entry = elementAt(list ?? [], i);
    if (entry === UNKNOWN || typeof entry !== "object" || entry === null) {
      return UNKNOWN;
    }
    const card = readNumber(entry as Props, "networkCardIndex");
    interfaces.push({
      position: i,
      card: card === undefined ? 0 : card,
      type: readString(entry as Props, "interfaceType"),
    });
  }
  return interfaces;
}

/** True when an interface's type is EFA or may be (unknown at preview). */
export const mayBeEfa = (nic: TemplateInterface) =>
  nic.type === UNKNOWN || EFA_INTERFACE_TYPES.includes(nic.type ?? "");

/**
 * Whether a launch template asks for EFA: "yes", "no", or "unknown" when its interfaces cannot
 * be read at preview (the policies then treat it as an EFA template: unknown never passes).
 */
export function templateEfa(props: Props): "yes" | "no" | "unknown" {
  const interfaces = templateInterfaces(props);
  if (interfaces === UNKNOWN) {
    return "unknown";
  }
  return interfaces.some(mayBeEfa) ? "yes" : "no";
}

/** True for a role that is compute, or unknown at preview and so possibly compute. */
export const mayBeCompute = (role: Read<string>) => role === "compute" || role === UNKNOWN;

/** The role of a launch template or instance: its own tags, or a template's instance tags. */
export const launchRole = (resource: Pick<PolicyResource, "type" | "props">) =>
  nodeRole(resource.type, resource.props);

/** Reads `moat:role` from an Auto Scaling group's `tags`, a list of `{ key, value }` entries. */
export function groupTagRole(props: Props): Read<string> {
  const tags = readList(props, "tags");
  if (tags === UNKNOWN) {
    return UNKNOWN;
  }
  for (let i = 0; i < (tags?.length ?? 0); i++) {
    const tag = elementAt(tags ?? [], i);
    if (tag === UNKNOWN || typeof tag !== "object" || tag === null) {
      return UNKNOWN;
    }
    const key = readString(tag as Props, "key");
    if (key === UNKNOWN) {
      return UNKNOWN;
    }
    if (key === TAG_ROLE) {
      return readString(tag as Props, "value");
    }
  }
  return undefined;
}

/** The launch templates of the stack an Auto Scaling group launches from. */
export function groupTemplates(group: PolicyResource): PolicyResource[] {
  return ["launchTemplate", "mixedInstancesPolicy"].flatMap((key) =>
    linked(group, key, EfaType.launchTemplate),
  );
}

/**
 * The role of the nodes an Auto Scaling group launches: its own `moat:role` tag, else the role of
 * the templates it launches from (compute when any of them is, UNKNOWN when any is unknown).
 */
export function groupRole(group: PolicyResource): Read<string> {
  const own = groupTagRole(group.props);
  if (own !== undefined) {
    return own;
  }
  const roles = groupTemplates(group).map(launchRole);
  return roles.find((r) => r === "compute") ?? roles.find((r) => r === UNKNOWN) ?? roles[0];
}

/** The Auto Scaling groups of the stack that launch compute nodes, or may (role unknown). */
export const computeGroups = (resources: readonly PolicyResource[]) =>
  resources.filter((r) => r.type === EfaType.autoscalingGroup && mayBeCompute(groupRole(r)));

/** The placement groups of the stack that `property` of `resource` was built from. */
export const linkedPlacementGroups = (resource: PolicyResource, property: string) =>
  linked(resource, property, EfaType.placementGroup);

/**
 * How `property` of `resource` names a placement group: "linked" to one of the stack, "absent",
 * or "foreign" (a literal or a value from outside the stack, which no policy can check).
 * For a template the name sits inside `placement`, as `groupName` or `groupId`.
 */
export function placementReference(
  resource: PolicyResource,
  property: "placement" | "placementGroup",
): "linked" | "absent" | "foreign" {
  if (linkedPlacementGroups(resource, property).length > 0) {
    return "linked";
  }
  const value = readValue(resource.props, property);
  if (property === "placementGroup" || !given(value)) {
    return given(value) ? "foreign" : "absent";
  }
  if (value === UNKNOWN || typeof value !== "object") {
    return "foreign";
  }
  const named = ["groupName", "groupId"].some((key) => given(readValue(value as Props, key)));
  return named ? "foreign" : "absent";
}

// Provider outputs echo unset nested strings as "", so an empty string counts as not given.
const given = (value: Read<unknown>) => value !== undefined && value !== "";
