/**
 * How much of each counted quota the fleet uses per account and region, taken from what the stacks
 * registered: resources are counted, Auto Scaling groups multiply their launch template's network
 * interfaces and vCPUs by their size.
 */
import type { RecordedResource } from "../plan/types";
import { distinct, inputOf, numberInput } from "./placement";
import type { QuotaId } from "./quotas";
import type { FleetStack } from "./types";

/** What the fleet checks need of an instance type (components/compute-group/instance-catalogue.ts). */
export interface InstanceFacts {
  readonly vcpus: number;
  readonly networkCards: number;
}

/** Looks up an instance type; undefined when the catalogue does not know it. */
export type Catalogue = (instanceType: string) => InstanceFacts | undefined;

/** Quota use of one account and region. */
export interface RegionUsage {
  readonly account: string;
  readonly region: string;
  /** The stacks with resources there. */
  readonly stacks: readonly string[];
  readonly use: Readonly<Record<QuotaId, number>>;
  /** P-family instance types the catalogue does not know, whose vCPUs are not counted. */
  readonly unknownTypes: readonly string[];
}

const T = {
  eip: "aws:ec2/eip:Eip",
  vpc: "aws:ec2/vpc:Vpc",
  igw: "aws:ec2/internetGateway:InternetGateway",
  nat: "aws:ec2/natGateway:NatGateway",
  subnet: "aws:ec2/subnet:Subnet",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  instance: "aws:ec2/instance:Instance",
  asg: "aws:autoscaling/group:Group",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  lustre: "aws:fsx/lustreFileSystem:LustreFileSystem",
  rule: "aws:cloudwatch/eventRule:EventRule",
} as const;

/** P-family types count against the "Running On-Demand P instances" vCPU quota: p4d, p5en, p6-b200, ... */
export const isPFamily = (instanceType: string) => /^p\d/.test(instanceType);

/** One account and region's registrations, each with the stack that made it. */
interface Group {
  readonly account: string;
  readonly region: string;
  readonly entries: { readonly stack: FleetStack; readonly resource: RecordedResource }[];
}

const lengthOf = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/** Quota use per account and region, in the order the stacks first use them. */
export function usageByRegion(stacks: readonly FleetStack[], catalogue: Catalogue): RegionUsage[] {
  const groups = new Map<string, Group>();
  for (const stack of stacks) {
    for (const { resource, account, region } of stack.resources) {
      const key = `${account}\n${region}`;
      const group = groups.get(key) ?? { account, region, entries: [] };
      group.entries.push({ stack, resource });
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((group) => usageOf(group, catalogue));
}

function usageOf(group: Group, catalogue: Catalogue): RegionUsage {
  const byUrn = new Map(group.entries.map((e) => [e.resource.urn, e.resource]));
  const all = (type: string) => group.entries.filter((e) => e.resource.type === type).map((e) => e.resource);
  const linked = (resource: RecordedResource, key: string) =>
    byUrn.get(resource.propertyDependencies[key]?.[0] ?? "");
  const unknownTypes: string[] = [];
  const vcpusOf = (instanceType: unknown) => {
    if (typeof instanceType !== "string" || !isPFamily(instanceType)) {
      return 0;
    }
    const facts = catalogue(instanceType);
    if (facts === undefined) {
      unknownTypes.push(instanceType);
    }
    return facts?.vcpus ?? 0;
  };

  const endpoints = all(T.endpoint);
  // AWS's default endpoint type is Gateway.
  const endpointType = (e: RecordedResource) => String(inputOf(e, "vpcEndpointType") ?? "Gateway");
  const interfaceEndpoints = endpoints.filter((e) => endpointType(e) !== "Gateway");
  const perVpc = tally(interfaceEndpoints, (e) => e.propertyDependencies.vpcId?.[0] ?? e.urn.split("::")[1]);
  const natPerZone = tally(all(T.nat), (nat) => {
    const zone = linked(nat, "subnetId") && inputOf(linked(nat, "subnetId")!, "availabilityZone");
    return typeof zone === "string" ? zone : "?";
  });

  let networkInterfaces = 0;
  let pVcpus = 0;
  for (const asg of all(T.asg)) {
    const nodes = Math.max(
      0,
      ...["desiredCapacity", "maxSize", "minSize"].map((k) => numberInput(asg, k) ?? 0),
    );
    const template = linked(asg, "launchTemplate");
    // Moat's launch templates declare one interface per network card (EFA groups: the catalogue's
    // networkCards); without any, a node has its one primary interface.
    networkInterfaces += nodes * Math.max(1, template ? lengthOf(inputOf(template, "networkInterfaces")) : 1);
    pVcpus += nodes * (template ? vcpusOf(inputOf(template, "instanceType")) : 0);
  }
  for (const instance of all(T.instance)) {
    networkInterfaces += Math.max(1, lengthOf(inputOf(instance, "networkInterfaces")));
    pVcpus += vcpusOf(inputOf(instance, "instanceType"));
  }
  // An interface endpoint puts one interface in each of its subnets; a NAT gateway and an EFS mount
  // target have one each. (FSx for Lustre's interfaces are not documented per size: not counted.)
  networkInterfaces += interfaceEndpoints.reduce(
    (sum, e) => sum + Math.max(1, lengthOf(inputOf(e, "subnetIds"))),
    0,
  );
  networkInterfaces += all(T.nat).length + all(T.mountTarget).length;

  const use: Record<QuotaId, number> = {
    elasticIps: all(T.eip).length,
    vpcs: all(T.vpc).length,
    internetGateways: all(T.igw).length,
    natGatewaysPerAz: Math.max(0, ...natPerZone.values()),
    gatewayEndpoints: endpoints.length - interfaceEndpoints.length,
    interfaceEndpointsPerVpc: Math.max(0, ...perVpc.values()),
    networkInterfaces,
    pInstanceVcpus: pVcpus,
    lustreStorageGiB: all(T.lustre).reduce((sum, fs) => sum + (numberInput(fs, "storageCapacity") ?? 0), 0),
    lustreFileSystems: all(T.lustre).length,
    eventBridgeRules: all(T.rule).filter((r) =>
      [undefined, "default"].includes(inputOf(r, "eventBusName") as string),
    ).length,
  };
  return {
    account: group.account,
    region: group.region,
    stacks: distinct(group.entries.map((e) => e.stack.stack)),
    use,
    unknownTypes: distinct(unknownTypes),
  };
}

/** How many items share each key. */
function tally<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  items.forEach((item) => counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1));
  return counts;
}
