// The compute group's own security groups: the layout without EFA, and quarantine of the node
// group and the self-only EFA group (NET-3, CMP-1, NET-11).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { EgressAllow } from "../security-group/security-group-args";
import {
  answerImageLookups,
  installRecordingMocks,
  mockArns,
  Recorded,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";
import { ComputeGroup, ComputeGroupArgs } from "./compute-group";
import { QUARANTINE_SUSPENDED_PROCESSES } from "./compute-group-args";
import { TRAIN_GROUP_ARGS } from "./test-args";

/* eslint-disable @typescript-eslint/no-explicit-any */
let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns, call: answerImageLookups });
});

const https: EgressAllow = { cidr: "0.0.0.0/0", protocol: "tcp", fromPort: 443, description: "HTTPS out" };
const base = TRAIN_GROUP_ARGS;

const RULE = /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/;

async function build(name: string, change: Partial<ComputeGroupArgs>) {
  const component = new ComputeGroup(name, { ...base, ...change });
  await mocks.settle();
  const all = mocks.named(name).filter((r) => r.name !== name);
  const child = (suffix: string): Recorded => {
    const found = all.find((r) => r.name === `${name}-${suffix}`);
    assert.ok(found, `no child ${name}-${suffix}`);
    return found;
  };
  const groupId = await valueOf(component.nodeSecurityGroupId);
  const efaGroupId = component.efaSecurityGroupId && (await valueOf(component.efaSecurityGroupId));
  // Every rule of the whole program that is attached to the given group or names it as its peer.
  const naming = (id: string | undefined) =>
    mocks
      .all()
      .filter((r) => RULE.test(r.type))
      .filter((r) => r.inputs.securityGroupId === id || r.inputs.referencedSecurityGroupId === id);
  const rulesNaming = naming(groupId);
  const efaRulesNaming = efaGroupId === undefined ? [] : naming(efaGroupId);
  // A URN without the component's own name: parent chain, type and name suffix.
  const identity = (r: Recorded) =>
    `${r.parent.split(name).join("<name>")} ${r.type} ${r.name.split(name).join("<name>")}`;
  const listing = all.map((c) => `${c.type} ${c.name.slice(name.length + 1)}`).sort();
  return {
    all,
    child,
    listing,
    groupId,
    efaGroupId,
    rulesNaming,
    efaRulesNaming,
    identities: new Set(all.map(identity)),
    identity,
  };
}

describe("ComputeGroup: a g5.xlarge group without EFA (NET-3, NET-5)", () => {
  let built: Awaited<ReturnType<typeof build>>;
  before(async () => {
    built = await build("acme-dev", { group: { name: "dev", instanceType: "g5.xlarge", nodeCount: 2 } });
  });

  it("creates a node group of its own and no EFA group", () => {
    assert.deepEqual(built.listing, [
      "aws:autoscaling/group:Group asg",
      "aws:ec2/launchTemplate:LaunchTemplate template",
      "aws:ec2/placementGroup:PlacementGroup placement",
      "aws:ec2/securityGroup:SecurityGroup nodes-sg",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule nodes-egress-all",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule nodes-egress-self",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule head-from-group-ingress",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule nodes-ingress-head-ingress",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule nodes-ingress-self-ingress",
      "moat:network:DefaultDenySecurityGroup nodes",
      "moat:network:FirewallRule head-from-group",
      "moat:network:FirewallRule nodes-ingress-head",
      "moat:network:FirewallRule nodes-ingress-self",
    ]);
    const sg = built.child("nodes-sg").inputs as any;
    assert.equal(sg.tags["moat:role"], "compute");
    assert.equal(
      sg.description,
      "Moat acme compute group dev: its nodes, with each other and the head nodes (NET-3)",
    );
    assert.equal(
      built.child("nodes-ingress-self-ingress").inputs.description,
      "NET-3: all traffic between the nodes of compute group dev",
    );
    assert.equal(built.efaGroupId, undefined, "efaSecurityGroupId is undefined without EFA");
  });

  it("NET-5: one ordinary private interface in the node group's own group only", () => {
    assert.deepEqual(built.child("template").inputs.networkInterfaces, [
      {
        networkCardIndex: 0,
        deviceIndex: 0,
        subnetId: "subnet-compute",
        securityGroups: ["acme-dev-nodes-sg-id"],
        associatePublicIpAddress: "false",
        deleteOnTermination: "true",
      },
    ]);
  });
});
describe("ComputeGroup quarantine (NET-11)", () => {
  let open: Awaited<ReturnType<typeof build>>;
  let shut: Awaited<ReturnType<typeof build>>;
  before(async () => {
    open = await build("acme-open", {});
    shut = await build("acme-shut", { quarantined: true });
  });

  it("NET-11: both groups stay, tagged quarantine, with no rule in or out, none elsewhere naming them", () => {
    for (const key of ["efa", "nodes"]) {
      const sg = shut.child(`${key}-sg`).inputs as any;
      assert.equal(sg.tags["moat:role"], "quarantine", key);
      assert.equal(sg.tags.Name, `acme-shut-${key}`);
      assert.equal("ingress" in sg || "egress" in sg, false, key);
      assert.equal((open.child(`${key}-sg`).inputs as any).tags["moat:role"], "compute", key);
    }
    assert.deepEqual(shut.rulesNaming, [], "no rule is attached to the node group or names it");
    assert.deepEqual(shut.efaRulesNaming, [], "no rule is attached to the EFA group or names it");
    assert.equal(shut.all.filter((r) => r.type === "moat:network:FirewallRule").length, 0);
    assert.equal(
      open.rulesNaming.length,
      5,
      "outside quarantine, the node group: self in/out, head in, head from group, egress",
    );
    assert.deepEqual(
      open.efaRulesNaming.map((r) => r.name).sort(),
      ["acme-open-efa-egress-self", "acme-open-efa-ingress-self-ingress"],
      "outside quarantine, the EFA group: its two self rules only (CMP-1)",
    );
  });

  it("NET-11: the descriptions, and so the groups themselves, do not change", () => {
    for (const key of ["efa-sg", "nodes-sg"]) {
      assert.equal(shut.child(key).inputs.description, open.child(key).inputs.description, key);
    }
  });

  it("NET-11: nodes stay in their two groups alone: the template's interfaces name nothing else", () => {
    const nics = shut.child("template").inputs.networkInterfaces as any[];
    assert.equal(nics.length, 32);
    const both = JSON.stringify([shut.efaGroupId, shut.groupId]);
    assert.ok(nics.every((n) => JSON.stringify(n.securityGroups) === both));
  });

  it("NET-11: Auto Scaling may not launch, replace or terminate a node while quarantined", () => {
    const asg = shut.child("asg").inputs as any;
    assert.deepEqual(asg.suspendedProcesses, [
      "Launch",
      "Terminate",
      "ReplaceUnhealthy",
      "AZRebalance",
      "HealthCheck",
      "InstanceRefresh",
      "ScheduledActions",
      "AlarmNotification",
      "AddToLoadBalancer",
    ]);
    assert.deepEqual(asg.suspendedProcesses, QUARANTINE_SUSPENDED_PROCESSES);
    assert.deepEqual([asg.minSize, asg.maxSize, asg.desiredCapacity], [8, 8, 8], "the size is untouched");
    assert.deepEqual((open.child("asg").inputs as any).suspendedProcesses, [], "lifting resumes them all");
  });

  it("NET-11: root volumes are kept on termination while quarantined, deleted otherwise", () => {
    const ebs = (r: Recorded) => (r.inputs as any).blockDeviceMappings[0].ebs;
    assert.equal(ebs(shut.child("template")).deleteOnTermination, "false");
    assert.equal(ebs(shut.child("template")).encrypted, "true");
    assert.equal(ebs(open.child("template")).deleteOnTermination, "true");
  });

  it("NET-11: quarantine on and off changes no URN of the group, ASG, template or placement group", () => {
    const kept = shut.all.filter((r) => !RULE.test(r.type) && r.type !== "moat:network:FirewallRule");
    assert.deepEqual(kept.map((r) => r.name.slice("acme-shut-".length)).sort(), [
      "asg",
      "efa",
      "efa-sg",
      "nodes",
      "nodes-sg",
      "placement",
      "template",
    ]);
    for (const r of shut.all) {
      assert.ok(open.identities.has(shut.identity(r)), `${r.name} has a URN the open group does not`);
    }
    const dropped = [...open.identities].filter((id) => !shut.identities.has(id));
    assert.ok(
      dropped.every((id) => /Rule /.test(id)),
      `only rules go: ${dropped.join(", ")}`,
    );
  });
});

