import {
  PolicyCondition,
  policyDocument,
  PolicyDocument,
  PolicyPrincipal,
  PolicyStatement,
} from "./policy-document";
import {
  accountRootArn,
  serviceHost,
  TENANT_ROLES,
  tenantLogGroupsArn,
  tenantRoleArn,
  TenantScope,
} from "./tenant-scope";

/**
 * Key administration without key use. Named actions instead of `kms:*`: with `kms:*` the account
 * root statement would let any principal with an IAM grant decrypt, and the tenant scoping below
 * would mean nothing. `kms:CreateGrant` is left out for the same reason (a grant can hand out
 * Decrypt). Keeps `kms:PutKeyPolicy`, so the account can never lock itself out of the key.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/** Use of the key for envelope encryption (EBS, Secrets Manager, CloudWatch Logs). */
export const KEY_USE_ACTIONS: readonly string[] = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
];

/**
 * Services through which the account's own IAM principals may use the key. The identity that runs
 * `pulumi up` is not a tenant role, yet it creates the tenant's secrets (CMP-6), launches instances
 * with encrypted volumes (CMP-3) and creates the encrypted filesystem (DAT-1: EFS or FSx); it still
 * needs an IAM grant of its own. S3, SNS and CloudTrail are not here: see `extraStatements`.
 */
export const ACCOUNT_USE_SERVICES: readonly string[] = ["ec2", "elasticfilesystem", "fsx", "secretsmanager"];

/**
 * The EC2 Auto Scaling service-linked role. Its permissions are fixed by AWS and exclude customer
 * managed keys, so an IAM grant cannot help: the key policy must name it as principal, and a
 * condition on the account root would not work. KMS refuses a key policy that names a role that
 * does not exist; in an account that has never had an Auto Scaling group, create it once with
 * `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
 */
export function autoScalingRoleArn(scope: TenantScope): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

const GRANT_FOR_AWS_RESOURCE = { "kms:GrantIsForAWSResource": "true" } as const;

// EBS, EFS, FSx and Secrets Manager hold the key through grants they create for themselves; the condition
// keeps a principal from granting Decrypt to someone else.
function useAndGrant(
  sid: string,
  principal: PolicyPrincipal,
  condition?: PolicyCondition,
): PolicyStatement[] {
  const scoped = condition === undefined ? {} : { Condition: condition };
  return [
    {
      Sid: `${sid}UseKey`,
      Effect: "Allow",
      Principal: principal,
      Action: KEY_USE_ACTIONS,
      Resource: "*",
      ...scoped,
    },
    {
      Sid: `${sid}GrantToAwsServices`,
      Effect: "Allow",
      Principal: principal,
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { ...condition, Bool: GRANT_FOR_AWS_RESOURCE },
    },
  ];
}

/** The account root administers the key, so the account's IAM policies govern administration. */
export function accountAdministersKey(scope: TenantScope): PolicyStatement {
  return {
    Sid: "AccountAdministersKey",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(scope) },
    Action: KEY_ADMIN_ACTIONS,
    Resource: "*",
  };
}

/**
 * CloudWatch Logs of the region uses the key for the scope's log groups only (`/moat/<id>/*`):
 * the encryption context names the group.
 */
export function cloudWatchLogsUseKey(sid: string, scope: TenantScope): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: serviceHost(scope, "logs") },
    Action: KEY_USE_ACTIONS,
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": tenantLogGroupsArn(scope) } },
  };
}

/**
 * The key policy of a tenant's customer-managed key (DAT-3, CMP-3). In a key policy `Resource: "*"`
 * means this key. Statements:
 * - the account root administers the key (so the account's IAM policies govern administration);
 * - the tenant's roles use it: the account root, conditioned on `aws:PrincipalArn` being exactly one
 *   of `moat-<nameId>-<role>` for {@link TENANT_ROLES} (the name id `<tenantId>-<environment>`,
 *   `tenantNameId`), so the roles need not exist yet. Exact names, not `moat-<nameId>-*`: tenant ids
 *   may hold hyphens, and `moat-acme-*` would also match tenant `acme-labs`'s roles, or another
 *   environment's of the same tenant;
 * - the EC2 Auto Scaling service-linked role uses it for launch-template volumes ({@link autoScalingRoleArn});
 * - the account's principals use it only through the services in {@link ACCOUNT_USE_SERVICES};
 * - CloudWatch Logs uses it for the tenant environment's log groups (`/moat/<nameId>/*`: flow logs,
 *   node logs).
 *
 * No `*` principal and no other account appear. Extension point: `extraStatements` are appended
 * as they are; the SNS (AUD-2) and CloudTrail (AUD-1) service statements of
 * `auditServiceStatements` (audit-statements.ts) go there, each scoped by an encryption-context,
 * source-ARN or via-service condition like the CloudWatch Logs one.
 */
export function tenantKeyPolicy(
  scope: TenantScope,
  extraStatements: readonly PolicyStatement[] = [],
): PolicyDocument {
  const root: PolicyPrincipal = { AWS: accountRootArn(scope) };
  return policyDocument([
    accountAdministersKey(scope),
    ...useAndGrant("TenantRoles", root, {
      ArnEquals: { "aws:PrincipalArn": TENANT_ROLES.map((role) => tenantRoleArn(scope, role)) },
    }),
    ...useAndGrant("AutoScaling", { AWS: autoScalingRoleArn(scope) }),
    ...useAndGrant("AccountViaServices", root, {
      StringEquals: {
        "kms:CallerAccount": scope.accountId,
        "kms:ViaService": ACCOUNT_USE_SERVICES.map((service) => serviceHost(scope, service)),
      },
    }),
    cloudWatchLogsUseKey("CloudWatchLogsTenantGroups", scope),
    ...extraStatements,
  ]);
}
