import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ClusterFirewall, ClusterFirewallArgs } from "./cluster-firewall";
import { ALL_EGRESS_DESCRIPTION } from "../security-group/security-group-args";
import { Recorded, installRecordingMocks, valueOf, waitForRegistrations } from "../testing/recording-mocks";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

let recorded: () => Recorded[];
before(async () => {
  recorded = (await installRecordingMocks()).all;
});

const office = { cidr: "203.0.113.0/24", description: "office VPN" };
const alice = { cidr: "198.51.100.7/32", description: "" };
const none = { global: [], bastion: [], head: [] };

const base: ClusterFirewallArgs = {
  tenantId: "acme",
  vpcId: pulumi.output("vpc-1"),
  vpcCidr: "10.42.0.0/16",
  mode: "bastion",
  ssh: { global: [office], bastion: [alice], head: [] },
  acknowledgeWorldSsh: false,
  egress: "all",
};

interface Built {
  firewall: ClusterFirewall;
  all: Recorded[];
  /** Every rule of a type as `<group> <- <peer> <protocol> <ports>: <description>`, sorted. */
  rules(type: string): string[];
}

async function build(name: string, change: Partial<ClusterFirewallArgs>): Promise<Built> {
  const firewall = new ClusterFirewall(name, { ...base, ...change });
  await waitForRegistrations();
  const all = recorded().filter((r) => r.name === name || r.name.startsWith(`${name}-`));
  // Mocked IDs are `<resource name>-id`, so a group's ID names its role.
  const role = (id: unknown) => String(id).replace(new RegExp(`^${name}-(\\w+)-sg-id$`), "sg:$1");
  const rules = (type: string) =>
    all
      .filter((r) => r.type === type)
      .map(({ inputs: i }) => {
        const peer = i.cidrIpv4 ?? role(i.referencedSecurityGroupId);
        const ports = i.fromPort === undefined ? "" : ` ${i.fromPort}-${i.toPort}`;
        return `${role(i.securityGroupId)} <- ${peer} ${i.ipProtocol}${ports}: ${i.description}`;
      })
      .sort();
  return { firewall, all, rules };
}

const CLUSTER_SELF = "sg:cluster <- sg:cluster -1: NET-3: all traffic between the head nodes of the cluster";
const ENDPOINT =
  "sg:endpoint <- 10.42.0.0/16 tcp 443-443: NET-9: HTTPS from the tenant VPC (10.42.0.0/16) to the AWS interface endpoints";

