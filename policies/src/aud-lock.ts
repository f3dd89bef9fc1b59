// AUD-1's newer clauses: the trail's bucket keeps each log for the retention period whatever anyone
// does (S3 Object Lock in compliance mode), denies deleting logs and weakening itself in its bucket
// policy, and logs access to itself (S3 server access logging). Where tenants share an account, the
// trail and the GuardDuty detector (AUD-4) live in the account's baseline stack, never a tenant's.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AudType, audLabel, readObject, referenced } from "./aud-read";
import { minimumRetention, RETENTION_CONFIG_SCHEMA, type AuditRetentionConfig } from "./aud-trail";
import { bucketNamedBy, bucketParts, s3Label, stackBuckets } from "./dat-buckets-s3";
import { parsePolicyDocument, wildcardMatches, type Statement } from "./iam-document";
import { UNKNOWN, readBoolean, readNumber, readString, readValue } from "./props";

const IDS = "AUD-1";

/** Object actions a Deny for everyone must cover on the audit bucket's objects. */
export const LOG_REMOVING_ACTIONS: readonly string[] = ["s3:DeleteObject", "s3:DeleteObjectVersion"];

/** Bucket actions a Deny for everyone (administrators aside) must cover on the audit bucket. */
export const BUCKET_WEAKENING_ACTIONS: readonly string[] = [
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutBucketLogging",
];

// The one condition a guard Deny may carry: it spares named principals (the administrators).
const SPARING_OPERATORS = ["ArnNotLike", "ArnNotEquals", "StringNotLike", "StringNotEquals"];

/** A Deny that applies to every caller, except at most principals named by ARN. */
function deniesEveryone(statement: Statement): boolean {
  const everyone = statement.principals?.some((p) => p.value === "*") ?? false;
  const onlySparesPrincipals = statement.conditions.every(
    (c) => SPARING_OPERATORS.includes(c.operator) && c.key.toLowerCase() === "aws:principalarn",
  );
  return statement.effect === "Deny" && everyone && onlySparesPrincipals;
}

/** Whether some everyone-Deny covers `action` on a resource matching `resource`. */
function denied(statements: readonly Statement[], action: string, resource: string): boolean {
  return statements.some(
    (s) =>
      deniesEveryone(s) &&
      (s.actions ?? []).some((a) => wildcardMatches(a, action)) &&
      (s.resources ?? []).some((r) => wildcardMatches(r, resource)),
  );
}

/** What the bucket's policies fail to deny, each phrased to follow "its bucket policy". */
function policyGaps(bucket: PolicyResource, policies: readonly PolicyResource[]): string[] {
  const name = readString(bucket.props, "bucket");
  if (typeof name !== "string") {
    return ["cannot be checked: give the bucket a literal name so its ARN is known at preview"];
  }
  const arn = `arn:aws:s3:::${name}`;
  const statements: Statement[] = [];
  for (const policy of policies) {
    const read = parsePolicyDocument(readValue(policy.props, "policy"));
    if (read.kind === "unknown") {
      return ["is unknown at preview; build it from the bucket's literal name"];
    }
    if (read.kind === "document") {
      // Partition-neutral: compare resources as if in the aws partition.
      statements.push(
        ...read.statements.map((s) => ({
          ...s,
          resources: s.resources?.map((r) => r.replace(/^arn:aws[a-z-]*:/, "arn:aws:")),
        })),
      );
    }
  }
  const gaps: string[] = [];
  const objects = LOG_REMOVING_ACTIONS.filter((a) => !denied(statements, a, `${arn}/AWSLogs/x`));
  if (objects.length > 0) {
    gaps.push(`does not deny ${objects.join(", ")} on its objects to everyone`);
  }
  const settings = BUCKET_WEAKENING_ACTIONS.filter((a) => !denied(statements, a, arn));
  if (settings.length > 0) {
    gaps.push(`does not deny ${settings.join(", ")} on the bucket to everyone but named administrators`);
  }
  return gaps;
}

