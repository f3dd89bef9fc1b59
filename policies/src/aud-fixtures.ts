// A compliant audit stack for the AUD, DAT-5 tests, as plain data in net-fixtures' shape: a trail
// delivering to a protected, secured bucket and a log group, the alert topic, node log groups, the
// failed-SSH filter and alarm, EventBridge rules with SNS targets and a GuardDuty detector. Tests
// change one thing in a fresh copy and assert the same verdict in every ID mode (POL-2).
// Test support only: nothing in the pack imports it.
import assert from "node:assert/strict";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AudType } from "./aud-read";
import { S3Type } from "./dat-buckets-s3";
import { ID_MODES, IdMode, StackSpec, buildStack } from "./net-fixtures";
import { StackViolation, runStackPolicy } from "./testing";

/** The audit bucket's literal name, from which its ARN (and so its policy) is known at preview. */
export const AUDIT_BUCKET = "moat-acme-audit";
const BUCKET_ARN = `arn:aws:s3:::${AUDIT_BUCKET}`;
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:moat-acme-alerts";

/** The audit bucket's policy: TLS-only, and CloudTrail may write. */
export const TLS_ONLY_POLICY = JSON.stringify({
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
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${BUCKET_ARN}/AWSLogs/123456789012/*`,
    },
  ],
});

/**
 * The audit bucket's guard policy (AUD-1): TLS-only, CloudTrail may write, and no one deletes a log
 * or weakens the bucket, save the administrator role.
 */
export const AUDIT_GUARD_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    ...JSON.parse(TLS_ONLY_POLICY).Statement,
    {
      Sid: "DenyRemovingAuditLogs",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention"],
      Resource: `${BUCKET_ARN}/*`,
    },
    {
      Sid: "DenyWeakeningAuditBucket",
      Effect: "Deny",
      Principal: "*",
      Action: [
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:PutBucketObjectLockConfiguration",
        "s3:PutBucketVersioning",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketLogging",
      ],
      Resource: BUCKET_ARN,
      Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::123456789012:role/audit-admin"] } },
    },
  ],
});

/** The secured settings of a bucket named `bucket` in the fixture, as standalone resources. */
export function securedBucket(bucket: string, props: Record<string, unknown> = {}): StackSpec {
  const on = { bucket: [bucket] };
  return {
    [bucket]: { type: S3Type.bucket, props },
    [`${bucket}-pab`]: {
      type: S3Type.publicAccessBlock,
      props: {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      links: on,
    },
    [`${bucket}-versioning`]: {
      type: S3Type.versioning,
      props: { versioningConfiguration: { status: "Enabled" } },
      links: on,
    },
    [`${bucket}-encryption`]: {
      type: S3Type.encryption,
      props: {
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/tenant",
            },
          },
        ],
      },
      links: { ...on, rules: ["tenant-key"] },
    },
    [`${bucket}-policy`]: { type: S3Type.policy, props: { policy: TLS_ONLY_POLICY }, links: on },
  };
}

const logGroup = (name: string) => ({
  type: AudType.logGroup,
  props: { name, retentionInDays: 365 },
  links: { kmsKeyId: ["tenant-key"] },
});

const alertTarget = (rule: string) => ({
  type: AudType.eventTarget,
  props: {},
  links: { rule: [rule], arn: ["alerts"] },
});

