import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  answerImageLookups,
  installRecordingMocks,
  MOCK_IMAGES,
  mockArns,
  Recorded,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";
import { ComputeGroup, ComputeGroupArgs } from "./compute-group";
import { TRAIN_GROUP_ARGS, withGroup } from "./test-args";

/* eslint-disable @typescript-eslint/no-explicit-any */
const NAMED_BY_PROVIDER = ["aws:ec2/placementGroup:PlacementGroup", "aws:autoscaling/group:Group"];

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({
    // The provider auto-names placement and Auto Scaling groups; the mocks stand in for it.
    computed: (type, name, id) => ({
      ...mockArns(type, name, id),
      ...(NAMED_BY_PROVIDER.includes(type) ? { name: `${name}-physical` } : {}),
    }),
    call: answerImageLookups,
  });
});

const base = TRAIN_GROUP_ARGS;

async function build(name: string, args: ComputeGroupArgs) {
  const component = new ComputeGroup(name, args);
  await mocks.settle();
  const all = mocks.named(name);
  const self = all.find((r) => r.name === name);
  assert.equal(self?.type, "moat:compute:ComputeGroup");
  const children = all.filter((r) => r.name !== name);
  const child = (suffix: string, type?: string): Recorded => {
    const found = children.find((c) => c.name === `${name}-${suffix}` && (!type || c.type === type));
    assert.ok(found, `no child ${name}-${suffix}`);
    return found;
  };
  const listing = children.map((c) => `${c.type} ${c.name.slice(name.length + 1)}`).sort();
  return { component, children, child, listing, urn: await valueOf(component.urn) };
}

