import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkArgs } from "./network";
import { validateNetworkArgs } from "./network-args";

const happy: NetworkArgs = {
  tenantId: "acme",
  environment: "prod",
  cidr: "10.42.0.0/16",
  availabilityZone: "us-east-1a",
  accessMode: "bastion",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  accountId: "123456789012",
};

describe("validateNetworkArgs (NET-5, NET-6, NET-8, NET-10)", () => {
  it("accepts compliant args", () => {
    assert.deepEqual(validateNetworkArgs(happy), []);
  });

  for (const zone of [
    "us-east-1a",
    "eu-central-1b",
    "us-gov-west-1a",
    "us-west-2-lax-1a",
    "ap-southeast-2c",
  ]) {
    it(`accepts availability zone ${zone}`, () => {
      assert.deepEqual(validateNetworkArgs({ ...happy, availabilityZone: zone }), []);
    });
  }

  const accepted: Array<[string, Partial<NetworkArgs>]> = [
    [
      "the direct mode with an internet-facing management tier",
      { accessMode: "direct", managementInternetFacing: true },
    ],
    ["the direct mode without one", { accessMode: "direct", managementInternetFacing: false }],
    ["the ssm mode", { accessMode: "ssm" }],
    ["flow logs kept 180 days (NET-10's minimum)", { flowLogRetentionDays: 180 }],
    ["flow logs kept ten years", { flowLogRetentionDays: 3653 }],
    [
      "a multi-region key in GovCloud",
      { kmsKeyArn: "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0a1b2c" },
    ],
    [
      "a key ARN and account ID that are outputs",
      { kmsKeyArn: pulumi.output("x"), accountId: pulumi.output("y") },
    ],
  ];
  for (const [what, change] of accepted) {
    it(`accepts ${what}`, () => {
      assert.deepEqual(validateNetworkArgs({ ...happy, ...change }), []);
    });
  }

  const broken: Array<[Partial<NetworkArgs>, string, RegExp]> = [
    [{ tenantId: "" }, "tenantId", /^set tenantId, e\.g\. acme; the VPC is named/],
    [{ environment: "  " }, "environment", /^set environment, e\.g\. prod/],
    [
      { environment: "research" },
      "environment",
      /^"research" is not an environment; use one of dev, staging, prod, as in moat:tenant\.environment /,
    ],
    [
      { cidr: "10.0.0.0/33" },
      "cidr",
      /not an IPv4 CIDR block \(a\.b\.c\.d\/n\); use a private range between \/16 and \/24/,
    ],
    [{ cidr: "8.8.8.0/24" }, "cidr", /not inside a private range/],
    [
      { availabilityZone: "us-east-1" },
      "availabilityZone",
      /^"us-east-1" is a region; name one zone in it, e.g. us-east-1a$/,
    ],
    [
      { availabilityZone: "use1-az1" },
      "availabilityZone",
      /not an availability zone name; use one such as us-east-1a/,
    ],
    [{ availabilityZone: "" }, "availabilityZone", /not an availability zone name/],
    [
      { tenantId: "Acme" },
      "tenantId",
      /"Acme" must be 1 to 40 lowercase letters, .*moat-<tenantId>-<environment>-flow-logs/,
    ],
    [{ tenantId: "acme-" }, "tenantId", /inner hyphens/],
    [
      { accessMode: "vpn" as never },
      "accessMode",
      /^"vpn" is not an access mode; use one of bastion, direct, ssm$/,
    ],
    [
      { managementInternetFacing: true },
      "managementInternetFacing",
      /only in the direct access mode, but accessMode is "bastion"; leave managementInternetFacing out/,
    ],
    [{ managementInternetFacing: "yes" as never }, "managementInternetFacing", /is not a boolean/],
    [{ kmsKeyArn: "" }, "kmsKeyArn", /^"" is not a KMS key ARN; pass the tenant key's ARN/],
    [{ kmsKeyArn: undefined as never }, "kmsKeyArn", /^undefined is not a KMS key ARN/],
    [{ kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/moat-acme" }, "kmsKeyArn", /not an alias/],
    [{ kmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" }, "kmsKeyArn", /not a KMS key ARN/],
    [{ accountId: "12345" }, "accountId", /^"12345" is not an AWS account ID; pass its twelve digits/],
    [{ accountId: undefined as never }, "accountId", /getCallerIdentityOutput/],
    [
      { flowLogRetentionDays: 30 },
      "flowLogRetentionDays",
      /^30 days is shorter than the 180 days flow logs must be kept \(NET-10\); use one of 180, 365,/,
    ],
    [{ flowLogRetentionDays: 0 }, "flowLogRetentionDays", /shorter than the 180 days/],
    [
      { flowLogRetentionDays: 200 },
      "flowLogRetentionDays",
      /^200 days is not a retention CloudWatch Logs accepts/,
    ],
  ];
  for (const [change, path, reason] of broken) {
    it(`rejects ${JSON.stringify(change)} at ${path} with a fix`, () => {
      const problems = validateNetworkArgs({ ...happy, ...change });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }

  it("reports every broken property in one pass", () => {
    const problems = validateNetworkArgs({
      tenantId: "",
      environment: "",
      cidr: "1.0.0.0/8",
      availabilityZone: "x",
      accessMode: "ssm",
      managementInternetFacing: true,
      kmsKeyArn: "alias/moat-acme",
      accountId: "acme",
      flowLogRetentionDays: 90,
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      [
        "tenantId",
        "environment",
        "cidr",
        "cidr",
        "availabilityZone",
        "managementInternetFacing",
        "kmsKeyArn",
        "accountId",
        "flowLogRetentionDays",
      ],
    );
  });
});
