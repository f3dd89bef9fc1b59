// Where the account singletons live (AUD-1, AUD-4): AWS allows one GuardDuty detector per account
// and region and five trails per region, so a tenant stack that created either would limit how
// many tenants share an account and, on `pulumi destroy`, switch them off for all. They belong to
// the account baseline (accounts/, component `moat:account:AccountBaseline`); a tenant stack, one
// that runs nodes, references its baseline instead (`moat:account:BaselineReference`).
// https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_limits.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AudType, audLabel } from "./aud-read";
import { NODE_TYPES } from "./cmp-types";
import { readBoolean, readString } from "./props";

/** The component of an account baseline stack (components/account-baseline/account-baseline.ts). */
export const BASELINE_TYPE = "moat:account:AccountBaseline";

/** A tenant's link to its baseline (components/account-baseline/baseline-reference.ts). */
export const BASELINE_REFERENCE_TYPE = "moat:account:BaselineReference";

/** A stack reference to a baseline: `<organization>/moat-account/<stack>`. */
export const BASELINE_STACK = /^[A-Za-z0-9_.-]+\/moat-account\/[A-Za-z0-9_.-]+$/;

/** Resource types AWS allows a bounded number of per account and region. */
const SINGLETON_TYPES: readonly string[] = [AudType.trail, AudType.detector];

/** The baseline component of the stack, if it is an account baseline. */
export function baselineOf(resources: readonly PolicyResource[]): PolicyResource | undefined {
  return resources.find((r) => r.type === BASELINE_TYPE);
}

/** True when the stack runs nodes (any launch path of cmp-types' NODE_TYPES): a tenant cluster. */
export function runsNodes(resources: readonly PolicyResource[]): boolean {
  return resources.some((r) => NODE_TYPES.includes(r.type));
}

/** AUD-1, AUD-4: trails and detectors only in an account baseline stack. */
export const audAccountSingletonsInBaseline: StackValidationPolicy = {
  name: "aud-account-singletons-in-baseline",
  description:
    "Checks that only an account baseline stack (one with a moat:account:AccountBaseline) creates a CloudTrail trail or a GuardDuty detector, which AWS allows five and one of per account and region (AUD-1, AUD-4).",
  validateStack: (args, reportViolation) => {
    if (baselineOf(args.resources) !== undefined) {
      return;
    }
    for (const r of args.resources.filter((r) => SINGLETON_TYPES.includes(r.type))) {
      reportViolation(
        `Remove ${audLabel(r.type, r.name)} from this stack: the account's trail and each region's GuardDuty detector belong to the account baseline (accounts/), so tenants sharing an account neither collide on AWS's limits nor switch them off on destroy; reference the baseline with moat:baseline (AUD-1, AUD-4).`,
        r.urn,
      );
    }
  },
};

/** AUD-1, AUD-4: a tenant cluster names the baseline that records and watches it. */
export const audBaselineReferenced: StackValidationPolicy = {
  name: "aud-baseline-referenced",
  description:
    "Checks that a stack running nodes references its account baseline (a moat:account:BaselineReference naming <organization>/moat-account/<stack>), which holds the trail and the GuardDuty detector that cover it (AUD-1, AUD-4).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    if (!runsNodes(resources) || baselineOf(resources) !== undefined) {
      return;
    }
    const references = resources.filter((r) => r.type === BASELINE_REFERENCE_TYPE);
    if (references.some((r) => BASELINE_STACK.test(String(readString(r.props, "stack"))))) {
      return;
    }
    reportViolation(
      `Reference the account baseline of this stack's account and region (set moat:baseline to <organization>/moat-account/<stack>): without it nothing shows the tenant is recorded by a trail and watched by GuardDuty (AUD-1, AUD-4).`,
      references[0]?.urn,
    );
  },
};

/** Whether a baseline component says it is the account's home (the trail's stack). */
export function isHomeBaseline(baseline: PolicyResource): boolean {
  return readBoolean(baseline.props, "home") === true;
}
