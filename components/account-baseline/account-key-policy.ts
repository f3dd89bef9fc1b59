// The key policy of an account baseline's KMS key (DAT-3, AUD-1): it encrypts the account's trail,
// the audit and access-log buckets, the trail's log group and the operator's alert topic.
import { auditServiceStatements, servicePrincipal } from "../tenant-key/audit-statements";
import { accountAdministersKey, cloudWatchLogsUseKey } from "../tenant-key/key-policy";
import { policyDocument, type PolicyDocument } from "../tenant-key/policy-document";
import { accountRootArn, serviceHost, type TenantScope } from "../tenant-key/tenant-scope";

/**
 * Statements, in a key policy where `Resource: "*"` means this key:
 * - the account root administers the key;
 * - CloudTrail, EventBridge and CloudWatch alarms, as for a tenant key (`auditServiceStatements`,
 *   scoped to the account's trail `moat-account` and to SNS in this region);
 * - CloudWatch Logs for the baseline's own groups (`/moat/account/*`);
 * - S3's logging service generates data keys for access logs of this account only (the access-log
 *   bucket is SSE-KMS with this key);
 * - the account's principals decrypt through S3 in this region, to read access logs when an IAM
 *   policy lets them.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export function accountKeyPolicy(scope: TenantScope): PolicyDocument {
  const root = { AWS: accountRootArn(scope) };
  return policyDocument([
    accountAdministersKey(scope),
    ...auditServiceStatements(scope),
    cloudWatchLogsUseKey("CloudWatchLogsAccountGroups", scope),
    {
      Sid: "S3LoggingWritesAccessLogs",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("logging.s3") },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
    },
    {
      Sid: "AccountReadsThroughS3",
      Effect: "Allow",
      Principal: root,
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": scope.accountId, "kms:ViaService": serviceHost(scope, "s3") },
      },
    },
  ]);
}
