// The flows of a compute group's own security groups (NET-2, NET-3, CMP-1, NET-11). Compute nodes
// are launched by Auto Scaling, so Pulumi can never move them to another group: whatever isolates
// them must be done to the groups they already carry. Each compute group therefore has a node group
// of its own (and an EFA group too when it uses EFA), and every rule that lets traffic in or out of
// either is planned here, so that quarantine can withdraw them all at once. Plain data, so tests
// read exactly what is built.
import type { RuleProtocol } from "../firewall-rule/rule-checks";
import type { EgressAllow } from "../security-group/security-group-args";

/**
 * The groups a compute group's flows join: its node group (`nodes`), its self-only EFA group
 * (`efa`), the head group and the interface endpoint group.
 */
export type NodeGroupEnd = "nodes" | "efa" | "head" | "endpoint";

/** One planned rule of a compute group. */
export interface NodeGroupFlow {
  /**
   * Stable suffix of the rule's resource name, unique within the group and prefixed by the group
   * it is attached to when that is one of the compute group's own: `efa-ingress-self`,
   * `nodes-ingress-head`, `head-from-group`.
   */
  readonly id: string;
  /** `ingress` becomes a FirewallRule, `egress` a group-referenced SecurityGroupEgressRule. */
  readonly direction: "ingress" | "egress";
  /** The group the rule is attached to: the node group, the EFA group, or the head group. */
  readonly on: "nodes" | "efa" | "head";
  /** The other end: where traffic comes from (ingress) or goes to (egress). */
  readonly peer: NodeGroupEnd;
  /** `all` (only ever between groups) or `tcp`. */
  readonly protocol: RuleProtocol;
  /** The port range, or `all`. */
  readonly ports: { readonly from: number; readonly to: number } | "all";
  /** Why the flow is allowed, citing the requirement; also the rule's AWS description. */
  readonly why: string;
}

/** What {@link planNodeGroupFlows} needs. */
export interface NodeGroupFlowArgs {
  /** The compute group's name, e.g. `train`, for descriptions. */
  readonly group: string;
  /** The group's nodes use EFA, so it also has a self-only EFA group (CMP-1). */
  readonly efa: boolean;
  /** Outbound traffic of the cluster: `all` (NET-2) or the tenant's allowlist. */
  readonly egress: "all" | readonly EgressAllow[];
  /** The group is under quarantine (NET-11): neither of its groups gets any rule. */
  readonly quarantined: boolean;
}

const ALL = { protocol: "all", ports: "all" } as const;

/**
 * The two rules of an EFA group, and nothing else (CMP-1): all traffic in from itself and out to
 * itself, as EFA's OS-bypass traffic is not stateful return traffic and needs both directions.
 * Ids and descriptions are those the EFA group was created with, so its rules keep their names.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-start.html#efa-start-security
 */
function efaFlows(who: string): NodeGroupFlow[] {
  return [
    {
      id: "efa-ingress-self",
      direction: "ingress",
      on: "efa",
      peer: "efa",
      ...ALL,
      why: `CMP-1: all traffic between the EFA interfaces of ${who}`,
    },
    {
      id: "efa-egress-self",
      direction: "egress",
      on: "efa",
      peer: "efa",
      ...ALL,
      why: `CMP-1: all traffic to the EFA interfaces of ${who}, as EFA requires`,
    },
  ];
}

/**
 * Every rule that joins a compute group to the cluster, besides the node group's outbound rules to
 * the internet (those follow `egress` on the group itself, as on the firewall's own groups):
 * - on the node group, all traffic to and from itself (NET-3);
 * - on the node group, all traffic in from the head group, which runs slurmctld and is the
 *   `ssh -J` hop (NET-3);
 * - on the head group, all traffic in from the node group (slurmd to slurmctld, srun) (NET-3);
 * - with an egress allowlist, the outbound halves all-traffic egress covers otherwise: the node
 *   group to the head group, the head group to the node group, and HTTPS to the interface
 *   endpoints (NET-2);
 * - for an EFA group, its EFA group's two self rules, the only rules on or naming it (CMP-1).
 * A quarantined group gets none of them, not even those on the head group that name it, so the
 * quarantined nodes reach nothing and nothing reaches them (NET-11). Ids never change with the
 * quarantine, so lifting it declares the same rules under the same names.
 */
export function planNodeGroupFlows(args: NodeGroupFlowArgs): NodeGroupFlow[] {
  if (args.quarantined) {
    return [];
  }
  const who = `compute group ${args.group}`;
  const flows: NodeGroupFlow[] = [
    {
      id: "nodes-ingress-self",
      direction: "ingress",
      on: "nodes",
      peer: "nodes",
      ...ALL,
      why: `NET-3: all traffic between the nodes of ${who}`,
    },
    {
      id: "nodes-egress-self",
      direction: "egress",
      on: "nodes",
      peer: "nodes",
      ...ALL,
      why: `NET-3: all traffic to the other nodes of ${who}`,
    },
    {
      id: "nodes-ingress-head",
      direction: "ingress",
      on: "nodes",
      peer: "head",
      ...ALL,
      why: `NET-3: all traffic from the head nodes to ${who} (slurmctld, srun, ssh -J)`,
    },
    {
      id: "head-from-group",
      direction: "ingress",
      on: "head",
      peer: "nodes",
      ...ALL,
      why: `NET-3: all traffic from ${who} to the head nodes (slurmd to slurmctld, srun)`,
    },
  ];
  if (Array.isArray(args.egress)) {
    const allowlisted = "needed because an egress allowlist replaces all-traffic egress";
    flows.push(
      {
        id: "nodes-egress-head",
        direction: "egress",
        on: "nodes",
        peer: "head",
        ...ALL,
        why: `NET-3: all traffic from ${who} to the head nodes, ${allowlisted}`,
      },
      {
        id: "head-to-group",
        direction: "egress",
        on: "head",
        peer: "nodes",
        ...ALL,
        why: `NET-3: all traffic from the head nodes to ${who}, ${allowlisted}`,
      },
      {
        id: "nodes-egress-endpoint-https",
        direction: "egress",
        on: "nodes",
        peer: "endpoint",
        protocol: "tcp",
        ports: { from: 443, to: 443 },
        why: `NET-2: HTTPS to the AWS interface endpoints, ${allowlisted}`,
      },
    );
  }
  return args.efa ? [...efaFlows(who), ...flows] : flows;
}
