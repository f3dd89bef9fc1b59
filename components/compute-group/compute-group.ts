import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NodeGroupFirewall } from "../cluster-firewall/cluster-firewall";
import { NodeGroupEnd, planNodeGroupFlows } from "../cluster-firewall/node-group-flows";
import { FirewallRule } from "../firewall-rule/firewall-rule";
import { invalidArgsError, resolvePorts } from "../firewall-rule/rule-checks";
import { NodeImageKind, nodeImage } from "../node-instance/image";
import { DefaultDenySecurityGroup } from "../security-group/security-group";
import {
  DEFAULT_ROOT_DEVICE,
  DEFAULT_ROOT_VOLUME_GIB,
  QUARANTINE_SUSPENDED_PROCESSES,
  computeNodeTags,
  validateComputeGroupArgs,
} from "./compute-group-args";
import { planGroupHardware } from "./instance-catalogue";
import { computeLaunchTemplateArgs } from "./launch-template";

/** One compute group as the stack config describes it (`moat:computeGroups[i]`). */
export interface ComputeGroupSpec {
  /**
   * Group name, e.g. `train`: 1-32 lowercase letters, digits and hyphens. It names the children and
   * the nodes' Name tag; renaming it replaces the whole group.
   */
  readonly name: string;
  /**
   * EC2 instance type, e.g. `p5.48xlarge`. Changing it makes a new launch template version that
   * only new nodes use (see {@link ComputeGroup} on rolling nodes).
   */
  readonly instanceType: string;
  /** Number of nodes, 1 to 4096. The group's resource count does not grow with it. */
  readonly nodeCount: number;
  /** Capacity reservation or capacity block to launch into, e.g. `cr-0123456789abcdef0`. @default none (on-demand) */
  readonly capacityReservationId?: string;
  /**
   * The reservation is an EC2 Capacity Block for ML; needs `capacityReservationId`.
   * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-capacity-blocks.html
   * @default false
   */
  readonly capacityBlock?: boolean;
  /**
   * AMI for the nodes. The default, the official AWS ParallelCluster image (see `nodeImage`), has
   * the NVIDIA driver, the EFA software, the filesystem clients, Slurm and MUNGE. A given image is
   * followed when changed; the default is fixed at creation so a new release never changes what
   * replacement nodes boot (their Slurm must not outrun the controller's).
   * @default the pinned ParallelCluster Amazon Linux 2023 image for the type's architecture
   */
  readonly imageId?: string;
  /** EFA on every network card, with a self-only EFA security group (CMP-1). @default true for EFA-capable types */
  readonly efa?: boolean;
  /** Network cards of a type missing from the catalogue (EFA groups only). @default the catalogue's figure */
  readonly networkCards?: number;
  /** Root volume size in GiB. @default 200 */
  readonly rootVolumeGiB?: number;
  /** The image's root device; Ubuntu-based images use `/dev/sda1`. @default "/dev/xvda" */
  readonly rootDeviceName?: string;
}

/** Inputs of a {@link ComputeGroup}. */
export interface ComputeGroupArgs {
  /** Tenant id, e.g. `acme`; written to the nodes' `moat:tenant` tag. */
  readonly tenantId: string;
  /** Environment, e.g. `prod`; written to the nodes' `moat:environment` tag. */
  readonly environment: string;
  /** Owner for the nodes' `moat:owner` tag (AUD-5). @default no owner tag on launched nodes */
  readonly owner?: string;
  /** The account the stack deploys to; a literal ID is checked against the key's ARN. */
  readonly accountId: pulumi.Input<string>;
  /** The region the stack deploys to, e.g. `us-east-1`. */
  readonly region: string;
  /** The group to build. */
  readonly group: ComputeGroupSpec;
  /** The tenant VPC, for the group's own security groups. Changing it replaces them. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * The ONE compute subnet. EFA and cluster placement need every node in a single availability
   * zone, so a list is refused (CMP-1); the subnet must have no route to an internet gateway (NET-5).
   */
  readonly subnetId: pulumi.Input<string>;
  /**
   * The cluster firewall's head and endpoint groups and its egress setting
   * (`ClusterFirewall.nodeGroupFirewall`): the group's node group is joined to them (NET-2,
   * NET-3); its EFA group never is (CMP-1).
   */
  readonly firewall: NodeGroupFirewall;
  /** The tenant's customer-managed key, for root volumes (CMP-3). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** cloud-config rendered by the caller with `renderCloudConfig`: secret names only (CMP-8), at most 16 KiB. */
  readonly userData: string;
  /** Instance profile of the tenant's one compute `NodeRole`. */
  readonly instanceProfileName: pulumi.Input<string>;
  /**
   * What the default image must carry when the group names no `imageId`: `slurm` for nodes that run
   * the scheduler, `base` (plain Amazon Linux 2023) otherwise.
   * @default "slurm"
   */
  readonly imageKind?: NodeImageKind;
  /**
   * Incident isolation (NET-11). The nodes keep running, but each of their security groups (the
   * node group, and an EFA group's EFA group) loses every rule (in, out, and every rule elsewhere
   * naming it) and is tagged `moat:role = quarantine`; the Auto Scaling processes that launch,
   * replace or terminate nodes are suspended, so evidence survives; nodes launched from the
   * template keep their root volume when terminated. Setting it back to false restores all of it;
   * nothing is replaced either way. Nodes already running keep the volume setting they were
   * launched with (see the runbook).
   * @default false
   */
  readonly quarantined?: boolean;
}

