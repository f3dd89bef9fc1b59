// The reachability model (NET-4, NET-5, NET-6, NET-8) on stacks shaped like real plans, and on the
// rule styles and sources a user might write; the same model in every ID mode (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ID_MODES, buildStack } from "./net-fixtures";
import { DEV_ALLOWLIST, MODE_STACKS, ReachStack, reachStack } from "./net-reach-fixtures";
import { ReachGraph, ReachOptions, reachGraph } from "./net-reach-graph";
import { ReachType } from "./net-reach-exposure";
import { reachRows } from "./net-reach-rows";
import { NetType } from "./net-stack";
import { unknown } from "./testing";

/** One row per flow: source -> destination, traffic, rule. */
const rows = (graph: ReachGraph) =>
  reachRows(graph).map(
    (r) => `${r.source.label} -> ${r.destination.label}: ${r.protocol} ${r.ports} (${r.rule})`,
  );

function graphOf(stack: ReachStack, mode: (typeof ID_MODES)[number] = "never-read", options?: ReachOptions) {
  return reachGraph(buildStack(stack, mode), options);
}

const exposures = (graph: ReachGraph) =>
  Object.fromEntries(graph.groups.map((g) => [g.resource.name, g.exposure.level]));

describe("reachGraph on the access modes' stacks (NET-5, NET-6, NET-7, NET-8)", () => {
  it("dev (bastion mode): the only flow from outside is SSH from the allowlist to the bastion", () => {
    assert.deepEqual(rows(graphOf(reachStack("bastion"))), [
      'allowlist 198.51.100.0/24 -> bastion group "dev-bastion-sg": tcp 22 (dev-ingress-bastion-ssh-198.51.100.0-24-ingress)',
      'vpc 10.20.0.0/20 -> endpoint group "dev-endpoint-sg": tcp 443 (dev-ingress-endpoint-https-vpc-ingress)',
      'bastion group "dev-bastion-sg" -> head group "dev-head-sg": tcp 22 (dev-ingress-head-ssh-bastion-ingress)',
      'bastion group "dev-bastion-sg" -> internet 0.0.0.0/0: all all (dev-bastion-egress-all)',
      'cluster group "dev-cluster-sg" -> cluster group "dev-cluster-sg": all all (dev-ingress-cluster-all-cluster-ingress)',
      'cluster group "dev-cluster-sg" -> internet 0.0.0.0/0: all all (dev-cluster-egress-all)',
      'cluster group "dev-cluster-sg" -> storage group "dev-storage-sg": tcp 2049 (dev-in-cluster-tcp-2049-ingress)',
      'compute group "dev-compute-gpu-efa-sg" -> compute group "dev-compute-gpu-efa-sg": all all (dev-compute-gpu-efa-ingress-self-ingress)',
      'head group "dev-head-sg" -> internet 0.0.0.0/0: all all (dev-head-egress-all)',
      'head group "dev-head-sg" -> storage group "dev-storage-sg": tcp 2049 (dev-in-head-tcp-2049-ingress)',
    ]);
  });

  it("the bastion is public through its Elastic IP; head, compute and storage are private", () => {
    assert.deepEqual(exposures(graphOf(reachStack("bastion"))), {
      "dev-bastion-sg": "public",
      "dev-head-sg": "private",
      "dev-cluster-sg": "private",
      "dev-endpoint-sg": "private",
      "dev-storage-sg": "private",
      "dev-compute-gpu-efa-sg": "private",
    });
  });

  it("direct mode: the head has a public IP in a management subnet routed to the internet gateway", () => {
    const graph = graphOf(MODE_STACKS["direct (initech-lab)"]());
    const head = graph.groups.find((g) => g.resource.name === "dev-head-sg");
    assert.deepEqual(head?.exposure, {
      level: "public",
      because:
        '"dev-head-0" (associatePublicIpAddress of instance "dev-head-0") sits in a subnet routed to an internet gateway',
    });
    assert.equal(exposures(graph)["dev-compute-gpu-efa-sg"], "private");
  });

  it("ssm mode: nothing comes from outside the VPC", () => {
    const outside = reachRows(graphOf(reachStack("ssm", "lustre"))).filter(
      (r) => r.source.outside && r.source.kind !== "vpc",
    );
    assert.deepEqual(outside, []);
  });

  it("builds the same rows in every ID mode (POL-2)", () => {
    for (const [name, make] of Object.entries(MODE_STACKS)) {
      const expected = rows(graphOf(make(), "known"));
      for (const mode of ID_MODES) {
        assert.deepEqual(rows(graphOf(make(), mode)), expected, `${name}, ${mode}`);
      }
    }
  });
});

