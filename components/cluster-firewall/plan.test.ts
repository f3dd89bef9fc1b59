import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { FlowSpec, groupsFor } from "./flows";
import { FirewallPlanArgs, planFirewall, validateClusterFirewallArgs } from "./plan";

const office = { cidr: "203.0.113.0/24", description: "office VPN" };
const alice = { cidr: "198.51.100.7/32", description: "" };

const base: FirewallPlanArgs = {
  tenantId: "acme",
  vpcCidr: "10.42.0.0/16",
  mode: "bastion",
  ssh: { global: [office], bastion: [], head: [] },
  acknowledgeWorldSsh: false,
  egress: "all",
};

// One line per flow: easy to read in a failure, and exact.
const line = (f: FlowSpec) => {
  const end = (p: { cidr: string } | { group: string }) => ("cidr" in p ? p.cidr : `sg:${p.group}`);
  const ports = f.ports === "all" ? "all" : `${f.protocol} ${f.ports.from}-${f.ports.to}`;
  return `${f.direction} ${f.id}: ${end(f.from)} -> ${end(f.to)} ${ports} [${f.sourceLabel}] ${f.why}`;
};

const ALWAYS = [
  "ingress ingress-cluster-all-cluster: sg:cluster -> sg:cluster all [cluster security group] NET-3: all traffic between the head nodes of the cluster",
  "ingress ingress-endpoint-https-vpc: 10.42.0.0/16 -> sg:endpoint tcp 443-443 [tenant VPC] NET-9: HTTPS from the tenant VPC (10.42.0.0/16) to the AWS interface endpoints",
  "egress egress-cluster-all-cluster: sg:cluster -> sg:cluster all [cluster security group] NET-3: all traffic from head nodes to the other head nodes",
];

