import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  alertResourceName,
  alertTopicName,
  alertTopicPolicy,
  FAILED_SSH_METRIC,
  FAILED_SSH_PERIOD_SECONDS,
  FAILED_SSH_THRESHOLD,
  failedSshPattern,
  metricNamespace,
  nodeAuthLogGroupName,
} from "./alert-spec";
import { AUDIT_EVENT_RULES } from "./audit-events";
import { cloudTrailPattern, guardDutyPattern } from "./event-patterns";
import { validateSecurityAlertsArgs } from "./security-alerts-args";
import { resolveScope, TenantScopeArgs, throwIfInvalid } from "../tenant-key/tenant-scope";

/** Who receives the alerts: SNS subscriptions of the topic. */
export interface AlertSubscriptions {
  /**
   * Email addresses, each subscribed with protocol `email`; SNS mails each a confirmation link
   * that must be followed before alerts arrive. Each address names its subscription, so adding or
   * removing one leaves the others (and their confirmations) in place.
   */
  readonly emails: readonly string[];
  /**
   * An `https://` endpoint, e.g. a pager's SNS integration URL, subscribed with protocol `https`.
   * Such URLs often embed an integration key, so the value is kept as a secret (CMP-8).
   * @default none
   */
  readonly httpsEndpoint?: string;
}

/** How GuardDuty covers the tenant's account and region (AUD-4). */
export interface GuardDutySettings {
  /**
   * True when a detector managed outside this stack (the organisation's delegated administrator,
   * or another tenant's stack in the same account and region) already covers it: AWS allows one
   * detector per account and region, so none is created. The findings rule is created either way.
   * Set the pack's `aud-guardduty-present` config `organizationDetector` to match.
   */
  readonly organizationDetector: boolean;
}

/**
 * Inputs of {@link SecurityAlerts}. Tenant, environment and owner tags (AUD-5) come from the
 * tenant provider passed in the resource options.
 */
export interface SecurityAlertsArgs extends TenantScopeArgs {
  /**
   * ARN of the tenant's KMS key (TenantKey.keyArn), encrypting the topic at rest. Its policy must
   * let EventBridge and CloudWatch use it (TenantKey's `allowAuditServices`, components/tenant-key/audit-statements.ts).
   * Never `alias/aws/sns`. No default.
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Who is alerted. At least one email or the HTTPS endpoint. No default. */
  readonly subscriptions: AlertSubscriptions;
  /**
   * GuardDuty coverage.
   * @default { organizationDetector: false } (the stack creates the detector)
   */
  readonly guardDuty?: GuardDutySettings;
  /**
   * Name of the log group receiving the nodes' auth log, created elsewhere. Pass the LogGroup's
   * `name` output so the metric filter waits for the group, or the literal name when the group
   * already exists. Changing it replaces the metric filter.
   * @default `/moat/<tenantId>/nodes/auth`
   */
  readonly nodeAuthLogGroupName?: pulumi.Input<string>;
}

/**
 * A tenant's security alerts (AUD-2, AUD-3, AUD-4): an SNS topic `moat-<tenantId>-security-alerts`
 * encrypted with the tenant key, which only EventBridge and CloudWatch of this account may publish
 * to, and its email and HTTPS subscriptions; a metric filter counting failed SSH logins in the
 * nodes' auth log with an alarm firing on more than 5 in 5 minutes; one EventBridge rule per entry
 * of AUDIT_EVENT_RULES on the CloudTrail events behind the audit catalogue (the trail must exist
 * for EventBridge to see them); and GuardDuty, with a rule alerting on crypto-mining and SSH
 * brute-force findings. Every name is chosen here, so the pack reads them at preview (POL-2).
 *
 * IAM is a global service: its CloudTrail events reach EventBridge in us-east-1 only, so the
 * `iam-changes` rule fires only for a stack in that region.
 */
