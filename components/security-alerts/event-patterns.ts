// Renders the EventBridge event patterns of the alert rules (AUD-2, AUD-4) as plain JSON objects,
// so tests compare them, match events against them (pattern-match.ts) and the component
// serialises them with JSON.stringify. Each tenant pattern names the tenant's own resources in the
// fields its events carry (audit-events.ts), so tenants sharing an account never receive each
// other's events; an event with several scoping fields is an `$or` of one branch per field.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html ($or)
import {
  AccountEventRule,
  AuditEventRule,
  EventScope,
  GUARDDUTY_ALERT_TYPES,
  GUARDDUTY_SCOPE,
  SCOPE_KINDS,
  ScopeKind,
} from "./audit-events";

/** The `detail-type` EventBridge gives management events that CloudTrail delivers. */
export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";

/** The `detail-type` of GuardDuty findings. */
export const GUARDDUTY_DETAIL_TYPE = "GuardDuty Finding";

/** One value matcher of a pattern: an exact string, a prefix, or a string in any case. */
export type Matcher = string | { readonly prefix: string } | { readonly "equals-ignore-case": string };

/** The values of the tenant's resources, per kind, that its patterns name. */
export type ScopeValues = Readonly<Record<ScopeKind, readonly string[]>>;

/** Scope values with every kind empty, to fill in. */
export function noScopeValues(): Record<ScopeKind, readonly string[]> {
  return Object.fromEntries(SCOPE_KINDS.map((kind) => [kind, []])) as unknown as Record<ScopeKind, string[]>;
}

/**
 * Kinds matched in any case: IAM names "are not distinguished by case", so a call naming
 * `MOAT-ACME-HEAD` may well reach the role `moat-acme-head`.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
 */
export const CASE_INSENSITIVE_KINDS: readonly ScopeKind[] = ["roleName", "instanceProfileName"];

/** The pattern of a tenant alert rule on CloudTrail events. */
export interface CloudTrailPattern {
  readonly source: readonly string[];
  readonly "detail-type": readonly [typeof CLOUDTRAIL_DETAIL_TYPE];
  readonly detail: { readonly eventSource: readonly string[]; readonly [field: string]: unknown };
}

/** The pattern of an account-wide rule: exactly its service and event names. */
export interface AccountEventPattern {
  readonly source: readonly string[];
  readonly "detail-type": readonly [typeof CLOUDTRAIL_DETAIL_TYPE];
  readonly detail: { readonly eventSource: readonly string[]; readonly eventName: readonly string[] };
}

/** The event pattern of the GuardDuty alert rule. */
export interface GuardDutyPattern {
  readonly source: readonly ["aws.guardduty"];
  readonly "detail-type": readonly [typeof GUARDDUTY_DETAIL_TYPE];
  readonly detail: { readonly type: readonly Matcher[]; readonly resource: unknown };
}

/** The matchers naming `values` of `kind`: exact, or in any case for IAM names. */
export function scopeMatchers(kind: ScopeKind, values: readonly string[]): Matcher[] {
  return CASE_INSENSITIVE_KINDS.includes(kind)
    ? values.map((v) => ({ "equals-ignore-case": v }))
    : [...values];
}

// `{ a: { b: value } }` for the path `a.b`.
function nest(field: string, value: unknown): Record<string, unknown> {
  return field
    .split(".")
    .reduceRight<Record<string, unknown>>(
      (inner, key, i, keys) => ({ [key]: i === keys.length - 1 ? value : inner }),
      {},
    );
}

/** The scopes of `rule` that have values: the others are left out of its pattern. */
export function liveScopes(rule: AuditEventRule, values: ScopeValues): EventScope[] {
  return rule.scopes.filter((scope) => values[scope.kind].length > 0);
}

/**
 * AUD-2: the pattern matching the CloudTrail events of `rule` that name one of the tenant's
 * resources: its service as `source` and `detail.eventSource`, and per scope with values, its
 * event names together with the scoping field naming one of them. Throws when no scope has a
 * value, as the pattern would then match every resource of the account.
 */
export function cloudTrailPattern(rule: AuditEventRule, values: ScopeValues): CloudTrailPattern {
  const branches = liveScopes(rule, values).map((scope) => ({
    eventName: [...scope.eventNames],
    ...nest(scope.field, scopeMatchers(scope.kind, values[scope.kind])),
  }));
  if (branches.length === 0) {
    throw new Error(`rule "${rule.key}": no scope has a value, so its pattern would match the whole account`);
  }
  const eventSource = [rule.eventSource];
  return {
    source: [rule.source],
    "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
    // EventBridge reads `$or` as OR only with two or more branches.
    detail: branches.length === 1 ? { eventSource, ...branches[0] } : { eventSource, $or: branches },
  };
}

