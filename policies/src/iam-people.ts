// IAM-1: what the admin and member roles for people may be trusted by and may do. The checks
// work on parsed statements (iam-document.ts) and on tags read from known values, so they give
// the same verdict at a first preview as at an update (POL-2).
import { Statement, conditionValues, wildcardMatches } from "./iam-document";
import { Props, Read, UNKNOWN, readString, readValue } from "./props";

/**
 * Tag key naming a resource's tenant. Same value as TAG_TENANT in components/tenant/tags.ts (a
 * test keeps them equal): the pack is built and shipped from policies/ alone, so it cannot
 * import the program's modules.
 */
export const TAG_TENANT = "moat:tenant";

/**
 * Tag key naming a resource's tenant environment. Same value as TAG_ENVIRONMENT in
 * components/tenant/tags.ts (a test keeps them equal), for the same reason as {@link TAG_TENANT}.
 */
export const TAG_ENVIRONMENT = "moat:environment";

/** Tag key naming what a resource is for: `people-admin`, `people-member`, `head`, ... */
export const TAG_ROLE = "moat:role";

/** The two roles people assume (IAM-1). */
export type PeopleRole = "people-admin" | "people-member";

/** The provider a resource was registered with, as the policy SDK describes it. */
export interface ProviderLike {
  readonly props: Props;
}

// The AWS provider JSON-encodes its object-valued inputs, so `defaultTags` reaches a policy as
// '{"tags":{...}}'; a provider built in a test or a future SDK may hand over the object itself.
function defaultTag(provider: ProviderLike | undefined, key: string): Read<string> {
  if (provider === undefined) {
    return undefined;
  }
  let value = readValue(provider.props, "defaultTags");
  if (value === UNKNOWN) {
    return UNKNOWN;
  }
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const tags = readValue(value as Props, "tags");
  return tags === UNKNOWN ? UNKNOWN : typeof tags === "object" ? readString(tags as Props, key) : undefined;
}

function tagIn(props: Props, property: string, key: string): Read<string> {
  const tags = readValue(props, property);
  if (tags === UNKNOWN) {
    return UNKNOWN;
  }
  return typeof tags === "object" ? readString(tags as Props, key) : undefined;
}

// A tag's value: the resource's own tags, else `tagsAll` (outputs, which merge the provider's
// default tags), else the provider's default tags. UNKNOWN only when no source has a value and one
// is unknown.
function tagOf(props: Props, provider: ProviderLike | undefined, key: string): Read<string> {
  const reads = [tagIn(props, "tags", key), tagIn(props, "tagsAll", key)];
  reads.push(defaultTag(provider, key));
  const found = reads.find((r): r is string => typeof r === "string" && r !== "");
  return found ?? (reads.includes(UNKNOWN) ? UNKNOWN : undefined);
}

/**
 * A resource's tenant: its own `moat:tenant` tag, else `tagsAll` (outputs, which merge the
 * provider's default tags), else the provider's default tags, which is where the tenant
 * provider (components/tenant) puts it. UNKNOWN only when no source has a value and one is unknown.
 */
export function tenantOf(props: Props, provider?: ProviderLike): Read<string> {
  return tagOf(props, provider, TAG_TENANT);
}

/**
 * A resource's tenant environment, from the `moat:environment` tag, read from the same sources as
 * {@link tenantOf}. The program names a tenant environment's resources from both
 * (`moat-<tenant>-<environment>-...`), so two environments of a tenant can share an account.
 */
export function environmentOf(props: Props, provider?: ProviderLike): Read<string> {
  return tagOf(props, provider, TAG_ENVIRONMENT);
}

/**
 * The name id a tenant environment's physical names are built from: `<tenant>-<environment>`, or
 * the tenant alone when the environment is not known (the program's `tenantNameId`).
 */
export function nameIdOf(tenant: string, environment?: string): string {
  return environment === undefined ? tenant : `${tenant}-${environment}`;
}

/**
 * Which people role a role is, from its own `moat:role` tag (never a default tag), or undefined
 * for any other role. UNKNOWN when the tags are computed, so the caller cannot tell.
 */
export function peopleRoleOf(props: Props): Read<PeopleRole> {
  const role = tagIn(props, "tags", TAG_ROLE);
  return role === UNKNOWN ? UNKNOWN : role === "people-admin" || role === "people-member" ? role : undefined;
}

