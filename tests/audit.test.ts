/**
 * The audit layer as a reviewer checks it on a real plan of the fixture-bastion tenant: it passes
 * with its alerts, node logs and a reference to its account baseline, and no trail or detector of
 * its own (those are the baseline's, AUD-1, AUD-4); a trail or a detector added to it, or its
 * baseline reference removed, fails the pack naming AUD-1; node logs kept 30 days fail AUD-3; and a
 * 30-day retention in the stack file is refused before anything is planned.
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
const TRAIL = "aws:cloudtrail/trail:Trail";
const DETECTOR = "aws:guardduty/detector:Detector";
const REFERENCE = "moat:account:BaselineReference";

describe("a tenant's audit layer in the pack's eyes (AUD-1..AUD-4)", () => {
  let session: PolicySession;
  let fixture: StackFile;
  let resources: readonly RecordedResource[];
  before(async () => {
    ({ stack: fixture, resources } = rawFixturePlans(true).find((p) => p.stack.stack === "fixture-bastion")!);
    session = await PolicySession.start(`${ROOT}/policies`);
  });
  after(() => session?.close());

  /** A registration of the fixture's, re-typed as `type`: an account singleton the tenant should not own. */
  const singleton = (type: string, name: string): RecordedResource => {
    const topic = resources.find((r) => r.type === "aws:sns/topic:Topic")!;
    const urn = `urn:pulumi:${fixture.stack}::${project.name}::${type}::${name}`;
    return { ...topic, type, name, urn, parent: undefined, inputs: {} };
  };

  it("passes fixture-bastion as planned: alerts, node logs, its baseline named, no trail or detector of its own", async () => {
    const types = new Set(resources.map((r) => r.type));
    for (const type of [
      REFERENCE,
      "aws:sns/topic:Topic",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/eventRule:EventRule",
      "aws:cloudwatch/logGroup:LogGroup",
    ]) {
      assert.ok(types.has(type), type);
    }
    assert.ok(!types.has(TRAIL) && !types.has(DETECTOR), "a tenant creates no account singleton");
    assert.deepEqual(mandatory(await session.analyze(project.name, fixture, resources)), []);
  });

  it("fails a tenant that creates a trail or a detector, naming AUD-1 and AUD-4", async () => {
    const found = mandatory(
      await session.analyze(project.name, fixture, [
        ...resources,
        singleton(TRAIL, "own-trail"),
        singleton(DETECTOR, "own-detector"),
      ]),
    );
    const singletons = found.filter((v) => v.policy === "aud-account-singletons-in-baseline");
    assert.equal(singletons.length, 2, JSON.stringify(found));
    assert.ok(singletons.every((v) => v.requirements.includes("AUD-1") && v.requirements.includes("AUD-4")));
  });

  it("fails a tenant that names no account baseline, naming AUD-1", async () => {
    const found = mandatory(
      await session.analyze(
        project.name,
        fixture,
        resources.filter((r) => r.type !== REFERENCE),
      ),
    );
    assert.ok(
      found.some((v) => v.policy === "aud-baseline-referenced" && v.requirements.includes("AUD-1")),
      JSON.stringify(found),
    );
  });

  it("fails node logs kept 30 days (AUD-3)", async () => {
    const shortened = resources.map((r) =>
      r.type === "aws:cloudwatch/logGroup:LogGroup" && /\/nodes\//.test(String(r.inputs.name))
        ? { ...r, inputs: { ...r.inputs, retentionInDays: 30 } }
        : r,
    );
    const found = mandatory(await session.analyze(project.name, fixture, shortened));
    assert.ok(
      found.some((v) => v.policy === "net-log-group-encrypted-retained" && v.requirements.includes("AUD-3")),
      JSON.stringify(found),
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
