import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { installRecordingMocks, mockArns, RecordingMocks, valueOf } from "../testing/recording-mocks";
import { accountKeyPolicy } from "./account-key-policy";
import { accessLogBucketName, accountScope, baselineOutputs, GLOBAL_EVENTS_REGION } from "./account-scope";
import { AccountBaseline } from "./account-baseline";
import { validateAccountBaselineArgs } from "./account-baseline-args";
import {
  defaultBusArn,
  forwarderPermissions,
  forwarderTrustPolicy,
  forwardingProblems,
} from "./global-events";
import { ACCOUNT_EVENT_RULES } from "../security-alerts/audit-events";
import { accountEventPattern } from "../security-alerts/event-patterns";
import { operatorFindingsPattern } from "./operator-rules";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
});

const ACCOUNT = "123456789012";
const ARGS = { accountId: ACCOUNT, operatorEmails: ["secops@acme.example"] };
const kinds = (name: string) =>
  mocks
    .named(name)
    .filter((r) => r.name !== name)
    .map((r) => `${r.type} ${r.name}`)
    .sort();

describe("AccountBaseline in the home region (AUD-1, AUD-2, AUD-4)", () => {
  const name = "home";
  let component: AccountBaseline;
  before(async () => {
    component = new AccountBaseline(name, {
      ...ARGS,
      region: GLOBAL_EVENTS_REGION,
      forwardGlobalEventsTo: ["eu-west-1"],
    });
    await mocks.settle();
  });
  const inputs = (child: string) => mocks.all().find((r) => r.name === `${name}-${child}`)?.inputs ?? {};
  const record = (child: string) => mocks.all().find((r) => r.name === `${name}-${child}`);

  it("says it is the home baseline, so the pack asks it for the trail", () => {
    assert.deepEqual(mocks.all().find((r) => r.name === name)?.inputs, { region: "us-east-1", home: true });
  });

  it("holds the trail, the access-log bucket, the service-linked role, the detector and the forwarding", () => {
    const children = kinds(name);
    for (const expected of [
      "aws:guardduty/detector:Detector home-guardduty",
      "aws:iam/serviceLinkedRole:ServiceLinkedRole home-autoscaling-role",
      "aws:kms/key:Key home-key",
      "aws:s3/bucket:Bucket home-access-logs",
      "moat:audit:AuditTrail home-audit",
      "aws:cloudtrail/trail:Trail home-audit-trail",
      "aws:cloudwatch/eventRule:EventRule home-forward-global-events",
      "aws:cloudwatch/eventTarget:EventTarget home-forward-to-eu-west-1",
      "aws:iam/role:Role home-forwarder",
      "aws:sns/topic:Topic home-alerts",
    ]) {
      assert.ok(children.includes(expected), `missing ${expected}`);
    }
  });

  it("DAT-4, AUD-4: protects and keeps the detector, the key, the access logs and the service-linked role", () => {
    for (const child of ["guardduty", "key", "access-logs", "access-logs-policy", "autoscaling-role"]) {
      assert.equal(record(child)?.protect, true, child);
      assert.equal(record(child)?.retainOnDelete, true, child);
    }
  });

  it("AUD-1: the trail's bucket logs its access to the access-log bucket, which S3's logging service may write", () => {
    const logs = accessLogBucketName(ACCOUNT, "us-east-1");
    assert.deepEqual(inputs("access-logs"), { bucket: logs, forceDestroy: false });
    assert.equal(inputs("audit-bucket-access-logging").targetBucket, logs);
    const policy = JSON.parse(inputs("access-logs-policy").policy as string);
    const write = policy.Statement.find((s: { Sid: string }) => s.Sid === "S3LogsAccessToAuditBuckets");
    assert.deepEqual(write.Condition.ArnLike["aws:SourceArn"], [
      `arn:aws:s3:::moat-account-audit-${ACCOUNT}-us-east-1`,
    ]);
  });

  it("DAT-3: the key policy is the account key policy of this account and region", () => {
    const scope = accountScope(ACCOUNT, "us-east-1");
    assert.deepEqual(JSON.parse(inputs("key").policy as string), accountKeyPolicy(scope));
    assert.equal(inputs("key").enableKeyRotation, true);
  });

  it("AUD-2: forwards IAM events to the tenants' regions through a role only its rule may assume", () => {
    const scope = accountScope(ACCOUNT, "us-east-1");
    assert.deepEqual(JSON.parse(inputs("forwarder").assumeRolePolicy as string), forwarderTrustPolicy(scope));
    assert.deepEqual(
      JSON.parse(inputs("forwarder-policy").policy as string),
      forwarderPermissions(scope, ["eu-west-1"]),
    );
    assert.equal(inputs("forward-to-eu-west-1").arn, defaultBusArn(scope, "eu-west-1"));
    assert.deepEqual(JSON.parse(inputs("forward-global-events").eventPattern as string), {
      source: ["aws.iam"],
      "detail-type": ["AWS API Call via CloudTrail"],
    });
  });

  it("alerts the operator on every account-wide event (trail and GuardDuty tampering...) and findings of medium severity up", () => {
    assert.ok(ACCOUNT_EVENT_RULES.some((r) => r.key === "trail-changes"));
    assert.ok(ACCOUNT_EVENT_RULES.some((r) => r.key === "guardduty-changes"));
    for (const rule of ACCOUNT_EVENT_RULES) {
      assert.deepEqual(JSON.parse(inputs(rule.key).eventPattern as string), accountEventPattern(rule));
      assert.equal(inputs(`${rule.key}-target`).targetId, "operator-alerts-topic");
    }
    assert.deepEqual(
      JSON.parse(inputs("guardduty-findings").eventPattern as string),
      operatorFindingsPattern(),
    );
    assert.deepEqual(inputs("alerts-email-secops@acme.example").endpoint, "secops@acme.example");
  });

  it("exports what tenants check through their stack reference", async () => {
    assert.deepEqual(await valueOf(component.outputs), baselineOutputs(ACCOUNT, "us-east-1", ["eu-west-1"]));
  });
});

