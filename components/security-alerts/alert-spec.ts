// Names, ARNs, the failed-SSH filter pattern and the policy documents of a tenant's security
// alerts (AUD-2), built only from values known at the first `pulumi preview` (tenant id, account
// id, region, partition), so the policy pack can read every one of them (POL-2).
import { policyDocument, PolicyDocument, PolicyStatement } from "../tenant-key/policy-document";
import { tenantLogGroupPrefix, TenantScope } from "../tenant-key/tenant-scope";

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

/** Name of the alert topic, e.g. `moat-acme-security-alerts`. */
export function alertTopicName(tenantId: string): string {
  return `moat-${tenantId}-security-alerts`;
}

/** ARN of the alert topic, known before the topic exists. */
export function alertTopicArn(scope: TenantScope): string {
  return `arn:${scope.partition}:sns:${scope.region}:${scope.accountId}:${alertTopicName(scope.tenantId)}`;
}

/** The log group nodes ship sshd's log to, `/moat/<tenantId>/nodes/auth` (AUD-3). */
export function nodeAuthLogGroupName(tenantId: string): string {
  return `${tenantLogGroupPrefix(tenantId)}nodes/auth`;
}

/** The tenant's CloudWatch metric namespace, e.g. `Moat/acme`. */
export function metricNamespace(tenantId: string): string {
  return `Moat/${tenantId}`;
}

/** Name of a tenant's alert resource (rule, alarm, filter), e.g. `moat-acme-iam-changes`. */
export function alertResourceName(tenantId: string, purpose: string): string {
  return `moat-${tenantId}-${purpose}`;
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
