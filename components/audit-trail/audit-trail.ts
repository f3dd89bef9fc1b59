import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  resolveScope,
  tenantTrailName,
  throwIfInvalid,
  TenantScope,
  type TenantScopeArgs,
} from "../tenant-key/tenant-scope";
import {
  auditBucketPolicy,
  auditLifecycleRules,
  trailLogsPermissionsPolicy,
  trailLogsTrustPolicy,
} from "./audit-documents";
import {
  auditBucketName,
  auditLogGroupName,
  auditRoleName,
  cloudWatchRetentionDays,
  DEFAULT_AUDIT_RETENTION_DAYS,
  validateAuditTrailArgs,
} from "./audit-trail-args";

/**
 * Inputs of an {@link AuditTrail}. Tenant, environment and owner tags (AUD-5) come from the tenant
 * provider passed in the resource options.
 */
export interface AuditTrailArgs extends TenantScopeArgs {
  // tenantId names the trail `moat-<tenantId>`, the bucket `moat-<tenantId>-audit-<accountId>-<region>`,
  // the log group `/moat/<tenantId>/cloudtrail` and the role `moat-<tenantId>-cloudtrail`; changing
  // it replaces them, which the protected bucket, log group and trail refuse. The account ID is a
  // provider-function result, so the bucket's name and policy stay readable at preview (POL-2).
  /**
   * ARN of the tenant key (TenantKey.keyArn), created with `allowAuditServices: true` so CloudTrail
   * may encrypt with it. Encrypts the log files, the bucket's objects and the log group. No default.
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Days the audit logs are kept: the stack's `moat:audit.retentionDays`, 180 (six months, AUD-1)
   * to 3653. The bucket expires a log object after exactly this many days and its noncurrent
   * version as long again; the log group keeps events for this many days rounded up to a value
   * CloudWatch Logs accepts. Changing it updates both in place.
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * Name of the bucket that receives the audit bucket's S3 server access logs (AUD-1), in the same
   * account and region, without Object Lock (S3 refuses a locked target). Its policy must let
   * `logging.s3.amazonaws.com` write for this bucket (audit-documents.ts `accessLogBucketPolicy`).
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   * No default.
   */
  readonly accessLogBucketName: pulumi.Input<string>;
  /**
   * ARNs of the roles that may still change the audit bucket's settings or policy once it exists
   * (AUD-1): the deployment role of the account baseline, typically. Everyone else is denied.
   * Changing a setting later (for example `retentionDays`) needs one of them.
   * @default [] (only the account's root user, by deleting the bucket policy)
   */
  readonly administratorRoleArns?: readonly string[];
}

/**
 * An account's CloudTrail trail (AUD-1), owned by the account baseline (accounts/): multi-region,
 * with log-file validation, encrypted with the given key, delivering to a dedicated S3 bucket and
 * to the CloudWatch Logs group `/moat/<tenantId>/cloudtrail` (the baseline's scope id is
 * `account`). The bucket blocks public access, is versioned, SSE-KMS encrypted, owner-enforced and
 * refuses requests without TLS (DAT-5); S3 Object Lock in compliance mode keeps every log for
 * `retentionDays`, and its policy denies deleting logs and weakening the bucket to all but the
 * named administrators; its access is logged to `accessLogBucketName`. Its lifecycle never removes
 * a log before `retentionDays`. Bucket, its settings, log group and trail are protected and kept
 * on `pulumi destroy` (DAT-4). Every name and policy is built from values known at preview (POL-2).
 */
export class AuditTrail extends pulumi.ComponentResource {
  /** ARN of the trail. */
  public readonly trailArn: pulumi.Output<string>;
  /** Name of the audit bucket, `moat-<tenantId>-audit-<accountId>-<region>`. */
  public readonly bucketName: pulumi.Output<string>;
  /** Name of the trail's log group, `/moat/<tenantId>/cloudtrail`. */
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("AuditTrail", name, validateAuditTrailArgs(args));
    super("moat:audit:AuditTrail", name, {}, opts);

