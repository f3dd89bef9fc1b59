// Whole-stack reachability policies (NET-4, NET-5, NET-6, NET-7, NET-8): they judge every flow of
// the reachability model (net-reach-graph.ts, whose header lists what it assumes) rather than one
// rule at a time. Each flow is judged once, by the first concern it touches: another tenant (NET-4),
// then storage (NET-8), then compute (NET-5), then the way in from outside (NET-6, NET-7).
// Outbound flows to the internet (0.0.0.0/0 or any public block) are NET-2's allowance and are not
// judged; outbound flows to another tenant are (NET-4).
import type { Policies, StackValidationPolicy } from "@pulumi/policy";
import {
  FOREIGN_KINDS,
  Flow,
  FlowEnd,
  ReachGraph,
  ReachGroup,
  ENTRY_ROLE,
  isEntryRole,
  reachGraph,
} from "./net-reach-graph";
import { portsText, protocolText } from "./net-reach-rows";
import { isSshOnly } from "./net-rules";
import { TAG_ACCESS_MODE, TAG_ROLE, readTag } from "./net-stack";
import { Read, UNKNOWN } from "./props";

/** Settings of {@link netReachabilityEntryPointsOnly}. */
export interface ReachabilityConfig {
  /**
   * The SSH allowlist (moat:access.allowSshFrom and its rulesets). When set, a public block outside
   * it may reach nothing; when left out, every public block narrower than /0 counts as allowlisted.
   * @default any public block narrower than /0
   */
  readonly allowSshFrom?: readonly string[];
}

/** Roles that may reach storage, besides the storage group itself (NET-8). */
export const STORAGE_CLIENT_ROLES: readonly string[] = ["head", "compute", "cluster"];

/** Roles that may reach compute, besides the group itself (NET-5): the cluster and its storage. */
export const CLUSTER_ROLES: readonly string[] = ["head", "compute", "cluster", "storage"];

const roleOf = (end: FlowEnd): Read<string> => (end.group ? readTag(end.group.props, TAG_ROLE) : undefined);

/** What traffic a flow carries, for messages: `tcp 22`, `all traffic`. */
export function trafficText(flow: Flow): string {
  const protocol = protocolText(flow);
  if (protocol === "all") {
    return "all traffic";
  }
  const ports = portsText(flow);
  return protocol === "unknown" || ports === "unknown"
    ? "a protocol or ports unknown at preview"
    : `${protocol} ${ports}`;
}

const lets = (flow: Flow) =>
  `it lets ${flow.source.label} reach ${flow.destination.label} on ${trafficText(flow)}`;

// Storage when the group or anything attached to it is storage; a role unknown at preview is judged
// by the strictest rule (POL-2).
function zoneOf(group: ReachGroup): "storage" | "compute" | "other" {
  const roles = [group.role, ...group.members.map((m) => m.role)];
  if (group.role === UNKNOWN || roles.includes("storage")) {
    return "storage";
  }
  return roles.some((r) => r === "compute" || r === "cluster" || r === UNKNOWN) ? "compute" : "other";
}

const fromGroupWithRole = (flow: Flow, roles: readonly string[]) => {
  const role = roleOf(flow.source);
  return (
    flow.source.kind === "group" &&
    (flow.source.id === flow.destination.id || (typeof role === "string" && roles.includes(role)))
  );
};

function modeText(modes: readonly Read<string>[]): string {
  const literal = modes.filter((m): m is string => typeof m === "string" && m in ENTRY_ROLE);
  if (literal.length === 0 || literal.length !== modes.length) {
    return `no known access mode (its ${TAG_ACCESS_MODE} tag is not a literal bastion, direct or ssm), so nothing is an entry point`;
  }
  const mode = literal[0];
  const entry = ENTRY_ROLE[mode];
  return entry
    ? `${mode} access mode, where only the ${entry} group accepts traffic from outside, and only SSH from the allowlist`
    : `${mode} access mode, where nothing accepts traffic from outside (people connect through Session Manager)`;
}

const EXPOSURE_TEXT: Readonly<Record<ReachGroup["exposure"]["level"], string>> = {
  public: "exposed to the internet now",
  assumed: "internet-facing by design",
  possible: "possibly exposed to the internet",
  private: "not exposed to the internet today",
};

/** How messages say whether the internet reaches a group, and why. */
export const exposureText = ({ exposure }: ReachGroup) =>
  exposure.level === "private" || exposure.level === "assumed"
    ? EXPOSURE_TEXT[exposure.level]
    : `${EXPOSURE_TEXT[exposure.level]}: ${exposure.because}`;

// The way in from outside the VPC (NET-6, NET-7): only the mode's entry point, only SSH, only from
// the allowlist.
function entryProblem(flow: Flow, group: ReachGroup, config: ReachabilityConfig): string | undefined {
  if (!isEntryRole(group.role, group.modes)) {
    return `Remove ${flow.rule.label}: it lets ${flow.source.label} from outside the VPC reach ${flow.destination.label} (${exposureText(group)}) on ${trafficText(flow)}; the VPC is in ${modeText(group.modes)} (NET-6, NET-7).`;
  }
  if (!isSshOnly(flow.rule)) {
    return `Narrow ${flow.rule.label} to tcp 22: ${lets(flow)} from outside the VPC; the entry point accepts only SSH from outside, and JupyterLab (tcp 8888) is reached through an SSH or Session Manager tunnel, never directly (NET-6).`;
  }
  // SSH from the whole internet into the entry point is net-world-ssh-acknowledged's to refuse or
  // accept (one acknowledgement, in one place); net-world-ssh-reported keeps reporting it.
  if (flow.source.kind === "public") {
    return `Replace ${flow.source.label} on ${flow.rule.label} with a block of the SSH allowlist (${(config.allowSshFrom ?? []).join(", ")}): only the allowlist may SSH into ${flow.destination.label} (NET-6).`;
  }
  return undefined;
}