describe("planFirewall: flows per access mode (NET-3, NET-6, NET-7, NET-9)", () => {
  const table: Array<[string, Partial<FirewallPlanArgs>, string[]]> = [
    [
      "NET-7: bastion mode: global and bastion sources reach the bastion, the bastion reaches head nodes",
      { ssh: { global: [office], bastion: [alice], head: [] } },
      [
        "ingress ingress-bastion-ssh-203.0.113.0-24: 203.0.113.0/24 -> sg:bastion tcp 22-22 [office VPN] NET-7: SSH to the bastion from office VPN (203.0.113.0/24)",
        "ingress ingress-bastion-ssh-198.51.100.7-32: 198.51.100.7/32 -> sg:bastion tcp 22-22 [198.51.100.7/32] NET-7: SSH to the bastion from 198.51.100.7/32",
        "ingress ingress-head-ssh-bastion: sg:bastion -> sg:head tcp 22-22 [bastion security group] NET-7: SSH from the bastion to head nodes (ssh -J), the only way in from outside",
        ...ALWAYS,
      ],
    ],
    [
      "NET-6: direct mode: global and head sources reach head nodes; no bastion",
      { mode: "direct", ssh: { global: [office], bastion: [], head: [alice] } },
      [
        "ingress ingress-head-ssh-203.0.113.0-24: 203.0.113.0/24 -> sg:head tcp 22-22 [office VPN] NET-6: SSH to head nodes from office VPN (203.0.113.0/24)",
        "ingress ingress-head-ssh-198.51.100.7-32: 198.51.100.7/32 -> sg:head tcp 22-22 [198.51.100.7/32] NET-6: SSH to head nodes from 198.51.100.7/32",
        ...ALWAYS,
      ],
    ],
    [
      "NET-7: ssm mode: nothing from outside the VPC",
      { mode: "ssm", ssh: { global: [], bastion: [], head: [] } },
      ALWAYS,
    ],
    [
      "NET-6: acknowledged world SSH reaches only the internet-facing role, on port 22",
      {
        mode: "direct",
        acknowledgeWorldSsh: true,
        ssh: { global: [{ cidr: "0.0.0.0/0", description: "anywhere" }], bastion: [], head: [] },
      },
      [
        "ingress ingress-head-ssh-0.0.0.0-0: 0.0.0.0/0 -> sg:head tcp 22-22 [anywhere] NET-6: SSH to head nodes from anywhere (0.0.0.0/0)",
        ...ALWAYS,
      ],
    ],
    [
      "NET-9: a CIDR listed globally and per role gets one rule, with the first description",
      { ssh: { global: [office], bastion: [{ ...office, description: "again" }], head: [] } },
      [
        "ingress ingress-bastion-ssh-203.0.113.0-24: 203.0.113.0/24 -> sg:bastion tcp 22-22 [office VPN] NET-7: SSH to the bastion from office VPN (203.0.113.0/24)",
        "ingress ingress-head-ssh-bastion: sg:bastion -> sg:head tcp 22-22 [bastion security group] NET-7: SSH from the bastion to head nodes (ssh -J), the only way in from outside",
        ...ALWAYS,
      ],
    ],
  ];
  for (const [title, change, expected] of table) {
    it(title, () => assert.deepEqual(planFirewall({ ...base, ...change }).map(line), expected));
  }

  const allowlist = [{ cidr: "0.0.0.0/0", protocol: "tcp" as const, fromPort: 443, description: "HTTPS" }];
  const internalEgress = (mode: FirewallPlanArgs["mode"]) =>
    planFirewall({
      ...base,
      mode,
      egress: allowlist,
      ...(mode === "ssm" ? { ssh: { global: [], bastion: [], head: [] } } : {}),
    })
      .filter((f) => f.direction === "egress")
      .map((f) => f.id);

  it("NET-2: with an egress allowlist, the outbound halves of internal flows are declared too", () => {
    assert.deepEqual(internalEgress("bastion"), [
      "egress-cluster-all-cluster",
      "egress-bastion-ssh-head",
      "egress-bastion-https-endpoint",
      "egress-cluster-https-endpoint",
    ]);
    assert.deepEqual(internalEgress("direct"), [
      "egress-cluster-all-cluster",
      "egress-cluster-https-endpoint",
    ]);
    assert.deepEqual(internalEgress("ssm"), ["egress-cluster-all-cluster", "egress-cluster-https-endpoint"]);
  });

  it("NET-7: creates the bastion group in bastion mode only", () => {
    assert.deepEqual(groupsFor("bastion"), ["bastion", "head", "cluster", "endpoint"]);
    assert.deepEqual(groupsFor("direct"), ["head", "cluster", "endpoint"]);
    assert.deepEqual(groupsFor("ssm"), ["head", "cluster", "endpoint"]);
  });

  it("NET-6/NET-7/NET-9: in every mode, CIDR flows are SSH to the facing role or HTTPS from the VPC, never all ports", () => {
    const cidr = fc
      .tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }))
      .map(([a, b]) => ({ cidr: `${a}.${b}.0.0/16`, description: "" }));
    const sources = fc.uniqueArray(cidr, { selector: (s) => s.cidr, minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.constantFrom("bastion" as const, "direct" as const),
        sources,
        sources,
        (mode, global, own) => {
          const facing = mode === "bastion" ? "bastion" : "head";
          const ssh = { global, bastion: mode === "bastion" ? own : [], head: mode === "direct" ? own : [] };
          const flows = planFirewall({ ...base, mode, ssh });
          const fromCidr = flows.filter((f) => "cidr" in f.from);
          const distinct = new Set([...global, ...own].map((s) => s.cidr));
          assert.equal(fromCidr.length, distinct.size + 1);
          for (const f of fromCidr) {
            const isEndpoint = f.to.group === "endpoint";
            assert.deepEqual(f.ports, isEndpoint ? { from: 443, to: 443 } : { from: 22, to: 22 });
            assert.equal(f.to.group, isEndpoint ? "endpoint" : facing);
          }
          assert.equal(new Set(flows.map((f) => f.id)).size, flows.length, "flow ids are unique");
        },
      ),
    );
  });

  it("is stable: reordering a source list changes no flow id", () => {
    const sources = [office, alice, { cidr: "192.0.2.0/24", description: "lab" }];
    const ids = (global: typeof sources) =>
      new Set(planFirewall({ ...base, ssh: { global, bastion: [], head: [] } }).map((f) => f.id));
    assert.deepEqual(ids(sources), ids([...sources].reverse()));
  });
});

