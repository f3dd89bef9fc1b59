import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { validateNetworkArgs } from "./network-args";
import { mapTiers, planSubnets, SUBNET_TIERS, SubnetTier, TAG_TIER } from "./subnet-plan";

/**
 * Inputs of a tenant {@link Network}. Tenant, environment and owner tags (AUD-5) come from the
 * tenant provider passed in the resource options, not from these args.
 */
export interface NetworkArgs {
  /**
   * Tenant identifier, e.g. `acme`. Used with `environment` in the VPC's `Name` tag.
   * No default: a network always belongs to exactly one tenant (NET-4).
   */
  readonly tenantId: string;
  /**
   * Environment of the stack, e.g. `prod`. Used with `tenantId` in the VPC's `Name` tag.
   * No default.
   */
  readonly environment: string;
  /**
   * The VPC's IPv4 block: an RFC 1918 private range from /16 to /24, e.g. `10.42.0.0/16`.
   * Compute gets half of it, storage a quarter, management and public an eighth each.
   * No default, so two tenants never silently share a range. Changing this replaces the VPC and
   * every subnet, and with them every instance and filesystem inside.
   * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
   */
  readonly cidr: string;
  /**
   * Availability zone name for every subnet, e.g. `us-east-1a`. No default on purpose: EFA and
   * cluster placement groups (CMP-1) need all nodes in one zone, and GPU instance types are offered
   * only in some zones, so the zone must be chosen, not guessed. Changing this replaces every subnet.
   * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html
   */
  readonly availabilityZone: string;
}

/**
 * A tenant's VPC in one availability zone with four subnet tiers (public, management, compute,
 * storage). Only the public tier routes to the internet gateway; compute and storage have no
 * internet route (NET-5, NET-8). Subnets never assign public IPs on launch, and the VPC's default
 * security group is stripped of every rule (NET-1).
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
    const parent = { parent: this };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        // Private DNS names for nodes and the interface endpoints added later need both.
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: label },
      },
      parent,
    );

    // NET-1: adopting the default group is the only way to remove AWS's allow-from-itself and
    // allow-all-out rules; empty lists (not omitted ones) make the provider delete them.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${label}-default-deny` } },
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
    // No inline `routes`: routes are standalone resources (NAT arrives later), and a table that
    // declared inline routes would delete them on every update.
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

    // The only internet route in the VPC. Compute and storage tables never get one (NET-5, NET-8).
    new aws.ec2.Route(
      `${name}-public-internet`,
      { routeTableId: routeTables.public.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      parent,
    );

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.subnetIds = mapTiers((tier) => subnets[tier].id);
    this.subnetCidrs = mapTiers((tier) => subnets[tier].cidrBlock);
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      subnetIds: this.subnetIds,
      subnetCidrs: this.subnetCidrs,
    });
  }
}