/** AUD-2: an account-wide rule's pattern, for the account baseline: every event it names. */
export function accountEventPattern(rule: AccountEventRule): AccountEventPattern {
  return {
    source: [rule.source],
    "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
    detail: { eventSource: [rule.eventSource], eventName: [...rule.eventNames] },
  };
}

/**
 * AUD-4, AUD-2: the pattern matching GuardDuty findings whose type starts with one of
 * `GUARDDUTY_ALERT_TYPES.prefixes` or equals one of its exact types, on an instance wearing one of
 * the tenant's instance profiles (`profileArns`).
 */
export function guardDutyPattern(profileArns: readonly string[]): GuardDutyPattern {
  if (profileArns.length === 0) {
    throw new Error("the GuardDuty rule needs the tenant's instance profiles, or it matches every finding");
  }
  const { resource } = nest(GUARDDUTY_SCOPE.field, [...profileArns]);
  return {
    source: ["aws.guardduty"],
    "detail-type": [GUARDDUTY_DETAIL_TYPE],
    detail: {
      type: [...GUARDDUTY_ALERT_TYPES.prefixes.map((prefix) => ({ prefix })), ...GUARDDUTY_ALERT_TYPES.exact],
      resource,
    },
  };
}

/**
 * The tag in which a rule declares what its pattern matches, `<source> <field>...` (fields below
 * `detail`). A pattern built from IDs is a single unknown string at the first preview, so the
 * policy pack reads the declaration then and checks it against the pattern once it is known
 * (policies/src/aud-events.ts, ALERT_SCOPE_TAG).
 */
export const ALERT_SCOPE_TAG = "moat:alert-scope";

/**
 * AWS refuses tag values over 256 characters.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Tag.html
 */
export const MAX_TAG_VALUE_LENGTH = 256;

/** The {@link ALERT_SCOPE_TAG} value for a rule on `source` scoped by `scopes`. */
export function scopeDeclaration(source: string, scopes: readonly Pick<EventScope, "field">[]): string {
  return [source, ...new Set(scopes.map((s) => s.field))].join(" ");
}

/**
 * EventBridge refuses a pattern longer than this many characters: the default quota, which an
 * account can raise to 4096 (PutRule's own limit) by asking.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html ("Event pattern")
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 */
export const MAX_PATTERN_LENGTH = 2048;

/** The longest value of each kind, to size a pattern before the cloud has chosen the IDs. */
export const LONGEST_VALUE: Readonly<Record<ScopeKind, string>> = {
  vpcId: `vpc-${"f".repeat(17)}`,
  subnetId: `subnet-${"f".repeat(17)}`,
  securityGroupId: `sg-${"f".repeat(17)}`,
  networkAclId: `acl-${"f".repeat(17)}`,
  routeTableId: `rtb-${"f".repeat(17)}`,
  internetGatewayId: `igw-${"f".repeat(17)}`,
  natGatewayId: `nat-${"f".repeat(17)}`,
  // IAM allows 64 characters in a role name; Moat's are shorter (20-character tenant ids).
  roleName: "r".repeat(64),
  instanceProfileName: "p".repeat(64),
  instanceProfileArn: `arn:aws-us-gov:iam::123456789012:instance-profile/${"p".repeat(64)}`,
  keyArn: `arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-${"f".repeat(32)}`,
};

/**
 * How many resources of each kind a large tenant has, to keep the catalogue small enough: four
 * subnet tiers (route tables, NACLs), the firewall's groups and two per compute group, every
 * Moat role and node profile.
 */
export const REFERENCE_COUNTS: Readonly<Record<ScopeKind, number>> = {
  vpcId: 1,
  subnetId: 8,
  securityGroupId: 16,
  networkAclId: 4,
  routeTableId: 8,
  internetGatewayId: 1,
  natGatewayId: 2,
  roleName: 8,
  instanceProfileName: 4,
  instanceProfileArn: 4,
  keyArn: 1,
};

/** Scope values of the longest kind, `counts[kind]` of each. */
export function longestValues(counts: Readonly<Record<ScopeKind, number>>): ScopeValues {
  return Object.fromEntries(
    SCOPE_KINDS.map((kind) => [kind, Array.from({ length: counts[kind] }, () => LONGEST_VALUE[kind])]),
  ) as unknown as ScopeValues;
}

