// The whole-stack reachability policies (NET-4, NET-5, NET-6, NET-7, NET-8) on stacks shaped like the
// example stacks' real plans: each passes in every access mode, each mutation fails with the rule,
// source, destination, ports and fix named, and every verdict is the same in every ID mode (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StackValidationPolicy } from "@pulumi/policy";
import { ID_MODES, buildStack, urnOf } from "./net-fixtures";
import { DEV_ALLOWLIST, MODE_STACKS, ReachSpec, ReachStack, reachStack } from "./net-reach-fixtures";
import {
  ReachabilityConfig,
  netReachabilityEntryPointsOnly,
  netReachabilityPolicies,
  netReachabilityTenantIsolated,
} from "./net-reach";
import { NetType } from "./net-stack";
import { StackViolation, runStackPolicy, unknown } from "./testing";

const INGRESS = NetType.ingressRule;

const tcp = (from: number, to = from) => ({ ipProtocol: "tcp", fromPort: from, toPort: to });

function rule(onto: string, props: Record<string, unknown>, from?: string): ReachSpec {
  const links: Record<string, string[]> = { securityGroupId: [onto] };
  if (from) {
    links.referencedSecurityGroupId = [from];
  }
  return { type: INGRESS, props: { description: "added by the test", ...props }, links };
}

/** Runs `policy` on the mode's stack after `change`, asserting `expected` in every ID mode (POL-2). */
async function assertVerdict(
  policy: StackValidationPolicy,
  make: () => ReachStack,
  change: (stack: ReachStack) => void,
  expected: readonly StackViolation[],
  config: ReachabilityConfig = {},
): Promise<void> {
  for (const mode of ID_MODES) {
    const stack = make();
    change(stack);
    const run = await runStackPolicy(policy, buildStack(stack, mode), config);
    assert.deepEqual(run, { violations: expected }, `ID mode ${mode}`);
  }
}

const bastion = () => reachStack("bastion");
const direct = MODE_STACKS["direct (initech-lab)"];
const at = (name: string) => urnOf(INGRESS, name);

describe("net-reachability-* on the example stacks' shapes (NET-4 to NET-8)", () => {
  for (const [name, make] of Object.entries(MODE_STACKS)) {
    it(`${name}: both policies pass in every ID mode`, async () => {
      for (const policy of netReachabilityPolicies as StackValidationPolicy[]) {
        await assertVerdict(policy, make, () => {}, []);
      }
    });
  }
});

