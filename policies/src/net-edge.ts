// NET policies on the edges of a tenant's network: no connection to another network (NET-4),
// no public address on compute nodes and no internet route from compute or storage subnets
// (NET-5, NET-8). Routes are tied to tables, tables to subnets and routes to gateways through
// property dependencies, never through the IDs the cloud computes.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { NetType, TAG_TIER, declared, elementAt, linked, nodeRole, overlaps, readTag } from "./net-stack";
import {
  Props,
  Read,
  UNKNOWN,
  forTypes,
  notApplicableQuietly,
  readBoolean,
  readList,
  readString,
  readValue,
} from "./props";

/** Resource types that connect a VPC to another network: peering, transit gateways, VPN, Cloud WAN. */
export const CROSS_NETWORK_TYPES: readonly string[] = [
  "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
  "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
  "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions",
  "aws:ec2/transitGatewayPeeringAttachmentAccepter:TransitGatewayPeeringAttachmentAccepter",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
  "aws:ec2transitgateway/peeringAttachment:PeeringAttachment",
  "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter",
  "aws:ec2transitgateway/connect:Connect",
  "aws:ec2/vpnConnection:VpnConnection",
  "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
  "aws:ec2/vpnGateway:VpnGateway",
  "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment",
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
  "aws:ec2/customerGateway:CustomerGateway",
  "aws:networkmanager/vpcAttachment:VpcAttachment",
];

// Route targets that lead into another network whatever their value, so presence decides.
const CROSS_NETWORK_TARGETS = ["vpcPeeringConnectionId", "transitGatewayId", "coreNetworkArn"] as const;

function crossNetworkTargets(route: Props): string[] {
  const targets: string[] = CROSS_NETWORK_TARGETS.filter((key) => readValue(route, key) !== undefined);
  const gateway = readString(route, "gatewayId");
  if (typeof gateway === "string" && gateway.startsWith("vgw-")) {
    targets.push("gatewayId (a VPN gateway)");
  }
  return targets;
}

/**
 * NET-4: nothing in the stack joins the tenant's VPC to another network. A tenant reaches its
 * cluster over SSH or Session Manager, so no such link is needed, and each one could carry
 * traffic to another tenant's cluster.
 */
export const netVpcCrossNetworkLinksAbsent: ResourceValidationPolicy = {
  name: "net-vpc-cross-network-links-absent",
  description:
    "Checks that the stack declares no VPC peering, transit gateway attachment, VPN or Cloud WAN attachment, and no route to one, so no path leads from one tenant's cluster to another's (NET-4).",
  validateResource: forTypes(
    [...CROSS_NETWORK_TYPES, NetType.route, NetType.routeTable, NetType.defaultRouteTable],
    (args, reportViolation) => {
      if (CROSS_NETWORK_TYPES.includes(args.type)) {
        const kind = args.type.slice(args.type.lastIndexOf(":") + 1);
        reportViolation(
          `Remove ${kind} "${args.name}": a tenant's VPC connects to no other network, so no path leads to another tenant's cluster (NET-4).`,
        );
        return;
      }
      if (args.type === NetType.route) {
        for (const target of crossNetworkTargets(args.props)) {
          reportViolation(`Remove route "${args.name}": its ${target} leads into another network (NET-4).`);
        }
        return;
      }
      const routes = readList(args.props, "routes");
      for (let i = 0; i < (routes === UNKNOWN ? 0 : (routes?.length ?? 0)); i++) {
        const entry = elementAt(routes as readonly unknown[], i);
        const targets =
          typeof entry === "object" && entry !== null
            ? crossNetworkTargets(entry as Props)
            : ["value (unknown at preview)"];
        for (const target of targets) {
          reportViolation(
            `Remove routes[${i}] from route table "${args.name}": its ${target} leads into another network or cannot be verified (NET-4).`,
          );
        }
      }
    },
  ),
};

// True unless the flag is a literal false (or "false": launch templates take it as a string).
const mayBeTrue = (value: Read<unknown>) => value !== undefined && value !== false && value !== "false";

/**
 * NET-5: compute nodes get no public address. A role or a flag that is unknown at preview is
 * checked as if it were compute and true: unknown never passes (POL-2).
 */
export const netComputeNoPublicIp: ResourceValidationPolicy = {
  name: "net-compute-no-public-ip",
  description:
    "Checks that instances and launch templates tagged moat:role compute never associate a public IP address, on the instance or on any network interface (NET-5).",
  validateResource: forTypes([NetType.instance, NetType.launchTemplate], (args, reportViolation) => {
    const role = nodeRole(args.type, args.props);
    if (role !== "compute" && role !== UNKNOWN) {
      notApplicableQuietly(args, "Policy only applies to compute nodes");
    }
    const kind = args.type === NetType.instance ? "instance" : "launch template";
    const fix = (property: string) =>
      `Set ${property} of compute ${kind} "${args.name}" to false or leave it out: compute nodes have no public IP and leave the VPC only through NAT (NET-5).`;
    if (args.type === NetType.instance) {
      if (mayBeTrue(readBoolean(args.props, "associatePublicIpAddress"))) {
        reportViolation(fix("associatePublicIpAddress"));
      }
      return;
    }
    const interfaces = readList(args.props, "networkInterfaces");
    if (interfaces === UNKNOWN) {
      reportViolation(
        `Declare networkInterfaces of compute launch template "${args.name}" as a literal list: it is unknown at preview, so this policy cannot rule out a public IP (NET-5, POL-2).`,
      );
      return;
    }
    for (let i = 0; i < (interfaces?.length ?? 0); i++) {
      const nic = elementAt(interfaces ?? [], i);
      for (const key of ["associatePublicIpAddress", "associateCarrierIpAddress"]) {
        const value = typeof nic === "object" && nic !== null ? readValue(nic as Props, key) : UNKNOWN;
        if (mayBeTrue(value)) {
          reportViolation(fix(`networkInterfaces[${i}].${key}`));
        }
      }
    }
  }),
};