/** A fresh compliant audit stack. */
export function auditStack(): StackSpec {
  return {
    // The account's home baseline holds the trail and the detector (AUD-1, AUD-4).
    baseline: { type: "moat:account:AccountBaseline", props: { region: "us-east-1", home: true } },
    "tenant-key": { type: "aws:kms/key:Key", props: {} },
    ...securedBucket("audit-bucket", { bucket: AUDIT_BUCKET, objectLockEnabled: true }),
    "audit-bucket-object-lock": {
      type: S3Type.objectLock,
      props: { rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } } },
      links: { bucket: ["audit-bucket"] },
    },
    ...securedBucket("access-logs", { bucket: "moat-acme-access-logs" }),
    "audit-bucket-logging": {
      type: S3Type.logging,
      props: { targetPrefix: "access-logs/" },
      links: { bucket: ["audit-bucket"], targetBucket: ["access-logs"] },
    },
    "audit-bucket-policy": {
      type: S3Type.policy,
      props: { policy: AUDIT_GUARD_POLICY },
      links: { bucket: ["audit-bucket"] },
    },
    "audit-bucket-lifecycle": {
      type: S3Type.lifecycle,
      props: {
        rules: [
          {
            id: "expire-after-retention",
            status: "Enabled",
            expiration: { days: 365 },
            noncurrentVersionExpiration: { noncurrentDays: 365 },
          },
        ],
      },
      links: { bucket: ["audit-bucket"] },
    },
    "audit-logs": logGroup("/moat/acme/audit/cloudtrail"),
    "audit-trail": {
      type: AudType.trail,
      props: { isMultiRegionTrail: true, enableLogFileValidation: true },
      links: {
        s3BucketName: ["audit-bucket"],
        kmsKeyId: ["tenant-key"],
        cloudWatchLogsGroupArn: ["audit-logs"],
      },
    },
    alerts: {
      type: AudType.topic,
      props: { name: "moat-acme-alerts" },
      links: { kmsMasterKeyId: ["tenant-key"] },
    },
    "node-auth-logs": logGroup("/moat/acme/nodes/auth"),
    "node-system-logs": logGroup("/moat/acme/nodes/system"),
    "failed-ssh": {
      type: AudType.metricFilter,
      props: {
        pattern: '?"Invalid user" ?"Connection closed by authenticating user"',
        metricTransformation: { name: "FailedSshLogins", namespace: "Moat/acme", value: "1" },
      },
      links: { logGroupName: ["node-auth-logs"] },
    },
    "failed-ssh-alarm": {
      type: AudType.metricAlarm,
      props: {
        metricName: "FailedSshLogins",
        namespace: "Moat/acme",
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 5,
        comparisonOperator: "GreaterThanThreshold",
        alarmActions: [TOPIC_ARN],
      },
    },
    "audit-events": {
      type: AudType.eventRule,
      props: {
        name: "moat-acme-audit-events",
        eventPattern: JSON.stringify({
          source: ["aws.ec2", "aws.iam", "aws.kms", "aws.cloudtrail"],
          "detail-type": ["AWS API Call via CloudTrail"],
        }),
      },
    },
    "audit-events-alert": alertTarget("audit-events"),
    guardduty: { type: AudType.detector, props: { enable: true } },
    "guardduty-findings": {
      type: AudType.eventRule,
      props: {
        name: "moat-acme-guardduty-findings",
        eventPattern: JSON.stringify({
          source: ["aws.guardduty"],
          "detail-type": ["GuardDuty Finding"],
          detail: { type: [{ prefix: "CryptoCurrency:" }, "UnauthorizedAccess:EC2/SSHBruteForce"] },
        }),
      },
    },
    "guardduty-findings-alert": alertTarget("guardduty-findings"),
    "head-0": { type: AudType.instance, props: { tags: { "moat:role": "head" } } },
  };
}

/** Resources created with protect in the fixture: the trail and its bucket (DAT-4). */
export const PROTECTED = ["audit-trail", "audit-bucket"];

/** Builds `specs` as a stack policy sees it, with `protect` set on the named resources. */
export function buildProtected(
  specs: StackSpec,
  mode: IdMode,
  names: readonly string[] = PROTECTED,
): PolicyResource[] {
  const resources = buildStack(specs, mode);
  for (const r of resources.filter((r) => names.includes(r.name))) {
    r.opts.protect = true;
  }
  return resources;
}

/**
 * Runs a stack policy on the compliant audit stack after `change`, in every ID mode, and asserts
 * the same violations in each (POL-2).
 */
export async function assertAuditVerdict(
  policy: StackValidationPolicy,
  change: (specs: StackSpec) => void,
  expected: readonly StackViolation[],
  config: object = {},
  names: readonly string[] = PROTECTED,
): Promise<void> {
  for (const mode of ID_MODES) {
    const specs = auditStack();
    change(specs);
    const run = await runStackPolicy(policy, buildProtected(specs, mode, names), config);
    assert.deepEqual(run, { violations: expected }, `ID mode ${mode}`);
  }
}

/**
 * The policy as the analyzer runs it on a resource created with `protect: true`: the shared
 * harness gives every resource default options.
 */
export function onProtected(policy: ResourceValidationPolicy): ResourceValidationPolicy {
  const validations = [policy.validateResource ?? []].flat();
  return {
    ...policy,
    validateResource: validations.map(
      (v) => (args, report) => v({ ...args, opts: { ...args.opts, protect: true } }, report),
    ),
  };
}
