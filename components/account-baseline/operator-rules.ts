// The account-wide alerts of a baseline (AUD-1, AUD-2, AUD-4): events that belong to no tenant
// and go to the operator's topic, never to a tenant's. Kept as data, like the tenants' catalogue
// (components/security-alerts/audit-events.ts).
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Operations.html
// https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Operations.html

/** One operator rule on "AWS API Call via CloudTrail" events of one service. */
export interface OperatorEventRule {
  /** Names the rule `moat-account-<key>`; stable, as it is an identity. */
  readonly key: string;
  /** The event `source`, e.g. `aws.cloudtrail`. */
  readonly source: string;
  /** CloudTrail `eventName`s that alert. */
  readonly eventNames: readonly string[];
  /** Why it matters; becomes the rule's description. */
  readonly why: string;
}

/** What an intruder does first to go unseen: stop or narrow the trail, blind GuardDuty. */
export const OPERATOR_EVENT_RULES: readonly OperatorEventRule[] = [
  {
    key: "trail-tampering",
    source: "aws.cloudtrail",
    eventNames: ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"],
    why: "The account's trail was stopped, deleted or narrowed (AUD-1)",
  },
  {
    key: "guardduty-tampering",
    source: "aws.guardduty",
    eventNames: [
      "DeleteDetector",
      "UpdateDetector",
      "DisassociateFromAdministratorAccount",
      "DisassociateFromMasterAccount",
      "CreateFilter",
      "UpdateFilter",
      "DeletePublishingDestination",
      "UpdatePublishingDestination",
    ],
    why: "GuardDuty was turned off, detached, or told to archive findings (AUD-4)",
  },
];

/** The pattern of an operator rule: exactly its service and event names. */
export function operatorRulePattern(rule: OperatorEventRule): object {
  return {
    source: [rule.source],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: {
      eventSource: [`${rule.source.replace(/^aws\./, "")}.amazonaws.com`],
      eventName: [...rule.eventNames],
    },
  };
}

/**
 * The lowest GuardDuty severity the operator hears of: 4 is where GuardDuty's "medium" starts.
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html
 */
export const OPERATOR_FINDING_MIN_SEVERITY = 4;

/** Every GuardDuty finding of the region from medium severity up, whatever tenant it concerns. */
export function operatorFindingsPattern(): object {
  return {
    source: ["aws.guardduty"],
    "detail-type": ["GuardDuty Finding"],
    detail: { severity: [{ numeric: [">=", OPERATOR_FINDING_MIN_SEVERITY] }] },
  };
}