/** What a route leads to, as far as NET-5 and NET-8 care. */
type RouteTarget = "internet" | "nat" | "other" | "unverifiable";

// Targets with their own property: present means that kind of target, whatever the value.
const EGRESS_KEYS: readonly (readonly [string, RouteTarget])[] = [
  ["carrierGatewayId", "internet"],
  ["natGatewayId", "nat"],
  ["egressOnlyGatewayId", "nat"],
  ["networkInterfaceId", "nat"],
];

// `gatewayId` holds an internet gateway, a VPN gateway or "local": a link or a literal prefix
// tells them apart, and a computed value linked to nothing cannot be placed. The links are
// consulted before any value, so a computed ID is read only when nothing explains it.
function routeTarget(
  route: Props,
  isDeclared: (key: string) => boolean,
  linksOf: (key: string) => readonly PolicyResource[],
): RouteTarget {
  if (isDeclared("gatewayId")) {
    const links = linksOf("gatewayId");
    if (links.some((d) => d.type === NetType.internetGateway)) {
      return "internet";
    }
    if (links.length === 0) {
      const gateway = readString(route, "gatewayId");
      if (gateway === UNKNOWN) {
        return "unverifiable";
      }
      if (typeof gateway === "string" && gateway.startsWith("igw-")) {
        return "internet";
      }
    }
  }
  const egress = EGRESS_KEYS.find(([key]) => isDeclared(key));
  return egress ? egress[1] : "other";
}

interface LabeledRoute {
  readonly label: string;
  readonly target: RouteTarget;
  readonly urn: string;
}

// Standalone routes linked to the table, then its inline entries. An unknown `routes` list is
// the provider's computed echo of a table that declares none; a declared list has a known length.
function routesOf(table: PolicyResource, resources: readonly PolicyResource[]): LabeledRoute[] {
  const standalone = resources
    .filter((r) => r.type === NetType.route && overlaps(linked(r, "routeTableId", table.type), [table]))
    .map((r) => ({
      label: `route "${r.name}"`,
      target: routeTarget(
        r.props,
        (key) => declared(r, key),
        (key) => r.propertyDependencies[key] ?? [],
      ),
      urn: r.urn,
    }));
  const list = readList(table.props, "routes");
  const inline: LabeledRoute[] = [];
  for (let i = 0; i < (list === UNKNOWN ? 0 : (list?.length ?? 0)); i++) {
    const entry = elementAt(list as readonly unknown[], i);
    const target =
      typeof entry === "object" && entry !== null
        ? routeTarget(
            entry as Props,
            (key) => readValue(entry as Props, key) !== undefined,
            () => table.propertyDependencies["routes"] ?? [],
          )
        : "unverifiable";
    inline.push({ label: `routes[${i}]`, target, urn: table.urn });
  }
  return [...standalone, ...inline];
}

/**
 * NET-5, NET-8: compute subnets reach the internet only through NAT, storage subnets not at all.
 * A subnet without an explicit table would use the VPC's main table, which the stack does not
 * describe, so it must be associated with one of the stack's tables.
 */
export const netPrivateSubnetsNoInternetRoute: StackValidationPolicy = {
  name: "net-private-subnets-no-internet-route",
  description:
    "Checks that route tables of compute subnets have no route to an internet gateway and route tables of storage subnets route nothing to the internet, not even through NAT (NET-5, NET-8).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    for (const subnet of resources.filter((r) => r.type === NetType.subnet)) {
      const tier = readTag(subnet.props, TAG_TIER);
      if (tier === UNKNOWN) {
        reportViolation(
          `Set the ${TAG_TIER} tag of subnet "${subnet.name}" to a literal value: it is unknown at preview, so this policy cannot tell whether the subnet may reach the internet (NET-5, POL-2).`,
          subnet.urn,
        );
        continue;
      }
      if (tier !== "compute" && tier !== "storage") {
        continue;
      }
      const tables = resources
        .filter(
          (r) =>
            r.type === NetType.routeTableAssociation &&
            overlaps(linked(r, "subnetId", NetType.subnet), [subnet]),
        )
        .flatMap((r) => linked(r, "routeTableId", NetType.routeTable, NetType.defaultRouteTable));
      if (tables.length === 0) {
        reportViolation(
          `Associate ${tier} subnet "${subnet.name}" with a route table of this stack: otherwise it uses the VPC's main route table, whose routes this policy cannot see (NET-5).`,
          subnet.urn,
        );
      }
      const refused: RouteTarget[] = tier === "compute" ? ["internet"] : ["internet", "nat"];
      for (const table of tables) {
        const where = `route table "${table.name}" of ${tier} subnet "${subnet.name}"`;
        for (const route of routesOf(table, resources)) {
          if (route.target === "unverifiable") {
            reportViolation(
              `Build the target of ${route.label} from a gateway of this stack or a literal: it is unknown at preview and linked to no gateway, so this policy cannot tell whether ${where} reaches the internet (NET-5, POL-2).`,
              route.urn,
            );
          } else if (refused.includes(route.target)) {
            reportViolation(
              tier === "compute"
                ? `Remove ${route.label} from ${where}: compute nodes leave the VPC only through NAT, never through an internet gateway (NET-5).`
                : `Remove ${route.label} from ${where}: storage routes nothing to the internet, not even through NAT (NET-5, NET-8).`,
              route.urn,
            );
          }
        }
      }
    }
  },
};