/**
 * AUD-1: every trail's bucket is created with Object Lock, has a default retention in compliance
 * mode of at least the minimum, logs its access to another bucket, and its bucket policy denies
 * deleting log objects and weakening the bucket (administrators named by ARN aside).
 */
export const audTrailBucketLocked: StackValidationPolicy = {
  name: "aud-trail-bucket-locked",
  description:
    "Checks that every CloudTrail trail's bucket has S3 Object Lock with a compliance-mode default retention of at least 180 days (configurable upwards), server access logging to another bucket, and a bucket policy denying everyone the deletion of log objects and changes to its policy, Object Lock, lifecycle, versioning and logging (AUD-1).",
  configSchema: RETENTION_CONFIG_SCHEMA,
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const minimum = minimumRetention(args.getConfig<AuditRetentionConfig>());
    for (const trail of resources.filter((r) => r.type === AudType.trail)) {
      const bucket = bucketNamedBy(trail, "s3BucketName", resources);
      if (!bucket) {
        continue; // aud-trail-bucket-retained asks for the bucket to be in the stack.
      }
      const label = `${s3Label(bucket)}, which receives ${audLabel(trail.type, trail.name)},`;
      if (readBoolean(bucket.props, "objectLockEnabled") !== true) {
        reportViolation(
          `Create ${label} with objectLockEnabled: true (a literal): Object Lock can only be turned on when a bucket is created, and without it a log can be deleted (${IDS}).`,
          bucket.urn,
        );
      }
      const parts = bucketParts(bucket, resources);
      const retentions = parts.objectLocks.map((lock) => {
        const rule = readObject(lock.props, "rule");
        const retention =
          rule === UNKNOWN || rule === undefined ? rule : readObject(rule, "defaultRetention");
        if (retention === UNKNOWN || retention === undefined) {
          return { lock, mode: retention, days: retention };
        }
        const days = readNumber(retention, "days");
        const years = readNumber(retention, "years");
        return {
          lock,
          mode: readString(retention, "mode"),
          days: typeof years === "number" ? years * 365 : days,
        };
      });
      if (
        !retentions.some((r) => r.mode === "COMPLIANCE" && typeof r.days === "number" && r.days >= minimum)
      ) {
        reportViolation(
          `Add an aws.s3.BucketObjectLockConfiguration to ${label} with rule.defaultRetention { mode: "COMPLIANCE", days: ${minimum} or more }: governance mode or a shorter retention lets a log be deleted or shortened before then (${IDS}).`,
          (parts.objectLocks[0] ?? bucket).urn,
        );
      }
      // The target is another bucket of the stack (by dependency or literal name), or a literal
      // name of a bucket elsewhere; never the audit bucket itself (S3 would log its own logging).
      const buckets = stackBuckets(resources);
      const loggings = parts.loggings.filter((l) => {
        const [target] = referenced(l, "targetBucket", buckets, "bucket");
        if (target !== undefined) {
          return target.urn !== bucket.urn;
        }
        const dependsOnOutputs = (l.propertyDependencies["targetBucket"] ?? []).length > 0;
        const literal = dependsOnOutputs ? undefined : readString(l.props, "targetBucket");
        return typeof literal === "string";
      });
      if (loggings.length === 0) {
        reportViolation(
          `Add an aws.s3.BucketLogging to ${label} with a targetBucket other than itself: every read and change of the audit logs must leave a record (${IDS}).`,
          bucket.urn,
        );
      }
      const gaps = policyGaps(bucket, parts.policies);
      if (gaps.length > 0) {
        reportViolation(
          `Make the bucket policy of ${label} a guard: it ${gaps.join("; ")}. Add Deny statements for Principal "*" (sparing at most named administrator roles through aws:PrincipalArn) (${IDS}).`,
          (parts.policies[0] ?? bucket).urn,
        );
      }
    }
  },
};
