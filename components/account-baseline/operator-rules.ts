// The GuardDuty findings the operator hears of (AUD-4). The account-wide CloudTrail events (trail
// and GuardDuty tampering, key pairs, IAM users, gateways no tenant owns) are ACCOUNT_EVENT_RULES,
// beside the tenants' catalogue in components/security-alerts/audit-events.ts.

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
