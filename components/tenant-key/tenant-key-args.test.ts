import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { TenantKeyArgs } from "./tenant-key";
import { validateTenantKeyArgs } from "./tenant-key-args";
import { findWildcardGrants, policyDocument } from "./policy-document";
import {
  secretArnPattern,
  serviceHost,
  tenantLogGroupsArn,
  tenantRoleArn,
  TenantScope,
  validateTenantScope,
} from "./tenant-scope";

const happy: TenantKeyArgs = { tenantId: "acme", accountId: "123456789012", region: "us-east-1" };
const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};

describe("validateTenantKeyArgs (DAT-3)", () => {
  it("accepts compliant args, with or without the optional ones", () => {
    assert.deepEqual(validateTenantKeyArgs(happy), []);
    assert.deepEqual(
      validateTenantKeyArgs({ ...happy, partition: "aws-us-gov", rotationPeriodDays: 365 }),
      [],
    );
    assert.deepEqual(validateTenantKeyArgs({ ...happy, rotationPeriodDays: 90 }), []);
  });

  it("checks an account ID that is still an Output only for being there", () => {
    assert.deepEqual(validateTenantKeyArgs({ ...happy, accountId: pulumi.output("123456789012") }), []);
  });

  const broken: Array<[Partial<TenantKeyArgs>, string, RegExp]> = [
    [{ tenantId: "Acme" }, "tenantId", /^"Acme" is not a tenant id; use 3 to 20 lowercase/],
    [{ tenantId: "" }, "tenantId", /e\.g\. acme/],
    [{ accountId: "12345" }, "accountId", /not an AWS account ID; pass the 12 digits/],
    [{ region: "us-east-1a" }, "region", /not an AWS region name; use one such as us-east-1/],
    [{ partition: "aws-iso" }, "partition", /use one of aws, aws-cn, aws-us-gov/],
    [{ rotationPeriodDays: 30 }, "rotationPeriodDays", /^30 is not a whole number of days from 90 to 365/],
    [{ rotationPeriodDays: 366 }, "rotationPeriodDays", /DAT-3 allows nothing longer/],
    [{ rotationPeriodDays: 120.5 }, "rotationPeriodDays", /whole number/],
  ];
  for (const [change, path, reason] of broken) {
    it(`rejects ${JSON.stringify(change)} at ${path} with a fix`, () => {
      const problems = validateTenantKeyArgs({ ...happy, ...change });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }

  it("reports every broken property in one pass", () => {
    const problems = validateTenantKeyArgs({
      tenantId: "x",
      accountId: "acct",
      region: "",
      partition: "gov",
      rotationPeriodDays: 0,
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["tenantId", "accountId", "region", "partition", "rotationPeriodDays"],
    );
  });

  it("requires an account ID", () => {
    const args = { ...happy, accountId: undefined } as unknown as TenantKeyArgs;
    assert.deepEqual(
      validateTenantScope(args).map((p) => p.propertyPath),
      ["accountId"],
    );
  });
});

describe("tenant scope names (CMP-7, DAT-3)", () => {
  it("builds role, secret and log-group ARNs from known values only", () => {
    assert.equal(tenantRoleArn(scope, "head"), "arn:aws:iam::123456789012:role/moat-acme-head");
    assert.equal(
      secretArnPattern(scope, "moat/acme/cluster-ssh-key"),
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme/cluster-ssh-key-??????",
    );
    assert.equal(tenantLogGroupsArn(scope), "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/*");
    assert.equal(serviceHost(scope, "secretsmanager"), "secretsmanager.us-east-1.amazonaws.com");
  });

  it("findWildcardGrants reports * principals and service-wide actions, naming the statement", () => {
    const found = findWildcardGrants(
      policyDocument([
        { Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
        { Sid: "Broad", Effect: "Allow", Action: ["s3:GetObject", "kms:*"], Resource: "*" },
        { Sid: "All", Effect: "Allow", Action: "*", Resource: "*" },
        { Sid: "Fine", Effect: "Allow", Action: "kms:GenerateDataKey*", Resource: "*" },
      ]),
    );
    assert.deepEqual(found, [
      "Open: principal * lets anyone in (IAM-3)",
      "Broad: action kms:* grants every API of the service (CMP-7, IAM-3)",
      "All: action * grants every API of the service (CMP-7, IAM-3)",
    ]);
  });
});