export class SecurityAlerts extends pulumi.ComponentResource {
  /** ARN of the alert topic, for other components' alarms and rules. */
  public readonly topicArn: pulumi.Output<string>;
  /** Name of the alert topic, `moat-<tenantId>-security-alerts`. */
  public readonly topicName: pulumi.Output<string>;
  /** Name of the failed-SSH alarm, `moat-<tenantId>-failed-ssh-logins`. */
  public readonly failedSshAlarmName: pulumi.Output<string>;
  /** Names of the EventBridge rules, by AUDIT_EVENT_RULES key plus `guardduty-findings`. */
  public readonly ruleNames: pulumi.Output<Record<string, string>>;
  /** ID of the GuardDuty detector this stack created; undefined with an organisation detector. */
  public readonly detectorId: pulumi.Output<string | undefined>;

  constructor(name: string, args: SecurityAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("SecurityAlerts", name, validateSecurityAlertsArgs(args));
    super("moat:audit:SecurityAlerts", name, {}, opts);

    const { tenantId } = args;
    const parent = { parent: this };
    const scope = resolveScope(args);

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: alertTopicName(tenantId), kmsMasterKeyId: args.kmsKeyArn },
      parent,
    );
    new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      { arn: topic.arn, policy: scope.apply((s) => JSON.stringify(alertTopicPolicy(s))) },
      parent,
    );
    for (const email of args.subscriptions.emails) {
      new aws.sns.TopicSubscription(
        `${name}-email-${email.toLowerCase()}`,
        { topic: topic.arn, protocol: "email", endpoint: email },
        parent,
      );
    }
    if (args.subscriptions.httpsEndpoint !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-https`,
        { topic: topic.arn, protocol: "https", endpoint: pulumi.secret(args.subscriptions.httpsEndpoint) },
        { ...parent, additionalSecretOutputs: ["endpoint"] },
      );
    }

    // AUD-2: the metric and alarm are tied by literal name and namespace, known at preview.
    const namespace = metricNamespace(tenantId);
    new aws.cloudwatch.LogMetricFilter(
      `${name}-failed-ssh`,
      {
        name: alertResourceName(tenantId, "failed-ssh"),
        logGroupName: args.nodeAuthLogGroupName ?? nodeAuthLogGroupName(tenantId),
        pattern: failedSshPattern(),
        metricTransformation: { name: FAILED_SSH_METRIC, namespace, value: "1", unit: "Count" },
      },
      parent,
    );
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-failed-ssh-alarm`,
      {
        name: alertResourceName(tenantId, "failed-ssh-logins"),
        alarmDescription: `More than ${FAILED_SSH_THRESHOLD} failed SSH logins in ${FAILED_SSH_PERIOD_SECONDS / 60} minutes on tenant ${tenantId}'s nodes (AUD-2)`,
        namespace,
        metricName: FAILED_SSH_METRIC,
        statistic: "Sum",
        period: FAILED_SSH_PERIOD_SECONDS,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: FAILED_SSH_THRESHOLD,
        // No log lines means no failed logins, not a broken alarm.
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      },
      parent,
    );

    const rules: Record<string, pulumi.Output<string>> = {};
    const alertRule = (key: string, description: string, pattern: object) => {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${key}`,
        {
          name: alertResourceName(tenantId, key),
          description,
          eventPattern: JSON.stringify(pattern),
          state: "ENABLED",
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${key}-target`,
        { rule: rule.name, arn: topic.arn, targetId: "security-alerts-topic" },
        parent,
      );
      rules[key] = rule.name;
    };
    for (const entry of AUDIT_EVENT_RULES) {
      alertRule(entry.key, `${entry.why} (AUD-2)`, cloudTrailPattern(entry));
    }

    // AUD-4: one detector per account and region; an organisation's covers this one.
    const detector = args.guardDuty?.organizationDetector
      ? undefined
      : new aws.guardduty.Detector(
          `${name}-guardduty`,
          { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" },
          parent,
        );
    alertRule(
      "guardduty-findings",
      "GuardDuty crypto-mining or SSH brute-force finding (AUD-4)",
      guardDutyPattern(),
    );

    this.topicArn = topic.arn;
    this.topicName = topic.name;
    this.failedSshAlarmName = alarm.name;
    this.ruleNames = pulumi.output(rules);
    this.detectorId = detector === undefined ? pulumi.output(undefined) : detector.id;
    this.registerOutputs({
      topicArn: this.topicArn,
      topicName: this.topicName,
      failedSshAlarmName: this.failedSshAlarmName,
      ruleNames: this.ruleNames,
      detectorId: this.detectorId,
    });
  }
}
