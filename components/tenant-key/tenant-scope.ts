// Names and ARNs of a tenant's security resources, built only from values known at the first
// `pulumi preview` (tenant id, environment, account id, region, partition), never from ARNs the
// cloud computes. The policy pack can then read every IAM and KMS policy document at preview
// (POL-2). Shared by the TenantKey, NodeRole and PeopleRoles components so that a key policy, the
// roles it trusts and their permission policies cannot drift apart.
//
// Physical names are built from the name id ({@link tenantNameId}), `<tenant>-<environment>`, so
// that two environments of one tenant can share an account; tags keep tenant and environment apart.
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS, isEnvironment, TAG_ENVIRONMENT, TAG_TENANT } from "../tenant/tags";

/** The AWS partitions Moat deploys to. */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

/** One of {@link PARTITIONS}. */
export type Partition = (typeof PARTITIONS)[number];

/** Where a tenant's resources live, as plain values (the account ID already resolved). */
export interface TenantScope {
  /** Tenant identifier, e.g. `acme`. */
  readonly tenantId: string;
  /**
   * The tenant environment, one of `dev`, `staging` or `prod`; part of every physical name (see
   * {@link tenantNameId}) and required of resources' `moat:environment` tag by IAM conditions.
   * Absent: names and conditions carry the tenant id alone.
   */
  readonly environment?: string;
  /** 12-digit AWS account ID, e.g. from `aws.getCallerIdentity()`. */
  readonly accountId: string;
  /** AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /** AWS partition of the account. */
  readonly partition: Partition;
}

/**
 * The part of every physical name that makes it the tenant environment's own, the name id:
 * `<tenantId>-<environment>`, e.g. `acme-prod`, or `<tenantId>` when no environment is given. Two
 * environments of one tenant then never name the same role, key alias, secret, parameter or log
 * group, and can share an account. One name id per tenant environment, as no environment of
 * ENVIRONMENTS ends with `-` and another.
 */
export function tenantNameId(scope: { readonly tenantId: string; readonly environment?: string }): string {
  return scope.environment === undefined ? scope.tenantId : `${scope.tenantId}-${scope.environment}`;
}

/**
 * Condition entries that hold a permission to the tenant's resources by their tags, for a service's
 * tag condition prefix, e.g. `aws:ResourceTag` or `ssm:resourceTag`: the `moat:tenant` tag, and with
 * an environment the `moat:environment` tag too, so in an account two environments share, neither's
 * people or nodes reach the other's resources (IAM-1, CMP-7). Every taggable resource carries both
 * tags (the tenant provider's default tags, AUD-5).
 */
export function tenantTagConditions(
  prefix: string,
  scope: { readonly tenantId: string; readonly environment?: string },
): Record<string, string> {
  return {
    [`${prefix}/${TAG_TENANT}`]: scope.tenantId,
    ...(scope.environment === undefined ? {} : { [`${prefix}/${TAG_ENVIRONMENT}`]: scope.environment }),
  };
}

/**
 * The IAM roles Moat creates for a tenant, each named `moat-<nameId>-<role>` ({@link tenantNameId}):
 * node roles (CMP-7) and people's roles (IAM-1). The tenant key trusts exactly these names (DAT-3).
 */
export const TENANT_ROLES = ["bastion", "head", "compute", "admin", "member"] as const;

/** One of {@link TENANT_ROLES}. */
export type TenantRole = (typeof TENANT_ROLES)[number];

/**
 * Name of a tenant's IAM role, e.g. `moat-acme-prod-head` for the name id `acme-prod`
 * ({@link tenantNameId}); pass the name id, not the bare tenant id, when there is an environment.
 */
export function tenantRoleName(nameId: string, role: TenantRole): string {
  return `moat-${nameId}-${role}`;
}

/** ARN of a tenant's IAM role, known before the role exists. */
export function tenantRoleArn(scope: TenantScope, role: TenantRole): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:role/${tenantRoleName(tenantNameId(scope), role)}`;
}

/** ARN of the account itself, the principal that lets the account's IAM policies apply (DAT-3). */
export function accountRootArn(scope: TenantScope): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:root`;
}

