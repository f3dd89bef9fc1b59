import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  AccountScope,
  DEFAULT_FLOW_LOG_RETENTION_DAYS,
  flowLogGroupArn,
  flowLogGroupName,
  flowLogPermissionsPolicy,
  flowLogRoleArn,
  flowLogRoleName,
  flowLogTrustPolicy,
} from "./flow-logs";
import { NetworkArgs, validateNetworkArgs } from "./network-args";
import { planInternetRoutes, S3_GATEWAY_TIERS } from "./routing";
import { mapTiers, planSubnets, SUBNET_TIERS, SubnetTier, TAG_TIER } from "./subnet-plan";
import { TAG_ACCESS_MODE, TAG_ROLE } from "../tenant/tags";
import { tenantNameId } from "../tenant-key/tenant-scope";

export type { NetworkAccessMode, NetworkArgs } from "./network-args";

/**
 * A tenant's VPC in one availability zone with four subnet tiers (public, management, compute,
 * storage). Public routes to the internet gateway; management and compute leave through one NAT
 * gateway (management through the internet gateway in `direct` mode); storage has no internet
 * route (NET-5, NET-8). Nothing routes to another network: no peering, transit gateway or VPN
 * (NET-4). The default security group, route table and network ACL are adopted and made explicit
 * (NET-1), an S3 gateway endpoint keeps S3 traffic inside AWS, and flow logs of all traffic go to
 * an encrypted, retained log group (NET-10).
 */
export class Network extends pulumi.ComponentResource {
  /** ID of the tenant VPC. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's IPv4 block, as given in {@link NetworkArgs.cidr}. */
  public readonly vpcCidr: pulumi.Output<string>;
  /** Subnet ID of each tier. */
  public readonly subnetIds: Readonly<Record<SubnetTier, pulumi.Output<string>>>;
  /** IPv4 block of each tier, as carved by `planSubnets`. */
  public readonly subnetCidrs: Readonly<Record<SubnetTier, pulumi.Output<string>>>;
  /** Route table ID of each tier, e.g. for further gateway endpoints. */
  public readonly routeTableIds: Readonly<Record<SubnetTier, pulumi.Output<string>>>;
  /** ID of the NAT gateway management and compute leave through. */
  public readonly natGatewayId: pulumi.Output<string>;
  /** ID of the VPC's internet gateway. */
  public readonly internetGatewayId: pulumi.Output<string>;
  /** ID of the VPC's default security group, adopted with no rules (NET-1). */
  public readonly defaultSecurityGroupId: pulumi.Output<string>;
  /** ID of the VPC's default network ACL, the one every subnet uses. */
  public readonly defaultNetworkAclId: pulumi.Output<string>;
  /** ID of the VPC's main route table, adopted with the local route only (NET-4). */
  public readonly mainRouteTableId: pulumi.Output<string>;
  /**
   * Name of the CloudWatch log group receiving the VPC flow logs,
   * `/moat/<tenantId>-<environment>/vpc-flow-logs`.
   */
  public readonly flowLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    const problems = validateNetworkArgs(args);
    if (problems.length > 0) {
      throw new pulumi.InputPropertiesError({
        message:
          `Invalid Network "${name}" args:\n` +
          problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n"),
        errors: problems.map((p) => ({ propertyPath: p.propertyPath, reason: p.reason })),
      });
    }
    super("moat:network:Network", name, {}, opts);

