import type { ClusterFirewallArgs } from "./cluster-firewall";
import { validateNetworkCidr } from "../network/subnet-plan";
import { FirewallRuleContext, firewallRuleProblems } from "../firewall-rule/rule";
import { RuleProblem, MAX_DESCRIPTION_LENGTH } from "../firewall-rule/rule-checks";
import { ACCESS_MODES, AccessMode, FlowSpec, INTERNET_FACING, SshSource } from "./flows";
import { cidrKey, egressProblems } from "../security-group/security-group-args";

/** What {@link planFirewall} needs: everything but the VPC ID, which is unknown at preview. */
export type FirewallPlanArgs = Omit<ClusterFirewallArgs, "vpcId">;

type SshList = "global" | "bastion" | "head";

const TENANT_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * What each rule is judged against (NET-4, NET-6): the VPC and every SSH source, plus the stack's
 * world-SSH acknowledgement.
 */
export function firewallContext(args: FirewallPlanArgs): FirewallRuleContext {
  const lists = (["global", "bastion", "head"] as const).map((list) => args.ssh?.[list]);
  const sources = lists.flatMap((list) => (Array.isArray(list) ? list : []));
  return {
    tenantCidrs: [args.vpcCidr, ...sources.map((s) => s?.cidr)],
    acknowledgeWorldSsh: args.acknowledgeWorldSsh === true,
  };
}

function sshWhy(facing: "bastion" | "head", source: SshSource): string {
  const [id, target] = facing === "bastion" ? ["NET-7", "the bastion"] : ["NET-6", "head nodes"];
  const from = source.description ? `${source.description} (${source.cidr})` : source.cidr;
  return `${id}: SSH to ${target} from ${from}`;
}

function roleListProblem(list: SshList, mode: AccessMode): string {
  if (mode === "ssm") {
    const ssm =
      "sessions go through AWS Systems Manager and no inbound port is open (NET-7); remove these sources";
    const subject = {
      global: "nothing is internet-facing in ssm mode",
      bastion: "there is no bastion in ssm mode",
      head: "head nodes are not internet-facing in ssm mode",
    }[list];
    const other = { global: "bastion or direct", bastion: "bastion", head: "direct" }[list];
    return `${subject}: ${ssm}, or use mode ${other}`;
  }
  return list === "head"
    ? "head nodes are not internet-facing in bastion mode: SSH reaches them through the bastion " +
        "(ssh -J) (NET-7); move these sources to ssh.bastion or ssh.global, or use mode direct"
    : "there is no bastion in direct mode: head nodes face the internet (NET-6); move these " +
        "sources to ssh.head or ssh.global, or use mode bastion";
}

// Each SSH source of an internet-facing list, checked as the rule it becomes.
function sshSourceProblems(args: FirewallPlanArgs, facing: "bastion" | "head", list: SshList): RuleProblem[] {
  const context = firewallContext(args);
  return (args.ssh[list] ?? []).flatMap((source, i) => {
    const at = `ssh.${list}[${i}]`;
    const why = sshWhy(facing, { cidr: source?.cidr, description: source?.description ?? "" });
    const rule = { securityGroupId: "planned", description: why, protocol: "tcp" as const, fromPort: 22 };
    const problems = firewallRuleProblems({ ...rule, source: { cidr: source?.cidr ?? "" } }, context);
    // The context is built from these args: its CIDRs are reported at their own paths.
    return problems
      .filter((p) => !p.propertyPath.startsWith("context."))
      .map((p) => {
        if (p.propertyPath === "source.cidr") {
          return { propertyPath: `${at}.cidr`, reason: p.reason };
        }
        if (p.propertyPath === "description" && why.length > MAX_DESCRIPTION_LENGTH) {
          const budget = MAX_DESCRIPTION_LENGTH - (why.length - (source?.description ?? "").length);
          const reason = `is too long for the rule description built from it; keep it to ${budget} characters`;
          return { propertyPath: `${at}.description`, reason };
        }
        return {
          propertyPath: p.propertyPath === "description" ? `${at}.description` : at,
          reason: p.reason,
        };
      });
  });
}

/**
 * Checks every {@link ClusterFirewallArgs} property and returns all problems at once, each with its
 * path and a fix; an empty array means the firewall can be planned. Besides each source's own
 * checks (CIDR form, NET-4 ownership, NET-6 world SSH), it refuses SSH sources for a role that is
 * not internet-facing in the mode (head in bastion/ssm, bastion in direct/ssm, any source in ssm),
 * an internet-facing mode with no source at all, and `egress: "none"` (that is quarantine, NET-11).
 */
