// AUD: the audit, alerting and threat-detection policies as two explicit lists for pack.ts.
// `audPolicies` judge the resources a stack has and pass on a stack with none of them;
// `audPresencePolicies` require the resources to exist, so they join the pack once the program
// creates the trail, alerts and detector. Each policy lives in the file of its concern:
// aud-trail.ts and aud-lock.ts (AUD-1), aud-baseline.ts (where the trail and the detector live,
// AUD-1 and AUD-4), aud-alerts.ts and aud-events.ts (AUD-2), aud-logs.ts (AUD-3) and
// aud-detection.ts (AUD-4). AUD-3's retention is net-log-group-encrypted-retained's (NET-10), and
// AUD-5's tenant tags are aud-tags.ts's.
import type { Policies } from "@pulumi/policy";
import { audFailedSshAlarmPresent, audSnsTopicEncrypted } from "./aud-alerts";
import { audGuardDutyDetectorEnabled, audGuardDutyPresent } from "./aud-detection";
import { audEventRulesPresent } from "./aud-events";
import { audNodeLogGroupsPresent } from "./aud-logs";
import { audResourceTenantTagged } from "./aud-tags";
import { audAccountSingletonsInBaseline, audBaselineReferenced } from "./aud-baseline";
import { audTrailBucketLocked } from "./aud-lock";
import { audNodeRolesWriteNodeLogsOnly } from "./aud-node-logs";
import { audTrailBucketRetained, audTrailPresent, audTrailSecured } from "./aud-trail";

/** The AUD policies that hold on any stack: they judge the resources it has (AUD-1, AUD-2, AUD-4, AUD-5). */
export const audPolicies: Policies = [
  audResourceTenantTagged,
  audTrailSecured,
  audTrailBucketRetained,
  audTrailBucketLocked,
  audAccountSingletonsInBaseline,
  audNodeRolesWriteNodeLogsOnly,
  audSnsTopicEncrypted,
  audGuardDutyDetectorEnabled,
];

/**
 * The AUD policies that require the audit resources to exist: a trail, the alert rules and
 * failed-SSH alarm, node log groups and a GuardDuty detector (unless organisation-managed).
 */
export const audPresencePolicies: Policies = [
  audTrailPresent,
  audBaselineReferenced,
  audFailedSshAlarmPresent,
  audEventRulesPresent,
  audNodeLogGroupsPresent,
  audGuardDutyPresent,
];
