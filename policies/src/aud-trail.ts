// AUD-1: a CloudTrail trail records every region, proves its log files unaltered, encrypts them
// with the tenant's key and delivers them to CloudWatch Logs and to a protected bucket that keeps
// them at least 180 days. The bucket is found through the trail's `s3BucketName` dependency or
// the bucket's literal name, never through a computed ID (POL-2).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AudType, audLabel, literalMessage, readItems, readObject } from "./aud-read";
import { baselineOf, isHomeBaseline } from "./aud-baseline";
import { bucketNamedBy, bucketParts, s3Label } from "./dat-buckets-s3";
import { Props, Read, UNKNOWN, forTypes, readBoolean, readNumber, readString, readValue } from "./props";

/** AUD-1's floor on how long audit logs are kept, in days (six months). */
export const MIN_AUDIT_RETENTION_DAYS = 180;

/** Settings of {@link audTrailBucketRetained}. */
export interface AuditRetentionConfig {
  /**
   * Fewest days the trail's bucket keeps each log object; it can only be raised above AUD-1's floor.
   * @default 180
   */
  readonly minimumRetentionDays?: number;
}

const IDS = "AUD-1";

/** The config schema of a policy whose floor on audit retention can only be raised. */
export const RETENTION_CONFIG_SCHEMA = {
  properties: {
    minimumRetentionDays: {
      type: "integer" as const,
      minimum: MIN_AUDIT_RETENTION_DAYS,
      default: MIN_AUDIT_RETENTION_DAYS,
    },
  },
};

/**
 * The configured minimum retention in days. The schema keeps configured values at or above the
 * floor; the max guards direct callers too.
 */
export function minimumRetention(config: AuditRetentionConfig): number {
  return Math.max(config.minimumRetentionDays ?? MIN_AUDIT_RETENTION_DAYS, MIN_AUDIT_RETENTION_DAYS);
}

/** The settings a trail must declare as true, and why. */
const TRUE_SETTINGS: readonly (readonly [property: string, why: string])[] = [
  ["isMultiRegionTrail", "a trail of one region misses API calls made in every other region"],
  ["enableLogFileValidation", "digest files are what prove a log file was not altered or deleted"],
];

/**
 * AUD-1, DAT-4: the trail's own settings. `kmsKeyId` and `cloudWatchLogsGroupArn` are usually
 * built from outputs, so any declared value counts, unknown included; the flags must be literals.
 */
export const audTrailSecured: ResourceValidationPolicy = {
  name: "aud-trail-secured",
  description:
    "Checks that every CloudTrail trail is multi-region, validates log files, keeps logging on, is encrypted with a KMS key (kmsKeyId), delivers to CloudWatch Logs (cloudWatchLogsGroupArn) and is created with protect (AUD-1, DAT-4).",
  validateResource: forTypes([AudType.trail], (args, reportViolation) => {
    const label = audLabel(args.type, args.name);
    for (const [property, why] of TRUE_SETTINGS) {
      const value = readBoolean(args.props, property);
      if (value === UNKNOWN) {
        reportViolation(literalMessage(property, label, IDS));
      } else if (value !== true) {
        reportViolation(`Set ${property}: true on ${label}: ${why} (${IDS}).`);
      }
    }
    const logging = readBoolean(args.props, "enableLogging");
    if (logging === UNKNOWN) {
      reportViolation(literalMessage("enableLogging", label, IDS));
    } else if (logging === false) {
      reportViolation(`Remove enableLogging: false from ${label}: a stopped trail records nothing (${IDS}).`);
    }
    if (readValue(args.props, "kmsKeyId") === undefined) {
      reportViolation(
        `Set kmsKeyId on ${label} to the tenant's KMS key: without it the log files are encrypted only with S3-managed keys (${IDS}).`,
      );
    }
    if (readValue(args.props, "cloudWatchLogsGroupArn") === undefined) {
      reportViolation(
        `Set cloudWatchLogsGroupArn (and cloudWatchLogsRoleArn) on ${label} to a KMS-encrypted log group: the alerts of AUD-2 are built on the trail's events in CloudWatch Logs (${IDS}).`,
      );
    }
    if (args.opts.protect !== true) {
      reportViolation(
        `Create ${label} with the resource option protect: true: a destroy or replacement would stop the audit trail (${IDS}, DAT-4).`,
      );
    }
  }),
};

/**
 * What in a lifecycle configuration removes log objects sooner than `minimum` days, each phrased
 * to follow the configuration's label. Disabled rules are skipped; a rule whose status is unknown
 * may be enabled, so it is judged. Noncurrent versions count too: a log someone deleted survives
 * only as a noncurrent version, and expiring it early undoes what versioning protects.
 */
