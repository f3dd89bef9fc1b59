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

const base: ComputeGroupArgs = {
  tenantId: "acme",
  environment: "prod",
  owner: "ml-platform@acme.example",
  accountId: "123456789012",
  region: "us-east-1",
  group: { name: "train", instanceType: "p5.48xlarge", nodeCount: 8 },
  vpcId: "vpc-1",
  subnetId: "subnet-compute",
  clusterSecurityGroupId: "sg-cluster",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  userData: "#cloud-config\nruncmd: []\n",
  instanceProfileName: "moat-acme-compute",
};
const withGroup = (group: Partial<ComputeGroupArgs["group"]>): ComputeGroupArgs => ({
  ...base,
  group: { ...base.group, ...group },
});

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

  it("creates exactly the EFA group and its two self rules, a placement group, a template and an ASG", () => {
    assert.deepEqual(built.listing, [
      "aws:autoscaling/group:Group asg",
      "aws:ec2/launchTemplate:LaunchTemplate template",
      "aws:ec2/placementGroup:PlacementGroup placement",
      "aws:ec2/securityGroup:SecurityGroup efa-sg",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule efa-egress-self",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule efa-ingress-self-ingress",
      "moat:network:DefaultDenySecurityGroup efa",
      "moat:network:FirewallRule efa-ingress-self",
    ]);
    for (const suffix of ["efa", "efa-ingress-self", "efa-egress-self", "placement", "template", "asg"]) {
      assert.equal(built.child(suffix).parent, built.urn, `${suffix} is not parented to the ComputeGroup`);
    }
  });

  it("NET-3, CMP-1: the EFA group lets all traffic in and out only to and from itself", () => {
    const sg = built.child("efa-sg");
    assert.equal(sg.inputs.vpcId, "vpc-1");
    assert.equal((sg.inputs.tags as any)["moat:role"], "compute");
    assert.equal("ingress" in sg.inputs || "egress" in sg.inputs, false);
    const self = "acme-train-efa-sg-id";
    for (const rule of [built.child("efa-ingress-self-ingress"), built.child("efa-egress-self")]) {
      assert.equal(rule.inputs.securityGroupId, self);
      assert.equal(rule.inputs.referencedSecurityGroupId, self);
      assert.equal(rule.inputs.ipProtocol, "-1");
      assert.equal("cidrIpv4" in rule.inputs, false);
      assert.match(String(rule.inputs.description), /^CMP-1: /);
    }
    const others = mocks
      .all()
      .filter((r) => /SecurityGroup(Ingress|Egress)Rule$/.test(r.type) && r.inputs.securityGroupId === self);
    assert.equal(others.length, 2, "the EFA group carries no other rule");
  });

  it("CMP-1: a cluster placement group", () => {
    assert.equal(built.child("placement").inputs.strategy, "cluster");
  });

  it("CMP-1, NET-5: 32 private interfaces, the first efa and the rest efa-only, with both groups", () => {
    const nics = built.child("template").inputs.networkInterfaces as any[];
    assert.equal(nics.length, 32);
    assert.equal(nics[0].interfaceType, "efa");
    assert.equal(nics[0].deviceIndex, 0);
    for (const [card, nic] of nics.entries()) {
      assert.equal(nic.networkCardIndex, card);
      assert.equal(nic.subnetId, "subnet-compute");
      assert.deepEqual(nic.securityGroups, ["acme-train-efa-sg-id", "sg-cluster"]);
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
    const tags = Object.fromEntries(asg.tags.map((t: any) => [t.key, t]));
    for (const key of ["moat:role", "moat:tenant", "moat:environment"]) {
      assert.equal(tags[key].propagateAtLaunch, true, key);
    }
    assert.equal(tags["moat:role"].value, "compute");
  });

  it("exposes the ASG, template, placement group and EFA group", async () => {
    const { component } = built;
    assert.equal(await valueOf(component.autoScalingGroupName), "acme-train-asg-physical");
    assert.equal(await valueOf(component.launchTemplateId), "acme-train-template-id");
    assert.equal(await valueOf(component.placementGroupName), "acme-train-placement-physical");
    assert.ok(component.efaSecurityGroupId);
    assert.equal(await valueOf(component.efaSecurityGroupId), "acme-train-efa-sg-id");
  });
});

describe("ComputeGroup: a g5.xlarge group without EFA", () => {
  let built: Awaited<ReturnType<typeof build>>;
  before(async () => {
    built = await build("acme-dev", withGroup({ name: "dev", instanceType: "g5.xlarge", nodeCount: 2 }));
  });

  it("creates no EFA group, only placement, template and ASG", () => {
    assert.deepEqual(built.listing, [
      "aws:autoscaling/group:Group asg",
      "aws:ec2/launchTemplate:LaunchTemplate template",
      "aws:ec2/placementGroup:PlacementGroup placement",
    ]);
    assert.equal(built.component.efaSecurityGroupId, undefined);
  });

  it("NET-5: one ordinary private interface in the cluster group", () => {
    assert.deepEqual(built.child("template").inputs.networkInterfaces, [
      {
        networkCardIndex: 0,
        deviceIndex: 0,
        subnetId: "subnet-compute",
        securityGroups: ["sg-cluster"],
        associatePublicIpAddress: "false",
        deleteOnTermination: "true",
      },
    ]);
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
