// Renders the EventBridge event patterns of the alert rules (AUD-2, AUD-4) as plain JSON objects,
// so tests compare them and the component serialises them with JSON.stringify: literal strings,
// readable by the policy pack at preview (POL-2).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
import { AuditEventRule, GUARDDUTY_ALERT_TYPES } from "./audit-events";

/** The `detail-type` EventBridge gives management events that CloudTrail delivers. */
export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";

/** The `detail-type` of GuardDuty findings. */
export const GUARDDUTY_DETAIL_TYPE = "GuardDuty Finding";

/** The event pattern of a CloudTrail alert rule. */
export interface CloudTrailPattern {
  readonly source: readonly string[];
  readonly "detail-type": readonly [typeof CLOUDTRAIL_DETAIL_TYPE];
  readonly detail: {
    readonly eventSource: readonly string[];
    readonly eventName: readonly string[];
  };
}

/** One value matcher of a pattern: an exact string or a prefix. */
export type Matcher = string | { readonly prefix: string };

/** The event pattern of the GuardDuty alert rule. */
export interface GuardDutyPattern {
  readonly source: readonly ["aws.guardduty"];
  readonly "detail-type": readonly [typeof GUARDDUTY_DETAIL_TYPE];
  readonly detail: { readonly type: readonly Matcher[] };
}

/**
 * AUD-2: the pattern matching the CloudTrail events of `rule`: its service both as `source` and
 * as `detail.eventSource` (the policy pack recognises either), and exactly its event names.
 */
export function cloudTrailPattern(rule: AuditEventRule): CloudTrailPattern {
  return {
    source: [rule.source],
    "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
    detail: { eventSource: [rule.eventSource], eventName: [...rule.eventNames] },
  };
}

/**
 * AUD-4: the pattern matching GuardDuty findings whose type starts with one of
 * `GUARDDUTY_ALERT_TYPES.prefixes` or equals one of its exact types.
 */
export function guardDutyPattern(): GuardDutyPattern {
  return {
    source: ["aws.guardduty"],
    "detail-type": [GUARDDUTY_DETAIL_TYPE],
    detail: {
      type: [...GUARDDUTY_ALERT_TYPES.prefixes.map((prefix) => ({ prefix })), ...GUARDDUTY_ALERT_TYPES.exact],
    },
  };
}

/**
 * EventBridge refuses a pattern longer than this many characters (PutRule's EventPattern); kept
 * well under so a rule can grow by a few event names.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 */
export const MAX_PATTERN_LENGTH = 4096;

/** Every problem of the event-rule data: duplicate keys or events, empty lists, oversize patterns. */
export function auditRuleProblems(rules: readonly AuditEventRule[]): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const rule of rules) {
    if (keys.has(rule.key)) {
      problems.push(`rule key "${rule.key}" is used twice; keys name resources and must be unique`);
    }
    keys.add(rule.key);
    if (!/^[a-z][a-z0-9-]*$/.test(rule.key)) {
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
    const length = JSON.stringify(cloudTrailPattern(rule)).length;
    if (length > MAX_PATTERN_LENGTH) {
      problems.push(`rule "${rule.key}": its pattern has ${length} characters, over ${MAX_PATTERN_LENGTH}`);
    }
  }
  return problems;
}
