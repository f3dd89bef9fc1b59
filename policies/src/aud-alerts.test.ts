// AUD-2: the alert topic is encrypted with a customer-managed key, and a failed-SSH metric filter
// on the nodes' auth log feeds an alarm that fires on more than 5 failures in 5 minutes and
// notifies someone; checked in every ID mode (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { audFailedSshAlarmPresent, audSnsTopicEncrypted, sshAlarmProblems } from "./aud-alerts";
import { assertAuditVerdict } from "./aud-fixtures";
import { AudType } from "./aud-read";
import { StackSpec, urnOf } from "./net-fixtures";
import { runResourcePolicy, stackResource, unknown } from "./testing";

describe("aud-sns-topic-encrypted (AUD-2)", () => {
  const topic = (props: Record<string, unknown>) => ({ type: AudType.topic, name: "alerts", props });

  it("passes a topic under the tenant key, its ARN unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(audSnsTopicEncrypted, topic({ kmsMasterKeyId: unknown.string })),
      { violations: [] },
    );
    assert.deepEqual(
      await runResourcePolicy(audSnsTopicEncrypted, topic({ kmsMasterKeyId: "alias/moat-acme" })),
      { violations: [] },
    );
  });

  it("fails an unencrypted topic and one under the AWS-managed SNS key", async () => {
    assert.deepEqual((await runResourcePolicy(audSnsTopicEncrypted, topic({}))).violations, [
      "Set kmsMasterKeyId on SNS topic \"alerts\" to the tenant's KMS key: alert messages name the tenant's resources and are encrypted at rest (AUD-2).",
    ]);
    assert.deepEqual(
      (await runResourcePolicy(audSnsTopicEncrypted, topic({ kmsMasterKeyId: "alias/aws/sns" }))).violations,
      [
        'Set kmsMasterKeyId on SNS topic "alerts" to the tenant\'s KMS key instead of the AWS-managed alias/aws/sns: CloudWatch alarms and EventBridge cannot publish to a topic under that key (AUD-2).',
      ],
    );
  });
});

describe("aud-failed-ssh-alarm-present (AUD-2, AUD-3)", () => {
  const policy = audFailedSshAlarmPresent;
  const ALARM = 'metric alarm "failed-ssh-alarm"';
  const onAlarm = (...messages: string[]) =>
    messages.map((message) => ({ message, urn: urnOf(AudType.metricAlarm, "failed-ssh-alarm") }));
  const alarm = (props: Record<string, unknown>) => (s: StackSpec) =>
    Object.assign(s["failed-ssh-alarm"].props, props);
  const noFilter = [
    {
      message:
        'Add an aws.cloudwatch.LogMetricFilter on the nodes\' auth log group (/moat/<tenantId>/nodes/...) whose pattern matches sshd\'s failed logins (e.g. "Invalid user" or "Connection closed by authenticating user"), with a literal metricTransformation name and namespace (AUD-2, AUD-3).',
    },
  ];

  it("passes the compliant alarm, a stricter one, a per-minute one scaled down, and one linked to the filter", async () => {
    await assertAuditVerdict(policy, () => {}, []);
    await assertAuditVerdict(
      policy,
      alarm({ threshold: 3, comparisonOperator: "GreaterThanOrEqualToThreshold" }),
      [],
    );
    await assertAuditVerdict(policy, alarm({ period: 60, threshold: 1 }), []);
    await assertAuditVerdict(
      policy,
      (s) => {
        delete s["failed-ssh-alarm"].props.metricName;
        s["failed-ssh-alarm"].links = { metricName: ["failed-ssh"] };
      },
      [],
    );
    await assertAuditVerdict(
      policy,
      (s) => {
        delete s["failed-ssh"].links;
        s["failed-ssh"].props.logGroupName = "/moat/acme/nodes/auth";
      },
      [],
    );
  });

  it("fails without a failed-SSH filter on a node log group", async () => {
    await assertAuditVerdict(policy, (s) => delete s["failed-ssh"], noFilter);
    await assertAuditVerdict(policy, (s) => (s["failed-ssh"].props.pattern = "Accepted publickey"), noFilter);
    await assertAuditVerdict(
      policy,
      (s) => (s["failed-ssh"].links = { logGroupName: ["audit-logs"] }),
      noFilter,
    );
  });

  it("fails a filter without an alarm on its metric", async () => {
    await assertAuditVerdict(policy, alarm({ namespace: "Other" }), [
      {
        message:
          'Add an aws.cloudwatch.MetricAlarm on the metric of metric filter "failed-ssh" (same metricName and namespace): statistic "Sum", period 300, comparisonOperator "GreaterThanThreshold", threshold 5, evaluationPeriods 1 and alarmActions set to the alert topic (AUD-2).',
      },
    ]);
  });

  it("fails a less sensitive or silent alarm, naming each fix", async () => {
    await assertAuditVerdict(
      policy,
      alarm({ threshold: 10 }),
      onAlarm(
        `Set comparisonOperator "GreaterThanThreshold" and threshold 5 or less on ${ALARM}: AUD-2 alerts on more than 5 failed logins in 300 seconds (AUD-2).`,
      ),
    );
    await assertAuditVerdict(
      policy,
      alarm({ period: 60 }),
      onAlarm(
        `Set comparisonOperator "GreaterThanThreshold" and threshold 1 or less on ${ALARM}: AUD-2 alerts on more than 5 failed logins in 300 seconds (AUD-2).`,
      ),
    );
    await assertAuditVerdict(
      policy,
      alarm({ period: 3600, statistic: "Average", evaluationPeriods: 3 }),
      onAlarm(
        `Set statistic on ${ALARM} to "Sum", so the alarm counts failed logins (AUD-2).`,
        `Set period on ${ALARM} to 300 seconds or less (AUD-2).`,
        `Set datapointsToAlarm (or evaluationPeriods) on ${ALARM} to 1: one breaching period must raise the alert (AUD-2).`,
      ),
    );
    await assertAuditVerdict(
      policy,
      alarm({ alarmActions: [], actionsEnabled: false }),
      onAlarm(
        `Remove actionsEnabled: false from ${ALARM}: the alarm would notify no one (AUD-2).`,
        `Set alarmActions on ${ALARM} to the alert topic's ARN: an alarm without actions notifies no one (AUD-2).`,
      ),
    );
    await assertAuditVerdict(
      policy,
      alarm({ comparisonOperator: "LessThanThreshold" }),
      onAlarm(
        `Set comparisonOperator "GreaterThanThreshold" and threshold 5 or less on ${ALARM}: AUD-2 alerts on more than 5 failed logins in 300 seconds (AUD-2).`,
      ),
    );
  });

  it("fails alarm settings unknown at preview; actions built from the topic's ARN count (POL-2)", async () => {
    const literal = (p: string) =>
      `Set ${p} on ${ALARM} to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-2, POL-2).`;
    await assertAuditVerdict(
      policy,
      alarm({ threshold: unknown.number, period: unknown.number }),
      onAlarm(literal("period"), literal("threshold")),
    );
    await assertAuditVerdict(policy, alarm({ alarmActions: [unknown.string] }), []);
    const computed = stackResource({
      type: AudType.metricAlarm,
      name: "a",
      props: {
        statistic: unknown.string,
        period: 300,
        threshold: 5,
        comparisonOperator: "GreaterThanThreshold",
        alarmActions: ["x"],
      },
    });
    assert.deepEqual(sshAlarmProblems(computed), [
      'Set statistic on metric alarm "a" to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-2, POL-2).',
    ]);
  });
});
