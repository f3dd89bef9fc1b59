import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { SharedFilesystemArgs } from "./shared-filesystem";
import {
  efsTlsOnlyPolicy,
  filesystemParameterArn,
  filesystemParameterName,
  filesystemParameterValue,
  validateSharedFilesystemArgs,
} from "./shared-filesystem-args";

const good: SharedFilesystemArgs = {
  tenantId: "acme",
  environment: "prod",
  accountId: "123456789012",
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.42.0.0/16",
  subnetId: "subnet-0123456789abcdef0",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  clientSecurityGroupIds: [
    { label: "head", id: "sg-0123456789abcdef0" },
    { label: "cluster", id: "sg-0fedcba9876543210" },
  ],
  spec: { type: "lustre" },
};

describe("validateSharedFilesystemArgs (DAT-1, NET-8)", () => {
  it("accepts compliant args, and Outputs where IDs come from other components", () => {
    assert.deepEqual(validateSharedFilesystemArgs(good), []);
    assert.deepEqual(
      validateSharedFilesystemArgs({
        ...good,
        accountId: pulumi.output("123456789012"),
        vpcId: pulumi.output("vpc-1"),
        subnetId: pulumi.output("subnet-1"),
        kmsKeyArn: pulumi.output("arn"),
        clientSecurityGroupIds: [{ label: "head", id: pulumi.output("sg-1") }],
        spec: { type: "efs" },
      }),
      [],
    );
  });

  it("NET-8: refuses a filesystem no group may mount", () => {
    const problems = validateSharedFilesystemArgs({ ...good, clientSecurityGroupIds: [] });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].propertyPath, "clientSecurityGroupIds");
    assert.match(problems[0].reason, /list the head and compute groups. security groups/);
  });

  it("refuses repeated, reserved and unusable labels and empty group IDs", () => {
    const problems = validateSharedFilesystemArgs({
      ...good,
      clientSecurityGroupIds: [
        { label: "head", id: "sg-0123456789abcdef0" },
        { label: "head", id: "sg-0fedcba9876543210" },
        { label: "self", id: "sg-0fedcba9876543211" },
        { label: "Head Nodes", id: "" },
      ],
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      [
        "clientSecurityGroupIds[1].label",
        "clientSecurityGroupIds[2].label",
        "clientSecurityGroupIds[3].label",
        "clientSecurityGroupIds[3].id",
      ],
    );
    assert.match(problems[0].reason, /repeats "head"/);
  });

  it("reports scope, IDs, CIDR and spec problems together, spec paths under spec.", () => {
    const problems = validateSharedFilesystemArgs({
      ...good,
      tenantId: "A",
      environment: "",
      vpcId: "vpc",
      vpcCidr: "10.42.0.1/16",
      subnetId: "",
      kmsKeyArn: "alias/moat-acme",
      spec: { type: "lustre", storageCapacityGiB: 3000 },
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["tenantId", "environment", "vpcId", "vpcCidr", "subnetId", "kmsKeyArn", "spec.storageCapacityGiB"],
    );
    assert.match(
      problems[5].reason,
      /^"alias\/moat-acme" is not well-formed; pass one such as the tenant key's ARN, .* \(DAT-1\)$/,
    );
  });

  it("refuses an environment that is not one of the stack schema's", () => {
    const problems = validateSharedFilesystemArgs({ ...good, environment: "research" });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["environment"],
    );
    assert.match(problems[0].reason, /^"research" is not an environment; use one of dev, staging, prod/);
  });
});

describe("the filesystem's location parameter", () => {
  it("lives under the tenant's parameter path, with an ARN known at preview", () => {
    assert.equal(filesystemParameterName("acme"), "/moat/acme/shared-filesystem");
    assert.equal(
      filesystemParameterArn({
        tenantId: "acme",
        accountId: "123456789012",
        region: "eu-west-1",
        partition: "aws",
      }),
      "arn:aws:ssm:eu-west-1:123456789012:parameter/moat/acme/shared-filesystem",
    );
  });

  it("names the tenant environment when the scope has one, so environments can share an account", () => {
    assert.equal(
      filesystemParameterArn({
        tenantId: "acme",
        environment: "staging",
        accountId: "123456789012",
        region: "eu-west-1",
        partition: "aws",
      }),
      "arn:aws:ssm:eu-west-1:123456789012:parameter/moat/acme-staging/shared-filesystem",
    );
  });

  it("holds type, DNS name, mount name (Lustre only) and ID, as JSON", () => {
    assert.deepEqual(
      JSON.parse(
        filesystemParameterValue({
          type: "lustre",
          fileSystemId: "fs-1",
          dnsName: "fs-1.fsx",
          mountName: "abc",
        }),
      ),
      { type: "lustre", dnsName: "fs-1.fsx", mountName: "abc", fileSystemId: "fs-1" },
    );
    assert.deepEqual(
      JSON.parse(
        filesystemParameterValue({ type: "efs", fileSystemId: "fs-2", dnsName: "fs-2.efs", mountName: "x" }),
      ),
      { type: "efs", dnsName: "fs-2.efs", fileSystemId: "fs-2" },
    );
  });
});

describe("efsTlsOnlyPolicy (DAT-2)", () => {
  it("DAT-2: denies every action to everyone without TLS, and allows nothing", () => {
    assert.deepEqual(efsTlsOnlyPolicy(), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyWithoutTls",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });
});
