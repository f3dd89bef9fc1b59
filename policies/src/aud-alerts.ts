// AUD-2: security alerts go to an encrypted SNS topic, and more than 5 failed SSH logins within 5
// minutes on any node raise one. The alarm is tied to its metric filter by the metric's literal
// name and namespace (or a dependency on the filter), and the filter to the nodes' log group by
// dependency or literal name: all values the program chooses, known at preview (POL-2).
import { runsNodes } from "./aud-baseline";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AudType, audLabel, literalMessage, readLength, readPath, referenced } from "./aud-read";
import { NODE_LOG_GROUP, isNodeLogGroup } from "./aud-logs";
import { linked } from "./net-stack";
import { UNKNOWN, forTypes, readBoolean, readNumber, readString, readValue } from "./props";

/** AUD-2's alert condition: more than this many failed SSH logins ... */
export const FAILED_SSH_LOGINS = 5;
/** ... within this many seconds. */
export const FAILED_SSH_WINDOW_SECONDS = 300;

/**
 * Phrases of sshd's failed-login lines; a metric filter whose pattern mentions one counts failed
 * SSH logins. With key-only logins (CMP-4) most failures read "Connection closed by
 * authenticating user" or "Invalid user".
 */
export const FAILED_SSH_MARKERS: readonly string[] = [
  "failed password",
  "failed publickey",
  "invalid user",
  "authentication failure",
  "connection closed by authenticating user",
  "maximum authentication attempts",
];

/**
 * AUD-2: the alert topic, like every topic, is encrypted with a customer-managed key. The
 * AWS-managed alias/aws/sns key is refused: its policy cannot be changed to let CloudWatch alarms
 * and EventBridge publish, so alerts sent through it are dropped.
 */
export const audSnsTopicEncrypted: ResourceValidationPolicy = {
  name: "aud-sns-topic-encrypted",
  description:
    "Checks that every SNS topic sets kmsMasterKeyId to a customer-managed KMS key, not the AWS-managed alias/aws/sns (AUD-2).",
  validateResource: forTypes([AudType.topic], (args, reportViolation) => {
    const label = audLabel(args.type, args.name);
    // The tenant key's ARN is computed; a declared key counts.
    const key = readValue(args.props, "kmsMasterKeyId");
    if (key === undefined) {
      reportViolation(
        `Set kmsMasterKeyId on ${label} to the tenant's KMS key: alert messages name the tenant's resources and are encrypted at rest (AUD-2).`,
      );
    } else if (typeof key === "string" && key.toLowerCase().endsWith("alias/aws/sns")) {
      reportViolation(
        `Set kmsMasterKeyId on ${label} to the tenant's KMS key instead of the AWS-managed alias/aws/sns: CloudWatch alarms and EventBridge cannot publish to a topic under that key (AUD-2).`,
      );
    }
  }),
};

/** True when a metric filter's literal pattern counts failed SSH logins. */
export function countsFailedSsh(filter: PolicyResource): boolean {
  const pattern = readString(filter.props, "pattern");
  return typeof pattern === "string" && FAILED_SSH_MARKERS.some((m) => pattern.toLowerCase().includes(m));
}

// The filter watches a node log group: linked to one, or named by a literal node log group name.
function watchesNodes(filter: PolicyResource, groups: readonly PolicyResource[]): boolean {
  const byGroup = referenced(filter, "logGroupName", groups, "name");
  if (byGroup.length > 0) {
    return byGroup.some(isNodeLogGroup);
  }
  const name = readString(filter.props, "logGroupName");
  return typeof name === "string" && NODE_LOG_GROUP.test(name);
}

// The alarm watches the filter's metric: built from the filter, or the same literal name and namespace.
function watches(alarm: PolicyResource, filter: PolicyResource): boolean {
  // A metric name built from other resources is computed: the link alone decides.
  if ((alarm.propertyDependencies.metricName ?? []).length > 0) {
    return linked(alarm, "metricName", AudType.metricFilter).some((f) => f.urn === filter.urn);
  }
  const name = readPath(filter.props, "metricTransformation", "name");
  const namespace = readPath(filter.props, "metricTransformation", "namespace");
  return (
    typeof name === "string" &&
    typeof namespace === "string" &&
    readString(alarm.props, "metricName") === name &&
    readString(alarm.props, "namespace") === namespace
  );
}

/**
 * What keeps an alarm from firing on more than 5 failed logins in 5 minutes, each an imperative
 * fix. One breaching period of at most 300 s must fire it, counting events (Sum or SampleCount);
 * a shorter period scales the threshold down, so the alarm is never less sensitive than AUD-2.
 */
