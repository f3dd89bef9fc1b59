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
import { AUDIT_EVENT_RULES, GUARDDUTY_SCOPE, ScopeKind } from "./audit-events";
import {
  ALERT_SCOPE_TAG,
  cloudTrailPattern,
  guardDutyPattern,
  liveScopes,
  noScopeValues,
  scopeDeclaration,
} from "./event-patterns";
import { sizingValues, tenantScopeInputs, validateSecurityAlertsArgs } from "./security-alerts-args";
import { resolveScope, TenantScopeArgs, tenantNameId, throwIfInvalid } from "../tenant-key/tenant-scope";

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

/**
 * The tenant's network resources, whose changes alert the tenant and no one else (AUD-2). The
 * cloud chooses their IDs, so each is an Input: pass the components' outputs. Every list is
 * required; an empty list (where allowed) leaves the events naming that kind out of the rules.
 */
export interface WatchedNetwork {
  /**
   * The tenant's VPC (Network.vpcId): security groups, ACLs and route tables created in it,
   * gateways attached to or detached from it, and peerings requested from or to it. No default.
   */
  readonly vpcId: pulumi.Input<string>;
  /** Every subnet of the tenant (Network.subnetIds): NAT gateways and table associations. At least one. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /**
   * Every security group of the tenant: the firewall's, each compute group's (and its EFA group),
   * the shared filesystem's, the VPC's default group. Rule changes name only the group, so a group
   * left out here changes without alerting. At least one.
   */
  readonly securityGroupIds: readonly pulumi.Input<string>[];
  /**
   * The network ACLs of the tenant's subnets: entry changes name only the ACL. Empty leaves the
   * tenant's ACL changes unalerted (an ACL created in its VPC still alerts).
   */
  readonly networkAclIds: readonly pulumi.Input<string>[];
  /** Every route table of the tenant (Network.routeTableIds, and the VPC's main table). At least one. */
  readonly routeTableIds: readonly pulumi.Input<string>[];
  /** The VPC's internet gateways (Network.internetGatewayId): their deletion. May be empty. */
  readonly internetGatewayIds: readonly pulumi.Input<string>[];
  /** The VPC's NAT gateways (Network.natGatewayId): their deletion. May be empty. */
  readonly natGatewayIds: readonly pulumi.Input<string>[];
}

/**
 * Inputs of {@link SecurityAlerts}. Tenant, environment and owner tags (AUD-5) come from the
 * tenant provider passed in the resource options.
 */
export interface SecurityAlertsArgs extends TenantScopeArgs {
  /**
   * ARN of the tenant's KMS key (TenantKey.keyArn), encrypting the topic at rest; its disabling or
   * scheduled deletion alerts the tenant. Its policy must let EventBridge and CloudWatch use it
   * (TenantKey's `allowAuditServices`, components/tenant-key/audit-statements.ts).
   * Never `alias/aws/sns`. No default.
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Who is alerted. At least one email or the HTTPS endpoint. No default. */
  readonly subscriptions: AlertSubscriptions;
  /** The tenant's network resources the rules watch (AUD-2). No default. */
  readonly network: WatchedNetwork;
  /**
   * Name of the log group receiving the nodes' auth log, created elsewhere. Pass the LogGroup's
   * `name` output so the metric filter waits for the group, or the literal name when the group
   * already exists. Changing it replaces the metric filter.
   * @default `/moat/<tenantId>-<environment>/nodes/auth`
   */
  readonly nodeAuthLogGroupName?: pulumi.Input<string>;
}

/**
 * A tenant's security alerts (AUD-2, AUD-3, AUD-4): an SNS topic `moat-<tenantId>-<environment>-security-alerts`
 * encrypted with the tenant key, which only EventBridge and CloudWatch of this account may publish
 * to, and its email and HTTPS subscriptions; a metric filter counting failed SSH logins in the
 * nodes' auth log with an alarm firing on more than 5 in 5 minutes; one EventBridge rule per entry
 * of AUDIT_EVENT_RULES on the CloudTrail events behind the audit catalogue, and one on crypto-mining
 * and SSH brute-force GuardDuty findings. Every rule matches only the tenant's own resources (its
 * VPC, subnets, groups, ACLs, route tables, gateways, roles, instance profiles and key), so tenants
 * sharing an account never receive each other's events; events that name no tenant are the account
 * baseline's (ACCOUNT_EVENT_RULES). Role and profile names are those of the tenant's name id
 * (`tenantNameId`: with `environment`, `moat-acme-prod-head`), as NodeRole and PeopleRoles name
 * them. Names are chosen here, so the pack reads them at preview (POL-2).
 *
 * The trail and the GuardDuty detector, one per account and per account and region, belong to the
 * account baseline (components/account-baseline), which the rules rely on. IAM is a global service
 * whose CloudTrail events reach EventBridge in us-east-1 only; the account baseline forwards them,
 * source and detail unchanged, to the default event bus of every region holding tenants, so the
 * `iam-changes` rule is created, and fires, in every region.
 * https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region
 */
