// Names, ARNs, the failed-SSH filter pattern and the policy documents of a tenant's security
// alerts (AUD-2), built only from values known at the first `pulumi preview` (tenant id, account
// id, region, partition), so the policy pack can read every one of them (POL-2).
import { flowLogRoleName } from "../network/flow-logs";
import { NODE_ROLES } from "../node-role/node-role-policy";
import { policyDocument, PolicyDocument, PolicyStatement } from "../tenant-key/policy-document";
import {
  TENANT_ROLES,
  tenantLogGroupPrefix,
  tenantRoleName,
  TenantScope,
  tenantNameId,
} from "../tenant-key/tenant-scope";

/** AUD-2: more than this many failed SSH logins ... */
export const FAILED_SSH_THRESHOLD = 5;
/** ... within this many seconds raise an alert. */
export const FAILED_SSH_PERIOD_SECONDS = 300;
/** Name of the failed-login metric, in the tenant's namespace. */
export const FAILED_SSH_METRIC = "FailedSshLogins";

/**
 * The sshd (and PAM) phrases that mark a failed login. With key-only logins (CMP-4) most
 * failures read "Connection closed by authenticating user" (wrong key) or "Invalid user"
 * (unknown name); the password phrases catch a node whose sshd config was weakened.
 */
export const FAILED_SSH_PHRASES: readonly string[] = [
  "Failed password",
  "Invalid user",
  "Connection closed by authenticating user",
  "authentication failure",
];

/** Name of the alert topic from the tenant's name id, e.g. `moat-acme-prod-security-alerts`. */
export function alertTopicName(nameId: string): string {
  return `moat-${nameId}-security-alerts`;
}

/** ARN of the alert topic, known before the topic exists. */
export function alertTopicArn(scope: TenantScope): string {
  return `arn:${scope.partition}:sns:${scope.region}:${scope.accountId}:${alertTopicName(tenantNameId(scope))}`;
}

/** The log group nodes ship sshd's log to, `/moat/<nameId>/nodes/auth` (AUD-3). */
export function nodeAuthLogGroupName(nameId: string): string {
  return `${tenantLogGroupPrefix(nameId)}nodes/auth`;
}

/**
 * The metric namespace of one tenant environment, e.g. `Moat/acme-prod`: environments sharing an
 * account must not count each other's failed logins.
 */
export function metricNamespace(nameId: string): string {
  return `Moat/${nameId}`;
}

/** Name of an alert resource (rule, alarm, filter), e.g. `moat-acme-prod-iam-changes`. */
export function alertResourceName(nameId: string, purpose: string): string {
  return `moat-${nameId}-${purpose}`;
}

/**
 * The CloudWatch Logs filter pattern counting failed SSH logins: any one of
 * {@link FAILED_SSH_PHRASES} (`?` ORs terms; quotes keep a phrase whole; matching is
 * case-sensitive, as sshd's wording is fixed).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function failedSshPattern(): string {
  return FAILED_SSH_PHRASES.map((phrase) => `?"${phrase}"`).join(" ");
}

/** The services that publish alerts to the topic: EventBridge rules and CloudWatch alarms. */
export const PUBLISHERS: readonly string[] = ["events.amazonaws.com", "cloudwatch.amazonaws.com"];

/**
 * The topic's access policy: EventBridge and CloudWatch may publish, only on behalf of this
 * account (`aws:SourceAccount` closes the confused-deputy path through which another account's
 * rule or alarm could post to the topic). The account's own principals need no statement: in the
 * same account an IAM grant suffices. No `*` principal (IAM-3).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
export function alertTopicPolicy(scope: TenantScope): PolicyDocument {
  const resource = alertTopicArn(scope);
  const statement = (sid: string, service: string): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sns:Publish",
    Resource: resource,
    Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
  });
  return policyDocument([
    statement("EventBridgeRulesOfThisAccountPublish", "events.amazonaws.com"),
    statement("CloudWatchAlarmsOfThisAccountPublish", "cloudwatch.amazonaws.com"),
  ]);
}

/**
 * Names of every IAM role a tenant stack creates, from its name id (`tenantNameId`): node and
 * people roles (`moat-<nameId>-<role>`, TENANT_ROLES) and the flow-log delivery role. Names of
 * roles a stack's configuration leaves out (no people) are listed too: the names are the tenant's
 * either way, and one created by someone else under such a name is worth an alert.
 */
export function tenantRoleNames(nameId: string): string[] {
  return [...TENANT_ROLES.map((role) => tenantRoleName(nameId, role)), flowLogRoleName(nameId)];
}

/** Names of the tenant's node instance profiles, which NodeRole names after their roles. */
export function tenantInstanceProfileNames(nameId: string): string[] {
  return NODE_ROLES.map((role) => tenantRoleName(nameId, role));
}

/** ARN of an instance profile of the account, known before it exists (IAM: no region). */
export function instanceProfileArn(
  scope: Pick<TenantScope, "partition" | "accountId">,
  name: string,
): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:instance-profile/${name}`;
}
