import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { lifecycleShortfalls } from "../../policies/src/aud-trail";
import { deniesInsecureS3Transport } from "../../policies/src/dat-buckets";
import { readPolicyDocument } from "../../policies/src/iam-document";
import { stackResource } from "../../policies/src/testing";
import { findWildcardGrants } from "../tenant-key/policy-document";
import { TenantScope } from "../tenant-key/tenant-scope";
import { BUCKET_WEAKENING_ACTIONS, LOG_REMOVING_ACTIONS } from "../../policies/src/aud-lock";
import {
  accessLogBucketPolicy,
  AUDIT_BUCKET_PROTECTED_ACTIONS,
  AUDIT_OBJECT_PROTECTED_ACTIONS,
  auditBucketPolicy,
  auditLifecycleRules,
  bucketArn,
  trailLogsPermissionsPolicy,
  trailLogsTrustPolicy,
} from "./audit-documents";
import { MAX_AUDIT_RETENTION_DAYS, MIN_AUDIT_RETENTION_DAYS } from "./audit-trail-args";

const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};
const BUCKET = "moat-acme-audit-123456789012-us-east-1";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const TRAIL = "arn:aws:cloudtrail:us-east-1:123456789012:trail/moat-acme";

describe("auditBucketPolicy (DAT-5, AUD-1)", () => {
  const policy = auditBucketPolicy(scope, BUCKET);

  it("is exactly: deny without TLS, CloudTrail reads the ACL and writes AWSLogs/<account>/ for the tenant's trail", () => {
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "DenyRemovingAuditLogs",
          Effect: "Deny",
          Principal: "*",
          Action: [...AUDIT_OBJECT_PROTECTED_ACTIONS],
          Resource: `${BUCKET_ARN}/*`,
        },
        {
          Sid: "DenyWeakeningAuditBucket",
          Effect: "Deny",
          Principal: "*",
          Action: [...AUDIT_BUCKET_PROTECTED_ACTIONS],
          Resource: BUCKET_ARN,
        },
        {
          Sid: "CloudTrailChecksBucketAcl",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: BUCKET_ARN,
          Condition: { StringEquals: { "aws:SourceArn": TRAIL } },
        },
        {
          Sid: "CloudTrailWritesTenantLogs",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${BUCKET_ARN}/AWSLogs/123456789012/*`,
          Condition: {
            StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL },
          },
        },
      ],
    });
  });

  it("AUD-1: denies at least what the pack's aud-trail-bucket-locked asks, and spares only named administrators", () => {
    for (const action of LOG_REMOVING_ACTIONS) {
      assert.ok(AUDIT_OBJECT_PROTECTED_ACTIONS.includes(action), action);
    }
    for (const action of BUCKET_WEAKENING_ACTIONS) {
      assert.ok(AUDIT_BUCKET_PROTECTED_ACTIONS.includes(action), action);
    }
    const admin = "arn:aws:iam::123456789012:role/moat-account-deployer";
    const spared = auditBucketPolicy(scope, BUCKET, [admin]).Statement.find(
      (s) => s.Sid === "DenyWeakeningAuditBucket",
    );
    assert.deepEqual(spared?.Condition, { ArnNotLike: { "aws:PrincipalArn": [admin] } });
    const objects = auditBucketPolicy(scope, BUCKET, [admin]).Statement.find(
      (s) => s.Sid === "DenyRemovingAuditLogs",
    );
    assert.equal(objects?.Condition, undefined, "no one, administrators included, deletes a log");
  });

  it("DAT-5: its deny statement is the one the policy pack looks for", () => {
    const read = readPolicyDocument(
      stackResource({ type: "aws:s3/bucketPolicy:BucketPolicy", props: { policy: JSON.stringify(policy) } })
        .props,
      "policy",
    );
    assert.equal(read.kind, "document");
    assert.ok(read.kind === "document" && read.statements.some(deniesInsecureS3Transport));
  });

  it("IAM-3: allows no * principal", () => {
    const allows = policy.Statement.filter((s) => s.Effect === "Allow");
    assert.ok(
      allows.every((s) => s.Principal !== "*" && s.Condition?.StringEquals["aws:SourceArn"] === TRAIL),
    );
  });

  it("builds partition-specific ARNs (aws-us-gov)", () => {
    const gov = JSON.stringify(auditBucketPolicy({ ...scope, partition: "aws-us-gov" }, BUCKET));
    assert.match(gov, /arn:aws-us-gov:s3:::moat-acme/);
    assert.doesNotMatch(gov, /arn:aws:/);
    assert.equal(bucketArn("aws-cn", "b"), "arn:aws-cn:s3:::b");
  });
});

describe("trail log delivery role (AUD-1, CMP-7, IAM-3)", () => {
  it("is trusted by CloudTrail for the tenant's trail of this account only", () => {
    assert.deepEqual(trailLogsTrustPolicy(scope), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudTrailForTenantTrailOnly",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceArn": TRAIL, "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("writes streams and events of the trail's log group only, by its known ARN", () => {
    assert.deepEqual(trailLogsPermissionsPolicy(scope).Statement, [
      {
        Sid: "WriteTenantTrailLogGroupOnly",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/cloudtrail:log-stream:*",
      },
    ]);
  });

  it("grants no wildcard principal or action", () => {
    assert.deepEqual(findWildcardGrants(trailLogsTrustPolicy(scope)), []);
    assert.deepEqual(findWildcardGrants(trailLogsPermissionsPolicy(scope)), []);
  });
});

describe("auditLifecycleRules (AUD-1, DAT-4)", () => {
  it("expires current and noncurrent versions after exactly the retention, across the whole bucket", () => {
    assert.deepEqual(auditLifecycleRules(365), [
      {
        id: "expire-audit-logs-after-retention",
        status: "Enabled",
        filter: {},
        expiration: { days: 365 },
        noncurrentVersionExpiration: { noncurrentDays: 365 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
  });

  it("never removes a log object or version earlier than the retention (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_AUDIT_RETENTION_DAYS, max: MAX_AUDIT_RETENTION_DAYS }), (days) => {
        for (const rule of auditLifecycleRules(days)) {
          assert.ok(rule.expiration.days >= days);
          assert.ok(rule.noncurrentVersionExpiration.noncurrentDays >= days);
          assert.ok(!("date" in rule.expiration), "a fixed date would expire young logs");
          assert.deepEqual(rule.filter, {}, "a filter would leave logs outside it unjudged");
        }
        const lifecycle = { props: { rules: auditLifecycleRules(days) } };
        assert.deepEqual(lifecycleShortfalls(lifecycle, days), []);
        assert.notDeepEqual(lifecycleShortfalls(lifecycle, days + 1), []);
      }),
    );
  });
});

describe("accessLogBucketPolicy (DAT-5, AUD-1)", () => {
  const LOGS = "moat-account-access-logs-123456789012-us-east-1";
  const policy = accessLogBucketPolicy(scope, LOGS, [BUCKET]);

  it("lets S3's logging service write for the audit bucket of this account only, over TLS", () => {
    const write = policy.Statement.find((s) => s.Sid === "S3LogsAccessToAuditBuckets");
    assert.deepEqual(write, {
      Sid: "S3LogsAccessToAuditBuckets",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${LOGS}/access-logs/*`,
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": [BUCKET_ARN] },
      },
    });
    const read = readPolicyDocument(
      stackResource({ type: "aws:s3/bucketPolicy:BucketPolicy", props: { policy: JSON.stringify(policy) } })
        .props,
      "policy",
    );
    assert.ok(read.kind === "document" && read.statements.some(deniesInsecureS3Transport));
    const allows = policy.Statement.filter((s) => s.Effect === "Allow");
    assert.ok(
      allows.every((s) => s.Principal !== "*"),
      "no Allow for the * principal (IAM-3)",
    );
  });
});
