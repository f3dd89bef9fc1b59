// The stack as the NET access-path policies see it: resource types, the tag conventions every
// component follows, links between resources and the VPCs' address blocks (firewall rules are in
// net-rules.ts). Links come only from `propertyDependencies`, the engine's record of which resources
// an input was built from; computed IDs are unknown at a first preview and are never compared
// (POL-2).
import type { PolicyResource } from "@pulumi/policy";
import { AwsType } from "./firewall-rule";
import { Cidr, parseCidr } from "./net-cidr";
import { Props, Read, UNKNOWN, readList, readString, readValue } from "./props";

/** Resource type tokens the NET access-path policies look at, beyond the rule types. */
export const NetType = {
  ...AwsType,
  vpc: "aws:ec2/vpc:Vpc",
  vpcCidrAssociation: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
  route: "aws:ec2/route:Route",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  egressOnlyInternetGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
  natGateway: "aws:ec2/natGateway:NatGateway",
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

/**
 * Tag keys the components set and the policies read. Mirrors components/tenant/tags.ts and
 * components/network/subnet-plan.ts (pinned by net-stack.test.ts): the pack is built from policies/src alone,
 * so it cannot import them.
 */
export const TAG_ROLE = "moat:role";
/** Subnet and route table tier: public, management, compute or storage. */
export const TAG_TIER = "moat:tier";
/** The VPC's access mode: bastion, direct or ssm (NET-7). */
export const TAG_ACCESS_MODE = "moat:access-mode";

/** The `moat:role` values a security group may carry. */
export const SECURITY_GROUP_ROLES = [
  "bastion",
  "head",
  "compute",
  "cluster",
  "endpoint",
  "storage",
  "quarantine",
] as const;

/** Reads one key of a resource's `tags` map; an unknown map reads as UNKNOWN. */
export function readTag(props: Props, key: string): Read<string> {
  const tags = readValue(props, "tags");
  if (tags === UNKNOWN) {
    return UNKNOWN;
  }
  return typeof tags === "object" && tags !== null ? readString(tags as Props, key) : undefined;
}

/** The resources of the given types that `property` of `resource` was built from. */
export function linked(resource: PolicyResource, property: string, ...types: string[]): PolicyResource[] {
  return (resource.propertyDependencies[property] ?? []).filter((r) => types.includes(r.type));
}

/**
 * True when `property` is declared: built from another resource, or given a value. The link is
 * consulted first, so a computed ID is never read just to learn that it is there.
 */
export function declared(
  resource: Pick<PolicyResource, "props" | "propertyDependencies">,
  property: string,
): boolean {
  return (
    (resource.propertyDependencies[property]?.length ?? 0) > 0 ||
    readValue(resource.props, property) !== undefined
  );
}

/** True when the two lists share a resource (compared by URN). */
export const overlaps = (a: readonly PolicyResource[], b: readonly PolicyResource[]) =>
  a.some((x) => b.some((y) => x.urn === y.urn));

/** Reads element `i` of a list without touching the others through the SDK's proxy. */
export const elementAt = (list: readonly unknown[], i: number) =>
  readValue(list as unknown as Props, String(i));

/** Types a rule's group reference may be built from. */
export const GROUP_TYPES = [NetType.securityGroup, NetType.defaultSecurityGroup];

/**
 * A node's `moat:role`: its own tags, or for a launch template without one, the tags it gives the
 * instances it launches (`tagSpecifications` for resourceType "instance").
 */
export function nodeRole(type: string, props: Props): Read<string> {
  const own = readTag(props, TAG_ROLE);
  if (own !== undefined || type !== NetType.launchTemplate) {
    return own;
  }
  const specs = readList(props, "tagSpecifications");
  if (specs === UNKNOWN) {
    return UNKNOWN;
  }
  for (let i = 0; i < (specs?.length ?? 0); i++) {
    const spec = elementAt(specs ?? [], i);
    if (
      typeof spec === "object" &&
      spec !== null &&
      readString(spec as Props, "resourceType") === "instance"
    ) {
      return readTag(spec as Props, TAG_ROLE);
    }
  }
  return undefined;
}

/** A VPC of the stack and the IPv4/IPv6 blocks it declares as literals. */
export interface VpcInfo {
  readonly resource: PolicyResource;
  readonly cidrs: readonly Cidr[];
}

/** Every VPC of the stack with its literal blocks, secondary IPv4 associations included. */
export function stackVpcs(resources: readonly PolicyResource[]): VpcInfo[] {
  const literal = (props: Props, key: string) => {
    const value = readString(props, key);
    return typeof value === "string" ? parseCidr(value) : undefined;
  };
  return resources
    .filter((r) => r.type === NetType.vpc)
    .map((vpc) => {
      const secondary = resources
        .filter(
          (r) => r.type === NetType.vpcCidrAssociation && overlaps(linked(r, "vpcId", NetType.vpc), [vpc]),
        )
        .map((r) => literal(r.props, "cidrBlock"));
      const cidrs = [literal(vpc.props, "cidrBlock"), literal(vpc.props, "ipv6CidrBlock"), ...secondary];
      return { resource: vpc, cidrs: cidrs.filter((c): c is Cidr => c !== undefined) };
    });
}

/** The VPCs a security group is linked to; a group linked to none is judged against all of them. */
export function groupVpcs(group: PolicyResource, vpcs: readonly VpcInfo[]): VpcInfo[] {
  const own = linked(group, "vpcId", NetType.vpc);
  const matched = vpcs.filter((v) => overlaps(own, [v.resource]));
  return matched.length > 0 ? matched : [...vpcs];
}

/** A group's `moat:role` for messages: `"head" (moat:role head)`, or that it has none. */
export function describeGroup(group: PolicyResource): string {
  const role = readTag(group.props, TAG_ROLE);
  const what =
    typeof role === "string" ? `moat:role ${role}` : role === UNKNOWN ? "moat:role unknown" : "no moat:role";
  return `security group "${group.name}" (${what})`;
}
