// Names and ARNs of a tenant's security resources, built only from values known at the first
// `pulumi preview` (tenant id, account id, region, partition), never from ARNs the cloud computes.
// The policy pack can then read every IAM and KMS policy document at preview (POL-2). Shared by
// the TenantKey, NodeRole and PeopleRoles components so that a key policy, the roles it trusts and
// their permission policies cannot drift apart.
import * as pulumi from "@pulumi/pulumi";

/** The AWS partitions Moat deploys to. */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

/** One of {@link PARTITIONS}. */
export type Partition = (typeof PARTITIONS)[number];

/** Where a tenant's resources live, as plain values (the account ID already resolved). */
export interface TenantScope {
  /** Tenant identifier, e.g. `acme`. */
  readonly tenantId: string;
  /** 12-digit AWS account ID, e.g. from `aws.getCallerIdentity()`. */
  readonly accountId: string;
  /** AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /** AWS partition of the account. */
  readonly partition: Partition;
}

/**
 * The IAM roles Moat creates for a tenant, each named `moat-<tenantId>-<role>`: node roles
 * (CMP-7) and people's roles (IAM-1). The tenant key trusts exactly these names (DAT-3).
 */
export const TENANT_ROLES = ["bastion", "head", "compute", "admin", "member"] as const;

/** One of {@link TENANT_ROLES}. */
export type TenantRole = (typeof TENANT_ROLES)[number];

/** Name of a tenant's IAM role, e.g. `moat-acme-head`. */
export function tenantRoleName(tenantId: string, role: TenantRole): string {
  return `moat-${tenantId}-${role}`;
}

/** ARN of a tenant's IAM role, known before the role exists. */
export function tenantRoleArn(scope: TenantScope, role: TenantRole): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:role/${tenantRoleName(scope.tenantId, role)}`;
}

/** ARN of the account itself, the principal that lets the account's IAM policies apply (DAT-3). */
export function accountRootArn(scope: TenantScope): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:root`;
}

/** Name of the tenant key's alias, e.g. `alias/moat-acme`; IAM policies select the key by it. */
export function tenantKeyAliasName(tenantId: string): string {
  return `alias/moat-${tenantId}`;
}

/**
 * Every KMS key of the account in the region. Only ever granted together with a condition on
 * `kms:ResourceAliases` naming {@link tenantKeyAliasName}, as the key's own ARN is unknown at preview.
 */
export function accountKeysArn(scope: TenantScope): string {
  return `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:key/*`;
}

/**
 * ARN pattern of exactly one Secrets Manager secret: AWS appends `-` and six random characters to
 * the name, so `-??????` matches that secret and nothing else (CMP-7).
 */
export function secretArnPattern(scope: TenantScope, secretName: string): string {
  return `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.accountId}:secret:${secretName}-??????`;
}

/** Prefix of every Secrets Manager secret name of a tenant, e.g. `moat/acme/`. */
export function tenantSecretPrefix(tenantId: string): string {
  return `moat/${tenantId}/`;
}

/** Name of the tenant's CloudTrail trail, `moat-<tenantId>` (AUD-1); one trail per tenant stack. */
export function tenantTrailName(tenantId: string): string {
  return `moat-${tenantId}`;
}

/**
 * ARN of the tenant's trail, known before the trail exists. The key, bucket and role policies
 * name it as `aws:SourceArn`, so CloudTrail may act for this trail only (the confused-deputy
 * guard). A multi-region trail keeps the ARN of its home region.
 */
export function tenantTrailArn(scope: TenantScope): string {
  return `arn:${scope.partition}:cloudtrail:${scope.region}:${scope.accountId}:trail/${tenantTrailName(scope.tenantId)}`;
}

/** Prefix of every CloudWatch Logs group name of a tenant, e.g. `/moat/acme/` (AUD-3, NET-10). */
export function tenantLogGroupPrefix(tenantId: string): string {
  return `/moat/${tenantId}/`;
}

/** Prefix of the log groups the tenant's nodes ship to, e.g. `/moat/acme/nodes/` (AUD-3). */
export function nodeLogGroupPrefix(tenantId: string): string {
  return `${tenantLogGroupPrefix(tenantId)}nodes/`;
}

/**
 * ARN pattern of the node log groups and their streams: all a node may write to, never the flow
 * logs' or any trail's group under the same tenant prefix (AUD-1).
 */
