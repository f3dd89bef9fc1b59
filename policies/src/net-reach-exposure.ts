// What each security group is attached to, and whether the internet can reach any of it: the half
// of the reachability model (net-reach-graph.ts) that looks past the rules at nodes, subnets, route
// tables and public addresses (NET-5, NET-6, NET-7). Attachments come only from property
// dependencies, so it decides while IDs are unknown (POL-2). A value unknown at preview makes the
// answer "possible", never "private": unknown never passes.
import type { PolicyResource } from "@pulumi/policy";
import { GROUP_TYPES, NetType, TAG_ROLE, elementAt, linked, nodeRole, overlaps, readTag } from "./net-stack";
import { Props, Read, UNKNOWN, readList, readString, readValue } from "./props";

/** Resource types a reachability member can be, beyond those in NetType. */
export const ReachType = {
  autoScalingGroup: "aws:autoscaling/group:Group",
  eip: "aws:ec2/eip:Eip",
  eipAssociation: "aws:ec2/eipAssociation:EipAssociation",
  networkInterface: "aws:ec2/networkInterface:NetworkInterface",
  vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  efsMountTarget: "aws:efs/mountTarget:MountTarget",
} as const;

/** FSx file system types: attached to groups through `securityGroupIds`, placed by `subnetIds`. */
export const FSX_FILESYSTEM_TYPES: readonly string[] = [
  "aws:fsx/lustreFileSystem:LustreFileSystem",
  "aws:fsx/ontapFileSystem:OntapFileSystem",
  "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
  "aws:fsx/windowsFileSystem:WindowsFileSystem",
];

/** A three-valued answer: "maybe" when a value the answer needs is unknown at preview. */
export type Tri = "yes" | "no" | "maybe";

/** Something a security group is attached to: a node, a node template, a filesystem or an endpoint. */
export interface Member {
  readonly resource: PolicyResource;
  /** `moat:role` of the node; "storage" for filesystems and mount targets, "endpoint" for endpoints. */
  readonly role: Read<string>;
  readonly groups: readonly PolicyResource[];
  readonly subnets: readonly PolicyResource[];
  /** Whether it gets a public address (its own flag, its subnet's default, or an Elastic IP). */
  readonly publicAddress: Tri;
  /** Why, when publicAddress is not "no", e.g. `Elastic IP "dev-bastion-eip"`. */
  readonly publicBecause?: string;
}

const either = (...answers: Tri[]): Tri =>
  answers.includes("yes") ? "yes" : answers.includes("maybe") ? "maybe" : "no";

// A public-address flag as written: launch templates take it as the string "true".
const flag = (value: Read<unknown>): Tri | undefined =>
  value === undefined
    ? undefined
    : value === UNKNOWN
      ? "maybe"
      : value === true || value === "true"
        ? "yes"
        : "no";

function subnetDefault(subnets: readonly PolicyResource[]): { tri: Tri; because?: string } {
  for (const subnet of subnets) {
    const tri = flag(readValue(subnet.props, "mapPublicIpOnLaunch")) ?? "no";
    if (tri !== "no") {
      return { tri, because: `mapPublicIpOnLaunch of subnet "${subnet.name}"` };
    }
  }
  return { tri: "no" };
}

// An Elastic IP (or its association) built from the node: a public address whatever the flags say.
function elasticIp(node: PolicyResource, resources: readonly PolicyResource[]): string | undefined {
  const eip = resources.find(
    (r) =>
      (r.type === ReachType.eip && overlaps(linked(r, "instance", node.type), [node])) ||
      (r.type === ReachType.eip && overlaps(linked(r, "networkInterface", node.type), [node])) ||
      (r.type === ReachType.eipAssociation &&
        overlaps(linked(r, "instanceId", node.type).concat(linked(r, "networkInterfaceId", node.type)), [
          node,
        ])),
  );
  return eip ? `Elastic IP "${eip.name}"` : undefined;
}

