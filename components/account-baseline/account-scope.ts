// Names and facts of an account baseline (accounts/): the one stack per account and region that
// owns what AWS allows once per account or region (the trail, the GuardDuty detector, the Auto
// Scaling service-linked role), so that tenants sharing an account never create them (AUD-1,
// AUD-4). Pure, so the baseline program, its tests and moat's offline stack references agree.
import { alertResourceName, alertTopicName } from "../security-alerts/alert-spec";
import { tenantTrailName, type TenantScope } from "../tenant-key/tenant-scope";

/**
 * The scope id in the baseline's names: `moat-account`, `moat-account-audit-...`,
 * `/moat/account/...`. infra/config refuses it as a tenant id, so no tenant name can collide.
 */
export const ACCOUNT_SCOPE_ID = "account";

/**
 * The region where EventBridge receives the CloudTrail events of global services such as IAM, in
 * the `aws` partition. The account's baseline in this region is its home: it owns the account's
 * trail, its access-log bucket, the service-linked role, and forwards global events to the
 * regions that hold tenants.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export const GLOBAL_EVENTS_REGION = "us-east-1";

/** The project name of the account baseline (accounts/Pulumi.yaml). */
export const BASELINE_PROJECT = "moat-account";

/** The baseline's scope: the account scope id in the given account and region. */
export function accountScope(accountId: string, region: string, partition: TenantScope["partition"] = "aws") {
  return { tenantId: ACCOUNT_SCOPE_ID, accountId, region, partition } as const satisfies TenantScope;
}

/**
 * The access-log bucket's name, `moat-account-access-logs-<accountId>-<region>`: global across
 * AWS, so the account and region make it unique, as for the audit bucket.
 */
export function accessLogBucketName(accountId: string, region: string): string {
  return `moat-${ACCOUNT_SCOPE_ID}-access-logs-${accountId}-${region}`;
}

/**
 * The operator's alert topic in each baseline, `moat-account-security-alerts`, for account-wide
 * events no tenant owns: the tenants' topic naming, with the account scope id.
 */
export function operatorTopicName(): string {
  return alertTopicName(ACCOUNT_SCOPE_ID);
}

/** Name of an operator alert rule or of the forwarding rule, `moat-account-<purpose>`. */
export function accountResourceName(purpose: string): string {
  return alertResourceName(ACCOUNT_SCOPE_ID, purpose);
}

/** What a baseline stack exports for its tenants, all known before it is deployed. */
export interface BaselineOutputs {
  /** The account the baseline (and so its tenants) lives in. */
  readonly accountId: string;
  /** The baseline's region; a tenant references the baseline of its own region. */
  readonly region: string;
  /** True for the account's home baseline ({@link GLOBAL_EVENTS_REGION}). */
  readonly home: boolean;
  /** The GuardDuty detector of this account and region is this stack's (AUD-4). */
  readonly guardDuty: true;
  /** The account's multi-region trail, in the home baseline only (AUD-1). */
  readonly trailName?: string;
  /** Regions the home baseline forwards global-service events (IAM) to; empty elsewhere. */
  readonly globalEventsForwardedTo: readonly string[];
  /** The operator's alert topic in this region. */
  readonly operatorTopicName: string;
}

/** The outputs of the baseline of `accountId` in `region`, given the regions it forwards to. */
export function baselineOutputs(
  accountId: string,
  region: string,
  forwardGlobalEventsTo: readonly string[],
): BaselineOutputs {
  const home = region === GLOBAL_EVENTS_REGION;
  return {
    accountId,
    region,
    home,
    guardDuty: true,
    ...(home ? { trailName: tenantTrailName(ACCOUNT_SCOPE_ID) } : {}),
    globalEventsForwardedTo: home ? [...forwardGlobalEventsTo] : [],
    operatorTopicName: operatorTopicName(),
  };
}

/**
 * Problems with a tenant's use of a baseline: one of another account or another region. Whether
 * the account's home forwards IAM events to the tenant's region is a fleet check (moat plan --all),
 * as the tenant references its regional baseline, not the home one.
 */
export function baselineUseProblems(
  baseline: Pick<BaselineOutputs, "accountId" | "region">,
  tenant: { readonly accountId: string; readonly region: string },
): string[] {
  const problems: string[] = [];
  if (baseline.accountId !== tenant.accountId) {
    problems.push(
      `the baseline is in account ${baseline.accountId}, the tenant in ${tenant.accountId}; reference the baseline of the tenant's own account`,
    );
  }
  if (baseline.region !== tenant.region) {
    problems.push(
      `the baseline is in ${baseline.region}, the tenant in ${tenant.region}; reference the baseline of the tenant's region (its GuardDuty detector covers that region only)`,
    );
  }
  return problems;
}
