import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imageIgnoreChanges } from "./image";
import {
  defaultImageParameter,
  nodeInstanceArgs,
  NodeInstanceSpec,
  slurmImageNamePattern,
} from "./instance-args";

const spec: NodeInstanceSpec = {
  role: "head",
  instanceType: "m7i.2xlarge",
  imageId: "ami-0a1b2c3d4e5f60718",
  subnetId: "subnet-1",
  securityGroupIds: ["sg-head", "sg-cluster"],
  instanceProfileName: "moat-acme-head",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  userData: "#cloud-config\n",
  publicIp: false,
  rootVolumeGiB: 100,
  metadataHopLimit: 2,
  nameTag: "acme-prod-head-0",
};

describe("nodeInstanceArgs", () => {
  it("requires IMDSv2 with the given hop limit (CMP-2)", () => {
    assert.deepEqual(nodeInstanceArgs(spec).metadataOptions, {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 2,
      instanceMetadataTags: "disabled",
    });
  });

  it("encrypts the root volume with the tenant key (CMP-3)", () => {
    assert.deepEqual(nodeInstanceArgs(spec).rootBlockDevice, {
      encrypted: true,
      kmsKeyId: spec.kmsKeyArn,
      volumeType: "gp3",
      volumeSize: 100,
      deleteOnTermination: true,
    });
  });

  it("NET-11: keeps the root volume on termination only when asked, still under the tenant key", () => {
    const kept = nodeInstanceArgs({ ...spec, keepRootVolume: true }).rootBlockDevice as Record<
      string,
      unknown
    >;
    assert.equal(kept.deleteOnTermination, false);
    assert.equal(kept.encrypted, true);
    assert.equal(kept.kmsKeyId, spec.kmsKeyArn);
    const { rootBlockDevice: a, ...rest } = nodeInstanceArgs({ ...spec, keepRootVolume: true });
    const { rootBlockDevice: b, ...same } = nodeInstanceArgs({ ...spec, keepRootVolume: false });
    assert.notDeepEqual(a, b);
    assert.deepEqual(rest, same, "nothing else changes");
  });

  it("turns on detailed monitoring and gives a public address only when asked (NET-5, NET-6)", () => {
    const args = nodeInstanceArgs(spec);
    assert.equal(args.monitoring, true);
    assert.equal(args.associatePublicIpAddress, false);
    assert.equal(nodeInstanceArgs({ ...spec, publicIp: true }).associatePublicIpAddress, true);
    assert.deepEqual(args.tags, { Name: "acme-prod-head-0", "moat:role": "head" });
  });
});

describe("defaultImageParameter", () => {
  it("picks Amazon Linux 2023 for the instance type's architecture", () => {
    const x86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    const arm = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
    for (const t of ["t3.small", "m7i.2xlarge", "p5.48xlarge", "trn1.32xlarge", "inf2.xlarge"]) {
      assert.equal(defaultImageParameter(t), x86, t);
    }
    for (const t of ["t4g.small", "m7g.xlarge", "c7gn.large", "g5g.xlarge", "im4gn.large", "a1.medium"]) {
      assert.equal(defaultImageParameter(t), arm, t);
    }
  });
});

describe("slurmImageNamePattern", () => {
  it("names the official ParallelCluster Amazon Linux 2023 image of one release, per architecture", () => {
    assert.equal(
      slurmImageNamePattern("p5.48xlarge", "3.16.1"),
      "aws-parallelcluster-3.16.1-amzn2023-hvm-x86_64*",
    );
    assert.equal(
      slurmImageNamePattern("g5g.16xlarge", "3.16.1"),
      "aws-parallelcluster-3.16.1-amzn2023-hvm-arm64*",
    );
  });
});

describe("imageIgnoreChanges", () => {
  it("fixes the floating default image at creation but follows an image set in the stack file", () => {
    assert.deepEqual(imageIgnoreChanges(undefined), ["ami"]);
    assert.deepEqual(imageIgnoreChanges("ami-0123456789abcdef0"), []);
  });
});