/** The message for a role whose `moat:role` tag is unknown at preview. */
export function unknownRoleTag(label: string): string {
  return `Build the tags of ${label} from values known at preview: its ${TAG_ROLE} tag is unknown, so this policy cannot tell whether it is a role for people (IAM-1, POL-2).`;
}

/** The message for a people role without a known tenant. */
export function missingTenant(label: string, tenant: Read<string>): string {
  const why = tenant === UNKNOWN ? "is unknown at preview" : "is missing";
  return `Tag ${label} with ${TAG_TENANT} (or set it in the provider's default tags) from a value known at preview: it ${why}, so this policy cannot check that its permissions stay within one tenant (IAM-1, POL-2).`;
}

/**
 * True when an Allow statement of a trust policy requires MFA: `Bool` on
 * `aws:MultiFactorAuthPresent` = true. `BoolIfExists` is refused because it also lets through
 * long-term keys, whose requests carry no MFA context at all.
 */
export function requiresMfa(statement: Statement): boolean {
  const values = conditionValues(statement, ["Bool"], "aws:MultiFactorAuthPresent");
  return values !== undefined && values.length > 0 && values.every((v) => v.toLowerCase() === "true");
}

/** Where a statement can hold a resource to the tenant by its tags: each service's tag condition key. */
const TAG_CONDITION_PREFIXES = ["aws:ResourceTag", "ssm:resourceTag", "secretsmanager:ResourceTag"];

// Only positive operators: a negated one (StringNotEquals) grants every other tenant, and an
// ...IfExists one grants resources without the tag. StringLike is accepted for an exact value only.
const tagHeldTo = (statement: Statement, key: string, value: string) => {
  const values = conditionValues(statement, ["StringEquals", "StringLike"], key);
  return values !== undefined && values.length > 0 && values.every((v) => v === value);
};

// The tenant tag, and with the environment known its tag too, on the same service's condition key:
// in an account two environments share, the tenant tag alone reaches the other one's resources.
const hasTenantCondition = (statement: Statement, tenant: string, environment?: string) =>
  TAG_CONDITION_PREFIXES.some(
    (prefix) =>
      tagHeldTo(statement, `${prefix}/${TAG_TENANT}`, tenant) &&
      (environment === undefined || tagHeldTo(statement, `${prefix}/${TAG_ENVIRONMENT}`, environment)),
  );

// The tenant's segment must start the resource path: `secret:moat/acme-prod/*` or
// `role/moat-acme-prod-*`, never `secret:*moat/acme-prod/*`, whose leading wildcard also matches
// `moat/other/moat/acme-prod/x`. With the environment known only its segments count, so a role of
// one environment names none of another's resources (`moat/acme-dev/`, `moat-acme-dev-`).
// Known gap: with tenant ids that contain "-", `moat-acme-*` also matches tenant `acme-x`'s names.
// The environment narrows it to tenant ids that end in an environment: `moat-acme-prod-*` still
// matches tenant `acme-prod`'s names in its `dev` environment (`moat-acme-prod-dev-...`).
function namesTenantPath(resource: string, nameId: string): boolean {
  for (const segment of [`moat/${nameId}/`, `moat-${nameId}-`]) {
    for (let at = resource.indexOf(segment); at >= 0; at = resource.indexOf(segment, at + 1)) {
      const path = resource.slice(resource.lastIndexOf(":", at) + 1, at);
      if (!/[*?]/.test(path)) {
        return true;
      }
    }
  }
  return false;
}

// Resources that belong to no tenant: AWS-owned Session Manager documents, named one by one (an
// empty account field is how AWS marks its own documents). Session Manager needs the caller to
// hold StartSession on the document as well as on the instance.
const AWS_SESSION_DOCUMENT = /^arn:[a-z-]+:ssm:[a-z0-9-]*::document\/AWS-[A-Za-z0-9_.-]+$/;

// A positive condition that holds a resource tag to the caller's own identity, as Session
// Manager's session-id tag does: what the caller started, never another tenant's resources.
const hasCallerCondition = (statement: Statement) =>
  statement.conditions.some(
    (c) =>
      ["StringEquals", "StringLike"].includes(c.operator) &&
      /^[a-z0-9-]+:resourceTag\//i.test(c.key) &&
      c.values.length > 0 &&
      c.values.every((v) => v === "${aws:userid}"),
  );

const READ_ONLY_ACTION = /^[a-z0-9-]+:(Describe|List)[A-Za-z0-9]+$/i;

