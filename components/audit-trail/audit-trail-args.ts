// Names, retention and validation of a tenant's audit trail (AUD-1), all pure: every name is built
// from values known at the first `pulumi preview` (tenant id, account ID, region), so the policy
// pack can read the bucket, its policy and the log group's ARN before anything exists (POL-2).
import { CLOUDWATCH_RETENTION_DAYS } from "../network/flow-logs";
import {
  ArgsProblem,
  TenantScope,
  TenantScopeArgs,
  tenantLogGroupPrefix,
  validateTenantScope,
} from "../tenant-key/tenant-scope";

/** AUD-1's floor: audit logs are kept at least six months. */
export const MIN_AUDIT_RETENTION_DAYS = 180;

/** Retention when none is given, as the stack schema's `moat:audit.retentionDays` default. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** The longest retention CloudWatch Logs offers short of "never expire", in days (ten years). */
export const MAX_AUDIT_RETENTION_DAYS = Math.max(...CLOUDWATCH_RETENTION_DAYS);

/** The args {@link validateAuditTrailArgs} checks: the shared scope plus the trail's own. */
export interface AuditTrailArgsToCheck extends TenantScopeArgs {
  /** The tenant key's ARN; only its presence is checked, as it is usually an Output. */
  readonly kmsKeyArn: unknown;
  /** Days the logs are kept; see AuditTrailArgs.retentionDays. */
  readonly retentionDays?: number;
}

/**
 * The audit bucket's name, `moat-<tenantId>-audit-<accountId>-<region>`: S3 names are global
 * across every account, so the account ID and region make it unique without a random suffix, and
 * a literal name keeps the bucket policy's ARN known at preview.
 */
export function auditBucketName(scope: Pick<TenantScope, "tenantId" | "accountId" | "region">): string {
  return `moat-${scope.tenantId}-audit-${scope.accountId}-${scope.region}`;
}

/** The trail's log group, `/moat/<tenantId>/cloudtrail`, inside the prefix the tenant key serves. */
export function auditLogGroupName(tenantId: string): string {
  return `${tenantLogGroupPrefix(tenantId)}cloudtrail`;
}

/** ARN of the trail's log group, without the `:*` suffix CloudWatch adds to its own output. */
export function auditLogGroupArn(scope: TenantScope): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${auditLogGroupName(scope.tenantId)}`;
}

/** The role CloudTrail assumes to write to the log group, `moat-<tenantId>-cloudtrail`. */
export function auditRoleName(tenantId: string): string {
  return `moat-${tenantId}-cloudtrail`;
}

/**
 * The retention CloudWatch Logs accepts for `days`: the smallest allowed value that is not
 * shorter, so rounding never loses a day (AUD-1, NET-10). Undefined past the longest one.
 */
export function cloudWatchRetentionDays(days: number): number | undefined {
  return CLOUDWATCH_RETENTION_DAYS.find((allowed) => allowed >= days);
}

const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * What S3 refuses in a general-purpose bucket name, each phrased to follow "the bucket name":
 * 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a
 * letter or digit, no `..`, not an IP address, none of the reserved prefixes and suffixes.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`is ${name.length} characters long; S3 allows 3 to 63`);
  }
  if (!/^[a-z0-9.-]*$/.test(name)) {
    problems.push("holds characters other than lowercase letters, digits, dots and hyphens");
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push("must start and end with a lowercase letter or digit");
  }
  if (name.includes("..")) {
    problems.push("holds two adjacent dots");
  }
  if (IP_ADDRESS.test(name)) {
    problems.push("looks like an IP address");
  }
  for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) {
    if (name.startsWith(prefix)) {
      problems.push(`starts with the reserved prefix ${prefix}`);
    }
  }
  for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) {
    if (name.endsWith(suffix)) {
      problems.push(`ends with the reserved suffix ${suffix}`);
    }
  }
  return problems;
}

// Any 12 digits stand in for an account ID that is still an Output: only the length matters.
const ACCOUNT_PLACEHOLDER = "000000000000";

/**
 * Checks every AuditTrail argument and returns all problems at once; an empty array means the
 * args are usable (AUD-1). The bucket name is checked only once the scope is valid, with a
 * placeholder for an account ID still unknown (every account ID has 12 digits).
 */
export function validateAuditTrailArgs(args: AuditTrailArgsToCheck): ArgsProblem[] {
  const problems = validateTenantScope(args);
  if (args.kmsKeyArn === undefined || args.kmsKeyArn === null || args.kmsKeyArn === "") {
    problems.push({
      propertyPath: "kmsKeyArn",
      reason:
        "set kmsKeyArn to the tenant key's ARN (TenantKey.keyArn): the trail's log files, its bucket and its log group are encrypted with it (AUD-1, DAT-5)",
    });
  }
  const days = args.retentionDays;
  if (
    days !== undefined &&
    !(Number.isInteger(days) && days >= MIN_AUDIT_RETENTION_DAYS && days <= MAX_AUDIT_RETENTION_DAYS)
  ) {
    problems.push({
      propertyPath: "retentionDays",
      reason:
        `${JSON.stringify(days)} is not a whole number of days from ${MIN_AUDIT_RETENTION_DAYS} to ${MAX_AUDIT_RETENTION_DAYS}: ` +
        `AUD-1 keeps audit logs at least six months and CloudWatch Logs keeps nothing longer than ten years; ` +
        `set moat:audit.retentionDays in the stack file, or leave it out for ${DEFAULT_AUDIT_RETENTION_DAYS}`,
    });
  }
  if (problems.length === 0) {
    const accountId = typeof args.accountId === "string" ? args.accountId : ACCOUNT_PLACEHOLDER;
    const name = auditBucketName({ tenantId: args.tenantId, accountId, region: args.region });
    const nameProblems = bucketNameProblems(name);
    if (nameProblems.length > 0) {
      problems.push({
        propertyPath: "tenantId",
        reason: `the audit bucket name ${name} ${nameProblems.join(", ")}; use a shorter tenant id (the name is moat-<tenantId>-audit-<accountId>-<region>)`,
      });
    }
  }
  return problems;
}
