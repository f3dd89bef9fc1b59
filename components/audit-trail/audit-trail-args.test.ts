import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDWATCH_RETENTION_DAYS } from "../network/flow-logs";
import {
  auditBucketName,
  auditLogGroupArn,
  auditLogGroupName,
  auditRoleName,
  AuditTrailArgsToCheck,
  bucketNameProblems,
  cloudWatchRetentionDays,
  MAX_AUDIT_RETENTION_DAYS,
  MIN_AUDIT_RETENTION_DAYS,
  validateAuditTrailArgs,
} from "./audit-trail-args";

const happy: AuditTrailArgsToCheck = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
};

describe("audit trail names (AUD-1, POL-2)", () => {
  it("names the bucket moat-<tenantId>-audit-<accountId>-<region>", () => {
    assert.equal(
      auditBucketName({ tenantId: "acme", accountId: "123456789012", region: "us-east-1" }),
      "moat-acme-audit-123456789012-us-east-1",
    );
  });

  it("puts the log group under the tenant's /moat/<tenantId>/ prefix, which the tenant key serves", () => {
    assert.equal(auditLogGroupName("acme"), "/moat/acme/cloudtrail");
    assert.equal(
      auditLogGroupArn({
        tenantId: "acme",
        accountId: "123456789012",
        region: "eu-west-1",
        partition: "aws",
      }),
      "arn:aws:logs:eu-west-1:123456789012:log-group:/moat/acme/cloudtrail",
    );
  });

  it("names the delivery role moat-<tenantId>-cloudtrail", () => {
    assert.equal(auditRoleName("acme"), "moat-acme-cloudtrail");
  });

  it("keeps the longest tenant id and region within S3's 63 characters", () => {
    const name = auditBucketName({
      tenantId: "a".repeat(20),
      accountId: "123456789012",
      region: "ap-southeast-5",
    });
    assert.deepEqual(bucketNameProblems(name), []);
  });
});

describe("cloudWatchRetentionDays (AUD-1, NET-10)", () => {
  const table: [number, number | undefined][] = [
    [180, 180],
    [181, 365],
    [365, 365],
    [366, 400],
    [730, 731],
    [1000, 1096],
    [3653, 3653],
    [3654, undefined],
  ];
  for (const [days, expected] of table) {
    it(`rounds ${days} days up to ${expected ?? "nothing"}`, () => {
      assert.equal(cloudWatchRetentionDays(days), expected);
    });
  }

  it("never returns fewer days than asked, and returns the smallest value CloudWatch accepts", () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_AUDIT_RETENTION_DAYS, max: MAX_AUDIT_RETENTION_DAYS }), (days) => {
        const rounded = cloudWatchRetentionDays(days);
        assert.ok(rounded !== undefined && rounded >= days);
        assert.ok(CLOUDWATCH_RETENTION_DAYS.includes(rounded));
        assert.ok(CLOUDWATCH_RETENTION_DAYS.every((allowed) => allowed < days || allowed >= rounded));
      }),
    );
  });
});

describe("bucketNameProblems (DAT-5)", () => {
  it("accepts a valid name", () => {
    assert.deepEqual(bucketNameProblems("moat-acme-audit-123456789012-us-east-1"), []);
  });

  const bad: [string, RegExp][] = [
    ["ab", /3 to 63/],
    ["a".repeat(64), /64 characters long/],
    ["Moat-acme", /other than lowercase/],
    ["-moat", /start and end/],
    ["moat-", /start and end/],
    ["moat..acme", /adjacent dots/],
    ["192.168.1.10", /IP address/],
    ["xn--moat", /reserved prefix xn--/],
    ["moat-s3alias", /reserved suffix -s3alias/],
  ];
  for (const [name, reason] of bad) {
    it(`refuses ${name.length > 20 ? `${name.slice(0, 8)}... (${name.length})` : name}`, () => {
      assert.match(bucketNameProblems(name).join("; "), reason);
    });
  }
});

describe("validateAuditTrailArgs (AUD-1)", () => {
  it("accepts compliant args, an Output account ID and every retention from 180 to 3653", () => {
    assert.deepEqual(validateAuditTrailArgs(happy), []);
    assert.deepEqual(validateAuditTrailArgs({ ...happy, accountId: pulumi.output("123456789012") }), []);
    for (const retentionDays of [180, 365, 1000, 3653]) {
      assert.deepEqual(validateAuditTrailArgs({ ...happy, retentionDays }), [], String(retentionDays));
    }
  });

  it("AUD-1: refuses fewer than 180 days, more than CloudWatch keeps, and fractions, naming the stack key", () => {
    for (const retentionDays of [30, 179, 3654, 365.5]) {
      const [problem, ...rest] = validateAuditTrailArgs({ ...happy, retentionDays });
      assert.deepEqual(rest, [], String(retentionDays));
      assert.equal(problem.propertyPath, "retentionDays");
      assert.match(problem.reason, /from 180 to 3653/);
      assert.match(problem.reason, /moat:audit\.retentionDays/);
    }
  });

  it("lists every problem at once: scope, key and retention", () => {
    const problems = validateAuditTrailArgs({
      tenantId: "A",
      accountId: "1",
      region: "x",
      partition: "aws-xx",
      kmsKeyArn: undefined,
      retentionDays: 30,
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["tenantId", "accountId", "region", "partition", "kmsKeyArn", "retentionDays"],
    );
  });

  it("refuses a scope whose bucket name S3 would reject, and says how to fix it", () => {
    const [problem, ...rest] = validateAuditTrailArgs({
      ...happy,
      tenantId: "a".repeat(20),
      region: "ap-southeast-northwest-12",
    });
    assert.deepEqual(rest, []);
    assert.equal(problem.propertyPath, "tenantId");
    assert.match(problem.reason, /is 70 characters long; S3 allows 3 to 63/);
    assert.match(problem.reason, /shorter tenant id/);
  });
});