// Only the floating default image is pinned; an image named in the config is followed.
const DEFAULT_IMAGE_IGNORE_CHANGES = ["imageId"];

/**
 * One group of identical compute nodes (CMP-1, CMP-2, CMP-3, NET-3, NET-5, NET-11): security
 * groups of its own, a cluster placement group, a launch template (EFA on every network card,
 * IMDSv2, root volume under the tenant key, no public IP) and an Auto Scaling group sized exactly
 * to `nodeCount` in the one compute subnet.
 *
 * The nodes carry only the group's own security groups. The node group (`${name}-nodes`) has all
 * traffic with itself and the head nodes and the cluster's egress (NET-2, NET-3). An EFA group also
 * keeps its dedicated EFA group (`${name}-efa`), on every interface beside the node group, which
 * allows all traffic to and from itself and nothing else, as EFA requires in both directions
 * (CMP-1). Pulumi cannot move nodes that Auto Scaling launched to another group, so these groups
 * are what `quarantined` strips bare (NET-11).
 *
 * The number of children never depends on `nodeCount`. There is no instance refresh: a template
 * change reaches only nodes launched later, so running training jobs are never killed by an
 * unrelated `pulumi up`. To roll nodes deliberately, after the job ends:
 * `aws autoscaling start-instance-refresh --auto-scaling-group-name <autoScalingGroupName>`, or
 * replace one node with `aws autoscaling terminate-instance-in-auto-scaling-group --instance-id <id>
 * --no-should-decrement-desired-capacity`.
 */
export class ComputeGroup extends pulumi.ComponentResource {
  /** Name of the Auto Scaling group, for scaling and rolling nodes. */
  public readonly autoScalingGroupName: pulumi.Output<string>;
  /** ID of the launch template. */
  public readonly launchTemplateId: pulumi.Output<string>;
  /** Name of the cluster placement group. */
  public readonly placementGroupName: pulumi.Output<string>;
  /**
   * ID of the group's node group, which every node carries: a client of the shared filesystem
   * (NET-8), deny-all while quarantined (NET-11).
   */
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  /**
   * ID of the self-only EFA security group (CMP-1), deny-all while quarantined (NET-11);
   * undefined for groups without EFA.
   */
  public readonly efaSecurityGroupId: pulumi.Output<string> | undefined;

  constructor(name: string, args: ComputeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateComputeGroupArgs(args);
    if (problems.length > 0) {
      throw invalidArgsError("ComputeGroup", name, problems);
    }
    super("moat:compute:ComputeGroup", name, {}, opts);
    const { group } = args;
    const hardware = planGroupHardware(group);
    const tags = computeNodeTags(args);
    const quarantined = args.quarantined === true;

    const groupIds = this.securityGroups(name, args, hardware.efa, quarantined);

    const placement = new aws.ec2.PlacementGroup(
      `${name}-placement`,
      { strategy: "cluster", tags: { Name: tags.Name } },
      { parent: this },
    );

    const template = new aws.ec2.LaunchTemplate(
      `${name}-template`,
      computeLaunchTemplateArgs({
        instanceType: group.instanceType,
        imageId: nodeImage(group.instanceType, group.imageId, { parent: this }, args.imageKind ?? "slurm"),
        hardware,
        securityGroupIds: groupIds.efa ? [groupIds.efa, groupIds.nodes] : [groupIds.nodes],
        subnetId: args.subnetId,
        kmsKeyArn: args.kmsKeyArn,
        instanceProfileName: args.instanceProfileName,
        userData: args.userData,
        placementGroupName: placement.name,
        capacityReservationId: group.capacityReservationId,
        capacityBlock: group.capacityBlock ?? false,
        rootVolumeGiB: group.rootVolumeGiB ?? DEFAULT_ROOT_VOLUME_GIB,
        rootDeviceName: group.rootDeviceName ?? DEFAULT_ROOT_DEVICE,
        keepRootVolume: quarantined,
        tags,
      }),
      { parent: this, ignoreChanges: group.imageId ? [] : DEFAULT_IMAGE_IGNORE_CHANGES },
    );

    const autoScalingGroup = new aws.autoscaling.Group(
      `${name}-asg`,
      {
        minSize: group.nodeCount,
        maxSize: group.nodeCount,
        desiredCapacity: group.nodeCount,
        vpcZoneIdentifiers: [args.subnetId],
        placementGroup: placement.name,
        launchTemplate: { id: template.id, version: "$Latest" },
        // No instanceRefresh, on purpose (see the class comment).
        protectFromScaleIn: false,
        healthCheckType: "EC2",
        // Reserved or scarce GPU capacity can take long to arrive; do not block the update on it.
        waitForCapacityTimeout: "0",
        // Declared empty when not quarantined, so lifting the quarantine resumes every process.
        suspendedProcesses: quarantined ? [...QUARANTINE_SUSPENDED_PROCESSES] : [],
        tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      },
      { parent: this },
    );

    this.autoScalingGroupName = autoScalingGroup.name;
    this.launchTemplateId = template.id;
    this.placementGroupName = placement.name;
    this.nodeSecurityGroupId = groupIds.nodes;
    this.efaSecurityGroupId = groupIds.efa;
    this.registerOutputs({
      autoScalingGroupName: this.autoScalingGroupName,
      launchTemplateId: this.launchTemplateId,
      placementGroupName: this.placementGroupName,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      efaSecurityGroupId: this.efaSecurityGroupId,
    });
  }

