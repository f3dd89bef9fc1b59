// AUD-2: EventBridge rules turn the CloudTrail events behind the audit catalogue into alerts. A
// rule alerts when it is enabled, its pattern is a literal JSON document (or, while it is unknown
// at preview, declared in its moat:alert-scope tag), and a target built from an SNS topic (or a
// literal SNS ARN) is attached to it through the target's `rule` dependency or the rule's literal
// name (POL-2). A tenant's rules match only its own resources: each names them
// in a field its events carry, so tenants sharing an account never receive each other's events.
import { baselineOf, runsNodes } from "./aud-baseline";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AudType, audLabel, literalMessage, referenced } from "./aud-read";
import {
  branchSources,
  patternBranches,
  SCOPING_FIELDS,
  scopingFieldsOf,
  type ScopingFields,
} from "./aud-pattern";
import { linked } from "./net-stack";
import { UNKNOWN, readBoolean, readString, readValue } from "./props";

/**
 * The AWS services whose CloudTrail events AUD-2 alerts a tenant on, with what each covers:
 * security groups, NACLs, routes and gateways are EC2 APIs. Key pairs, IAM users and the trail
 * belong to no tenant: the account baseline alerts the operator on them.
 */
export const ALERTED_SERVICES: readonly (readonly [service: string, covers: string])[] = [
  ["ec2", "security group, NACL, route and gateway changes"],
  ["iam", "IAM role and instance profile changes"],
  ["kms", "KMS key disabling and scheduled deletion"],
];

/**
 * The tag in which a rule declares what its pattern matches: its source, then the fields below
 * `detail` that name the tenant's resources, e.g. `aws.ec2 requestParameters.groupId`. Same value
 * as ALERT_SCOPE_TAG in components/security-alerts/event-patterns.ts.
 */
export const ALERT_SCOPE_TAG = "moat:alert-scope";

/** What a rule's {@link ALERT_SCOPE_TAG} declares. */
export interface Declaration {
  readonly text: string;
  readonly source: string;
  readonly fields: readonly string[];
}

