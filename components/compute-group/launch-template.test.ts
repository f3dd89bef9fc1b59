import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMPUTE_METADATA_OPTIONS, ComputeTemplateSpec, computeLaunchTemplateArgs } from "./launch-template";

const spec: ComputeTemplateSpec = {
  instanceType: "p5.48xlarge",
  imageId: "ami-0a1b2c3d4e5f60718",
  hardware: { efa: true, networkCards: 32 },
  securityGroupIds: ["sg-train-efa", "sg-train-nodes"],
  subnetId: "subnet-compute",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  instanceProfileName: "moat-acme-compute",
  userData: "#cloud-config\nruncmd: []\n",
  placementGroupName: "acme-train-placement",
  capacityBlock: false,
  rootVolumeGiB: 200,
  rootDeviceName: "/dev/xvda",
  keepRootVolume: false,
  tags: {
    Name: "acme-prod-train",
    "moat:role": "compute",
    "moat:tenant": "acme",
    "moat:environment": "prod",
  },
};

describe("computeLaunchTemplateArgs", () => {
  const args = computeLaunchTemplateArgs(spec);

  it("CMP-2: requires IMDSv2 with hop limit 2", () => {
    assert.deepEqual(args.metadataOptions, {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 2,
      instanceMetadataTags: "disabled",
    });
    assert.equal(COMPUTE_METADATA_OPTIONS.httpPutResponseHopLimit, 2);
  });

  it("CMP-3: encrypts the gp3 root volume with the tenant key", () => {
    assert.deepEqual(args.blockDeviceMappings, [
      {
        deviceName: "/dev/xvda",
        ebs: {
          encrypted: "true",
          kmsKeyId: spec.kmsKeyArn,
          volumeType: "gp3",
          volumeSize: 200,
          deleteOnTermination: "true",
        },
      },
    ]);
  });

  it("NET-11: a quarantined group's template keeps the root volume of a terminated node", () => {
    const kept = computeLaunchTemplateArgs({ ...spec, keepRootVolume: true });
    const [root] = kept.blockDeviceMappings as Array<{ ebs: Record<string, unknown> }>;
    assert.equal(root.ebs.deleteOnTermination, "false");
    assert.equal(root.ebs.encrypted, "true", "the volume stays under the tenant key");
    const { blockDeviceMappings: a, ...rest } = kept;
    const { blockDeviceMappings: b, ...same } = args;
    assert.notDeepEqual(a, b);
    assert.deepEqual(rest, same, "nothing else changes");
  });

  it("CMP-1, NET-5: one private EFA interface per card, in the placement group", () => {
    const nics = args.networkInterfaces as Array<Record<string, unknown>>;
    assert.equal(nics.length, 32);
    assert.equal(nics[0].interfaceType, "efa");
    assert.ok(nics.slice(1).every((n) => n.interfaceType === "efa-only"));
    assert.ok(nics.every((n) => n.associatePublicIpAddress === "false"));
    assert.ok(
      nics.every(
        (n) => JSON.stringify(n.securityGroups) === JSON.stringify(["sg-train-efa", "sg-train-nodes"]),
      ),
    );
    assert.deepEqual(args.placement, { groupName: "acme-train-placement" });
    assert.equal("vpcSecurityGroupIds" in args, false);
  });

  it("base64-encodes the user data, the instance profile by name, monitoring on", () => {
    assert.equal(Buffer.from(String(args.userData), "base64").toString("utf8"), spec.userData);
    assert.deepEqual(args.iamInstanceProfile, { name: "moat-acme-compute" });
    assert.deepEqual(args.monitoring, { enabled: true });
    assert.equal(args.updateDefaultVersion, true);
  });

  it("AUD-5: tags the instances, volumes and interfaces it launches", () => {
    assert.deepEqual(
      args.tagSpecifications,
      ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: spec.tags })),
    );
  });

  it("targets nothing without a reservation", () => {
    assert.equal("capacityReservationSpecification" in args, false);
    assert.equal("instanceMarketOptions" in args, false);
  });

  it("targets a capacity reservation, and a capacity block with its market type", () => {
    const reserved = computeLaunchTemplateArgs({ ...spec, capacityReservationId: "cr-0123456789abcdef0" });
    assert.deepEqual(reserved.capacityReservationSpecification, {
      capacityReservationTarget: { capacityReservationId: "cr-0123456789abcdef0" },
    });
    assert.equal("instanceMarketOptions" in reserved, false);
    const block = computeLaunchTemplateArgs({
      ...spec,
      capacityReservationId: "cr-0123456789abcdef0",
      capacityBlock: true,
    });
    assert.deepEqual(block.instanceMarketOptions, { marketType: "capacity-block" });
  });
});
