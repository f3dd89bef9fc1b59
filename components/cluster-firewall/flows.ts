// The vocabulary of the cluster firewall: access modes, its groups and the flows between them.
// Plain data only, shared by the planner, the component and anything that lists the flows.
import type { RuleProtocol } from "../firewall-rule/rule-checks";

/** How people reach the cluster (NET-6, NET-7). */
export type AccessMode = "bastion" | "direct" | "ssm";

/** Every access mode. */
export const ACCESS_MODES: readonly AccessMode[] = ["bastion", "direct", "ssm"];

/** A range allowed to SSH in, with the reason shown on its rule (may be empty). */
export interface SshSource {
  /** IPv4 block written as its network address, e.g. `203.0.113.0/24`. */
  readonly cidr: string;
  /** Why this range may SSH in, e.g. `office VPN`; empty shows the CIDR alone. */
  readonly description: string;
}

/**
 * The security groups a cluster firewall creates; `cluster` is shared by the head nodes. Compute
 * groups have groups of their own (see `planNodeGroupFlows`), so that each can be quarantined.
 */
export type FirewallGroup = "bastion" | "head" | "cluster" | "endpoint";

/** One end of a flow: a CIDR block or one of the firewall's own groups. */
export type FlowPeer = { readonly cidr: string } | { readonly group: FirewallGroup };

interface FlowBase {
  /** Stable identifier, the suffix of the rule's resource name, e.g. `ingress-head-ssh-bastion`. */
  readonly id: string;
  /** `tcp` or `all` (every protocol and port: only ever between groups). */
  readonly protocol: RuleProtocol;
  /** The port range, or `all`. */
  readonly ports: { readonly from: number; readonly to: number } | "all";
  /** How listings name where the traffic comes from, e.g. `office VPN` or `bastion security group`. */
  readonly sourceLabel: string;
  /** Why the flow is allowed, citing the requirement; it is also the rule's AWS description. */
  readonly why: string;
}

/** An inbound flow: an ingress rule on the `to` group. */
export interface IngressFlow extends FlowBase {
  readonly direction: "ingress";
  readonly from: FlowPeer;
  readonly to: { readonly group: FirewallGroup };
}

/** An outbound flow between the firewall's own groups: an egress rule on the `from` group. */
export interface EgressFlow extends FlowBase {
  readonly direction: "egress";
  readonly from: { readonly group: FirewallGroup };
  readonly to: { readonly group: FirewallGroup };
}

/** One allowed flow, as plain data for plans and docs. */
export type FlowSpec = IngressFlow | EgressFlow;

/** Which role faces the internet in each mode; ssm has none (NET-7). */
export const INTERNET_FACING: Readonly<Record<AccessMode, "bastion" | "head" | undefined>> = {
  bastion: "bastion",
  direct: "head",
  ssm: undefined,
};

/** The groups created in `mode`: the bastion group exists in bastion mode only. */
export function groupsFor(mode: AccessMode): FirewallGroup[] {
  return mode === "bastion" ? ["bastion", "head", "cluster", "endpoint"] : ["head", "cluster", "endpoint"];
}
