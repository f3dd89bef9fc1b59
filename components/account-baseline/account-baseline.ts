import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AuditTrail } from "../audit-trail/audit-trail";
import { accessLogBucketPolicy } from "../audit-trail/audit-documents";
import { auditBucketName, DEFAULT_AUDIT_RETENTION_DAYS } from "../audit-trail/audit-trail-args";
import { alertTopicPolicy } from "../security-alerts/alert-spec";
import {
  resolveScope,
  tenantKeyAliasName,
  throwIfInvalid,
  type TenantScope,
} from "../tenant-key/tenant-scope";
import { accountKeyPolicy } from "./account-key-policy";
import {
  accessLogBucketName,
  ACCOUNT_SCOPE_ID,
  accountResourceName,
  baselineOutputs,
  GLOBAL_EVENTS_REGION,
  operatorTopicName,
} from "./account-scope";
import { AccountBaselineArgs, validateAccountBaselineArgs } from "./account-baseline-args";
import {
  defaultBusArn,
  FORWARDER_ROLE_NAME,
  forwarderPermissions,
  forwarderTrustPolicy,
  FORWARDING_RULE_NAME,
  globalEventsPattern,
} from "./global-events";
import { ACCOUNT_EVENT_RULES } from "../security-alerts/audit-events";
import { accountEventPattern } from "../security-alerts/event-patterns";
import { operatorFindingsPattern } from "./operator-rules";

export type { AccountBaselineArgs } from "./account-baseline-args";

/**
 * What AWS allows once per account or region, owned by one stack per account and region so that
 * tenants sharing an account never create it (AUD-1, AUD-4):
 * - everywhere: a KMS key (`alias/moat-account`), the GuardDuty detector (protected, kept on
 *   destroy: removing it would blind every tenant of the region), and the operator's alert topic
 *   with a rule per entry of ACCOUNT_EVENT_RULES (trail and GuardDuty tampering, key pairs, IAM
 *   users, gateways: events no tenant owns) and one on GuardDuty findings from medium severity;
 * - in the home region (us-east-1): the account's multi-region trail (AuditTrail: Object Lock,
 *   deny-delete bucket policy, access logging), the access-log bucket, the EC2 Auto Scaling
 *   service-linked role that tenant key policies name, and the forwarding of IAM events to the
 *   regions in `forwardGlobalEventsTo`.
 */
export class AccountBaseline extends pulumi.ComponentResource {
  /** What tenants read through their stack reference, all known at preview. */
  public readonly outputs: pulumi.Output<ReturnType<typeof baselineOutputs>>;
  /** ID of the region's GuardDuty detector. */
  public readonly detectorId: pulumi.Output<string>;
  /** ARN of the baseline's KMS key. */
  public readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfInvalid("AccountBaseline", name, validateAccountBaselineArgs(args));
    // Its region and role as inputs, so the pack knows which stack must hold the trail (AUD-1).
    const home = args.region === GLOBAL_EVENTS_REGION;
    super("moat:account:AccountBaseline", name, { region: args.region, home }, opts);