describe("validateClusterFirewallArgs (NET-4, NET-6, NET-7)", () => {
  const none = { global: [], bastion: [], head: [] };
  const refused: Array<[string, Partial<FirewallPlanArgs>, string, RegExp]> = [
    [
      "NET-7: head rules in bastion mode",
      { ssh: { ...none, global: [office], head: [alice] } },
      "ssh.head",
      /^head nodes are not internet-facing in bastion mode: SSH reaches them through the bastion \(ssh -J\) \(NET-7\); move these sources to ssh\.bastion or ssh\.global, or use mode direct$/,
    ],
    [
      "NET-6: bastion rules in direct mode",
      { mode: "direct", ssh: { ...none, global: [office], bastion: [alice] } },
      "ssh.bastion",
      /^there is no bastion in direct mode: head nodes face the internet \(NET-6\); .* or use mode bastion$/,
    ],
    [
      "NET-7: head rules in ssm mode",
      { mode: "ssm", ssh: { ...none, head: [alice] } },
      "ssh.head",
      /^head nodes are not internet-facing in ssm mode: sessions go through AWS Systems Manager and no inbound port is open \(NET-7\); remove these sources, or use mode direct$/,
    ],
    [
      "NET-7: bastion rules in ssm mode",
      { mode: "ssm", ssh: { ...none, bastion: [alice] } },
      "ssh.bastion",
      /^there is no bastion in ssm mode: .*no inbound port is open \(NET-7\); remove these sources, or use mode bastion$/,
    ],
    [
      "NET-7: any global source in ssm mode",
      { mode: "ssm", ssh: { ...none, global: [office] } },
      "ssh.global",
      /^nothing is internet-facing in ssm mode: .*remove these sources, or use mode bastion or direct$/,
    ],
    [
      "an internet-facing mode nobody can reach",
      { mode: "direct", ssh: none },
      "ssh",
      /^lists no source for the head in direct mode, so nobody could reach the cluster; add CIDRs to ssh\.global or ssh\.head, or use mode ssm$/,
    ],
    [
      "NET-6: world SSH without the acknowledgement",
      { ssh: { ...none, global: [{ cidr: "0.0.0.0/0", description: "" }] } },
      "ssh.global[0].cidr",
      /^0\.0\.0\.0\/0 opens tcp 22 to the whole internet \(NET-6\)/,
    ],
    [
      "a source that is not a CIDR",
      { ssh: { ...none, bastion: [{ cidr: "office", description: "" }] } },
      "ssh.bastion[0].cidr",
      /^"office" is not an IPv4 CIDR block/,
    ],
    [
      "a source not written as its network address",
      { ssh: { ...none, global: [{ cidr: "203.0.113.9/24", description: "" }] } },
      "ssh.global[0].cidr",
      /write 203\.0\.113\.0\/24/,
    ],
    [
      "a description AWS refuses",
      { ssh: { ...none, global: [{ ...office, description: "Bob's VPN" }] } },
      "ssh.global[0].description",
      /contains "'", which AWS refuses/,
    ],
    [
      "a description too long for the rule",
      { ssh: { ...none, global: [{ ...office, description: "x".repeat(250) }] } },
      "ssh.global[0].description",
      /^is too long for the rule description built from it; keep it to 207 characters$/,
    ],
    [
      "an unknown mode",
      { mode: "vpn" as FirewallPlanArgs["mode"] },
      "mode",
      /^"vpn" is not an access mode; use one of bastion, direct, ssm$/,
    ],
    ["a public VPC CIDR", { vpcCidr: "8.8.0.0/16" }, "vpcCidr", /not inside a private range/],
    [
      "a blank tenant",
      { tenantId: "" },
      "tenantId",
      /use lowercase letters, digits and hyphens, e\.g\. acme/,
    ],
    [
      "NET-11: egress none",
      { egress: "none" as unknown as "all" },
      "egress",
      /^"none" would cut every node off; .*quarantine \(NET-11\)$/,
    ],
    [
      "an invalid egress allowlist entry",
      { egress: [{ cidr: "10.0.0.0/8", protocol: "tcp", description: "" }] },
      "egress[0].fromPort",
      /is missing/,
    ],
    [
      "a missing list",
      { ssh: { global: [office], bastion: [] } as unknown as FirewallPlanArgs["ssh"] },
      "ssh.head",
      /^must be a list/,
    ],
  ];
  for (const [title, change, path, reason] of refused) {
    it(`refuses ${title}, at ${path}`, () => {
      const problems = validateClusterFirewallArgs({ ...base, ...change });
      assert.equal(problems[0]?.propertyPath, path, JSON.stringify(problems));
      assert.match(problems[0].reason, reason);
      assert.throws(
        () => planFirewall({ ...base, ...change }),
        (err: Error) => err.message.includes(problems[0].reason),
      );
    });
  }

  it("accepts every mode with its own sources", () => {
    assert.deepEqual(validateClusterFirewallArgs(base), []);
    assert.deepEqual(
      validateClusterFirewallArgs({ ...base, mode: "direct", ssh: { ...none, head: [alice] } }),
      [],
    );
    assert.deepEqual(validateClusterFirewallArgs({ ...base, mode: "ssm", ssh: none }), []);
  });

  it("reports every problem at once", () => {
    const problems = validateClusterFirewallArgs({
      ...base,
      tenantId: "",
      mode: "ssm",
      ssh: { global: [office], bastion: [alice], head: [alice] },
      egress: [],
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["tenantId", "ssh.global", "ssh.bastion", "ssh.head", "egress"],
    );
  });
});
