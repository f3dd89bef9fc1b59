import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  installRecordingMocks,
  mockArns,
  Recorded,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";
import { alertTopicPolicy, failedSshPattern } from "./alert-spec";
import { AUDIT_EVENT_RULES } from "./audit-events";
import { cloudTrailPattern, guardDutyPattern } from "./event-patterns";
import { SecurityAlerts, SecurityAlertsArgs } from "./security-alerts";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
});

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const args: SecurityAlertsArgs = {
  tenantId: "acme",
  accountId: pulumi.output("123456789012"),
  region: "us-east-1",
  kmsKeyArn: KEY,
  subscriptions: {
    emails: ["security@acme.example", "Oncall@acme.example"],
    httpsEndpoint: "https://events.pager.example/sns/abc123",
  },
  guardDuty: { organizationDetector: false },
};

async function build(name: string, overrides: Partial<SecurityAlertsArgs> = {}) {
  const component = new SecurityAlerts(name, { ...args, ...overrides });
  await mocks.settle();
  const children = mocks.named(name).filter((r) => r.name !== name);
  const child = (role: string): Recorded => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };
  return { component, children, child };
}

describe("SecurityAlerts (AUD-2, AUD-3, AUD-4)", () => {
  const name = "acme";
  let built: Awaited<ReturnType<typeof build>>;
  before(async () => {
    built = await build(name);
  });

  it("registers itself as moat:audit:SecurityAlerts and parents every child to itself", async () => {
    assert.equal(mocks.all().find((r) => r.name === name)?.type, "moat:audit:SecurityAlerts");
    const urn = await valueOf(built.component.urn);
    for (const c of built.children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the component`);
    }
  });

  it("creates exactly the topic, its policy and subscriptions, the SSH filter and alarm, the rules and the detector", () => {
    const ruleChildren = [...AUDIT_EVENT_RULES.map((r) => r.key), "guardduty-findings"].flatMap((key) => [
      `aws:cloudwatch/eventRule:EventRule ${name}-${key}`,
      `aws:cloudwatch/eventTarget:EventTarget ${name}-${key}-target`,
    ]);
    assert.deepEqual(
      built.children.map((c) => `${c.type} ${c.name}`).sort(),
      [
        `aws:sns/topic:Topic ${name}-topic`,
        `aws:sns/topicPolicy:TopicPolicy ${name}-topic-policy`,
        `aws:sns/topicSubscription:TopicSubscription ${name}-email-security@acme.example`,
        `aws:sns/topicSubscription:TopicSubscription ${name}-email-oncall@acme.example`,
        `aws:sns/topicSubscription:TopicSubscription ${name}-https`,
        `aws:cloudwatch/logMetricFilter:LogMetricFilter ${name}-failed-ssh`,
        `aws:cloudwatch/metricAlarm:MetricAlarm ${name}-failed-ssh-alarm`,
        `aws:guardduty/detector:Detector ${name}-guardduty`,
        ...ruleChildren,
      ].sort(),
    );
  });

  it("AUD-2: the topic is named for the tenant and encrypted with the tenant key", () => {
    assert.deepEqual(built.child("topic").inputs, { name: "moat-acme-security-alerts", kmsMasterKeyId: KEY });
  });

  it("AUD-2: the topic policy lets EventBridge and CloudWatch of this account publish, built from known values", () => {
    const policy = built.child("topic-policy").inputs;
    assert.equal(policy.arn, `arn:mock:${name}-topic`);
    assert.deepEqual(
      JSON.parse(policy.policy as string),
      alertTopicPolicy({
        tenantId: "acme",
        accountId: "123456789012",
        region: "us-east-1",
        partition: "aws",
      }),
    );
  });

  it("AUD-2: subscribes each email and the https endpoint, the endpoint kept secret (CMP-8)", () => {
    assert.deepEqual(built.child("email-oncall@acme.example").inputs, {
      topic: `arn:mock:${name}-topic`,
      protocol: "email",
      endpoint: "Oncall@acme.example",
    });
    const https = built.child("https").inputs;
    assert.equal(https.protocol, "https");
    // The engine's secret envelope: the URL reaches the provider but is encrypted in state.
    assert.deepEqual(https.endpoint, {
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: "https://events.pager.example/sns/abc123",
    });
  });

  it("AUD-2, AUD-3: counts failed SSH logins in the nodes' auth log as Moat/<tenant> FailedSshLogins", () => {
    assert.deepEqual(built.child("failed-ssh").inputs, {
      name: "moat-acme-failed-ssh",
      logGroupName: "/moat/acme/nodes/auth",
      pattern: failedSshPattern(),
      metricTransformation: { name: "FailedSshLogins", namespace: "Moat/acme", value: "1", unit: "Count" },
    });
  });

  it("AUD-2: alarms on a Sum above 5 over 300 s in one period, notifying the topic on alarm and OK", () => {
    const { alarmDescription, ...alarm } = built.child("failed-ssh-alarm").inputs;
    assert.match(String(alarmDescription), /More than 5 failed SSH logins in 5 minutes/);
    assert.deepEqual(alarm, {
      name: "moat-acme-failed-ssh-logins",
      namespace: "Moat/acme",
      metricName: "FailedSshLogins",
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
      treatMissingData: "notBreaching",
      alarmActions: [`arn:mock:${name}-topic`],
      okActions: [`arn:mock:${name}-topic`],
    });
  });

  it("AUD-2: one enabled rule per audit event entry, with the rendered pattern and the topic as target", () => {
    for (const entry of AUDIT_EVENT_RULES) {
      const rule = built.child(entry.key).inputs;
      assert.equal(rule.name, `moat-acme-${entry.key}`);
      assert.equal(rule.state, "ENABLED");
      assert.deepEqual(JSON.parse(rule.eventPattern as string), cloudTrailPattern(entry));
      assert.match(String(rule.description), /\(AUD-2\)$/);
      assert.deepEqual(built.child(`${entry.key}-target`).inputs, {
        rule: `moat-acme-${entry.key}`,
        arn: `arn:mock:${name}-topic`,
        targetId: "security-alerts-topic",
      });
    }
  });

  it("AUD-4: an enabled detector publishing every 15 minutes, and a findings rule targeting the topic", () => {
    assert.deepEqual(built.child("guardduty").inputs, {
      enable: true,
      findingPublishingFrequency: "FIFTEEN_MINUTES",
    });
    const rule = built.child("guardduty-findings").inputs;
    assert.deepEqual(JSON.parse(rule.eventPattern as string), guardDutyPattern());
    assert.equal(built.child("guardduty-findings-target").inputs.arn, `arn:mock:${name}-topic`);
  });

  it("exposes the topic, alarm and rule names and the detector", async () => {
    const { component } = built;
    assert.equal(await valueOf(component.topicArn), `arn:mock:${name}-topic`);
    assert.equal(await valueOf(component.topicName), "moat-acme-security-alerts");
    assert.equal(await valueOf(component.failedSshAlarmName), "moat-acme-failed-ssh-logins");
    const rules = await valueOf(component.ruleNames);
    assert.equal(rules["iam-changes"], "moat-acme-iam-changes");
    assert.equal(rules["guardduty-findings"], "moat-acme-guardduty-findings");
    assert.equal(await valueOf(component.detectorId), `${name}-guardduty-id`);
  });
});

describe("SecurityAlerts with an organisation detector (AUD-4)", () => {
  it("creates no detector but still the findings rule, and takes the given log group name", async () => {
    const name = "globex";
    const { component, children, child } = await build(name, {
      tenantId: "globex",
      guardDuty: { organizationDetector: true },
      subscriptions: { emails: ["sec@globex.example"] },
      nodeAuthLogGroupName: pulumi.output("/moat/globex/nodes/auth"),
    });
    assert.equal(children.filter((c) => c.type === "aws:guardduty/detector:Detector").length, 0);
    assert.ok(child("guardduty-findings-target"));
    assert.equal(children.filter((c) => c.type === "aws:sns/topicSubscription:TopicSubscription").length, 1);
    assert.equal(child("failed-ssh").inputs.logGroupName, "/moat/globex/nodes/auth");
    assert.equal(await valueOf(component.detectorId), undefined);
  });
});

describe("SecurityAlerts: invalid args", () => {
  it("lists every problem at once, naming each argument, and registers nothing", async () => {
    assert.throws(
      () =>
        new SecurityAlerts("bad", {
          ...args,
          kmsKeyArn: "alias/aws/sns",
          subscriptions: { emails: ["not-an-email"], httpsEndpoint: "http://pager.example" },
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["kmsKeyArn", "subscriptions.emails[0]", "subscriptions.httpsEndpoint"],
        );
        assert.match(err.message, /^Invalid SecurityAlerts "bad" args:\n {2}- kmsKeyArn: /);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad"), []);
  });
});