    const plan = planSubnets(args.cidr);
    const label = `${args.tenantId}-${args.environment}`;
    // Physical names (flow-log group and role) are unique per tenant environment in the account.
    const nameId = tenantNameId(args);
    const parent = { parent: this };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        // Private DNS names for nodes and the interface endpoints need both.
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: label, [TAG_ACCESS_MODE]: args.accessMode },
      },
      parent,
    );

    // NET-1: adopting the default group is the only way to remove AWS's allow-from-itself and
    // allow-all-out rules; empty lists (not omitted ones) make the provider delete them.
    const defaultGroup = new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${label}-default-deny` } },
      parent,
    );

    // Every tier has its own table, so the main table only catches a subnet someone adds outside
    // this program; adopted with an empty `routes` list, it gives such a subnet the VPC-local route
    // and nothing else (NET-4).
    new aws.ec2.DefaultRouteTable(
      `${name}-default-rt`,
      {
        defaultRouteTableId: vpc.defaultRouteTableId,
        routes: [],
        tags: { Name: `${label}-default-local-only` },
      },
      parent,
    );

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: label } }, parent);

    const tierTags = (tier: SubnetTier) => ({ Name: `${label}-${tier}`, [TAG_TIER]: tier });
    const subnets = mapTiers(
      (tier) =>
        new aws.ec2.Subnet(
          `${name}-${tier}`,
          {
            vpcId: vpc.id,
            cidrBlock: plan[tier],
            availabilityZone: args.availabilityZone,
            // Even public: the bastion and NAT get Elastic IPs, nothing else gets an address (NET-5).
            mapPublicIpOnLaunch: false,
            tags: tierTags(tier),
          },
          parent,
        ),
    );

    // Security groups are the firewall: stateful, per role, with explicit rules (NET-1, NET-9). A
    // stateless NACL cannot narrow much without breaking NAT and S3 return traffic, whose sources
    // are internet addresses, so every subnet is listed on the adopted default NACL with one
    // explicit allow-all entry each way (what AWS's default does silently). Listing the subnets
    // also stops the provider from planning to "remove" them on every update.
    const allowAll = {
      ruleNo: 100,
      action: "allow",
      protocol: "-1",
      cidrBlock: "0.0.0.0/0",
      fromPort: 0,
      toPort: 0,
    };
    new aws.ec2.DefaultNetworkAcl(
      `${name}-default-nacl`,
      {
        defaultNetworkAclId: vpc.defaultNetworkAclId,
        subnetIds: SUBNET_TIERS.map((tier) => subnets[tier].id),
        ingress: [allowAll],
        egress: [allowAll],
        tags: { Name: `${label}-sg-enforced` },
      },
      parent,
    );

    // No inline `routes`: routes are standalone resources, and a table that declared inline routes
    // would delete them on every update.
    const routeTables = mapTiers(
      (tier) => new aws.ec2.RouteTable(`${name}-${tier}-rt`, { vpcId: vpc.id, tags: tierTags(tier) }, parent),
    );
    for (const tier of SUBNET_TIERS) {
      new aws.ec2.RouteTableAssociation(
        `${name}-${tier}-rta`,
        { subnetId: subnets[tier].id, routeTableId: routeTables[tier].id },
        parent,
      );
    }

    // AWS recommends creating the address and the gateway only once the internet gateway is attached.
    const natEip = new aws.ec2.Eip(
      `${name}-nat-eip`,
      { domain: "vpc", tags: { Name: `${label}-nat` } },
      { parent: this, dependsOn: [igw] },
    );
    const nat = new aws.ec2.NatGateway(
      `${name}-nat`,
      {
        connectivityType: "public",
        allocationId: natEip.id,
        subnetId: subnets.public.id,
        tags: { Name: label },
      },
      { parent: this, dependsOn: [igw] },
    );

    // The only default routes in the VPC (NET-5, NET-8). One resource name per tier whatever the
    // target, so switching the management tier's access mode updates the route in place.
    const routes = planInternetRoutes(args.managementInternetFacing ?? false);
    for (const tier of SUBNET_TIERS) {
      const target = routes[tier];
      if (target !== undefined) {
        new aws.ec2.Route(
          `${name}-${tier}-internet`,
          {
            routeTableId: routeTables[tier].id,
            destinationCidrBlock: "0.0.0.0/0",
            ...(target === "internet-gateway" ? { gatewayId: igw.id } : { natGatewayId: nat.id }),
          },
          parent,
        );
      }
    }

    // Partition and region come from the tenant provider; like the account ID they are known at
    // preview, so every name and policy below is too (POL-2).
    const region = aws.getRegionOutput({}, parent).region;
    const partition = aws.getPartitionOutput({}, parent).partition;

    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: S3_GATEWAY_TIERS.map((tier) => routeTables[tier].id),
        tags: { Name: `${label}-s3`, [TAG_ROLE]: "endpoint" },
      },
      parent,
    );

    // NET-10, DAT-4: the flow-log group outlives the stack and cannot be deleted by an update.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        name: flowLogGroupName(nameId),
        kmsKeyId: args.kmsKeyArn,
        retentionInDays: args.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
        tags: { [TAG_ROLE]: "flow-logs" },
      },
      { parent: this, protect: true, retainOnDelete: true },
    );
    const scope: pulumi.Output<AccountScope> = pulumi
      .all([partition, region, args.accountId])
      .apply(([p, r, accountId]) => ({ partition: p, region: r, accountId }));
    const role = new aws.iam.Role(
      `${name}-flow-logs-role`,
      {
        name: flowLogRoleName(nameId),
        description: `Delivers the ${label} VPC flow logs to ${flowLogGroupName(nameId)} (NET-10).`,
        assumeRolePolicy: scope.apply((s) => JSON.stringify(flowLogTrustPolicy(s))),
        tags: { [TAG_ROLE]: "flow-logs" },
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-flow-logs-policy`,
      {
        role: role.name,
        name: "write-flow-log-group",
        policy: scope.apply((s) => JSON.stringify(flowLogPermissionsPolicy(s, nameId))),
      },
      parent,
    );
    // Destination and role by their known ARNs, so a policy can link the flow log to its group at
    // preview; dependsOn keeps the order the outputs would have given.
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: scope.apply((s) => flowLogGroupArn(s, nameId)),
        iamRoleArn: scope.apply((s) => flowLogRoleArn(s, nameId)),
        // One-minute windows: an incident (NET-11, AUD-4) is seen in minutes, not ten.
        maxAggregationInterval: 60,
        tags: { Name: label, [TAG_ROLE]: "flow-logs" },
      },
      { parent: this, dependsOn: [logGroup, role, rolePolicy] },
    );

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.subnetIds = mapTiers((tier) => subnets[tier].id);
    this.subnetCidrs = mapTiers((tier) => subnets[tier].cidrBlock);
    this.routeTableIds = mapTiers((tier) => routeTables[tier].id);
    this.natGatewayId = nat.id;
    this.internetGatewayId = igw.id;
    this.defaultSecurityGroupId = defaultGroup.id;
    // The adopted resources' IDs are the VPC's own: read them from the VPC, which has them first.
    this.defaultNetworkAclId = vpc.defaultNetworkAclId;
    this.mainRouteTableId = vpc.defaultRouteTableId;
    this.flowLogGroupName = logGroup.name;
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      subnetIds: this.subnetIds,
      subnetCidrs: this.subnetCidrs,
      routeTableIds: this.routeTableIds,
      natGatewayId: this.natGatewayId,
      internetGatewayId: this.internetGatewayId,
      defaultSecurityGroupId: this.defaultSecurityGroupId,
      defaultNetworkAclId: this.defaultNetworkAclId,
      mainRouteTableId: this.mainRouteTableId,
      flowLogGroupName: this.flowLogGroupName,
    });
  }
}