export function validateClusterFirewallArgs(args: FirewallPlanArgs): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
  if (typeof args.tenantId !== "string" || !TENANT_ID.test(args.tenantId)) {
    add(
      "tenantId",
      `${JSON.stringify(args.tenantId)} is not a tenant id; use lowercase letters, digits and hyphens, e.g. acme`,
    );
  }
  for (const reason of validateNetworkCidr(args.vpcCidr)) {
    add("vpcCidr", reason);
  }
  if (typeof args.acknowledgeWorldSsh !== "boolean") {
    add("acknowledgeWorldSsh", "must be true or false; false keeps 0.0.0.0/0 off SSH (NET-6)");
  }
  const lists = (["global", "bastion", "head"] as const).filter((list) => {
    if (!Array.isArray(args.ssh?.[list])) {
      add(`ssh.${list}`, "must be a list of { cidr, description } (use [] for none)");
      return false;
    }
    return true;
  });
  if (!ACCESS_MODES.includes(args.mode)) {
    add("mode", `${JSON.stringify(args.mode)} is not an access mode; use one of ${ACCESS_MODES.join(", ")}`);
  } else {
    const facing = INTERNET_FACING[args.mode];
    for (const list of lists) {
      if (list !== "global" && list !== facing && args.ssh[list].length > 0) {
        add(`ssh.${list}`, roleListProblem(list, args.mode));
      } else if (list === "global" && facing === undefined && args.ssh.global.length > 0) {
        add("ssh.global", roleListProblem("global", args.mode));
      } else if (facing !== undefined) {
        problems.push(...sshSourceProblems(args, facing, list));
      }
    }
    const reachable = lists.filter((l) => l === "global" || l === facing).some((l) => args.ssh[l].length > 0);
    if (facing !== undefined && lists.length === 3 && !reachable) {
      add(
        "ssh",
        `lists no source for the ${facing} in ${args.mode} mode, so nobody could reach the cluster; ` +
          `add CIDRs to ssh.global or ssh.${facing}, or use mode ssm`,
      );
    }
  }
  // Not in the type, but config and JavaScript callers can still pass it.
  if ((args.egress as unknown) === "none") {
    add(
      "egress",
      `"none" would cut every node off; use "all" (NET-2) or an allowlist. Cutting a node group off is quarantine (NET-11)`,
    );
  } else {
    problems.push(...egressProblems(args.egress, "egress"));
  }
  return problems;
}

/**
 * Plans every flow the cluster firewall allows, for the mode (NET-1, NET-3, NET-6, NET-7, NET-9):
 * - bastion: SSH from each global and bastion source to the bastion, SSH from the bastion group to
 *   the head group; nothing else reaches the bastion.
 * - direct: SSH from each global and head source to the head group; no bastion.
 * - ssm: no rule from any CIDR outside the VPC.
 * - always: all traffic within the cluster group (the head nodes), in and out (NET-3), and HTTPS
 *   from the VPC to the interface endpoints.
 * - with an egress allowlist, the outbound halves of the flows between groups (bastion to head
 *   SSH, bastion and cluster to the endpoints), which all-traffic egress covers otherwise.
 * A CIDR listed twice gets one rule (the first description wins). Pure and stable: ids depend on
 * content, not position, so reordering a list replaces nothing.
 *
 * @throws Error listing every problem {@link validateClusterFirewallArgs} finds.
 */
export function planFirewall(args: FirewallPlanArgs): FlowSpec[] {
  const problems = validateClusterFirewallArgs(args);
  if (problems.length > 0) {
    throw new Error(
      `Cannot plan the firewall: ${problems.map((p) => `${p.propertyPath}: ${p.reason}`).join("; ")}`,
    );
  }
  const ssh = { protocol: "tcp", ports: { from: 22, to: 22 } } as const;
  const https = { protocol: "tcp", ports: { from: 443, to: 443 } } as const;
  const all = { protocol: "all", ports: "all" } as const;
  const flows: FlowSpec[] = [];

  const facing = INTERNET_FACING[args.mode];
  if (facing !== undefined) {
    const seen = new Set<string>();
    for (const source of [...args.ssh.global, ...args.ssh[facing]]) {
      if (seen.has(source.cidr)) {
        continue;
      }
      seen.add(source.cidr);
      flows.push({
        id: `ingress-${facing}-ssh-${cidrKey(source.cidr)}`,
        direction: "ingress",
        from: { cidr: source.cidr },
        to: { group: facing },
        ...ssh,
        sourceLabel: source.description || source.cidr,
        why: sshWhy(facing, source),
      });
    }
  }
  const bastion = { group: "bastion" } as const;
  const head = { group: "head" } as const;
  const cluster = { group: "cluster" } as const;
  const endpoint = { group: "endpoint" } as const;
  if (args.mode === "bastion") {
    flows.push({
      id: "ingress-head-ssh-bastion",
      direction: "ingress",
      from: bastion,
      to: head,
      ...ssh,
      sourceLabel: "bastion security group",
      why: "NET-7: SSH from the bastion to head nodes (ssh -J), the only way in from outside",
    });
  }
  flows.push(
    {
      id: "ingress-cluster-all-cluster",
      direction: "ingress",
      from: cluster,
      to: cluster,
      ...all,
      sourceLabel: "cluster security group",
      why: "NET-3: all traffic between the head nodes of the cluster",
    },
    {
      id: "ingress-endpoint-https-vpc",
      direction: "ingress",
      from: { cidr: args.vpcCidr },
      to: endpoint,
      ...https,
      sourceLabel: "tenant VPC",
      why: `NET-9: HTTPS from the tenant VPC (${args.vpcCidr}) to the AWS interface endpoints`,
    },
    {
      id: "egress-cluster-all-cluster",
      direction: "egress",
      from: cluster,
      to: cluster,
      ...all,
      sourceLabel: "cluster security group",
      why: "NET-3: all traffic from head nodes to the other head nodes",
    },
  );
  if (Array.isArray(args.egress)) {
    const allowlisted = "needed because an egress allowlist replaces all-traffic egress";
    const endpointWhy = `NET-2: HTTPS to the AWS interface endpoints, ${allowlisted}`;
    if (args.mode === "bastion") {
      flows.push(
        {
          id: "egress-bastion-ssh-head",
          direction: "egress",
          from: bastion,
          to: head,
          ...ssh,
          sourceLabel: "bastion security group",
          why: `NET-7: SSH from the bastion to head nodes, ${allowlisted}`,
        },
        {
          id: "egress-bastion-https-endpoint",
          direction: "egress",
          from: bastion,
          to: endpoint,
          ...https,
          sourceLabel: "bastion security group",
          why: endpointWhy,
        },
      );
    }
    flows.push({
      id: "egress-cluster-https-endpoint",
      direction: "egress",
      from: cluster,
      to: endpoint,
      ...https,
      sourceLabel: "cluster security group",
      why: endpointWhy,
    });
  }
  return flows;
}