describe("net-reachability-entry-points-only (NET-5, NET-6, NET-7, NET-8)", () => {
  const policy = netReachabilityEntryPointsOnly;

  it("fails SSH to compute from 0.0.0.0/0 (NET-5)", async () => {
    await assertVerdict(
      policy,
      bastion,
      (s) => (s["compute-ssh-world"] = rule("dev-compute-gpu-efa-sg", { ...tcp(22), cidrIpv4: "0.0.0.0/0" })),
      [
        {
          message:
            'Remove ingress rule "compute-ssh-world": it lets internet 0.0.0.0/0 reach compute group "dev-compute-gpu-efa-sg" (compute, not exposed to the internet today) on tcp 22; compute accepts traffic only from inside the cluster (head, compute, cluster and storage groups) and is reached with ssh -J through the entry point (NET-5).',
          urn: at("compute-ssh-world"),
        },
      ],
    );
  });

  it("fails storage reachable from the bastion (NET-8)", async () => {
    await assertVerdict(
      policy,
      bastion,
      (s) => (s["storage-from-bastion"] = rule("dev-storage-sg", tcp(2049), "dev-bastion-sg")),
      [
        {
          message:
            'Remove ingress rule "storage-from-bastion": it lets bastion group "dev-bastion-sg" reach storage group "dev-storage-sg" (storage) on tcp 2049; storage is reachable only from the cluster\'s head and compute nodes and itself, so reference the head, compute or cluster security group instead (NET-8).',
          urn: at("storage-from-bastion"),
        },
      ],
    );
  });

  it("fails head port 8888 open in direct mode (NET-6)", async () => {
    await assertVerdict(
      policy,
      direct,
      (s) => (s["head-jupyter"] = rule("dev-head-sg", { ...tcp(8888), cidrIpv4: DEV_ALLOWLIST })),
      [
        {
          message:
            'Narrow ingress rule "head-jupyter" to tcp 22: it lets allowlist 198.51.100.0/24 reach head group "dev-head-sg" on tcp 8888 from outside the VPC; the entry point accepts only SSH from outside, and JupyterLab (tcp 8888) is reached through an SSH or Session Manager tunnel, never directly (NET-6).',
          urn: at("head-jupyter"),
        },
      ],
    );
  });

  it("fails SSH into the head from outside in ssm and bastion modes (NET-7)", async () => {
    for (const m of ["ssm", "bastion"] as const) {
      const [{ message }] = (
        await runStackPolicy(
          policy,
          buildStack({
            ...reachStack(m),
            "head-ssh": rule("dev-head-sg", { ...tcp(22), cidrIpv4: DEV_ALLOWLIST }),
          }),
        )
      ).violations;
      assert.match(
        message,
        /^Remove ingress rule "head-ssh": it lets allowlist 198\.51\.100\.0\/24 from outside/,
      );
      assert.match(message, new RegExp(`the VPC is in ${m} access mode, .* \\(NET-6, NET-7\\)\\.$`));
    }
  });

  it("fails all traffic from the internet through a legacy rule into the head", async () => {
    const legacy: ReachSpec = {
      type: NetType.legacyRule,
      props: {
        type: "ingress",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
        description: "x",
      },
      links: { securityGroupId: ["dev-head-sg"] },
    };
    const run = await runStackPolicy(policy, buildStack({ ...bastion(), legacy }));
    assert.match(
      run.violations[0].message,
      /lets internet 0\.0\.0\.0\/0 from outside the VPC reach head .* on all traffic/,
    );
  });

  it("fails an inline ingress entry opening compute to the world", async () => {
    const stack = bastion();
    stack["dev-cluster-sg"].props.ingress = [
      { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
    ];
    const run = await runStackPolicy(policy, buildStack(stack));
    assert.deepEqual(
      run.violations.map((v) => v.message),
      [
        'Remove inline ingress[0] of security group "dev-cluster-sg": it lets internet 0.0.0.0/0 reach cluster group "dev-cluster-sg" (compute, not exposed to the internet today) on tcp 22; compute accepts traffic only from inside the cluster (head, compute, cluster and storage groups) and is reached with ssh -J through the entry point (NET-5).',
      ],
    );
  });

  it("leaves SSH from the world into the entry point to net-world-ssh-acknowledged, one acknowledgement (NET-6)", async () => {
    const change = (s: ReachStack) =>
      (s["bastion-world"] = rule("dev-bastion-sg", { ...tcp(22), cidrIpv4: "0.0.0.0/0" }));
    await assertVerdict(policy, bastion, change, []);
  });

  it("fails a public block outside the configured allowlist (NET-6)", async () => {
    await assertVerdict(policy, bastion, () => {}, [], { allowSshFrom: [DEV_ALLOWLIST] });
    const run = await runStackPolicy(policy, buildStack(bastion()), { allowSshFrom: ["203.0.113.0/24"] });
    assert.deepEqual(
      run.violations.map((v) => v.message),
      [
        'Replace public 198.51.100.0/24 on ingress rule "dev-ingress-bastion-ssh-198.51.100.0-24-ingress" with a block of the SSH allowlist (203.0.113.0/24): only the allowlist may SSH into bastion group "dev-bastion-sg" (NET-6).',
      ],
    );
  });

  it("judges a group whose role is unknown at preview as storage, asking for a literal (POL-2)", async () => {
    const stack = bastion();
    stack["dev-endpoint-sg"].props.tags = { "moat:role": unknown.string };
    const run = await runStackPolicy(policy, buildStack(stack));
    assert.deepEqual(
      run.violations.map((v) => v.message),
      [
        'Set the moat:role tag of security group "dev-endpoint-sg" to a literal value: it is unknown at preview, so it is judged as storage, and ingress rule "dev-ingress-endpoint-https-vpc-ingress" lets vpc 10.20.0.0/20 reach it on tcp 443 (NET-8, POL-2).',
      ],
    );
  });

  it("fails the entry point's SSH in a VPC whose access mode is unknown at preview (NET-7, POL-2)", async () => {
    const stack = bastion();
    stack["dev-vpc"].props.tags = { "moat:access-mode": unknown.string };
    const run = await runStackPolicy(policy, buildStack(stack));
    assert.deepEqual(
      run.violations.map((v) => v.message),
      [
        'Remove ingress rule "dev-ingress-bastion-ssh-198.51.100.0-24-ingress": it lets allowlist 198.51.100.0/24 from outside the VPC reach bastion group "dev-bastion-sg" (exposed to the internet now: "dev-bastion-instance" (Elastic IP "dev-bastion-eip") sits in a subnet routed to an internet gateway) on tcp 22; the VPC is in no known access mode (its moat:access-mode tag is not a literal bastion, direct or ssm), so nothing is an entry point (NET-6, NET-7).',
      ],
    );
  });
});

describe("net-reachability-tenant-isolated (NET-4)", () => {
  const policy = netReachabilityTenantIsolated;

  it("fails a rule referencing a group the stack does not declare", async () => {
    await assertVerdict(
      policy,
      bastion,
      (s) =>
        (s["head-from-other"] = {
          type: INGRESS,
          props: { description: "x", ...tcp(22), referencedSecurityGroupId: "sg-0123456789abcdef0" },
          links: { securityGroupId: ["dev-head-sg"] },
        }),
      [
        {
          message:
            'Reference a security group of this stack (pass its id output) instead of foreign group sg-0123456789abcdef0 (referencedSecurityGroupId of "head-from-other"): it lets foreign group sg-0123456789abcdef0 (referencedSecurityGroupId of "head-from-other") reach head group "dev-head-sg" on tcp 22, and a group the stack does not declare may be another tenant\'s (NET-4).',
          urn: at("head-from-other"),
        },
      ],
    );
  });

  it("fails flows to and from another VPC's block, and a prefix list", async () => {
    const stack = bastion();
    stack["peer-in"] = rule("dev-head-sg", { ...tcp(22), cidrIpv4: "10.99.0.0/16" });
    stack["peer-out"] = {
      ...rule("dev-cluster-sg", { ...tcp(5432), cidrIpv4: "172.31.0.0/16" }),
      type: NetType.egressRule,
    };
    stack["by-prefix"] = rule("dev-bastion-sg", { ...tcp(22), prefixListId: "pl-0abc" });
    const run = await runStackPolicy(policy, buildStack(stack));
    assert.deepEqual(
      run.violations.map((v) => v.message.replace(/:.*\(/, ": ... (")),
      [
        'Remove other network 10.99.0.0/16 from ingress rule "peer-in": ... (NET-4).',
        'Remove other network 172.31.0.0/16 from egress rule "peer-out": ... (NET-4).',
        'Replace prefix list (prefixListId of "by-prefix") on ingress rule "by-prefix" with a literal block of the tenant\'s VPC or allowlist, or a group of this stack: ... (NET-4, POL-2).',
      ],
    );
  });
});