const nonEmptyEvery = (list: readonly string[] | undefined, test: (value: string) => boolean) =>
  list !== undefined && list.length > 0 && list.every(test);

/**
 * True when an Allow statement stays within `tenant`: a positive condition on the tenant tag (and,
 * when `environment` is given, on the environment tag as well),
 * resources all named under `moat/<nameId>/` or `moat-<nameId>-` (the name id is
 * `<tenant>-<environment>` when `environment` is given, else the tenant), or only named
 * (wildcard-free) Describe/List actions. Two more scopes touch no tenant's resources and pass too:
 * named AWS-owned Session Manager documents, and a resource tag held to the caller
 * (`${aws:userid}`). Deny statements only take permissions away and always pass.
 */
export function isTenantScoped(statement: Statement, tenant: string, environment?: string): boolean {
  if (statement.effect === "Deny") {
    return true;
  }
  const { actions, resources } = statement;
  const nameId = nameIdOf(tenant, environment);
  return (
    hasTenantCondition(statement, tenant, environment) ||
    hasCallerCondition(statement) ||
    nonEmptyEvery(resources, (r) => namesTenantPath(r, nameId) || AWS_SESSION_DOCUMENT.test(r)) ||
    nonEmptyEvery(actions, (a) => READ_ONLY_ACTION.test(a))
  );
}

/**
 * The EC2 actions that change what a security group lets through, or which groups an instance
 * sits in (which would also undo a NET-11 quarantine). Only a tenant admin may call them.
 */
export const SECURITY_GROUP_WRITES: readonly string[] = [
  "ec2:AuthorizeSecurityGroupIngress",
  "ec2:AuthorizeSecurityGroupEgress",
  "ec2:RevokeSecurityGroupIngress",
  "ec2:RevokeSecurityGroupEgress",
  "ec2:ModifySecurityGroupRules",
  "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
  "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
  "ec2:CreateSecurityGroup",
  "ec2:DeleteSecurityGroup",
  "ec2:ModifyInstanceAttribute",
  "ec2:ModifyNetworkInterfaceAttribute",
];

/** The security-group writes an Allow statement grants, wildcards (`ec2:*`) and NotAction included. */
export function securityGroupWrites(statement: Statement): string[] {
  if (statement.effect === "Deny") {
    return [];
  }
  const { actions, notActions } = statement;
  return SECURITY_GROUP_WRITES.filter((write) =>
    notActions !== undefined
      ? !notActions.some((p) => wildcardMatches(p, write))
      : (actions ?? []).some((p) => wildcardMatches(p, write)),
  );
}

/** The people role a permissions document belongs to. */
export interface PeopleRoleContext {
  /** How messages name it, e.g. `people role "acme-member"`. */
  readonly label: string;
  readonly kind: PeopleRole;
  readonly tenant: string;
  /** The role's `moat:environment`, when known: its resources are named `<tenant>-<environment>`. */
  readonly environment?: string;
}

/**
 * Every IAM-1 problem with one permissions document of a people role: statements not scoped to
 * the role's tenant, and security-group writes on a member role. `source` names the document,
 * e.g. `inline policy "sessions"`.
 */
export function checkPeoplePermissions(
  statements: readonly Statement[],
  role: PeopleRoleContext,
  source: string,
): string[] {
  const problems: string[] = [];
  for (const statement of statements) {
    const where = `${statement.label} of ${source} of ${role.label}`;
    if (!isTenantScoped(statement, role.tenant, role.environment)) {
      const nameId = nameIdOf(role.tenant, role.environment);
      problems.push(
        `Scope ${where} to tenant "${role.tenant}": add a StringEquals condition on aws:ResourceTag/${TAG_TENANT} = "${role.tenant}"${
          role.environment === undefined
            ? ""
            : ` and aws:ResourceTag/${TAG_ENVIRONMENT} = "${role.environment}"`
        }, ` +
          `name only resources under moat/${nameId}/ or moat-${nameId}-, or grant only named Describe/List actions (IAM-1).`,
      );
    }
    const writes = role.kind === "people-member" ? securityGroupWrites(statement) : [];
    if (writes.length > 0) {
      problems.push(
        `Remove the security-group writes (${writes.join(", ")}) from ${where}: only the tenant's admin role may change firewall rules (IAM-1).`,
      );
    }
  }
  return problems;
}
