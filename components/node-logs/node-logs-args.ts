import type { NodeLogsArgs } from "./node-logs";
import {
  MAX_NODE_LOG_RETENTION_DAYS,
  MIN_NODE_LOG_RETENTION_DAYS,
  DEFAULT_NODE_LOG_RETENTION_DAYS,
} from "./node-log-groups";
import { ArgsProblem, validateTenantScope } from "../tenant-key/tenant-scope";

/**
 * Checks every {@link NodeLogsArgs} property and returns all problems at once; an empty array
 * means the args are usable. Retention must be a whole number of days from AUD-3's 180 to the ten
 * years CloudWatch Logs keeps at most; values between the ones CloudWatch accepts are rounded up
 * by the component, never refused.
 */
export function validateNodeLogsArgs(args: NodeLogsArgs): ArgsProblem[] {
  const problems = validateTenantScope(args);
  if (args.kmsKeyArn === undefined || args.kmsKeyArn === null || args.kmsKeyArn === "") {
    problems.push({
      propertyPath: "kmsKeyArn",
      reason:
        "set kmsKeyArn to the tenant key (TenantKey.keyArn): node logs hold user names and addresses and are encrypted with the tenant's customer-managed key (AUD-3, DAT-3)",
    });
  }
  const days = args.retentionDays;
  if (
    days !== undefined &&
    !(Number.isInteger(days) && days >= MIN_NODE_LOG_RETENTION_DAYS && days <= MAX_NODE_LOG_RETENTION_DAYS)
  ) {
    problems.push({
      propertyPath: "retentionDays",
      reason:
        `${JSON.stringify(days)} is not a whole number of days from ${MIN_NODE_LOG_RETENTION_DAYS} to ${MAX_NODE_LOG_RETENTION_DAYS}; ` +
        `AUD-3 keeps node logs at least six months and CloudWatch Logs keeps them at most ten years ` +
        `(leave it out for ${DEFAULT_NODE_LOG_RETENTION_DAYS}; in a stack file, moat:audit.retentionDays)`,
    });
  }
  return problems;
}