describe("ClusterFirewall: ingress rules per access mode (NET-1, NET-3, NET-6, NET-7, NET-9)", () => {
  const modes: Array<[string, Partial<ClusterFirewallArgs>, string[]]> = [
    [
      "NET-7: bastion mode: SSH reaches the bastion from the allowlist, head nodes from the bastion only",
      {},
      [
        "sg:bastion <- 198.51.100.7/32 tcp 22-22: NET-7: SSH to the bastion from 198.51.100.7/32",
        "sg:bastion <- 203.0.113.0/24 tcp 22-22: NET-7: SSH to the bastion from office VPN (203.0.113.0/24)",
        CLUSTER_SELF,
        ENDPOINT,
        "sg:head <- sg:bastion tcp 22-22: NET-7: SSH from the bastion to head nodes (ssh -J), the only way in from outside",
      ],
    ],
    [
      "NET-6: direct mode: SSH reaches head nodes from the allowlist; there is no bastion",
      { mode: "direct", ssh: { global: [office], bastion: [], head: [alice] } },
      [
        CLUSTER_SELF,
        ENDPOINT,
        "sg:head <- 198.51.100.7/32 tcp 22-22: NET-6: SSH to head nodes from 198.51.100.7/32",
        "sg:head <- 203.0.113.0/24 tcp 22-22: NET-6: SSH to head nodes from office VPN (203.0.113.0/24)",
      ],
    ],
    [
      "NET-7: ssm mode: no rule from outside the VPC at all",
      { mode: "ssm", ssh: none },
      [CLUSTER_SELF, ENDPOINT],
    ],
  ];
  for (const [index, [title, change, expected]] of modes.entries()) {
    describe(title, () => {
      const name = `fw${index}`;
      let built: Built;
      before(async () => {
        built = await build(name, change);
      });

      it("carries exactly these ingress rules (source, ports, description)", () => {
        assert.deepEqual(built.rules(INGRESS), expected);
      });

      it("NET-1/NET-9: no security group has inline rules, and each carries its moat:role", () => {
        const groups = built.all.filter((r) => r.type === SG);
        const roles =
          change.mode === undefined
            ? ["bastion", "head", "cluster", "endpoint"]
            : ["head", "cluster", "endpoint"];
        assert.deepEqual(
          groups.map((g) => g.inputs.tags).sort(),
          roles.map((r) => ({ Name: `${name}-${r}`, "moat:role": r })).sort(),
        );
        for (const g of groups) {
          assert.ok(!("ingress" in g.inputs) && !("egress" in g.inputs), `${g.name} has inline rules`);
          assert.equal(g.inputs.vpcId, "vpc-1");
          assert.match(String(g.inputs.description), /^Moat acme /);
        }
      });

      it("NET-2/NET-3: all traffic out of bastion, head and cluster, plus the cluster's self egress; none from endpoints", () => {
        const groups = change.mode === undefined ? ["bastion", "cluster", "head"] : ["cluster", "head"];
        assert.deepEqual(
          built.rules(EGRESS),
          [
            "sg:cluster <- sg:cluster -1: NET-3: all traffic from head nodes to the other head nodes",
            ...groups.map((g) => `sg:${g} <- 0.0.0.0/0 -1: ${ALL_EGRESS_DESCRIPTION}`),
          ].sort(),
        );
      });

      it("children are named after the firewall and parented: groups and rules under it, AWS resources under those", async () => {
        const urn = await valueOf(built.firewall.urn);
        const under = (r: Recorded, type: string, owner: string) =>
          assert.ok(r.parent.endsWith(`${type}::${owner}`), `${r.name} is not under ${owner}: ${r.parent}`);
        const groups = built.all.filter((r) => r.type === SG);
        for (const r of built.all) {
          if (r.type === "moat:network:DefaultDenySecurityGroup" || r.type === "moat:network:FirewallRule") {
            assert.equal(r.parent, urn, r.name);
          } else if (r.type === INGRESS) {
            under(r, "moat:network:FirewallRule", r.name.replace(/-ingress$/, ""));
          } else if (r.type === EGRESS && r.name.startsWith(`${name}-egress-`)) {
            // Planned group-to-group egress flows belong to the firewall itself.
            assert.equal(r.parent, urn, r.name);
          } else if (r.type === SG || r.type === EGRESS) {
            under(r, "moat:network:DefaultDenySecurityGroup", r.name.replace(/-(sg|egress-.*)$/, ""));
          }
        }
        assert.ok(
          groups.every((g) => new RegExp(`^${name}-(bastion|head|cluster|endpoint)-sg$`).test(g.name)),
        );
        const ruleComponents = built.all.filter((r) => r.type === "moat:network:FirewallRule");
        assert.equal(ruleComponents.length, expected.length);
        assert.ok(
          ruleComponents.every((r) => r.name.startsWith(`${name}-ingress-`)),
          "ingress rule names",
        );
      });

      it("exposes the group IDs of the mode and the planned flows", async () => {
        const ids = built.firewall.securityGroupIds;
        assert.equal(await valueOf(ids.head), `${name}-head-sg-id`);
        assert.equal(await valueOf(ids.cluster), `${name}-cluster-sg-id`);
        assert.equal(await valueOf(ids.endpoint), `${name}-endpoint-sg-id`);
        assert.equal(ids.bastion === undefined, change.mode !== undefined);
        assert.equal(built.firewall.flows.filter((f) => f.direction === "ingress").length, expected.length);
      });
    });
  }
});

