/** Tag key naming the tenant that owns a resource (AUD-5); IAM conditions match on it (IAM-1). */
export const TAG_TENANT = "moat:tenant";

/** Tag key naming the tenant's environment, e.g. `prod` or `dev` (AUD-5). */
export const TAG_ENVIRONMENT = "moat:environment";

/**
 * The environments a tenant stack can be (`moat:tenant.environment`). Shared by the stack schema
 * (infra/config/schema.ts) and the components, which put the environment in physical names: none
 * of these ends with another, so `<tenant>-<environment>` never names two tenant environments.
 */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

/** One of {@link ENVIRONMENTS}. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** Whether `value` is one of {@link ENVIRONMENTS}. */
export function isEnvironment(value: unknown): value is Environment {
  return (ENVIRONMENTS as readonly unknown[]).includes(value);
}

/** Tag key naming the person or team accountable for the tenant's resources (AUD-5). */
export const TAG_OWNER = "moat:owner";

/**
 * Tag key naming what a security group, instance, launch template, IAM role or secret is for. The
 * policy pack and IAM conditions tell resources apart by it, never by their names.
 */
export const TAG_ROLE = "moat:role";

/** Every value of the {@link TAG_ROLE} tag, shared with the policy pack. */
export const MOAT_ROLES = [
  "bastion",
  "head",
  "compute",
  "cluster",
  "endpoint",
  "storage",
  "quarantine",
  "people-admin",
  "people-member",
  "flow-logs",
] as const;

/** A value of the {@link TAG_ROLE} tag. */
export type MoatRole = (typeof MOAT_ROLES)[number];

/**
 * Tag key on the VPC recording how people reach the cluster (`bastion`, `direct` or `ssm`), so a
 * policy can tell whether an internet-facing head node was asked for (NET-6, NET-7).
 */
export const TAG_ACCESS_MODE = "moat:access-mode";

/** Tag key naming the node a per-node secret belongs to, e.g. `head-0`. */
export const TAG_NODE = "moat:node";

/** Who a tenant's resources belong to; every field becomes one tag value (AUD-5). */
export interface TenantTagArgs {
  /** Stable tenant identifier, e.g. `acme`. */
  readonly tenantId: string;
  /** Environment of the stack, e.g. `prod`. */
  readonly environment: string;
  /** Accountable person or team, e.g. `ml-platform@acme.example`. */
  readonly owner: string;
}

/**
 * The tags every taggable resource of a tenant must carry (AUD-5: tenant, environment and owner).
 *
 * An empty value would satisfy a "tag present" check while defeating its purpose (IAM conditions on
 * the tenant tag, cost and incident attribution), so blank values are refused, all of them at once.
 *
 * @throws Error listing every blank field.
 */
export function tenantTags(args: TenantTagArgs): Record<string, string> {
  const blank = (["tenantId", "environment", "owner"] as const).filter((key) => args[key].trim() === "");
  if (blank.length > 0) {
    throw new Error(
      `Tenant tags (AUD-5) need non-empty values; set ${blank.join(", ")} ` +
        "(e.g. tenantId: acme, environment: prod, owner: ml-platform@acme.example).",
    );
  }
  return {
    [TAG_TENANT]: args.tenantId,
    [TAG_ENVIRONMENT]: args.environment,
    [TAG_OWNER]: args.owner,
  };
}