export function nodeLogGroupsArn(scope: TenantScope): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${nodeLogGroupPrefix(scope.tenantId)}*`;
}

/** ARN pattern of the tenant's log groups and, as `*` spans `:log-stream:`, their streams. */
export function tenantLogGroupsArn(scope: TenantScope): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${tenantLogGroupPrefix(scope.tenantId)}*`;
}

/**
 * Host name of a regional AWS service as used by service principals and `kms:ViaService`,
 * e.g. `secretsmanager.us-east-1.amazonaws.com` (`.com.cn` in the China partition).
 */
export function serviceHost(scope: TenantScope, service: string): string {
  const suffix = scope.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return `${service}.${scope.region}.${suffix}`;
}

/** One invalid component argument: where it is and what to do about it. */
export interface ArgsProblem {
  /** Property path inside the args, e.g. `rotationPeriodDays`. */
  readonly propertyPath: string;
  /** What is wrong, why, and how to fix it. */
  readonly reason: string;
}

// Mirrors the stack schema (infra/config/schema.ts); repeated here so a component used outside
// infra/ is held to the same names. 20 characters keep `moat-<tenant>-compute` under IAM's 64.
const TENANT_ID = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;
/** An AWS account ID: twelve digits, leading zeros kept (so always written as a string). */
export const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The scope as a component receives it: the account ID may still be an Output. */
export interface TenantScopeArgs {
  /** See {@link TenantScope.tenantId}. */
  readonly tenantId: string;
  /** See {@link TenantScope.accountId}. */
  readonly accountId: pulumi.Input<string>;
  /** See {@link TenantScope.region}. */
  readonly region: string;
  /** See {@link TenantScope.partition}. */
  readonly partition?: string;
}

/**
 * Checks the scope every tenant security component shares and returns all problems at once. An
 * account ID that is still an Output is checked only for being there: it comes from
 * `aws.getCallerIdentity()`, whose value the program does not hold yet.
 */
export function validateTenantScope(args: TenantScopeArgs): ArgsProblem[] {
  const problems: ArgsProblem[] = [];
  if (typeof args.tenantId !== "string" || !TENANT_ID.test(args.tenantId)) {
    problems.push({
      propertyPath: "tenantId",
      reason: `${show(args.tenantId)} is not a tenant id; use 3 to 20 lowercase letters, digits or hyphens starting with a letter, e.g. acme (it names roles moat-<tenantId>-<role>)`,
    });
  }
  if (typeof args.accountId === "string" && !ACCOUNT_ID.test(args.accountId)) {
    problems.push({
      propertyPath: "accountId",
      reason: `${show(args.accountId)} is not an AWS account ID; pass the 12 digits, e.g. from aws.getCallerIdentity().accountId`,
    });
  } else if (args.accountId === undefined || args.accountId === null) {
    problems.push({
      propertyPath: "accountId",
      reason: "set accountId, e.g. aws.getCallerIdentityOutput().accountId; policies name the account",
    });
  }
  if (typeof args.region !== "string" || !REGION.test(args.region)) {
    problems.push({
      propertyPath: "region",
      reason: `${show(args.region)} is not an AWS region name; use one such as us-east-1 (ARNs in the policies name it)`,
    });
  }
  if (args.partition !== undefined && !isPartition(args.partition)) {
    problems.push({
      propertyPath: "partition",
      reason: `${show(args.partition)} is not a supported partition; use one of ${PARTITIONS.join(", ")}, or leave it out for aws`,
    });
  }
  return problems;
}

/** Whether `value` is one of {@link PARTITIONS}. */
export function isPartition(value: unknown): value is Partition {
  return (PARTITIONS as readonly unknown[]).includes(value);
}

/**
 * Throws every problem in one `InputPropertiesError`, so the user fixes them in one pass; called
 * before `super()` so invalid args leave nothing behind in the stack.
 */
export function throwIfInvalid(kind: string, name: string, problems: readonly ArgsProblem[]): void {
  if (problems.length === 0) {
    return;
  }
  throw new pulumi.InputPropertiesError({
    message:
      `Invalid ${kind} "${name}" args:\n` +
      problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n"),
    errors: problems.map((p) => ({ propertyPath: p.propertyPath, reason: p.reason })),
  });
}

/** Resolves the scope once the account ID is known; every policy document is built inside it. */
export function resolveScope(args: TenantScopeArgs): pulumi.Output<TenantScope> {
  return pulumi.output(args.accountId).apply((accountId) => ({
    tenantId: args.tenantId,
    accountId,
    region: args.region,
    partition: isPartition(args.partition) ? args.partition : "aws",
  }));
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