/** The length of each tenant rule's pattern with `values`, where it is over the limit. */
export function overlongPatterns(
  rules: readonly AuditEventRule[],
  values: ScopeValues,
): { key: string; length: number }[] {
  return rules
    .filter((rule) => liveScopes(rule, values).length > 0)
    .map((rule) => ({ key: rule.key, length: JSON.stringify(cloudTrailPattern(rule, values)).length }))
    .filter(({ length }) => length > MAX_PATTERN_LENGTH);
}

const KEY = /^[a-z][a-z0-9-]*$/;
const FIELD = /^(requestParameters|resources)(\.[A-Za-z][A-Za-z0-9]*)+$/;

// Problems every rule can have: its key, its service and its event names.
function commonProblems(rule: AccountEventRule | AuditEventRule, keys: Set<string>): string[] {
  const problems: string[] = [];
  if (keys.has(rule.key)) {
    problems.push(`rule key "${rule.key}" is used twice; keys name resources and must be unique`);
  }
  keys.add(rule.key);
  if (!KEY.test(rule.key)) {
    problems.push(`rule key "${rule.key}" must be lowercase letters, digits and hyphens`);
  }
  if (rule.eventSource !== `${rule.source.replace(/^aws\./, "")}.amazonaws.com`) {
    problems.push(
      `rule "${rule.key}": eventSource ${rule.eventSource} is not the one of source ${rule.source}`,
    );
  }
  if (rule.eventNames.length === 0) {
    problems.push(`rule "${rule.key}" lists no event names, so it would match every API call`);
  }
  const duplicates = rule.eventNames.filter((name, i) => rule.eventNames.indexOf(name) !== i);
  if (duplicates.length > 0) {
    problems.push(`rule "${rule.key}" lists ${duplicates.join(", ")} twice`);
  }
  return problems;
}

/**
 * Every problem of the event-rule data, all at once: duplicate keys or events, empty lists, an
 * event no scope names a tenant resource for, a scope on an event the rule does not list or on a
 * field that is no request parameter or resource, an event in both a tenant and an account rule,
 * and patterns or scope tags too long for EventBridge with a large tenant's resources.
 */
export function auditRuleProblems(
  rules: readonly AuditEventRule[],
  accountRules: readonly AccountEventRule[] = [],
): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const rule of rules) {
    problems.push(...commonProblems(rule, keys));
    for (const scope of rule.scopes) {
      const stray = scope.eventNames.filter((name) => !rule.eventNames.includes(name));
      if (stray.length > 0 || scope.eventNames.length === 0) {
        problems.push(
          `rule "${rule.key}": the scope on ${scope.field} names events the rule does not list: ${stray.join(", ") || "none"}`,
        );
      }
      if (!FIELD.test(scope.field)) {
        problems.push(
          `rule "${rule.key}": ${scope.field} is not a field below requestParameters or resources`,
        );
      }
    }
    const unscoped = rule.eventNames.filter((name) => !rule.scopes.some((s) => s.eventNames.includes(name)));
    if (unscoped.length > 0) {
      problems.push(
        `rule "${rule.key}": no scope names the tenant resource of ${unscoped.join(", ")}; give each a scope, or move it to ACCOUNT_EVENT_RULES`,
      );
    }
    if (rule.scopes.length > 0 && unscoped.length === 0) {
      const length = JSON.stringify(cloudTrailPattern(rule, longestValues(REFERENCE_COUNTS))).length;
      if (length > MAX_PATTERN_LENGTH) {
        problems.push(
          `rule "${rule.key}": its pattern has ${length} characters for a large tenant, over ${MAX_PATTERN_LENGTH}`,
        );
      }
    }
    const declaration = scopeDeclaration(rule.source, rule.scopes);
    if (declaration.length > MAX_TAG_VALUE_LENGTH) {
      problems.push(
        `rule "${rule.key}": its ${ALERT_SCOPE_TAG} tag has ${declaration.length} characters, over ${MAX_TAG_VALUE_LENGTH}`,
      );
    }
  }
  for (const rule of accountRules) {
    problems.push(...commonProblems(rule, keys));
    const tenant = rule.eventNames.filter((name) =>
      rules.some((r) => r.source === rule.source && r.eventNames.includes(name)),
    );
    if (tenant.length > 0) {
      problems.push(
        `account rule "${rule.key}" lists ${tenant.join(", ")}, which a tenant rule scopes already`,
      );
    }
  }
  return problems;
}
