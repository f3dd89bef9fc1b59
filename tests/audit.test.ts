/**
 * Issue 6 as a reviewer checks it on a real plan of the fixture-bastion stack: it passes with its
 * trail, alerts and detector; without a trail, or keeping audit logs 30 days, it fails the pack with
 * AUD-1 in the message; and a 30-day retention in the stack file is refused before anything is
 * planned.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PolicySession, type PolicyVerdict } from "../tools/src/analyzer/session";
import type { StackFile } from "../tools/src/plan/project";
import type { RecordedResource } from "../tools/src/plan/types";
import { ROOT, planStackVariant } from "./moat-cli";
import { rawFixturePlans } from "./plans";

const project = { name: "moat" };
const mandatory = (verdict: PolicyVerdict) => verdict.violations.filter((v) => v.level === "mandatory");

describe("the audit trail, alerts and detector in the pack's eyes (AUD-1..AUD-4)", () => {
  let session: PolicySession;
  let fixture: StackFile;
  let resources: readonly RecordedResource[];
  before(async () => {
    ({ stack: fixture, resources } = rawFixturePlans(true).find((p) => p.stack.stack === "fixture-bastion")!);
    session = await PolicySession.start(`${ROOT}/policies`);
  });
  after(() => session?.close());

  it("passes fixture-bastion as planned, with a trail, a bucket, node log groups, alarms, rules and a detector", async () => {
    const types = new Set(resources.map((r) => r.type));
    for (const type of [
      "aws:cloudtrail/trail:Trail",
      "aws:s3/bucket:Bucket",
      "aws:sns/topic:Topic",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/eventRule:EventRule",
      "aws:guardduty/detector:Detector",
    ]) {
      assert.ok(types.has(type), type);
    }
    assert.deepEqual(mandatory(await session.analyze(project.name, fixture, resources)), []);
  });

  it("fails a stack without a trail, naming AUD-1", async () => {
    const found = mandatory(
      await session.analyze(
        project.name,
        fixture,
        resources.filter((r) => r.type !== "aws:cloudtrail/trail:Trail"),
      ),
    );
    assert.ok(
      found.some((v) => v.policy === "aud-trail-present" && /AUD-1/.test(v.message)),
      JSON.stringify(found),
    );
  });

  it("fails audit logs kept 30 days, in the bucket (AUD-1) and in the log group (AUD-3)", async () => {
    const shortened = resources.map((r) => {
      if (r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration") {
        const rules = (r.inputs.rules as Record<string, unknown>[]).map((rule) => ({
          ...rule,
          expiration: { days: 30 },
        }));
        return { ...r, inputs: { ...r.inputs, rules } };
      }
      if (r.type === "aws:cloudwatch/logGroup:LogGroup" && /cloudtrail/.test(String(r.inputs.name))) {
        return { ...r, inputs: { ...r.inputs, retentionInDays: 30 } };
      }
      return r;
    });
    const found = mandatory(await session.analyze(project.name, fixture, shortened));
    assert.ok(
      found.some((v) => v.policy === "aud-trail-bucket-retained" && /AUD-1/.test(v.message)),
      JSON.stringify(found),
    );
    assert.ok(
      found.some((v) => v.policy === "net-log-group-encrypted-retained" && v.requirements.includes("AUD-3")),
    );
  });
});

describe("a 30-day retention in the stack file (AUD-1)", () => {
  it("is refused before anything is planned, naming the key and AUD-1", () => {
    const { run } = planStackVariant("fixture-bastion", (config) => {
      config["moat:audit"] = { ...(config["moat:audit"] as object), retentionDays: 30 };
    });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /moat:audit\.retentionDays 30 must be at least 180 days \(six months, AUD-1\)/);
  });
});