/** The NET-5/6/7/8 problem with one inbound flow, or undefined when it is allowed. */
export function flowProblem(
  flow: Flow,
  groups: ReadonlyMap<string, ReachGroup>,
  config: ReachabilityConfig,
): string | undefined {
  const group = groups.get(flow.destination.id);
  if (flow.rule.direction === "egress" || !group || FOREIGN_KINDS.includes(flow.source.kind)) {
    return undefined;
  }
  const zone = zoneOf(group);
  if (zone === "storage" && !fromGroupWithRole(flow, STORAGE_CLIENT_ROLES)) {
    return group.role === UNKNOWN
      ? `Set the ${TAG_ROLE} tag of security group "${group.resource.name}" to a literal value: it is unknown at preview, so it is judged as storage, and ${flow.rule.label} lets ${flow.source.label} reach it on ${trafficText(flow)} (NET-8, POL-2).`
      : `Remove ${flow.rule.label}: it lets ${flow.source.label} reach ${flow.destination.label} (storage) on ${trafficText(flow)}; storage is reachable only from the cluster's head and compute nodes and itself, so reference the head, compute or cluster security group instead (NET-8).`;
  }
  if (zone === "compute" && !fromGroupWithRole(flow, CLUSTER_ROLES)) {
    return `Remove ${flow.rule.label}: it lets ${flow.source.label} reach ${flow.destination.label} (compute, ${exposureText(group)}) on ${trafficText(flow)}; compute accepts traffic only from inside the cluster (head, compute, cluster and storage groups) and is reached with ssh -J through the entry point (NET-5).`;
  }
  if (zone === "other" && ["internet", "allowlist", "public"].includes(flow.source.kind)) {
    return entryProblem(flow, group, config);
  }
  return undefined;
}

/** The NET-4 problem with one flow (either direction), or undefined when both ends are the tenant's. */
export function tenantProblem(flow: Flow): string | undefined {
  const far = [flow.source, flow.destination].find((e) => FOREIGN_KINDS.includes(e.kind));
  if (!far) {
    return undefined;
  }
  const head = lets(flow);
  if (far.kind === "foreign-group") {
    return `Reference a security group of this stack (pass its id output) instead of ${far.label}: ${head}, and a group the stack does not declare may be another tenant's (NET-4).`;
  }
  if (far.kind === "other-network") {
    return `Remove ${far.label} from ${flow.rule.label}: ${head}, and a private block outside the tenant's VPC is another network's, reachable only through a peering, transit gateway or VPN; name only the tenant's VPC, its groups or the SSH allowlist (NET-4).`;
  }
  return `Replace ${far.label} on ${flow.rule.label} with a literal block of the tenant's VPC or allowlist, or a group of this stack: ${head}, and a prefix list or a block not built from the VPC cannot be placed at preview, so it may be another tenant's (NET-4, POL-2).`;
}

const byUrn = (graph: ReachGraph) => new Map(graph.groups.map((g) => [g.resource.urn, g]));

const uniqueReports = (report: (message: string, urn: string) => void) => {
  const seen = new Set<string>();
  return (message: string, urn: string) => {
    if (!seen.has(`${urn}\n${message}`)) {
      seen.add(`${urn}\n${message}`);
      report(message, urn);
    }
  };
};

/**
 * NET-5, NET-6, NET-7, NET-8: from outside the VPC only the access mode's entry point is reachable,
 * only on SSH and only from the allowlist; compute only from the cluster; storage only from head
 * and compute.
 */
export const netReachabilityEntryPointsOnly: StackValidationPolicy = {
  name: "net-reachability-entry-points-only",
  description:
    "Checks that only the access mode's entry point is reachable from outside the VPC (the bastion in bastion mode, the head in direct mode, nothing in ssm mode) and only on tcp 22 from the SSH allowlist, that compute is reachable only from the cluster's head, compute, cluster and storage groups, and that storage is reachable only from head and compute and itself, across every security group rule of the stack: standalone, legacy and inline (NET-5, NET-6, NET-7, NET-8).",
  configSchema: {
    properties: {
      allowSshFrom: { type: "array", items: { type: "string" } },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<ReachabilityConfig>();
    const graph = reachGraph(args.resources, { allowlist: config.allowSshFrom });
    const groups = byUrn(graph);
    const report = uniqueReports(reportViolation);
    for (const flow of graph.flows) {
      const problem = flowProblem(flow, groups, config);
      if (problem) {
        report(problem, flow.rule.resource.urn);
      }
    }
  },
};

/**
 * NET-4: no flow leads to or from another tenant: a group the stack does not declare, a private
 * block outside the tenant's VPC, or a source that cannot be placed.
 */
export const netReachabilityTenantIsolated: StackValidationPolicy = {
  name: "net-reachability-tenant-isolated",
  description:
    "Checks that no security group rule of the stack (standalone, legacy or inline, in either direction) allows a flow to or from a group the stack does not declare, a private block outside the tenant's VPC, or a prefix list or block that cannot be placed at preview (NET-4).",
  validateStack: (args, reportViolation) => {
    const report = uniqueReports(reportViolation);
    for (const flow of reachGraph(args.resources).flows) {
      const problem = tenantProblem(flow);
      if (problem) {
        report(problem, flow.rule.resource.urn);
      }
    }
  },
};

/** The reachability policies, for pack.ts to include. */
export const netReachabilityPolicies: Policies = [
  netReachabilityEntryPointsOnly,
  netReachabilityTenantIsolated,
];