  // The group's own security groups, and every rule on them or naming them. The EFA group keeps the
  // name and description it was created with: a new name or description would replace the group,
  // which running nodes still carry. Quarantine changes only the role tags and drops the rules, so
  // both groups and every rule name stay the same (NET-11).
  private securityGroups(
    name: string,
    args: ComputeGroupArgs,
    efa: boolean,
    quarantined: boolean,
  ): { nodes: pulumi.Output<string>; efa?: pulumi.Output<string> } {
    const who = `compute group ${args.group.name}`;
    const role = quarantined ? "quarantine" : "compute";
    const efaGroupId = efa
      ? new DefaultDenySecurityGroup(
          `${name}-efa`,
          {
            vpcId: args.vpcId,
            role,
            description: `Moat ${args.tenantId} ${who}: EFA traffic to and from itself only (CMP-1)`,
            egress: "none",
          },
          { parent: this },
        ).securityGroupId
      : undefined;
    const nodesGroupId = new DefaultDenySecurityGroup(
      `${name}-nodes`,
      {
        vpcId: args.vpcId,
        role,
        description: `Moat ${args.tenantId} ${who}: its nodes, with each other and the head nodes (NET-3)`,
        egress: quarantined ? "none" : args.firewall.egress,
      },
      { parent: this },
    ).securityGroupId;
    const flows = planNodeGroupFlows({
      group: args.group.name,
      efa,
      egress: args.firewall.egress,
      quarantined,
    });
    const ends: Record<NodeGroupEnd, { id?: pulumi.Input<string>; label: string }> = {
      nodes: { id: nodesGroupId, label: `security group of ${who}` },
      efa: { id: efaGroupId, label: `EFA security group of ${who}` },
      head: { id: args.firewall.headSecurityGroupId, label: "head security group" },
      endpoint: { id: args.firewall.endpointSecurityGroupId, label: "endpoint security group" },
    };
    const idOf = (end: NodeGroupEnd): pulumi.Input<string> => {
      const id = ends[end].id;
      if (id === undefined) {
        // planNodeGroupFlows plans EFA rules only for EFA groups; this guards that contract.
        throw new Error(`${name}: a rule names the ${end} group, which ${who} does not have`);
      }
      return id;
    };
    for (const flow of flows) {
      const ports = flow.ports === "all" ? {} : { fromPort: flow.ports.from, toPort: flow.ports.to };
      if (flow.direction === "ingress") {
        new FirewallRule(
          `${name}-${flow.id}`,
          {
            securityGroupId: idOf(flow.on),
            description: flow.why,
            protocol: flow.protocol,
            ...ports,
            source: { securityGroupId: idOf(flow.peer), label: ends[flow.peer].label },
            // A group source is judged by itself; no CIDR is involved.
            context: { tenantCidrs: [] },
          },
          { parent: this },
        );
      } else {
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-${flow.id}`,
          {
            securityGroupId: idOf(flow.on),
            referencedSecurityGroupId: idOf(flow.peer),
            description: flow.why,
            ...resolvePorts(flow.protocol, ports.fromPort, ports.toPort),
          },
          { parent: this },
        );
      }
    }
    return { nodes: nodesGroupId, efa: efaGroupId };
  }
}