describe("ComputeGroup quarantine with an egress allowlist (NET-2, NET-11)", () => {
  it("NET-2: outside quarantine, the allowlist, the head group both ways and HTTPS to the endpoints", async () => {
    const { rulesNaming, groupId } = await build("acme-list", {
      firewall: { ...base.firewall, egress: [https] },
    });
    const shown = rulesNaming
      .map((r) => {
        const ports = r.inputs.fromPort === undefined ? "" : ` ${r.inputs.fromPort}-${r.inputs.toPort}`;
        const peer = String(r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4);
        const text = `${r.inputs.securityGroupId} ${r.type.includes("Egress") ? "->" : "<-"} ${peer}`;
        return `${text} ${r.inputs.ipProtocol}${ports}`.split(groupId).join("sg-group");
      })
      .sort();
    assert.deepEqual(shown, [
      "sg-group -> 0.0.0.0/0 tcp 443-443",
      "sg-group -> sg-endpoint tcp 443-443",
      "sg-group -> sg-group -1",
      "sg-group -> sg-head -1",
      "sg-group <- sg-group -1",
      "sg-group <- sg-head -1",
      "sg-head -> sg-group -1",
      "sg-head <- sg-group -1",
    ]);
  });

  it("CMP-1: the EFA group takes none of them", async () => {
    const { efaRulesNaming, efaGroupId } = await build("acme-listefa", {
      firewall: { ...base.firewall, egress: [https] },
    });
    assert.deepEqual(
      efaRulesNaming.map((r) => `${r.inputs.securityGroupId} ${r.inputs.referencedSecurityGroupId}`),
      [`${efaGroupId} ${efaGroupId}`, `${efaGroupId} ${efaGroupId}`],
    );
  });

  it("NET-11: quarantined, none of them, on either group", async () => {
    const shut = await build("acme-listshut", {
      firewall: { ...base.firewall, egress: [https] },
      quarantined: true,
    });
    assert.deepEqual(shut.rulesNaming, []);
    assert.deepEqual(shut.efaRulesNaming, []);
  });

  it("NET-11: a group without EFA is quarantined the same way, in its own node group", async () => {
    const shut = await build("acme-small", {
      group: { name: "dev", instanceType: "g5.xlarge", nodeCount: 2 },
      quarantined: true,
    });
    assert.equal((shut.child("nodes-sg").inputs as any).tags["moat:role"], "quarantine");
    assert.deepEqual(shut.rulesNaming, []);
    assert.deepEqual((shut.child("template").inputs as any).networkInterfaces[0].securityGroups, [
      shut.groupId,
    ]);
  });
});
