import type { TenantKeyArgs } from "./tenant-key";
import { ArgsProblem, validateTenantScope } from "./tenant-scope";

/** Shortest automatic rotation period AWS KMS accepts, in days. */
export const MIN_ROTATION_DAYS = 90;
/** Longest rotation period DAT-3 allows, in days (also the KMS default). */
export const MAX_ROTATION_DAYS = 365;

/**
 * Checks every {@link TenantKeyArgs} property and returns all problems at once; an empty array
 * means the args are usable (DAT-3).
 */
export function validateTenantKeyArgs(args: TenantKeyArgs): ArgsProblem[] {
  const problems = validateTenantScope(args);
  const days = args.rotationPeriodDays;
  if (
    days !== undefined &&
    !(Number.isInteger(days) && days >= MIN_ROTATION_DAYS && days <= MAX_ROTATION_DAYS)
  ) {
    problems.push({
      propertyPath: "rotationPeriodDays",
      reason:
        `${JSON.stringify(days)} is not a whole number of days from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}; ` +
        `KMS accepts nothing shorter and DAT-3 allows nothing longer (leave it out for ${MIN_ROTATION_DAYS})`,
    });
  }
  return problems;
}