describe("AccountBaseline in another region (AUD-4)", () => {
  it("holds the region's detector and operator alerts, and no trail, bucket or global resource", async () => {
    new AccountBaseline("regional", { ...ARGS, region: "eu-west-1" });
    await mocks.settle();
    const children = kinds("regional");
    assert.ok(children.includes("aws:guardduty/detector:Detector regional-guardduty"));
    for (const type of [
      "aws:cloudtrail/trail:Trail",
      "aws:s3/bucket:Bucket",
      "aws:iam/serviceLinkedRole:ServiceLinkedRole",
      "aws:iam/role:Role",
    ]) {
      assert.ok(!children.some((c) => c.startsWith(`${type} `)), `a regional baseline creates no ${type}`);
    }
    assert.deepEqual(mocks.all().find((r) => r.name === "regional")?.inputs, {
      region: "eu-west-1",
      home: false,
    });
  });
});

describe("validateAccountBaselineArgs", () => {
  it("accepts the home and a regional baseline", () => {
    assert.deepEqual(
      validateAccountBaselineArgs({ ...ARGS, region: "us-east-1", forwardGlobalEventsTo: ["eu-west-1"] }),
      [],
    );
    assert.deepEqual(validateAccountBaselineArgs({ ...ARGS, region: "eu-west-1" }), []);
  });

  it("lists every problem at once: retention, operators, forwarding outside us-east-1, an administrator that is no role", () => {
    const problems = validateAccountBaselineArgs({
      accountId: ACCOUNT,
      region: "eu-west-1",
      retentionDays: 90,
      operatorEmails: [],
      forwardGlobalEventsTo: ["us-west-2"],
      auditAdministratorRoleArns: ["arn:aws:iam::123456789012:user/alice"],
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["retentionDays", "operatorEmails", "forwardGlobalEventsTo", "auditAdministratorRoleArns[0]"],
    );
  });

  it("refuses forwarding to us-east-1 itself and a region listed twice", () => {
    assert.deepEqual(forwardingProblems("us-east-1", ["us-east-1", "eu-west-1", "eu-west-1"]), [
      "us-east-1 receives global-service events itself; leave it out",
      "eu-west-1 is listed twice",
    ]);
  });
});
