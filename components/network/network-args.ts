import type { NetworkArgs } from "./network";
import { validateNetworkCidr } from "./subnet-plan";

/** One invalid {@link NetworkArgs} property: where it is and what to do about it. */
export interface NetworkArgsProblem {
  /** Property path inside the args, e.g. `cidr`. */
  readonly propertyPath: string;
  /** What is wrong and how to fix it. */
  readonly reason: string;
}

// Zone names, not zone IDs (use1-az1): `us-east-1a`, `us-gov-west-1b`, local zones `us-west-2-lax-1a`.
const ZONE_NAME = /^[a-z]{2}(-[a-z0-9]+)+-\d+[a-z]$/;
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Checks every {@link NetworkArgs} property and returns all problems at once, so a user fixes them
 * in one pass; an empty array means the args are usable. The CIDR rules are
 * {@link validateNetworkCidr}'s (private /16../24, NET-5, NET-8).
 */
export function validateNetworkArgs(args: NetworkArgs): NetworkArgsProblem[] {
  const problems: NetworkArgsProblem[] = [];
  const examples = { tenantId: "acme", environment: "prod" } as const;
  for (const key of ["tenantId", "environment"] as const) {
    if (typeof args[key] !== "string" || args[key].trim() === "") {
      problems.push({
        propertyPath: key,
        reason: `set ${key}, e.g. ${examples[key]}; the VPC is named <tenantId>-<environment>`,
      });
    }
  }
  for (const reason of validateNetworkCidr(args.cidr)) {
    problems.push({ propertyPath: "cidr", reason });
  }
  const zone = args.availabilityZone;
  if (typeof zone !== "string" || !ZONE_NAME.test(zone)) {
    const shown = JSON.stringify(zone) ?? String(zone);
    const hint =
      typeof zone === "string" && REGION_NAME.test(zone)
        ? `${shown} is a region; name one zone in it, e.g. ${zone}a`
        : `${shown} is not an availability zone name; use one such as us-east-1a`;
    problems.push({ propertyPath: "availabilityZone", reason: hint });
  }
  return problems;
}