    const scope = resolveScope(args);
    const days = args.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
    const parent = { parent: this };
    // DAT-4: an update may not delete the audit logs, and `pulumi destroy` leaves them in place.
    const kept = { parent: this, protect: true, retainOnDelete: true };
    const documentOf = (build: (s: TenantScope) => object) => scope.apply((s) => JSON.stringify(build(s)));

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      // Object Lock can only be turned on when a bucket is created.
      { bucket: scope.apply(auditBucketName), forceDestroy: false, objectLockEnabled: true },
      kept,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-bucket-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      kept,
    );
    // ACLs off: CloudTrail's bucket-owner-full-control is still accepted, and the account owns every log.
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-bucket-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      kept,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-bucket-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      kept,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-bucket-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
            // One data key per bucket instead of one KMS call per log object.
            bucketKeyEnabled: true,
          },
        ],
      },
      kept,
    );
    // AUD-1: compliance mode, so no one, the root user included, shortens or lifts a retention.
    const objectLock = new aws.s3.BucketObjectLockConfiguration(
      `${name}-bucket-object-lock`,
      {
        bucket: bucket.id,
        rule: { defaultRetention: { mode: "COMPLIANCE", days } },
      },
      { ...kept, dependsOn: [versioning] },
    );
    const accessLogging = new aws.s3.BucketLogging(
      `${name}-bucket-access-logging`,
      {
        bucket: bucket.id,
        targetBucket: args.accessLogBucketName,
        targetPrefix: pulumi.interpolate`access-logs/${bucket.bucket}/`,
      },
      kept,
    );
    // Lifecycle rules on a versioned bucket act on versions only once versioning is on.
    const lifecycle = new aws.s3.BucketLifecycleConfiguration(
      `${name}-bucket-lifecycle`,
      { bucket: bucket.id, rules: auditLifecycleRules(days) },
      { ...kept, dependsOn: [versioning] },
    );
    // S3 refuses concurrent policy and public-access-block writes on one bucket, so they go in turn;
    // the policy comes last, as it denies changing the settings before it.
    const administrators = args.administratorRoleArns ?? [];
    const bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-bucket-policy`,
      {
        bucket: bucket.id,
        policy: documentOf((s) => auditBucketPolicy(s, auditBucketName(s), administrators)),
      },
      { ...kept, dependsOn: [publicAccess, ownership, encryption, objectLock, accessLogging, lifecycle] },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: auditLogGroupName(args.tenantId),
        kmsKeyId: args.kmsKeyArn,
        retentionInDays: cloudWatchRetentionDays(days),
      },
      kept,
    );
    const role = new aws.iam.Role(
      `${name}-logs-role`,
      {
        name: auditRoleName(args.tenantId),
        description: `Lets CloudTrail deliver trail ${tenantTrailName(args.tenantId)} to ${auditLogGroupName(args.tenantId)} (AUD-1).`,
        assumeRolePolicy: documentOf(trailLogsTrustPolicy),
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-logs-policy`,
      { role: role.name, name: "write-cloudtrail-log-group", policy: documentOf(trailLogsPermissionsPolicy) },
      parent,
    );

    // CloudTrail checks the bucket policy and the role when the trail is created, so both come first.
    const trail = new aws.cloudtrail.Trail(
      `${name}-trail`,
      {
        name: tenantTrailName(args.tenantId),
        s3BucketName: bucket.bucket,
        kmsKeyId: args.kmsKeyArn,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
        cloudWatchLogsRoleArn: role.arn,
      },
      { ...kept, dependsOn: [bucketPolicy, rolePolicy] },
    );

    this.trailArn = trail.arn;
    this.bucketName = bucket.bucket;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      trailArn: this.trailArn,
      bucketName: this.bucketName,
      logGroupName: this.logGroupName,
    });
  }
}