describe("ComputeGroup: an EFA p5.48xlarge group (CMP-1, CMP-2, CMP-3, NET-3, NET-5)", () => {
  let built: Awaited<ReturnType<typeof build>>;
  before(async () => {
    built = await build("acme-train", base);
  });

  it("creates exactly the EFA group, the node group, their rules, a placement group, a template and an ASG", () => {
    assert.deepEqual(built.listing, [
      "aws:autoscaling/group:Group asg",
      "aws:ec2/launchTemplate:LaunchTemplate template",
      "aws:ec2/placementGroup:PlacementGroup placement",
      "aws:ec2/securityGroup:SecurityGroup efa-sg",
      "aws:ec2/securityGroup:SecurityGroup nodes-sg",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule efa-egress-self",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule nodes-egress-all",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule nodes-egress-self",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule efa-ingress-self-ingress",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule head-from-group-ingress",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule nodes-ingress-head-ingress",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule nodes-ingress-self-ingress",
      "moat:network:DefaultDenySecurityGroup efa",
      "moat:network:DefaultDenySecurityGroup nodes",
      "moat:network:FirewallRule efa-ingress-self",
      "moat:network:FirewallRule head-from-group",
      "moat:network:FirewallRule nodes-ingress-head",
      "moat:network:FirewallRule nodes-ingress-self",
    ]);
    const own = [
      "efa",
      "efa-ingress-self",
      "efa-egress-self",
      "nodes",
      "nodes-ingress-self",
      "nodes-egress-self",
      "nodes-ingress-head",
      "head-from-group",
    ];
    for (const suffix of [...own, "placement", "template", "asg"]) {
      assert.equal(built.child(suffix).parent, built.urn, `${suffix} is not parented to the ComputeGroup`);
    }
  });

  // Every standalone rule of the program attached to `id` or naming it, as "name on proto peer".
  const rulesNaming = (id: string) =>
    mocks
      .all()
      .filter((r) => /SecurityGroup(Ingress|Egress)Rule$/.test(r.type))
      .filter((r) => r.inputs.securityGroupId === id || r.inputs.referencedSecurityGroupId === id)
      .map(
        (r) =>
          `${r.name.slice("acme-train-".length)} ${r.inputs.securityGroupId} ${r.inputs.ipProtocol} ${r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4}`,
      )
      .sort();

  it("CMP-1: a dedicated self-only EFA group: its only rules are all traffic to and from itself", () => {
    const sg = built.child("efa-sg");
    assert.equal(sg.inputs.vpcId, "vpc-1");
    assert.equal((sg.inputs.tags as any)["moat:role"], "compute");
    assert.equal(
      sg.inputs.description,
      "Moat acme compute group train: EFA traffic to and from itself only (CMP-1)",
    );
    assert.equal("ingress" in sg.inputs || "egress" in sg.inputs, false);
    const efa = "acme-train-efa-sg-id";
    assert.deepEqual(rulesNaming(efa), [
      `efa-egress-self ${efa} -1 ${efa}`,
      `efa-ingress-self-ingress ${efa} -1 ${efa}`,
    ]);
    for (const rule of [built.child("efa-ingress-self-ingress"), built.child("efa-egress-self")]) {
      assert.equal("cidrIpv4" in rule.inputs, false);
      assert.match(
        String(rule.inputs.description),
        /^CMP-1: all traffic (between|to) the EFA interfaces of compute group train/,
      );
    }
  });

  it("NET-3: the node group has all traffic with itself and the head nodes, and all egress", () => {
    const sg = built.child("nodes-sg");
    assert.equal((sg.inputs.tags as any)["moat:role"], "compute");
    assert.equal(
      sg.inputs.description,
      "Moat acme compute group train: its nodes, with each other and the head nodes (NET-3)",
    );
    const nodes = "acme-train-nodes-sg-id";
    assert.deepEqual(rulesNaming(nodes), [
      `head-from-group-ingress sg-head -1 ${nodes}`,
      `nodes-egress-all ${nodes} -1 0.0.0.0/0`,
      `nodes-egress-self ${nodes} -1 ${nodes}`,
      `nodes-ingress-head-ingress ${nodes} -1 sg-head`,
      `nodes-ingress-self-ingress ${nodes} -1 ${nodes}`,
    ]);
    assert.match(
      String(built.child("head-from-group-ingress").inputs.description),
      /^NET-3: all traffic from compute group train to the head nodes \(slurmd to slurmctld, srun\)$/,
    );
  });

  it("CMP-1: a cluster placement group", () => {
    assert.equal(built.child("placement").inputs.strategy, "cluster");
  });

  it("CMP-1, NET-5: 32 private interfaces, the first efa and the rest efa-only, in the EFA and node groups", () => {
    const nics = built.child("template").inputs.networkInterfaces as any[];
    assert.equal(nics.length, 32);
    assert.equal(nics[0].interfaceType, "efa");
    assert.equal(nics[0].deviceIndex, 0);
    for (const [card, nic] of nics.entries()) {
      assert.equal(nic.networkCardIndex, card);
      assert.equal(nic.subnetId, "subnet-compute");
      assert.deepEqual(nic.securityGroups, ["acme-train-efa-sg-id", "acme-train-nodes-sg-id"]);
      assert.equal(nic.associatePublicIpAddress, "false");
      if (card > 0) {
        assert.equal(nic.interfaceType, "efa-only");
        assert.equal(nic.deviceIndex, 1);
      }
    }
  });

  it("CMP-2, CMP-3: IMDSv2 with hop limit 2 and a root volume under the tenant key", () => {
    const template = built.child("template").inputs as any;
    assert.equal(template.metadataOptions.httpTokens, "required");
    assert.equal(template.metadataOptions.httpPutResponseHopLimit, 2);
    assert.deepEqual(template.blockDeviceMappings[0].ebs, {
      encrypted: "true",
      kmsKeyId: base.kmsKeyArn,
      volumeType: "gp3",
      volumeSize: 200,
      deleteOnTermination: "true",
    });
    assert.equal(template.blockDeviceMappings[0].deviceName, "/dev/xvda");
  });

  it("boots the default Slurm image, pinned at creation, with the profile, placement and base64 user data", () => {
    const template = built.child("template");
    const inputs = template.inputs as any;
    assert.equal(inputs.imageId, MOCK_IMAGES.slurm, "the ParallelCluster image carries Slurm and MUNGE");
    assert.deepEqual(template.ignoreChanges, ["imageId"]);
    assert.deepEqual(inputs.iamInstanceProfile, { name: "moat-acme-compute" });
    assert.deepEqual(inputs.placement, { groupName: "acme-train-placement-physical" });
    assert.equal(Buffer.from(inputs.userData, "base64").toString("utf8"), base.userData);
    assert.equal(inputs.updateDefaultVersion, true);
    assert.equal("capacityReservationSpecification" in inputs, false);
    const instanceTags = inputs.tagSpecifications.find((s: any) => s.resourceType === "instance").tags;
    assert.deepEqual(instanceTags, {
      Name: "acme-prod-train",
      "moat:role": "compute",
      "moat:tenant": "acme",
      "moat:environment": "prod",
      "moat:owner": "ml-platform@acme.example",
    });
  });

  it("sizes the ASG exactly, in the one subnet, with no instance refresh", () => {
    const asg = built.child("asg").inputs as any;
    assert.deepEqual([asg.minSize, asg.maxSize, asg.desiredCapacity], [8, 8, 8]);
    assert.deepEqual(asg.vpcZoneIdentifiers, ["subnet-compute"]);
    assert.equal(asg.placementGroup, "acme-train-placement-physical");
    assert.deepEqual(asg.launchTemplate, { id: "acme-train-template-id", version: "$Latest" });
    assert.equal("instanceRefresh" in asg, false);
    assert.equal(asg.protectFromScaleIn, false);
    assert.equal(asg.healthCheckType, "EC2");
    assert.equal(asg.waitForCapacityTimeout, "0");
    assert.deepEqual(asg.suspendedProcesses, [], "NET-11: nothing is suspended outside quarantine");
    const tags = Object.fromEntries(asg.tags.map((t: any) => [t.key, t]));
    for (const key of ["moat:role", "moat:tenant", "moat:environment"]) {
      assert.equal(tags[key].propagateAtLaunch, true, key);
    }
    assert.equal(tags["moat:role"].value, "compute");
  });

  it("exposes the ASG, template, placement group, the node group and the EFA group", async () => {
    const { component } = built;
    assert.equal(await valueOf(component.autoScalingGroupName), "acme-train-asg-physical");
    assert.equal(await valueOf(component.launchTemplateId), "acme-train-template-id");
    assert.equal(await valueOf(component.placementGroupName), "acme-train-placement-physical");
    assert.equal(await valueOf(component.nodeSecurityGroupId), "acme-train-nodes-sg-id");
    assert.equal(await valueOf(component.efaSecurityGroupId!), "acme-train-efa-sg-id");
  });
});

