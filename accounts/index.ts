/**
 * Moat's account baseline: one stack per AWS account and region (accounts/stacks/), deployed before
 * the tenants of that account. It owns what AWS allows once per account or region, so tenants that
 * share an account never create it (AUD-1, AUD-4). It only wires: settings are parsed by ./config,
 * every resource is owned by components/account-baseline.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_SCOPE_ID } from "../components/account-baseline/account-scope";
import { AccountBaseline } from "../components/account-baseline/account-baseline";
import { createTenantProvider } from "../components/tenant/tenant-provider";
import { MoatConfigError } from "../infra/config";
import { parseBaselineConfig } from "./config";

const parsed = parseBaselineConfig(pulumi.runtime.allConfig(), `stacks/Pulumi.${pulumi.getStack()}.yaml`);
if (!parsed.ok) {
  throw new MoatConfigError(parsed.problems);
}
const config = parsed.value;

// Tagged like a tenant's resources (AUD-5), with the account scope id as tenant.
const provider = createTenantProvider("account-aws", {
  region: config.region,
  allowedAccountIds: [config.account],
  tenantId: ACCOUNT_SCOPE_ID,
  environment: config.environment,
  owner: config.owner,
});
const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;

const baselineResources = new AccountBaseline(
  "account",
  {
    accountId,
    region: config.region,
    retentionDays: config.auditRetentionDays,
    operatorEmails: config.operatorAlertEmails,
    forwardGlobalEventsTo: config.forwardGlobalEventsTo,
    auditAdministratorRoleArns: config.auditAdministratorRoleArns,
  },
  { providers: { aws: provider } },
);

/** What tenant stacks read through `moat:baseline` (components/account-baseline/account-scope.ts). */
export const baseline = baselineResources.outputs;
/** The region's GuardDuty detector (AUD-4). */
export const guardDutyDetectorId = baselineResources.detectorId;