// Public-address flags of a launch template's interfaces; an unknown list or entry may be public.
function templateFlag(template: PolicyResource): { tri: Tri | undefined; because?: string } {
  const interfaces = readList(template.props, "networkInterfaces");
  if (interfaces === UNKNOWN) {
    return { tri: "maybe", because: `networkInterfaces of launch template "${template.name}"` };
  }
  const flags = Array.from({ length: interfaces?.length ?? 0 }, (_, i) => {
    const nic = elementAt(interfaces ?? [], i);
    return typeof nic === "object" && nic !== null
      ? flag(readValue(nic as Props, "associatePublicIpAddress"))
      : "maybe";
  }).filter((t): t is Tri => t !== undefined);
  const because = `networkInterfaces[].associatePublicIpAddress of launch template "${template.name}"`;
  return flags.length === 0 ? { tri: undefined } : { tri: either(...flags), because };
}

function instanceMember(node: PolicyResource, resources: readonly PolicyResource[]): Member {
  const subnets = linked(node, "subnetId", NetType.subnet);
  const own = flag(readValue(node.props, "associatePublicIpAddress"));
  const fallback =
    own === undefined
      ? subnetDefault(subnets)
      : { tri: own, because: `associatePublicIpAddress of instance "${node.name}"` };
  const eip = elasticIp(node, resources);
  return {
    resource: node,
    role: nodeRole(node.type, node.props),
    groups: [
      ...linked(node, "vpcSecurityGroupIds", ...GROUP_TYPES),
      ...linked(node, "securityGroups", ...GROUP_TYPES),
    ],
    subnets,
    publicAddress: eip ? "yes" : fallback.tri,
    publicBecause: eip ?? fallback.because,
  };
}

function templateMember(
  template: PolicyResource,
  subnets: readonly PolicyResource[],
  self = template,
): Member {
  const all = [...linked(template, "networkInterfaces", NetType.subnet), ...subnets];
  const own = templateFlag(template);
  const fallback = own.tri === undefined ? subnetDefault(all) : { tri: own.tri, because: own.because };
  return {
    resource: self,
    role: nodeRole(template.type, template.props),
    groups: ["vpcSecurityGroupIds", "securityGroupNames", "networkInterfaces"].flatMap((key) =>
      linked(template, key, ...GROUP_TYPES),
    ),
    subnets: all,
    publicAddress: fallback.tri,
    publicBecause: fallback.because,
  };
}

// Attachments that never take a public address: AWS gives filesystems and endpoints private ones.
function privateMember(
  resource: PolicyResource,
  role: Read<string>,
  groupKey: string,
  subnetKey: string,
): Member {
  return {
    resource,
    role,
    groups: linked(resource, groupKey, ...GROUP_TYPES),
    subnets: linked(resource, subnetKey, NetType.subnet),
    publicAddress: "no",
  };
}

/** Every member of the stack: what each security group is attached to, and where it sits. */
export function stackMembers(resources: readonly PolicyResource[]): Member[] {
  const members: Member[] = [];
  for (const r of resources) {
    if (r.type === NetType.instance) {
      members.push(instanceMember(r, resources));
    } else if (r.type === NetType.launchTemplate) {
      members.push(templateMember(r, []));
    } else if (r.type === ReachType.autoScalingGroup) {
      // A group launches its template's nodes into its own subnets.
      const subnets = linked(r, "vpcZoneIdentifiers", NetType.subnet);
      for (const template of [
        ...linked(r, "launchTemplate", NetType.launchTemplate),
        ...linked(r, "mixedInstancesPolicy", NetType.launchTemplate),
      ]) {
        members.push(templateMember(template, subnets, r));
      }
    } else if (r.type === ReachType.networkInterface) {
      const eip = elasticIp(r, resources);
      members.push({
        ...privateMember(r, readTag(r.props, TAG_ROLE), "securityGroups", "subnetId"),
        publicAddress: eip ? "yes" : "no",
        publicBecause: eip,
      });
    } else if (r.type === ReachType.efsMountTarget) {
      members.push(privateMember(r, "storage", "securityGroups", "subnetId"));
    } else if (FSX_FILESYSTEM_TYPES.includes(r.type)) {
      members.push(privateMember(r, "storage", "securityGroupIds", "subnetIds"));
    } else if (r.type === ReachType.vpcEndpoint) {
      members.push(privateMember(r, "endpoint", "securityGroupIds", "subnetIds"));
    }
  }
  return members;
}

