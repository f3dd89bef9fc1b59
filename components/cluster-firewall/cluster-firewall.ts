import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { FirewallRule } from "../firewall-rule/firewall-rule";
import { invalidArgsError, resolvePorts } from "../firewall-rule/rule-checks";
import { DefaultDenySecurityGroup } from "../security-group/security-group";
import type { EgressAllow } from "../security-group/security-group-args";
import { AccessMode, FirewallGroup, FlowSpec, SshSource, groupsFor } from "./flows";
import { firewallContext, planFirewall, validateClusterFirewallArgs } from "./plan";

/** Inputs of a {@link ClusterFirewall}. */
export interface ClusterFirewallArgs {
  /** Tenant identifier, e.g. `acme`; named in each group's description. No default. */
  readonly tenantId: string;
  /** The tenant VPC. Changing this replaces every group and rule. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * The VPC's IPv4 block, as given to the Network component, e.g. `10.42.0.0/16`. A plain string,
   * so the endpoint rule and the NET-4 source check are decidable at preview (POL-2).
   */
  readonly vpcCidr: string;
  /**
   * How people reach the cluster: `bastion` (only the bastion faces the internet, NET-7), `direct`
   * (head nodes face it, NET-6) or `ssm` (no inbound port at all). No default here: the stack
   * config owns the default. Changing it adds or removes the bastion group and the SSH rules.
   */
  readonly mode: AccessMode;
  /**
   * Who may SSH in: `global` for the internet-facing role of the mode, `bastion` and `head` per
   * role. A per-role list for a role that does not face the internet in the mode is refused, and
   * every list must be empty in `ssm` mode. One rule per distinct CIDR (NET-9).
   */
  readonly ssh: {
    readonly global: readonly SshSource[];
    readonly bastion: readonly SshSource[];
    readonly head: readonly SshSource[];
  };
  /**
   * Accept 0.0.0.0/0 as an SSH source (NET-6). Still logged as a warning and reported by the
   * policy pack. @default false in the stack config; required here so it is never implied.
   */
  readonly acknowledgeWorldSsh: boolean;
  /**
   * Outbound traffic of the bastion, head and cluster groups: `all` (NET-2) or an allowlist.
   * The endpoint group never sends anything.
   */
  readonly egress: "all" | readonly EgressAllow[];
}

/**
 * What a compute node group's own security group joins (NET-2, NET-3): the head group, the
 * interface endpoint group, and the cluster's outbound setting. Given by
 * {@link ClusterFirewall.nodeGroupFirewall}; the rules are planned by `planNodeGroupFlows`.
 */
export interface NodeGroupFirewall {
  /** The head group: it reaches the node group, and accepts all traffic from it (NET-3). */
  readonly headSecurityGroupId: pulumi.Input<string>;
  /** The interface endpoint group, reached on HTTPS when `egress` is an allowlist (NET-2). */
  readonly endpointSecurityGroupId: pulumi.Input<string>;
  /** Outbound traffic of the node group, as the firewall's own groups have it (NET-2). */
  readonly egress: "all" | readonly EgressAllow[];
}

// AWS cannot edit a group's description: a new text replaces the group and every rule on it, so
// these stay as created even where the layout moved on (compute nodes left `cluster` for groups of
// their own, NET-11); the rules' descriptions, which AWS edits in place, say what is allowed now.
const GROUP_DESCRIPTIONS: Readonly<Record<FirewallGroup, (tenantId: string) => string>> = {
  bastion: (t) => `Moat ${t} bastion: SSH from the allowlist only (NET-7)`,
  head: (t) => `Moat ${t} head nodes: SSH per access mode, JupyterLab through the tunnel only (NET-6)`,
  cluster: (t) => `Moat ${t} cluster: head and compute nodes reach each other on all traffic (NET-3)`,
  endpoint: (t) => `Moat ${t} VPC interface endpoints: HTTPS from the VPC only`,
};