export class SecurityAlerts extends pulumi.ComponentResource {
  /** ARN of the alert topic, for other components' alarms and rules. */
  public readonly topicArn: pulumi.Output<string>;
  /** Name of the alert topic, `moat-<tenantId>-<environment>-security-alerts`. */
  public readonly topicName: pulumi.Output<string>;
  /** Name of the failed-SSH alarm, `moat-<tenantId>-<environment>-failed-ssh-logins`. */
  public readonly failedSshAlarmName: pulumi.Output<string>;
  /** Names of the EventBridge rules, by AUDIT_EVENT_RULES key plus `guardduty-findings`. */
  public readonly ruleNames: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SecurityAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("SecurityAlerts", name, validateSecurityAlertsArgs(args));
    super("moat:audit:SecurityAlerts", name, {}, opts);

    // Names carry the environment: two environments of a tenant may share an account.
    const nameId = tenantNameId(args);
    const parent = { parent: this };
    const scope = resolveScope(args);

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: alertTopicName(nameId), kmsMasterKeyId: args.kmsKeyArn },
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
    const namespace = metricNamespace(nameId);
    new aws.cloudwatch.LogMetricFilter(
      `${name}-failed-ssh`,
      {
        name: alertResourceName(nameId, "failed-ssh"),
        logGroupName: args.nodeAuthLogGroupName ?? nodeAuthLogGroupName(nameId),
        pattern: failedSshPattern(),
        metricTransformation: { name: FAILED_SSH_METRIC, namespace, value: "1", unit: "Count" },
      },
      parent,
    );
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-failed-ssh-alarm`,
      {
        name: alertResourceName(nameId, "failed-ssh-logins"),
        alarmDescription: `More than ${FAILED_SSH_THRESHOLD} failed SSH logins in ${FAILED_SSH_PERIOD_SECONDS / 60} minutes on tenant ${nameId}'s nodes (AUD-2)`,
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

    // AUD-2: each pattern is built from the values of the kinds it names only, so a rule on names
    // known at preview (roles, profiles) stays readable then, and one on IDs waits for them. The
    // tag declares what the pattern matches while it is unknown (policies/src/aud-events.ts).
    const inputs = tenantScopeInputs(args, scope);
    const valuesOf = (kinds: readonly ScopeKind[]) =>
      pulumi.all(kinds.map((kind) => inputs[kind])).apply((lists) => {
        const values = noScopeValues();
        kinds.forEach((kind, i) => (values[kind] = lists[i]));
        return values;
      });
    const rules: Record<string, pulumi.Output<string>> = {};
    const alertRule = (
      key: string,
      description: string,
      pattern: pulumi.Output<string>,
      declaration: string,
    ) => {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${key}`,
        {
          name: alertResourceName(nameId, key),
          description,
          eventPattern: pattern,
          state: "ENABLED",
          tags: { [ALERT_SCOPE_TAG]: declaration },
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
      // Which scopes have values is known now (list lengths), whatever the values are.
      const live = liveScopes(entry, sizingValues(args));
      const pattern = valuesOf([...new Set(live.map((s) => s.kind))]).apply((values) =>
        JSON.stringify(cloudTrailPattern(entry, values)),
      );
      alertRule(entry.key, `${entry.why} (AUD-2)`, pattern, scopeDeclaration(entry.source, live));
    }

    // AUD-4: GuardDuty findings on the tenant's instances; the detector is the account baseline's.
    alertRule(
      "guardduty-findings",
      "GuardDuty crypto-mining or SSH brute-force finding on a tenant node (AUD-4)",
      valuesOf([GUARDDUTY_SCOPE.kind]).apply((values) =>
        JSON.stringify(guardDutyPattern(values[GUARDDUTY_SCOPE.kind])),
      ),
      scopeDeclaration("aws.guardduty", [GUARDDUTY_SCOPE]),
    );

    this.topicArn = topic.arn;
    this.topicName = topic.name;
    this.failedSshAlarmName = alarm.name;
    this.ruleNames = pulumi.output(rules);
    this.registerOutputs({
      topicArn: this.topicArn,
      topicName: this.topicName,
      failedSshAlarmName: this.failedSshAlarmName,
      ruleNames: this.ruleNames,
    });
  }
}