    const scopeArgs = { ...args, tenantId: ACCOUNT_SCOPE_ID };
    const scope = resolveScope(scopeArgs);
    const parent = { parent: this };
    const kept = { parent: this, protect: true, retainOnDelete: true };
    const documentOf = (build: (s: TenantScope) => object) => scope.apply((s) => JSON.stringify(build(s)));
    const days = args.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: "Moat account baseline: audit trail, its buckets and log group, operator alerts",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        keyUsage: "ENCRYPT_DECRYPT",
        enableKeyRotation: true,
        rotationPeriodInDays: 90,
        deletionWindowInDays: 30,
        policy: documentOf(accountKeyPolicy),
      },
      kept,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: tenantKeyAliasName(ACCOUNT_SCOPE_ID), targetKeyId: key.keyId },
      parent,
    );

    // AUD-4: one detector per account and region, and this stack is the one that creates it.
    const detector = new aws.guardduty.Detector(
      `${name}-guardduty`,
      { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" },
      kept,
    );

    const topic = this.operatorAlerts(name, args, key.arn, documentOf);

    if (home) {
      this.homeResources(name, args, key.arn, days, scope);
    }

    this.outputs = scope.apply((s) =>
      baselineOutputs(s.accountId, s.region, args.forwardGlobalEventsTo ?? []),
    );
    this.detectorId = detector.id;
    this.keyArn = key.arn;
    this.registerOutputs({
      outputs: this.outputs,
      detectorId: this.detectorId,
      keyArn: this.keyArn,
      topicArn: topic.arn,
    });
  }

  private operatorAlerts(
    name: string,
    args: AccountBaselineArgs,
    keyArn: pulumi.Output<string>,
    documentOf: (build: (s: TenantScope) => object) => pulumi.Output<string>,
  ): aws.sns.Topic {
    const parent = { parent: this };
    const topic = new aws.sns.Topic(
      `${name}-alerts`,
      { name: operatorTopicName(), kmsMasterKeyId: keyArn },
      parent,
    );
    new aws.sns.TopicPolicy(
      `${name}-alerts-policy`,
      { arn: topic.arn, policy: documentOf(alertTopicPolicy) },
      parent,
    );
    for (const email of args.operatorEmails) {
      new aws.sns.TopicSubscription(
        `${name}-alerts-email-${email.toLowerCase()}`,
        { topic: topic.arn, protocol: "email", endpoint: email },
        parent,
      );
    }
    const rule = (key: string, description: string, pattern: object) => {
      const eventRule = new aws.cloudwatch.EventRule(
        `${name}-${key}`,
        {
          name: accountResourceName(key),
          description,
          eventPattern: JSON.stringify(pattern),
          state: "ENABLED",
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${key}-target`,
        { rule: eventRule.name, arn: topic.arn, targetId: "operator-alerts-topic" },
        parent,
      );
    };
    for (const entry of ACCOUNT_EVENT_RULES) {
      rule(entry.key, `${entry.why}, in no tenant's resource`, accountEventPattern(entry));
    }
    rule(
      "guardduty-findings",
      "GuardDuty finding of medium severity or above, any tenant (AUD-4)",
      operatorFindingsPattern(),
    );
    return topic;
  }

  private homeResources(
    name: string,
    args: AccountBaselineArgs,
    keyArn: pulumi.Output<string>,
    days: number,
    scope: pulumi.Output<TenantScope>,
  ): void {
    const documentOf = (build: (s: TenantScope) => object) => scope.apply((s) => JSON.stringify(build(s)));
    const parent = { parent: this };
    const kept = { parent: this, protect: true, retainOnDelete: true };

    // Access logs of the audit bucket (AUD-1): same account and region, no Object Lock (S3 refuses
    // a locked target), SSE-KMS with the baseline key, whose policy lets S3's logging service in.
    const logBucketName = scope.apply((s) => accessLogBucketName(s.accountId, s.region));
    const logBucket = new aws.s3.Bucket(
      `${name}-access-logs`,
      { bucket: logBucketName, forceDestroy: false },
      kept,
    );
    const logPublicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-access-logs-public-access`,
      {
        bucket: logBucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      kept,
    );
    const logOwnership = new aws.s3.BucketOwnershipControls(
      `${name}-access-logs-ownership`,
      { bucket: logBucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      kept,
    );
    new aws.s3.BucketVersioning(
      `${name}-access-logs-versioning`,
      { bucket: logBucket.id, versioningConfiguration: { status: "Enabled" } },
      kept,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-access-logs-encryption`,
      {
        bucket: logBucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
            bucketKeyEnabled: true,
          },
        ],
      },
      kept,
    );
    const logPolicy = new aws.s3.BucketPolicy(
      `${name}-access-logs-policy`,
      {
        bucket: logBucket.id,
        policy: documentOf((s) =>
          accessLogBucketPolicy(s, accessLogBucketName(s.accountId, s.region), [auditBucketName(s)]),
        ),
      },
      { ...kept, dependsOn: [logPublicAccess, logOwnership] },
    );

    new AuditTrail(
      `${name}-audit`,
      {
        tenantId: ACCOUNT_SCOPE_ID,
        accountId: args.accountId,
        region: args.region,
        partition: args.partition,
        kmsKeyArn: keyArn,
        retentionDays: days,
        accessLogBucketName: logBucket.bucket,
        administratorRoleArns: args.auditAdministratorRoleArns,
      },
      { parent: this, dependsOn: [logPolicy] },
    );

    // Tenant key policies name this role (CMP-3); KMS refuses a policy naming a missing role.
    // An account that already has it imports it:
    // pulumi import aws:iam/serviceLinkedRole:ServiceLinkedRole <name> arn:aws:iam::<account>:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling
    new aws.iam.ServiceLinkedRole(
      `${name}-autoscaling-role`,
      { awsServiceName: "autoscaling.amazonaws.com" },
      kept,
    );

    const regions = args.forwardGlobalEventsTo ?? [];
    if (regions.length === 0) {
      return;
    }
    const role = new aws.iam.Role(
      `${name}-forwarder`,
      {
        name: FORWARDER_ROLE_NAME,
        description: `Lets EventBridge forward IAM events from ${GLOBAL_EVENTS_REGION} to ${regions.join(", ")} (AUD-2).`,
        assumeRolePolicy: documentOf(forwarderTrustPolicy),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-forwarder-policy`,
      {
        role: role.name,
        name: "put-events-on-tenant-regions",
        policy: documentOf((s) => forwarderPermissions(s, regions)),
      },
      parent,
    );
    const forwarding = new aws.cloudwatch.EventRule(
      `${name}-forward-global-events`,
      {
        name: FORWARDING_RULE_NAME,
        description: `Global-service (IAM) events, forwarded to the regions that hold tenants (AUD-2)`,
        eventPattern: JSON.stringify(globalEventsPattern()),
        state: "ENABLED",
      },
      parent,
    );
    for (const region of regions) {
      new aws.cloudwatch.EventTarget(
        `${name}-forward-to-${region}`,
        {
          rule: forwarding.name,
          arn: scope.apply((s) => defaultBusArn(s, region)),
          roleArn: role.arn,
          targetId: `default-bus-${region}`,
        },
        parent,
      );
    }
  }
}
