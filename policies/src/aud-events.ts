// AUD-2: EventBridge rules turn the CloudTrail events behind the audit catalogue into alerts. A
// rule alerts when it is enabled, its pattern is a literal JSON document, and a target built from
// an SNS topic (or a literal SNS ARN) is attached to it through the target's `rule` dependency or
// the rule's literal name (POL-2).
import { runsNodes } from "./aud-baseline";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AudType, audLabel, literalMessage, referenced } from "./aud-read";
import { linked } from "./net-stack";
import { UNKNOWN, readBoolean, readString } from "./props";

/**
 * The AWS services whose CloudTrail events AUD-2 alerts on, with what each covers: security
 * groups, NACLs, routes, gateways and key pairs are EC2 APIs.
 */
export const ALERTED_SERVICES: readonly (readonly [service: string, covers: string])[] = [
  ["ec2", "security group, NACL, route, gateway and key pair changes"],
  ["iam", "IAM user, role, policy and access key changes"],
  ["kms", "KMS key disabling and scheduled deletion"],
  ["cloudtrail", "CloudTrail stop and delete"],
];

/** What an alerting rule matches: the `source` and `detail.eventSource` strings of its pattern. */
export interface RuleMatch {
  readonly rule: PolicyResource;
  readonly sources: readonly string[];
  readonly eventSources: readonly string[];
  /** The pattern's `detail.type` filter as JSON text, when it has one (GuardDuty finding types). */
  readonly typeFilter?: string;
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
    } else if (pattern === "unknown" || pattern === "invalid") {
      unreadable.push({ rule, property: "eventPattern", invalid: pattern === "invalid" });
    } else {
      matches.push({ rule, ...pattern });
    }
  }
  return { matches, unreadable };
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

/**
 * AUD-2 presence: enabled EventBridge rules, each with an SNS target, together match the
 * CloudTrail events of EC2, IAM, KMS and CloudTrail itself.
 */
export const audEventRulesPresent: StackValidationPolicy = {
  name: "aud-event-rules-present",
  description:
    "Checks that a stack running nodes has enabled EventBridge rules with an SNS topic target matching the CloudTrail events of ec2, iam, kms and cloudtrail (source aws.<service> or detail.eventSource <service>.amazonaws.com), so changes in the audit catalogue raise alerts (AUD-2).",
  validateStack: (args, reportViolation) => {
    // A tenant cluster (a stack with nodes) alerts its tenant; the account baseline alerts the
    // operator on account-wide events with rules of its own (aud-baseline.ts).
    if (!runsNodes(args.resources)) {
      return;
    }
    const { matches, unreadable } = alertingRules(args.resources);
    const missing = ALERTED_SERVICES.filter(([service]) => !matches.some((m) => matchesService(m, service)));
    if (missing.length === 0) {
      return;
    }
    for (const entry of unreadable) {
      reportViolation(unreadableRule(entry, "AUD-2"), entry.rule.urn);
    }
    const list = missing.map(([service, covers]) => `aws.${service} (${covers})`).join("; ");
    reportViolation(
      `Add enabled aws.cloudwatch.EventRule resources on the "AWS API Call via CloudTrail" events of ${list}, each with an aws.cloudwatch.EventTarget sending to the alert topic (AUD-2).`,
    );
  },
};