// What a route leads to, by its links first; a computed target linked to nothing may be a gateway.
function routeToInternet(route: Props, links: (key: string) => readonly PolicyResource[]): Tri {
  if (links("gatewayId").some((g) => g.type === NetType.internetGateway)) {
    return "yes";
  }
  if (readValue(route, "carrierGatewayId") !== undefined) {
    return "yes";
  }
  if (links("gatewayId").length > 0) {
    return "no";
  }
  const gateway = readString(route, "gatewayId");
  return gateway === UNKNOWN
    ? "maybe"
    : typeof gateway === "string" && gateway.startsWith("igw-")
      ? "yes"
      : "no";
}

function tableToInternet(table: PolicyResource, resources: readonly PolicyResource[]): Tri {
  const standalone = resources
    .filter((r) => r.type === NetType.route && overlaps(linked(r, "routeTableId", table.type), [table]))
    .map((r) => routeToInternet(r.props, (key) => r.propertyDependencies[key] ?? []));
  // An unknown inline list is the provider's computed echo of a table that declares none.
  const list = readList(table.props, "routes");
  const inline = Array.from({ length: list === UNKNOWN ? 0 : (list?.length ?? 0) }, (_, i) => {
    const entry = elementAt(list as readonly unknown[], i);
    return typeof entry === "object" && entry !== null
      ? routeToInternet(entry as Props, () => table.propertyDependencies["routes"] ?? [])
      : "maybe";
  });
  return either(...standalone, ...inline);
}

/**
 * Whether a subnet routes to an internet gateway. A subnet with no association uses the VPC's main
 * route table: the stack's DefaultRouteTable when it declares one, otherwise unknown ("maybe").
 */
export function subnetToInternet(subnet: PolicyResource, resources: readonly PolicyResource[]): Tri {
  const tables = resources
    .filter(
      (r) =>
        r.type === NetType.routeTableAssociation && overlaps(linked(r, "subnetId", NetType.subnet), [subnet]),
    )
    .flatMap((r) => linked(r, "routeTableId", NetType.routeTable, NetType.defaultRouteTable));
  if (tables.length > 0) {
    return either(...tables.map((t) => tableToInternet(t, resources)));
  }
  const vpcs = linked(subnet, "vpcId", NetType.vpc);
  const main = resources.filter(
    (r) =>
      r.type === NetType.defaultRouteTable && overlaps(linked(r, "defaultRouteTableId", NetType.vpc), vpcs),
  );
  return main.length > 0 ? either(...main.map((t) => tableToInternet(t, resources))) : "maybe";
}

/** How a security group can be reached from the internet. */
export interface Exposure {
  /**
   * "public": a member has a public address in a subnet routed to an internet gateway;
   * "assumed": the group is the access mode's entry point (the bastion, or the head in direct mode),
   * internet-facing by design; "possible": a value unknown at preview leaves it open; "private": none.
   */
  readonly level: "public" | "assumed" | "possible" | "private";
  readonly because: string;
}

/** Decides a group's exposure from its members; `entryPoint` marks the access mode's entry point. */
export function groupExposure(
  group: PolicyResource,
  members: readonly Member[],
  resources: readonly PolicyResource[],
  entryPoint: boolean,
): Exposure {
  let possible: string | undefined;
  for (const member of members.filter((m) => overlaps(m.groups, [group]))) {
    const routed = either(...member.subnets.map((s) => subnetToInternet(s, resources)));
    // A member placed in no subnet of the stack lands in a subnet this model cannot see.
    const route = member.subnets.length === 0 ? "maybe" : routed;
    const where = `"${member.resource.name}" (${member.publicBecause ?? "public address"})`;
    if (member.publicAddress === "yes" && route === "yes") {
      return { level: "public", because: `${where} sits in a subnet routed to an internet gateway` };
    }
    if (member.publicAddress !== "no" && route !== "no") {
      possible ??= `${where} may get a public address in a subnet that may route to an internet gateway`;
    }
  }
  if (entryPoint) {
    return { level: "assumed", because: "the access mode's entry point, internet-facing by design" };
  }
  return possible
    ? { level: "possible", because: possible }
    : { level: "private", because: "no public path" };
}