export function sshAlarmProblems(alarm: PolicyResource): string[] {
  const label = audLabel(alarm.type, alarm.name);
  const { props } = alarm;
  const problems: string[] = [];
  const read = {
    statistic: readString(props, "statistic"),
    period: readNumber(props, "period"),
    comparisonOperator: readString(props, "comparisonOperator"),
    threshold: readNumber(props, "threshold"),
    evaluationPeriods: readNumber(props, "evaluationPeriods"),
    datapointsToAlarm: readNumber(props, "datapointsToAlarm"),
    actionsEnabled: readBoolean(props, "actionsEnabled"),
    alarmActions: readLength(props, "alarmActions"),
  };
  for (const [property, value] of Object.entries(read)) {
    if (value === UNKNOWN && property !== "alarmActions") {
      problems.push(literalMessage(property, label, "AUD-2"));
    }
  }
  const { statistic, period, comparisonOperator: op, threshold } = read;
  if (statistic !== UNKNOWN && statistic !== "Sum" && statistic !== "SampleCount") {
    problems.push(`Set statistic on ${label} to "Sum", so the alarm counts failed logins (AUD-2).`);
  }
  const windowOk = typeof period === "number" && period > 0 && period <= FAILED_SSH_WINDOW_SECONDS;
  if (period !== UNKNOWN && !windowOk) {
    problems.push(`Set period on ${label} to ${FAILED_SSH_WINDOW_SECONDS} seconds or less (AUD-2).`);
  }
  const allowed = windowOk ? Math.floor((FAILED_SSH_LOGINS * period) / FAILED_SSH_WINDOW_SECONDS) : 5;
  // ">" fires above the threshold, ">=" at it: both reduce to "fires above N".
  const fires =
    typeof threshold !== "number"
      ? undefined
      : op === "GreaterThanThreshold"
        ? threshold
        : op === "GreaterThanOrEqualToThreshold"
          ? threshold - 1
          : undefined;
  if (op !== UNKNOWN && threshold !== UNKNOWN && (fires === undefined || fires > allowed)) {
    problems.push(
      `Set comparisonOperator "GreaterThanThreshold" and threshold ${allowed} or less on ${label}: AUD-2 alerts on more than ${FAILED_SSH_LOGINS} failed logins in ${FAILED_SSH_WINDOW_SECONDS} seconds (AUD-2).`,
    );
  }
  const { evaluationPeriods: periods, datapointsToAlarm: points } = read;
  const needed = points ?? periods ?? 1;
  if (needed !== UNKNOWN && needed !== 1) {
    problems.push(
      `Set datapointsToAlarm (or evaluationPeriods) on ${label} to 1: one breaching period must raise the alert (AUD-2).`,
    );
  }
  if (read.actionsEnabled === false) {
    problems.push(`Remove actionsEnabled: false from ${label}: the alarm would notify no one (AUD-2).`);
  }
  if (read.alarmActions !== UNKNOWN && (read.alarmActions ?? 0) === 0) {
    problems.push(
      `Set alarmActions on ${label} to the alert topic's ARN: an alarm without actions notifies no one (AUD-2).`,
    );
  }
  return problems;
}

/**
 * AUD-2 presence: a metric filter counting failed SSH logins in the nodes' log group, and an
 * alarm on its metric that fires on more than 5 in 5 minutes and notifies the alert topic. When
 * no alarm qualifies, every candidate alarm's problems are reported.
 */
export const audFailedSshAlarmPresent: StackValidationPolicy = {
  name: "aud-failed-ssh-alarm-present",
  description:
    "Checks that a stack running nodes has a metric filter counting failed SSH logins in a /moat/<tenant>/nodes/ log group and that an alarm on its metric (Sum over at most 300 s, threshold at most 5, one datapoint) notifies alarmActions (AUD-2, AUD-3).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    // Only a stack with nodes has SSH logins to count (aud-baseline.ts).
    if (!runsNodes(resources)) {
      return;
    }
    const groups = resources.filter((r) => r.type === AudType.logGroup);
    const filters = resources.filter(
      (r) => r.type === AudType.metricFilter && countsFailedSsh(r) && watchesNodes(r, groups),
    );
    if (filters.length === 0) {
      reportViolation(
        `Add an aws.cloudwatch.LogMetricFilter on the nodes' auth log group (/moat/<tenantId>/nodes/...) whose pattern matches sshd's failed logins (e.g. "Invalid user" or "Connection closed by authenticating user"), with a literal metricTransformation name and namespace (AUD-2, AUD-3).`,
      );
      return;
    }
    const alarms = resources.filter(
      (r) => r.type === AudType.metricAlarm && filters.some((f) => watches(r, f)),
    );
    const judged = alarms.map((alarm) => ({ alarm, problems: sshAlarmProblems(alarm) }));
    if (judged.some((j) => j.problems.length === 0)) {
      return;
    }
    if (judged.length === 0) {
      const filter = audLabel(filters[0].type, filters[0].name);
      reportViolation(
        `Add an aws.cloudwatch.MetricAlarm on the metric of ${filter} (same metricName and namespace): statistic "Sum", period 300, comparisonOperator "GreaterThanThreshold", threshold 5, evaluationPeriods 1 and alarmActions set to the alert topic (AUD-2).`,
      );
    }
    for (const { alarm, problems } of judged) {
      problems.forEach((p) => reportViolation(p, alarm.urn));
    }
  },
};