describe("reachGraph: every rule style and source (NET-4)", () => {
  const withRule = (name: string, spec: ReachStack[string]) => ({ ...reachStack("bastion"), [name]: spec });
  const flowsOf = (stack: ReachStack, rule: string, options?: ReachOptions) =>
    rows(graphOf(stack, "never-read", options)).filter((r) => r.includes(`(${rule})`) || r.includes(rule));

  it("reads legacy rules, with self and an unknown type (counted as ingress)", () => {
    const stack = withRule("legacy", {
      type: NetType.legacyRule,
      props: { type: unknown.string, protocol: "6", fromPort: 22, toPort: 22, self: true },
      links: { securityGroupId: ["dev-head-sg"] },
    });
    assert.deepEqual(flowsOf(stack, "(legacy)"), [
      'head group "dev-head-sg" -> head group "dev-head-sg": tcp 22 (legacy)',
    ]);
  });

  it("reads inline ingress entries: blocks, linked groups and groups from outside the stack", () => {
    const stack = reachStack("bastion");
    stack["dev-head-sg"].props.ingress = [
      { protocol: "tcp", fromPort: 8888, toPort: 8888, cidrBlocks: ["0.0.0.0/0", "10.99.0.0/16"] },
      { protocol: "-1", fromPort: 0, toPort: 0, securityGroups: [unknown.string, "sg-0other"] },
    ];
    stack["dev-head-sg"].links = { ...stack["dev-head-sg"].links, ingress: ["dev-bastion-sg"] };
    assert.deepEqual(flowsOf(stack, "inline"), [
      'internet 0.0.0.0/0 -> head group "dev-head-sg": tcp 8888 (inline ingress[0] of security group "dev-head-sg")',
      'other network 10.99.0.0/16 -> head group "dev-head-sg": tcp 8888 (inline ingress[0] of security group "dev-head-sg")',
      'foreign group (ingress[1].securityGroups of "dev-head-sg") -> head group "dev-head-sg": all all (inline ingress[1] of security group "dev-head-sg")',
      'bastion group "dev-bastion-sg" -> head group "dev-head-sg": all all (inline ingress[1] of security group "dev-head-sg")',
    ]);
  });

  it("places blocks: the allowlist, other public blocks, prefix lists, and blocks built from the VPC", () => {
    const stack = reachStack("bastion");
    stack["by-prefix"] = {
      type: NetType.ingressRule,
      props: { ...{ ipProtocol: "tcp", fromPort: 22, toPort: 22 }, prefixListId: "pl-1234" },
      links: { securityGroupId: ["dev-bastion-sg"] },
    };
    stack["from-vpc"] = {
      type: NetType.ingressRule,
      props: { ipProtocol: "tcp", fromPort: 443, toPort: 443 },
      links: { securityGroupId: ["dev-endpoint-sg"], cidrIpv4: ["dev-vpc"] },
      computed: { cidrIpv4: "10.20.0.0/20" },
    };
    stack["from-office"] = {
      type: NetType.ingressRule,
      props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "192.0.2.0/24" },
      links: { securityGroupId: ["dev-bastion-sg"] },
    };
    const graph = graphOf(stack, "unknown", { allowlist: [DEV_ALLOWLIST] });
    const sources = reachRows(graph)
      .filter((r) => ["by-prefix", "from-vpc", "from-office"].includes(r.rule))
      .map((r) => `${r.source.kind}: ${r.source.label}`);
    assert.deepEqual(sources, [
      "public: public 192.0.2.0/24",
      'unplaced: prefix list (prefixListId of "by-prefix")',
      "vpc: vpc (cidrIpv4 built from the VPC)",
    ]);
  });

  it("lists egress only where it leaves the stack's groups, and names a rule on a group not in the stack", () => {
    const stack = withRule("egress-peer", {
      type: NetType.egressRule,
      props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "172.31.0.0/16" },
      links: { securityGroupId: ["dev-cluster-sg"] },
    });
    stack["stray"] = {
      type: NetType.ingressRule,
      props: {
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: DEV_ALLOWLIST,
        securityGroupId: "sg-0other",
      },
    };
    assert.deepEqual(flowsOf(stack, "egress-peer"), [
      'cluster group "dev-cluster-sg" -> other network 172.31.0.0/16: tcp 5432 (egress-peer)',
    ]);
    assert.deepEqual(flowsOf(stack, "(stray)"), [
      'allowlist 198.51.100.0/24 -> foreign group sg-0other (securityGroupId of "stray"): tcp 22 (stray)',
    ]);
    assert.equal(
      rows(graphOf(stack)).filter((r) => r.includes("dev-egress-cluster-all-cluster")).length,
      0,
      "an own-group egress rule is not listed again",
    );
  });
});

describe("groupExposure (NET-5, NET-7)", () => {
  it("a public flag unknown at preview in a public subnet is possible, never private (POL-2)", () => {
    const stack = reachStack("ssm");
    stack["dev-head-0"].props.associatePublicIpAddress = unknown.boolean;
    stack["dev-head-0"].links = { ...stack["dev-head-0"].links, subnetId: ["dev-public"] };
    assert.equal(exposures(graphOf(stack))["dev-head-sg"], "possible");
  });

  it("a compute template with a public IP in a compute subnet routed to the internet gateway is public", () => {
    const stack = reachStack("bastion");
    stack["dev-compute-gpu-template"].props.networkInterfaces = [
      { associatePublicIpAddress: "true", deviceIndex: 0 },
    ];
    stack["dev-compute-internet"].links = { routeTableId: ["dev-compute-rt"], gatewayId: ["dev-igw"] };
    assert.equal(exposures(graphOf(stack))["dev-compute-gpu-efa-sg"], "public");
  });

  it("a subnet without a route table association uses the stack's default route table", () => {
    const stack = reachStack("ssm");
    delete stack["dev-management-rta"];
    stack["dev-head-0"].props.associatePublicIpAddress = true;
    assert.equal(
      exposures(graphOf(stack))["dev-head-sg"],
      "private",
      "the default table routes locally only",
    );
    delete stack["dev-default-rt"];
    assert.equal(exposures(graphOf(stack))["dev-head-sg"], "possible", "the main table is not described");
  });

  it("an Elastic IP on a network interface makes its groups public", () => {
    const stack = reachStack("ssm");
    stack["eni"] = {
      type: ReachType.networkInterface,
      props: {},
      links: { subnetId: ["dev-public"], securityGroups: ["dev-endpoint-sg"] },
    };
    stack["eni-eip"] = { type: ReachType.eip, props: {}, links: { networkInterface: ["eni"] } };
    assert.equal(exposures(graphOf(stack))["dev-endpoint-sg"], "public");
  });
});
