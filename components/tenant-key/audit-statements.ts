// The tenant key's statements for the audit services (AUD-1, AUD-2): CloudTrail encrypting the
// trail's log files, and EventBridge and CloudWatch alarms publishing to the alert topic encrypted
// with the key. They go through tenantKeyPolicy's `extraStatements`, each scoped by a condition
// built from known values (the trail's ARN, the account, the region), never by a computed ARN.
import type { PolicyStatement } from "./policy-document";
import { accountRootArn, serviceHost, tenantTrailArn, TenantScope } from "./tenant-scope";

/**
 * Service principal of a global AWS service, e.g. `cloudtrail.amazonaws.com`. These principals
 * carry no region and keep the `.com` suffix in every partition, unlike {@link serviceHost}.
 */
export function servicePrincipal(service: string): string {
  return `${service}.amazonaws.com`;
}

/**
 * What CloudTrail encrypts with: data keys whose encryption context names a trail of this account.
 * `GenerateDataKey*` covers the log files and their digests.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export const TRAIL_ENCRYPT_ACTIONS: readonly string[] = ["kms:GenerateDataKey*"];

/** What a service needs to publish to an SNS topic encrypted with the key. */
export const TOPIC_PUBLISH_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:GenerateDataKey*"];

/**
 * Key policy statements for the audit services, to pass to `tenantKeyPolicy` as
 * `extraStatements` (AUD-1, AUD-2):
 * - CloudTrail generates data keys for the tenant's trail only: `aws:SourceArn` is the trail's
 *   ARN ({@link tenantTrailArn}), and the encryption context names a trail of this account, as
 *   AWS's own template has it;
 * - CloudTrail describes the key (it checks the key when the trail is created or updated), for
 *   the same trail only;
 * - the account's principals may decrypt the trail's log files, and nothing else, when their IAM
 *   policy lets them: the encryption context must be the trail's ARN. Investigators read the logs
 *   this way, and creating a trail whose bucket uses an S3 Bucket Key needs it;
 * - EventBridge and CloudWatch (alarms) may use the key only through SNS in this region
 *   (`kms:ViaService`), to publish to the alert topic; CloudWatch's also only for alarms of this
 *   account (`aws:SourceAccount`). EventBridge's cannot carry `aws:SourceAccount`: AWS does not
 *   send it with EventBridge-to-encrypted-topic requests, and such a condition drops every alert.
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 *
 * No `*` principal, no other account: kms-key-policy-single-account still passes (DAT-3).
 */
export function auditServiceStatements(scope: TenantScope): PolicyStatement[] {
  const trailArn = tenantTrailArn(scope);
  const cloudTrail = { Service: servicePrincipal("cloudtrail") };
  const thisTrail = { "aws:SourceArn": trailArn };
  const throughSns = { "kms:ViaService": serviceHost(scope, "sns") };
  return [
    {
      Sid: "CloudTrailEncryptsTenantTrail",
      Effect: "Allow",
      Principal: cloudTrail,
      Action: TRAIL_ENCRYPT_ACTIONS,
      Resource: "*",
      Condition: {
        StringEquals: thisTrail,
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${scope.partition}:cloudtrail:*:${scope.accountId}:trail/*`,
        },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: cloudTrail,
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: thisTrail },
    },
    {
      Sid: "AccountReadsTenantTrailLogs",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(scope) },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:CallerAccount": scope.accountId,
          "kms:EncryptionContext:aws:cloudtrail:arn": trailArn,
        },
      },
    },
    {
      Sid: "EventBridgePublishesToTenantTopic",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("events") },
      Action: TOPIC_PUBLISH_ACTIONS,
      Resource: "*",
      Condition: { StringEquals: throughSns },
    },
    {
      Sid: "CloudWatchAlarmsPublishToTenantTopic",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("cloudwatch") },
      Action: TOPIC_PUBLISH_ACTIONS,
      Resource: "*",
      Condition: { StringEquals: { ...throughSns, "aws:SourceAccount": scope.accountId } },
    },
  ];
}
