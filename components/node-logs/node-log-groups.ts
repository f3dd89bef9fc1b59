// Names, ARNs and retention of the log groups nodes ship their logs to (AUD-3). They are the
// contract between the NodeLogs component that creates the groups, the node bootstrap whose
// CloudWatch agent writes to them and the alarms that watch them, so all three import them from
// here. Built from known values only (tenant id and environment, account, region), so the policy
// pack can read them at the first preview (POL-2).
import { CLOUDWATCH_RETENTION_DAYS } from "../network/flow-logs";
import { nodeLogGroupPrefix, type TenantScope } from "../tenant-key/tenant-scope";

/** The node logs shipped to CloudWatch: sshd and PAM's authentication log, and the system log. */
export const NODE_LOGS = ["auth", "syslog"] as const;

/** One of {@link NODE_LOGS}. */
export type NodeLog = (typeof NODE_LOGS)[number];

/** AUD-3's floor: node logs are kept at least six months. */
export const MIN_NODE_LOG_RETENTION_DAYS = 180;

/** Node-log retention when none is given: a year, as for the audit trail (AUD-1). */
export const DEFAULT_NODE_LOG_RETENTION_DAYS = 365;

/** The longest retention CloudWatch Logs accepts short of "never expire" (ten years). */
export const MAX_NODE_LOG_RETENTION_DAYS = CLOUDWATCH_RETENTION_DAYS[CLOUDWATCH_RETENTION_DAYS.length - 1];

/**
 * The node log groups' explicit names, `/moat/<nameId>/nodes/auth` and `/moat/<nameId>/nodes/syslog`
 * for the name id `<tenantId>-<environment>` (`tenantNameId`): under the node log prefix, the only
 * groups the node role may write to and the tenant key encrypts for (CMP-7, DAT-3), and matching
 * the pack's `/moat/<tenant>/nodes/...` (aud-node-log-groups-present).
 */
export function nodeLogGroupNames(nameId: string): Readonly<Record<NodeLog, string>> {
  const prefix = nodeLogGroupPrefix(nameId);
  return { auth: `${prefix}auth`, syslog: `${prefix}syslog` };
}

/**
 * ARN of a log group from its name, as IAM policies and the log group's `arn` read it (without
 * the `:*` that DescribeLogGroups appends): known at preview, unlike the resource's computed ARN.
 */
export function logGroupArn(
  scope: Pick<TenantScope, "partition" | "region" | "accountId">,
  groupName: string,
): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${groupName}`;
}

/**
 * The retention to set for a requested number of days: the smallest value CloudWatch Logs accepts
 * that is at least the request and at least AUD-3's 180 days, since the API refuses any other
 * number (e.g. 200 becomes 365). Undefined when nothing CloudWatch accepts is long enough.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export function nodeLogRetentionDays(
  requested: number = DEFAULT_NODE_LOG_RETENTION_DAYS,
): number | undefined {
  const floor = Math.max(requested, MIN_NODE_LOG_RETENTION_DAYS);
  return CLOUDWATCH_RETENTION_DAYS.find((days) => days >= floor);
}