/**
 * The default-deny firewall of one tenant cluster (NET-1, NET-2, NET-3, NET-6, NET-7, NET-9): a
 * `head` group, a `cluster` group the head nodes share, an `endpoint` group for the VPC interface
 * endpoints, and in bastion mode a `bastion` group. Every allowed flow is planned by
 * `planFirewall` and becomes one standalone rule with a description; nothing else gets in. All
 * problems with the args are thrown at once, before anything is created.
 *
 * Compute nodes are not in the `cluster` group: each compute group has a security group of its
 * own, joined to the head group by the rules `planNodeGroupFlows` plans from
 * {@link nodeGroupFirewall}, so that one group can be quarantined by withdrawing its rules
 * (NET-11) while Auto Scaling keeps its nodes running in the groups they were launched with.
 */
export class ClusterFirewall extends pulumi.ComponentResource {
  /**
   * Security group IDs per role; `bastion` only in bastion mode. Head nodes carry `head` and
   * `cluster`; compute nodes carry their own group's (see {@link nodeGroupFirewall}).
   */
  public readonly securityGroupIds: {
    readonly bastion?: pulumi.Output<string>;
    readonly head: pulumi.Output<string>;
    readonly cluster: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
  };
  /** Every allowed flow between the firewall's own groups, as plain data for plans and docs. */
  public readonly flows: readonly FlowSpec[];
  /** What each compute group's own security group joins (NET-2, NET-3); pass it to ComputeFleet. */
  public readonly nodeGroupFirewall: NodeGroupFirewall;

  constructor(name: string, args: ClusterFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateClusterFirewallArgs(args);
    if (problems.length > 0) {
      throw invalidArgsError("ClusterFirewall", name, problems);
    }
    super("moat:network:ClusterFirewall", name, {}, opts);

    const ids = {} as Record<FirewallGroup, pulumi.Output<string>>;
    for (const group of groupsFor(args.mode)) {
      ids[group] = new DefaultDenySecurityGroup(
        `${name}-${group}`,
        {
          vpcId: args.vpcId,
          role: group,
          description: GROUP_DESCRIPTIONS[group](args.tenantId),
          // Endpoints only answer; stateful return traffic needs no egress rule.
          egress: group === "endpoint" ? "none" : args.egress,
        },
        { parent: this },
      ).securityGroupId;
    }

    const flows = planFirewall(args);
    const context = firewallContext(args);
    for (const flow of flows) {
      const ports: { fromPort?: number; toPort?: number } =
        flow.ports === "all" ? {} : { fromPort: flow.ports.from, toPort: flow.ports.to };
      if (flow.direction === "ingress") {
        new FirewallRule(
          `${name}-${flow.id}`,
          {
            securityGroupId: ids[flow.to.group],
            description: flow.why,
            protocol: flow.protocol,
            ...ports,
            source:
              "cidr" in flow.from
                ? { cidr: flow.from.cidr }
                : { securityGroupId: ids[flow.from.group], label: flow.sourceLabel },
            context,
          },
          { parent: this },
        );
      } else {
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-${flow.id}`,
          {
            securityGroupId: ids[flow.from.group],
            referencedSecurityGroupId: ids[flow.to.group],
            description: flow.why,
            ...resolvePorts(flow.protocol, ports.fromPort, ports.toPort),
          },
          { parent: this },
        );
      }
    }

    this.securityGroupIds = {
      ...(ids.bastion ? { bastion: ids.bastion } : {}),
      head: ids.head,
      cluster: ids.cluster,
      endpoint: ids.endpoint,
    };
    this.flows = flows;
    this.nodeGroupFirewall = {
      headSecurityGroupId: ids.head,
      endpointSecurityGroupId: ids.endpoint,
      egress: args.egress,
    };
    this.registerOutputs({
      securityGroupIds: this.securityGroupIds,
      flows: this.flows,
      nodeGroupFirewall: this.nodeGroupFirewall,
    });
  }
}
