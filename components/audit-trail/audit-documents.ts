// The audit trail's policy documents and lifecycle rules (AUD-1, DAT-5), built only from values
// known at preview: the bucket's literal name, the trail's ARN from its chosen name, the log
// group's ARN from its explicit name. The policy pack reads them as they are at a first preview.
import type {
  PolicyCondition,
  PolicyDocument,
  PolicyPrincipal,
  PolicyStatement,
} from "../tenant-key/policy-document";
import { servicePrincipal } from "../tenant-key/audit-statements";
import { tenantTrailArn, TenantScope } from "../tenant-key/tenant-scope";
import { auditLogGroupArn } from "./audit-trail-args";

/**
 * A bucket policy statement. Unlike the key and role documents, a bucket policy's guard statement
 * denies everyone (`Principal: "*"`); Allow statements still name a principal.
 */
export interface BucketPolicyStatement extends Omit<PolicyStatement, "Principal"> {
  /** Who the statement applies to; `*` only in a Deny. */
  readonly Principal: PolicyPrincipal | "*";
}

/** A bucket policy document. */
export interface BucketPolicyDocument {
  /** The current policy language version. */
  readonly Version: "2012-10-17";
  /** The statements, evaluated together. */
  readonly Statement: readonly BucketPolicyStatement[];
}

/** ARN of a bucket in the scope's partition, known from its name alone. */
export function bucketArn(partition: string, bucketName: string): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

/** DAT-5: every request without TLS is denied, to everyone, on the bucket and its objects. */
function denyInsecureTransport(arn: string): BucketPolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Object actions that would remove or shorten a log: deleting an object or a version, lifting or
 * replacing a retention or legal hold, bypassing governance mode. Object Lock in compliance mode
 * already refuses them on a locked version; the policy refuses them on every version (AUD-1).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export const AUDIT_OBJECT_PROTECTED_ACTIONS: readonly string[] = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
];

/**
 * Bucket actions that would weaken the bucket: delete it or its policy, replace the policy, and
 * change Object Lock, versioning, lifecycle, access logging, encryption, public access or
 * ownership. Only the administrators named in the stack may (AUD-1); with none named, only the
 * account's root user can, by deleting the bucket policy, which S3 always allows it.
 * https://repost.aws/knowledge-center/s3-accidentally-denied-access
 */
export const AUDIT_BUCKET_PROTECTED_ACTIONS: readonly string[] = [
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketPolicy",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketLogging",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketAcl",
];