/** What an alerting rule matches: the `source` and `detail.eventSource` strings of its pattern. */
export interface RuleMatch {
  readonly rule: PolicyResource;
  readonly sources: readonly string[];
  readonly eventSources: readonly string[];
  /** The pattern's `detail.type` filter as JSON text, when it has one (GuardDuty finding types). */
  readonly typeFilter?: string;
  /** The parsed pattern, when it is a literal. */
  readonly pattern?: unknown;
  /** What the rule's tag declares, when it has the tag. */
  readonly declaration?: Declaration;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** The sources a pattern matches, or a reason it cannot be read. */
export function readPattern(rule: PolicyResource): Omit<RuleMatch, "rule"> | "unknown" | "invalid" {
  const text = readString(rule.props, "eventPattern");
  if (text === UNKNOWN) {
    return "unknown";
  }
  try {
    const pattern = JSON.parse(text ?? "");
    const detail = typeof pattern?.detail === "object" ? pattern.detail : {};
    const types = detail?.type;
    return {
      sources: strings(pattern?.source),
      eventSources: strings(detail?.eventSource),
      ...(types === undefined ? {} : { typeFilter: JSON.stringify(types) }),
      pattern,
    };
  } catch {
    return "invalid";
  }
}

// A target alerts when it sends to an SNS topic: built from one, or a literal SNS ARN.
function alertTarget(target: PolicyResource): boolean {
  // An ARN built from other resources is computed: the link alone decides.
  if ((target.propertyDependencies.arn ?? []).length > 0) {
    return linked(target, "arn", AudType.topic).length > 0;
  }
  const arn = readString(target.props, "arn");
  return typeof arn === "string" && /^arn:[^:]+:sns:/.test(arn);
}

/** Whether the rule is switched on: neither `state` "DISABLED" nor `isEnabled` false. */
function switchedOn(rule: PolicyResource): boolean | Unreadable {
  const state = readString(rule.props, "state");
  const flag = readBoolean(rule.props, "isEnabled");
  if (state === UNKNOWN || flag === UNKNOWN) {
    return { rule, property: state === UNKNOWN ? "state" : "isEnabled", invalid: false };
  }
  return state !== "DISABLED" && flag !== false;
}

/** A rule that may alert but cannot be judged, and the property that needs a literal. */
export interface Unreadable {
  readonly rule: PolicyResource;
  readonly property: string;
  /** True when the property is a literal that is not a valid JSON event pattern. */
  readonly invalid: boolean;
}

/**
 * Every enabled rule of the stack that sends to an SNS topic, with what it matches; rules whose
 * state or pattern cannot be read are returned apart, so the caller can ask for a literal.
 */
export function alertingRules(resources: readonly PolicyResource[]): {
  matches: RuleMatch[];
  unreadable: Unreadable[];
} {
  const rules = resources.filter((r) => r.type === AudType.eventRule);
  const targets = resources.filter((r) => r.type === AudType.eventTarget && alertTarget(r));
  const matches: RuleMatch[] = [];
  const unreadable: Unreadable[] = [];
  for (const rule of rules) {
    if (!targets.some((t) => referenced(t, "rule", rules, "name").some((r) => r.urn === rule.urn))) {
      continue;
    }
    const on = switchedOn(rule);
    const pattern = readPattern(rule);
    if (typeof on === "object") {
      unreadable.push(on);
    } else if (!on) {
      continue;
    } else if (pattern === "invalid") {
      unreadable.push({ rule, property: "eventPattern", invalid: true });
    } else if (pattern === "unknown") {
      const declared = declaredMatch(rule);
      if (declared === undefined) {
        unreadable.push({ rule, property: "eventPattern", invalid: false });
      } else {
        matches.push(declared);
      }
    } else {
      const declaration = readDeclaration(rule);
      matches.push({ rule, ...pattern, ...(declaration === undefined ? {} : { declaration }) });
    }
  }
  return { matches, unreadable };
}

/** The rule's {@link ALERT_SCOPE_TAG}, parsed, when it has a literal one. */
export function readDeclaration(rule: PolicyResource): Declaration | undefined {
  const tags = readValue(rule.props, "tags");
  const text =
    typeof tags === "object" && tags !== null
      ? (tags as Record<string, unknown>)[ALERT_SCOPE_TAG]
      : undefined;
  if (typeof text !== "string" || text.trim() === "") {
    return undefined;
  }
  const [source, ...fields] = text.trim().split(/\s+/);
  return { text, source, fields };
}

/** Why a declaration cannot stand for a pattern: an unknown source, or a field naming nothing. */
function declarationProblem(declaration: Declaration): string | undefined {
  const entry = SCOPING_FIELDS.find((e) => e.source === declaration.source);
  if (entry === undefined) {
    return `names no source whose resources it knows (${SCOPING_FIELDS.map((e) => e.source).join(", ")})`;
  }
  const stray = declaration.fields.filter((f) => !entry.fields.includes(f));
  if (declaration.fields.length === 0 || stray.length > 0) {
    return `names ${stray.join(", ") || "no field"}, not one of the fields that name a resource of ${entry.source} events (${entry.fields.join(", ")})`;
  }
  return undefined;
}

// A pattern unknown at preview stands as its tag declares when the declaration is sound and the
// pattern is built from other resources (the IDs it scopes on). GuardDuty's finding types stay
// unknown, so aud-guardduty-present does not count it.
function declaredMatch(rule: PolicyResource): RuleMatch | undefined {
  const declaration = readDeclaration(rule);
  const built = (rule.propertyDependencies.eventPattern ?? []).length > 0;
  if (declaration === undefined || !built || declarationProblem(declaration) !== undefined) {
    return undefined;
  }
  return {
    rule,
    sources: [declaration.source],
    eventSources: [],
    typeFilter: "unknown at preview",
    declaration,
  };
}

/** True when a rule matches the CloudTrail events of `service` (by `source` or `eventSource`). */
export const matchesService = (match: RuleMatch, service: string) =>
  match.sources.includes(`aws.${service}`) || match.eventSources.includes(`${service}.amazonaws.com`);

/** The violation for a rule that cannot be judged, naming the IDs it was needed for. */
export function unreadableRule({ rule, property, invalid }: Unreadable, ids: string): string {
  const label = audLabel(rule.type, rule.name);
  return invalid
    ? `Set eventPattern on ${label} to a valid JSON event pattern (${ids}).`
    : literalMessage(property, label, ids);
}

/** A finding of the scoping check: its message and the rule it is about. */
export interface ScopeViolation {
  readonly message: string;
  readonly urn: string;
}

// The sources of a literal pattern some alternative of which names none of their resources.
function unscopedSources(pattern: unknown): ScopingFields[] {
  const unscoped = new Set<ScopingFields>();
  for (const branch of patternBranches(pattern)) {
    for (const entry of branchSources(branch)) {
      if (scopingFieldsOf(branch, entry).length === 0) {
        unscoped.add(entry);
      }
    }
  }
  return [...unscoped];
}

// Why a literal pattern is not what its tag declares: no alternative on the declared source, or
// one that names the tenant's resources in none of the declared fields.
function declarationMismatch(pattern: unknown, declaration: Declaration): string | undefined {
  const judged = patternBranches(pattern).filter((b) =>
    branchSources(b).some((e) => e.source === declaration.source),
  );
  if (judged.length === 0) {
    return `the pattern matches no ${declaration.source} events`;
  }
  const entry = SCOPING_FIELDS.find((e) => e.source === declaration.source)!;
  const off = judged.find((b) => !scopingFieldsOf(b, entry).some((f) => declaration.fields.includes(f)));
  return off === undefined
    ? undefined
    : `an alternative of the pattern names the resources in ${scopingFieldsOf(off, entry).join(", ") || "no field"} instead`;
}

/**
 * AUD-2 scoping: every alerting rule on CloudTrail events or GuardDuty findings names, in each of
 * its alternatives, the resources it alerts on in a field its events carry (SCOPING_FIELDS), with
 * exact values or values in any case: a rule that leaves them open matches every resource of the
 * account, so tenants sharing it would receive each other's events. A pattern built from IDs is
 * one unknown string at a first preview (the engine sends no partial JSON), so then the rule's
 * {@link ALERT_SCOPE_TAG} stands for it: the declared fields must scope the declared source and
 * the pattern must be built from other resources (the scoping values exist); once the IDs are
 * known, the pattern itself is checked and must match the declaration. A pattern unknown without a
 * sound declaration fails (POL-2); so does one whose tag misdescribes it, once it is known.
 */
export function scopeViolations(
  matches: readonly RuleMatch[],
  unreadable: readonly Unreadable[],
): ScopeViolation[] {
  const violations: ScopeViolation[] = [];
  for (const { rule, pattern, declaration } of matches) {
    const label = audLabel(rule.type, rule.name);
    if (pattern === undefined) {
      continue; // Declared while unknown: declaredMatch checked it.
    }
    let unscoped: ScopingFields[];
    try {
      unscoped = unscopedSources(pattern);
    } catch (e) {
      violations.push({
        message: `Simplify eventPattern on ${label}: it has ${(e as Error).message} (AUD-2).`,
        urn: rule.urn,
      });
      continue;
    }
    for (const entry of unscoped) {
      violations.push({
        message: `Scope eventPattern on ${label} to the tenant's own resources: for ${entry.source} events it names none, so it matches every one in the account and tenants sharing the account receive each other's events; match one of ${entry.fields.map((f) => `detail.${f}`).join(", ")} against the tenant's own IDs or names, exactly (AUD-2).`,
        urn: rule.urn,
      });
    }
    const mismatch =
      unscoped.length === 0 && declaration !== undefined
        ? declarationMismatch(pattern, declaration)
        : undefined;
    if (mismatch !== undefined) {
      violations.push({
        message: `Make the ${ALERT_SCOPE_TAG} tag of ${label} describe its pattern: it declares "${declaration!.text}", but ${mismatch}; the tag stands for the pattern while it is unknown at preview (AUD-2, POL-2).`,
        urn: rule.urn,
      });
    }
  }
  for (const { rule, property, invalid } of unreadable) {
    if (property !== "eventPattern" || invalid) {
      continue;
    }
    const label = audLabel(rule.type, rule.name);
    const declaration = readDeclaration(rule);
    const problem = declaration === undefined ? undefined : declarationProblem(declaration);
    violations.push({
      message:
        problem !== undefined
          ? `Fix the ${ALERT_SCOPE_TAG} tag of ${label}: "${declaration!.text}" ${problem} (AUD-2).`
          : `Set eventPattern on ${label} to a literal value, or build it from the tenant's resources and declare it in a ${ALERT_SCOPE_TAG} tag ("<source> <field>...", e.g. "aws.ec2 requestParameters.groupId"): it is unknown at preview, so this policy cannot verify that it matches only the tenant's resources (AUD-2, POL-2).`,
      urn: rule.urn,
    });
  }
  return violations;
}

/**
 * AUD-2: in a stack running nodes, enabled EventBridge rules, each with an SNS target, together
 * match the CloudTrail events of EC2, IAM and KMS; and in any stack but an account baseline (whose
 * operator rules are account-wide on purpose), every such rule matches the tenant's own resources
 * only ({@link scopeViolations}). At a first preview a pattern built from resource IDs is a single
 * unknown string, so its structure cannot be read: the policy then checks the structure the rule
 * declares in its moat:alert-scope tag (the scoping fields present, valid for the source) and that
 * the pattern is built from other resources (the scoping values exist, non-empty), and checks the
 * pattern itself, against the tag too, as soon as the IDs are known.
 */
export const audEventRulesPresent: StackValidationPolicy = {
  name: "aud-event-rules-present",
  description:
    "Checks that a stack running nodes has enabled EventBridge rules with an SNS topic target matching the CloudTrail events of ec2, iam and kms (source aws.<service> or detail.eventSource <service>.amazonaws.com), and that outside an account baseline each such rule names the tenant's own resources in a field its events carry (declared in its moat:alert-scope tag while the pattern is unknown at preview), so changes raise alerts to their tenant only (AUD-2).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const { matches, unreadable } = alertingRules(resources);
    const reported = new Set<string>();
    // The account baseline alerts the operator on account-wide events (aud-baseline.ts).
    if (baselineOf(resources) === undefined) {
      for (const { message, urn } of scopeViolations(matches, unreadable)) {
        reportViolation(message, urn);
        reported.add(urn);
      }
    }
    // A tenant cluster (a stack with nodes) alerts its tenant.
    if (!runsNodes(resources)) {
      return;
    }
    const missing = ALERTED_SERVICES.filter(([service]) => !matches.some((m) => matchesService(m, service)));
    if (missing.length === 0) {
      return;
    }
    for (const entry of unreadable.filter(
      (u) => !(u.property === "eventPattern" && reported.has(u.rule.urn)),
    )) {
      reportViolation(unreadableRule(entry, "AUD-2"), entry.rule.urn);
    }
    const list = missing.map(([service, covers]) => `aws.${service} (${covers})`).join("; ");
    reportViolation(
      `Add enabled aws.cloudwatch.EventRule resources on the "AWS API Call via CloudTrail" events of ${list}, each with an aws.cloudwatch.EventTarget sending to the alert topic (AUD-2).`,
    );
  },
};