export function lifecycleShortfalls(lifecycle: Pick<PolicyResource, "props">, minimum: number): string[] {
  const rules = readItems(lifecycle.props, "rules");
  if (rules === UNKNOWN) {
    return ["has rules that are unknown at preview"];
  }
  const found: string[] = [];
  for (const [i, rule] of (rules ?? []).entries()) {
    if (rule === UNKNOWN) {
      found.push(`has rules[${i}] unknown at preview`);
      continue;
    }
    if (rule === undefined || readString(rule, "status") === "Disabled") {
      continue;
    }
    const id = readString(rule, "id");
    const which = typeof id === "string" ? `rule "${id}"` : `rules[${i}]`;
    const expiration = readObject(rule, "expiration");
    const checks: [Read<Props>, string, string, string][] = [
      [expiration, "expiration", "days", "expires objects after"],
      [
        readObject(rule, "noncurrentVersionExpiration"),
        "noncurrentVersionExpiration",
        "noncurrentDays",
        "deletes noncurrent versions after",
      ],
    ];
    for (const [holder, property, key, what] of checks) {
      const days = holder === UNKNOWN ? UNKNOWN : holder === undefined ? undefined : readNumber(holder, key);
      if (days === UNKNOWN) {
        found.push(`has a ${which} whose ${property}.${key} is unknown at preview`);
      } else if (days !== undefined && days < minimum) {
        found.push(`${what} ${days} days in ${which}`);
      }
    }
    if (typeof expiration === "object" && readValue(expiration, "date") !== undefined) {
      found.push(`expires every object on a fixed date in ${which}`);
    }
  }
  return found;
}

/**
 * AUD-1, DAT-4: the trail's bucket is in the stack, protected, and no lifecycle rule removes a
 * log object (current or noncurrent) before the minimum. A bucket without a lifecycle keeps its
 * logs for ever, which meets the minimum.
 */
export const audTrailBucketRetained: StackValidationPolicy = {
  name: "aud-trail-bucket-retained",
  description:
    "Checks that every CloudTrail trail delivers to a bucket of this stack that is created with protect and whose lifecycle rules never expire log objects or their noncurrent versions before 180 days (configurable upwards) (AUD-1, DAT-4).",
  configSchema: RETENTION_CONFIG_SCHEMA,
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const minimum = minimumRetention(args.getConfig<AuditRetentionConfig>());
    for (const trail of resources.filter((r) => r.type === AudType.trail)) {
      const label = audLabel(trail.type, trail.name);
      const bucket = bucketNamedBy(trail, "s3BucketName", resources);
      if (!bucket) {
        reportViolation(
          `Build s3BucketName of ${label} from an aws.s3.Bucket of this stack (its id or literal name), so the bucket's protection and retention can be verified (${IDS}).`,
          trail.urn,
        );
        continue;
      }
      if (bucket.opts.protect !== true) {
        reportViolation(
          `Create ${s3Label(bucket)}, which receives ${label}, with the resource option protect: true: a destroy or replacement would delete the audit logs (${IDS}, DAT-4).`,
          bucket.urn,
        );
      }
      for (const lifecycle of bucketParts(bucket, resources).lifecycles) {
        for (const shortfall of lifecycleShortfalls(lifecycle, minimum)) {
          reportViolation(
            `Keep the audit logs of ${label} at least ${minimum} days: ${s3Label(lifecycle)} ${shortfall}; use literal expiration days of ${minimum} or more (${IDS}).`,
            lifecycle.urn,
          );
        }
      }
    }
  },
};

/**
 * AUD-1 presence: the account's home baseline (the AccountBaseline in us-east-1, `home: true`)
 * creates the account's trail. Tenant stacks never do (aud-account-singletons-in-baseline); they
 * reference the baseline that records them (aud-baseline-referenced).
 */
export const audTrailPresent: StackValidationPolicy = {
  name: "aud-trail-present",
  description:
    "Checks that the account's home baseline stack (a moat:account:AccountBaseline with home: true) creates a CloudTrail trail, so every API call in the account is recorded (AUD-1).",
  validateStack: (args, reportViolation) => {
    const baseline = baselineOf(args.resources);
    if (baseline === undefined || !isHomeBaseline(baseline)) {
      return;
    }
    if (!args.resources.some((r) => r.type === AudType.trail)) {
      reportViolation(
        `Add an aws.cloudtrail.Trail to the home baseline: multi-region, with log-file validation, kmsKeyId, cloudWatchLogsGroupArn and a protected, retained, object-locked bucket, so every API call in the account is recorded (${IDS}).`,
        baseline.urn,
      );
    }
  },
};