describe("ClusterFirewall: egress allowlist (NET-2, NET-3)", () => {
  it("replaces all-traffic egress and declares the outbound halves of internal flows", async () => {
    const https = {
      cidr: "0.0.0.0/0",
      protocol: "tcp" as const,
      fromPort: 443,
      description: "HTTPS anywhere",
    };
    const built = await build("fwa", { egress: [https] });
    const why = "needed because an egress allowlist replaces all-traffic egress";
    assert.deepEqual(built.rules(EGRESS), [
      `sg:bastion <- 0.0.0.0/0 tcp 443-443: HTTPS anywhere`,
      `sg:bastion <- sg:endpoint tcp 443-443: NET-2: HTTPS to the AWS interface endpoints, ${why}`,
      `sg:bastion <- sg:head tcp 22-22: NET-7: SSH from the bastion to head nodes, ${why}`,
      `sg:cluster <- 0.0.0.0/0 tcp 443-443: HTTPS anywhere`,
      "sg:cluster <- sg:cluster -1: NET-3: all traffic from head nodes to the other head nodes",
      `sg:cluster <- sg:endpoint tcp 443-443: NET-2: HTTPS to the AWS interface endpoints, ${why}`,
      `sg:head <- 0.0.0.0/0 tcp 443-443: HTTPS anywhere`,
    ]);
    assert.deepEqual(
      built.firewall.nodeGroupFirewall.egress,
      [https],
      "compute groups get the same allowlist",
    );
  });
});

describe("ClusterFirewall: what compute groups join (NET-2, NET-3, NET-11)", () => {
  it("hands compute groups the head and endpoint groups and the egress setting, and no rule for them", async () => {
    const built = await build("fwn", {});
    const { nodeGroupFirewall } = built.firewall;
    assert.equal(await valueOf(pulumi.output(nodeGroupFirewall.headSecurityGroupId)), "fwn-head-sg-id");
    assert.equal(
      await valueOf(pulumi.output(nodeGroupFirewall.endpointSecurityGroupId)),
      "fwn-endpoint-sg-id",
    );
    assert.equal(nodeGroupFirewall.egress, "all");
    // Compute groups declare their own rules (planNodeGroupFlows), so quarantine can withdraw them.
    assert.deepEqual(
      built.all.filter((r) => r.type === SG).map((r) => r.name),
      ["fwn-bastion-sg", "fwn-head-sg", "fwn-cluster-sg", "fwn-endpoint-sg"],
    );
  });
});

describe("ClusterFirewall: invalid args (NET-6, NET-7)", () => {
  it("throws every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new ClusterFirewall("fw-bad", {
          ...base,
          mode: "ssm",
          ssh: { global: [], bastion: [alice], head: [{ cidr: "0.0.0.0/0", description: "" }] },
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["ssh.bastion", "ssh.head"],
        );
        assert.match(
          err.message,
          /^Invalid ClusterFirewall "fw-bad" args:\n {2}- ssh\.bastion: there is no bastion in ssm mode/,
        );
        assert.match(err.message, /ssh\.head: head nodes are not internet-facing in ssm mode/);
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(
      recorded().filter((r) => r.name.startsWith("fw-bad")),
      [],
    );
  });

  it("NET-6: refuses world SSH without the acknowledgement, naming the source", () => {
    assert.throws(
      () =>
        new ClusterFirewall("fw-world", {
          ...base,
          ssh: { ...none, global: [{ cidr: "0.0.0.0/0", description: "" }] },
        }),
      /ssh\.global\[0\]\.cidr: 0\.0\.0\.0\/0 opens tcp 22 to the whole internet \(NET-6\)/,
    );
  });
});