describe("ComputeGroup: capacity and images", () => {
  it("targets a capacity reservation", async () => {
    const { child } = await build(
      "acme-reserved",
      withGroup({ capacityReservationId: "cr-0123456789abcdef0" }),
    );
    const inputs = child("template").inputs as any;
    assert.deepEqual(inputs.capacityReservationSpecification, {
      capacityReservationTarget: { capacityReservationId: "cr-0123456789abcdef0" },
    });
    assert.equal("instanceMarketOptions" in inputs, false);
  });

  it("launches a capacity block with its market type", async () => {
    const { child } = await build(
      "acme-block",
      withGroup({ capacityReservationId: "cr-0123456789abcdef0", capacityBlock: true }),
    );
    assert.deepEqual((child("template").inputs as any).instanceMarketOptions, {
      marketType: "capacity-block",
    });
  });

  it("follows an image named in the config", async () => {
    const { child } = await build("acme-own", withGroup({ imageId: "ami-0fedcba9876543210" }));
    assert.equal(child("template").inputs.imageId, "ami-0fedcba9876543210");
    assert.deepEqual(child("template").ignoreChanges, []);
  });
});

describe("ComputeGroup: scale", () => {
  it("registers the same children for 8 and 1024 nodes", async () => {
    const eight = await build("acme-eight", withGroup({ nodeCount: 8 }));
    const many = await build("acme-many", withGroup({ nodeCount: 1024 }));
    assert.deepEqual(many.listing, eight.listing);
    assert.equal((many.child("asg").inputs as any).desiredCapacity, 1024);
  });
});

describe("ComputeGroup: validation (CMP-1)", () => {
  const rejects = (name: string, args: ComputeGroupArgs): pulumi.InputPropertiesError => {
    let error: unknown;
    assert.throws(() => {
      try {
        new ComputeGroup(name, args);
      } catch (e) {
        error = e;
        throw e;
      }
    });
    assert.ok(pulumi.InputPropertiesError.isInstance(error), String(error));
    assert.equal(mocks.named(name).length, 0, "nothing is registered");
    return error as pulumi.InputPropertiesError;
  };

  it("refuses EFA on g5.xlarge, naming the type and the group", () => {
    const error = rejects("acme-bad-efa", withGroup({ name: "dev", instanceType: "g5.xlarge", efa: true }));
    assert.match(error.message, /group\.efa: group "dev" asks for EFA, but g5\.xlarge does not support EFA/);
  });

  it("refuses an unknown EFA type without networkCards, saying how to give it", () => {
    const error = rejects("acme-unknown", withGroup({ instanceType: "p9.96xlarge", efa: true }));
    assert.match(error.message, /group\.networkCards: is missing: p9\.96xlarge .*describe-instance-types/);
  });

  it("refuses a subnet list and a bad node count together", () => {
    const error = rejects("acme-spread", {
      ...withGroup({ nodeCount: 5000 }),
      subnetId: ["subnet-a", "subnet-b"] as unknown as string,
    });
    assert.match(error.message, /group\.nodeCount: 5000 is not a whole number from 1 to 4096/);
    assert.match(error.message, /subnetId: is a list of 2 subnets/);
  });
});