/**
 * Name of the tenant key's alias, e.g. `alias/moat-acme-prod` for the name id `acme-prod`
 * ({@link tenantNameId}); IAM policies select the key by it.
 */
export function tenantKeyAliasName(nameId: string): string {
  return `alias/moat-${nameId}`;
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

/**
 * Prefix of every Secrets Manager secret name of a tenant, e.g. `moat/acme-prod/` for the name id
 * `acme-prod` ({@link tenantNameId}).
 */
export function tenantSecretPrefix(nameId: string): string {
  return `moat/${nameId}/`;
}

/**
 * Name of the tenant's CloudTrail trail, `moat-<tenantId>` (AUD-1). Tenant stacks create no trail:
 * the account baseline's AuditTrail does, named from its own scope id, so this and
 * {@link tenantTrailArn} keep the tenant id alone, as AuditTrail names its trail.
 */
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

/**
 * Prefix of every CloudWatch Logs group name of a tenant, e.g. `/moat/acme-prod/` for the name id
 * `acme-prod` ({@link tenantNameId}) (AUD-3, NET-10).
 */
export function tenantLogGroupPrefix(nameId: string): string {
  return `/moat/${nameId}/`;
}

/** Prefix of the log groups the tenant's nodes ship to, e.g. `/moat/acme-prod/nodes/` (AUD-3). */
export function nodeLogGroupPrefix(nameId: string): string {
  return `${tenantLogGroupPrefix(nameId)}nodes/`;
}

/**
 * ARN pattern of the node log groups and their streams: all a node may write to, never the flow
 * logs' or any trail's group under the same tenant prefix (AUD-1).
 */
export function nodeLogGroupsArn(scope: TenantScope): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${nodeLogGroupPrefix(tenantNameId(scope))}*`;
}

/** ARN pattern of the tenant's log groups and, as `*` spans `:log-stream:`, their streams. */
export function tenantLogGroupsArn(scope: TenantScope): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${tenantLogGroupPrefix(tenantNameId(scope))}*`;
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
// infra/ is held to the same names. 20 characters, with `-staging` the longest environment, keep
// the longest role name `moat-<tenant>-<environment>-flow-logs` at 43 characters, under IAM's 64
// (instance profiles 128, log groups 512, EventBridge rules 64 with `-guardduty-findings`: 52).
const TENANT_ID = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;
/** An AWS account ID: twelve digits, leading zeros kept (so always written as a string). */
export const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The scope as a component receives it: the account ID may still be an Output. */
export interface TenantScopeArgs {
  /** See {@link TenantScope.tenantId}. */
  readonly tenantId: string;
  /**
   * See {@link TenantScope.environment}. Changing it renames, and so replaces, every resource named
   * from the tenant.
   * @default none: names carry the tenant id alone
   */
  readonly environment?: string;
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
      reason: `${show(args.tenantId)} is not a tenant id; use 3 to 20 lowercase letters, digits or hyphens starting with a letter, e.g. acme (it names roles moat-<tenantId>-<environment>-<role>)`,
    });
  }
  const environment = environmentProblem(args.environment);
  if (environment !== undefined) {
    problems.push({ propertyPath: "environment", reason: environment });
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

/**
 * Why `environment` cannot be part of physical names, or undefined when it can or is absent: it must
 * be one of {@link ENVIRONMENTS}, as in `moat:tenant.environment`.
 */
export function environmentProblem(environment: unknown): string | undefined {
  return environment === undefined || isEnvironment(environment)
    ? undefined
    : `${show(environment)} is not an environment; use one of ${ENVIRONMENTS.join(", ")}, as in moat:tenant.environment (it is part of physical names such as moat-<tenantId>-<environment>-<role>)`;
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
    ...(args.environment === undefined ? {} : { environment: args.environment }),
    accountId,
    region: args.region,
    partition: isPartition(args.partition) ? args.partition : "aws",
  }));
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