/**
 * The audit bucket's policy (DAT-5, AUD-1):
 * - every request without TLS is denied, to everyone, on the bucket and its objects;
 * - no one deletes, unlocks or shortens a log object ({@link AUDIT_OBJECT_PROTECTED_ACTIONS});
 * - no one but `administratorRoleArns` weakens the bucket ({@link AUDIT_BUCKET_PROTECTED_ACTIONS}),
 *   which also means a change to the bucket's settings after the first deployment needs one of them;
 * - CloudTrail may read the bucket's ACL and write under `AWSLogs/<accountId>/`, handing the
 *   objects to the bucket owner, and only for the account's trail (`aws:SourceArn`), so no other
 *   trail, of this account or another, can write here.
 * Reading the logs needs an IAM grant; nothing here allows it.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function auditBucketPolicy(
  scope: TenantScope,
  bucketName: string,
  administratorRoleArns: readonly string[] = [],
): BucketPolicyDocument {
  const arn = bucketArn(scope.partition, bucketName);
  const cloudTrail = { Service: servicePrincipal("cloudtrail") };
  const thisTrail = { "aws:SourceArn": tenantTrailArn(scope) };
  const exceptAdministrators: Pick<BucketPolicyStatement, "Condition"> =
    administratorRoleArns.length > 0
      ? { Condition: { ArnNotLike: { "aws:PrincipalArn": [...administratorRoleArns] } } }
      : {};
  return {
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport(arn),
      {
        Sid: "DenyRemovingAuditLogs",
        Effect: "Deny",
        Principal: "*",
        Action: [...AUDIT_OBJECT_PROTECTED_ACTIONS],
        Resource: `${arn}/*`,
      },
      {
        Sid: "DenyWeakeningAuditBucket",
        Effect: "Deny",
        Principal: "*",
        Action: [...AUDIT_BUCKET_PROTECTED_ACTIONS],
        Resource: arn,
        ...exceptAdministrators,
      },
      {
        Sid: "CloudTrailChecksBucketAcl",
        Effect: "Allow",
        Principal: cloudTrail,
        Action: "s3:GetBucketAcl",
        Resource: arn,
        Condition: { StringEquals: thisTrail },
      },
      {
        Sid: "CloudTrailWritesTenantLogs",
        Effect: "Allow",
        Principal: cloudTrail,
        Action: "s3:PutObject",
        Resource: `${arn}/AWSLogs/${scope.accountId}/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", ...thisTrail } },
      },
    ],
  };
}

/**
 * The access-log bucket's policy (DAT-5, AUD-1): no request without TLS; S3's logging service may
 * write access logs of `sourceBucketNames` only, from this account (`aws:SourceAccount` and
 * `aws:SourceArn`, as AWS recommends with owner-enforced buckets, where ACL grants no longer work);
 * no one deletes or overwrites a log version.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export function accessLogBucketPolicy(
  scope: Pick<TenantScope, "partition" | "accountId">,
  bucketName: string,
  sourceBucketNames: readonly string[],
): BucketPolicyDocument {
  const arn = bucketArn(scope.partition, bucketName);
  return {
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport(arn),
      {
        Sid: "S3LogsAccessToAuditBuckets",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("logging.s3") },
        Action: "s3:PutObject",
        Resource: `${arn}/access-logs/*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.accountId },
          ArnLike: { "aws:SourceArn": sourceBucketNames.map((name) => bucketArn(scope.partition, name)) },
        },
      },
      {
        Sid: "DenyRemovingAccessLogs",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:DeleteObjectVersion"],
        Resource: `${arn}/*`,
      },
    ],
  };
}

/**
 * Trust policy of the role CloudTrail assumes to deliver to CloudWatch Logs: the CloudTrail
 * service, for the tenant's trail only (IAM-3: no `*` principal; the condition closes the
 * confused-deputy path through which another trail could borrow the role).
 */
export function trailLogsTrustPolicy(scope: TenantScope): PolicyDocument {
  const condition: PolicyCondition = {
    StringEquals: { "aws:SourceArn": tenantTrailArn(scope), "aws:SourceAccount": scope.accountId },
  };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CloudTrailForTenantTrailOnly",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("cloudtrail") },
        Action: "sts:AssumeRole",
        Condition: condition,
      },
    ],
  };
}

/**
 * Permissions of that role: create streams and put events in the trail's log group, nothing
 * else. The resource is the group's streams by the group's known ARN, never `*` (CMP-7, IAM-3);
 * the group exists before the trail, so no `logs:CreateLogGroup`.
 */
export function trailLogsPermissionsPolicy(scope: TenantScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteTenantTrailLogGroupOnly",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${auditLogGroupArn(scope)}:log-stream:*`,
      },
    ],
  };
}

/** One rule of the audit bucket's lifecycle, in the shape of BucketLifecycleConfiguration's `rules`. */
export interface AuditLifecycleRule {
  /** Names the rule in the console and in policy messages. */
  readonly id: string;
  /** Always `Enabled`. */
  readonly status: "Enabled";
  /** An empty filter: the rule covers the whole bucket. */
  readonly filter: Record<string, never>;
  /** When current log objects expire (become noncurrent in the versioned bucket). */
  readonly expiration: { readonly days: number };
  /** When noncurrent versions, including overwritten or deleted logs, are removed. */
  readonly noncurrentVersionExpiration: { readonly noncurrentDays: number };
  /** Uploads that never completed hold no log; they are cleaned up after a week. */
  readonly abortIncompleteMultipartUpload: { readonly daysAfterInitiation: number };
}

/**
 * The audit bucket's lifecycle (AUD-1, DAT-4): a log object expires `retentionDays` after it was
 * written, and its noncurrent version `retentionDays` after that, so no log, not even one deleted
 * by hand, is removed before `retentionDays`. S3 then clears the expired delete markers itself.
 * Nothing moves to another storage class: an investigation reads the logs at once.
 */
export function auditLifecycleRules(retentionDays: number): AuditLifecycleRule[] {
  return [
    {
      id: "expire-audit-logs-after-retention",
      status: "Enabled",
      filter: {},
      expiration: { days: retentionDays },
      noncurrentVersionExpiration: { noncurrentDays: retentionDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    },
  ];
}
