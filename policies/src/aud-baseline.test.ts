// Where the account singletons live (AUD-1, AUD-4): trails and detectors only in an account
// baseline, and every tenant cluster naming its baseline.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  audAccountSingletonsInBaseline,
  audBaselineReferenced,
  BASELINE_REFERENCE_TYPE,
  BASELINE_TYPE,
} from "./aud-baseline";
import { AudType } from "./aud-read";
import { runStackPolicy, stackResource, unknown } from "./testing";

const baseline = stackResource({
  type: BASELINE_TYPE,
  name: "account",
  props: { region: "us-east-1", home: true },
});
const trail = stackResource({ type: AudType.trail, name: "audit-trail", props: {} });
const detector = stackResource({ type: AudType.detector, name: "guardduty", props: { enable: true } });
const node = stackResource({ type: AudType.launchTemplate, name: "compute", props: {} });
const reference = (stack: unknown) =>
  stackResource({ type: BASELINE_REFERENCE_TYPE, name: "acme-baseline", props: { stack } });

describe("aud-account-singletons-in-baseline (AUD-1, AUD-4)", () => {
  it("passes a baseline with its trail and detector, and a tenant with neither", async () => {
    assert.deepEqual(await runStackPolicy(audAccountSingletonsInBaseline, [baseline, trail, detector]), {
      violations: [],
    });
    assert.deepEqual(await runStackPolicy(audAccountSingletonsInBaseline, [node]), { violations: [] });
  });

  it("fails a trail or a detector in any other stack, naming each", async () => {
    const run = await runStackPolicy(audAccountSingletonsInBaseline, [node, trail, detector]);
    assert.deepEqual(
      run.violations.map((v) => v.urn),
      [trail.urn, detector.urn],
    );
    assert.match(
      run.violations[0].message,
      /^Remove CloudTrail trail "audit-trail" from this stack: the account's trail and each region's GuardDuty detector belong to the account baseline \(accounts\/\).*\(AUD-1, AUD-4\)\.$/,
    );
  });
});

describe("aud-baseline-referenced (AUD-1, AUD-4)", () => {
  const MESSAGE =
    "Reference the account baseline of this stack's account and region (set moat:baseline to <organization>/moat-account/<stack>): without it nothing shows the tenant is recorded by a trail and watched by GuardDuty (AUD-1, AUD-4).";

  it("passes a tenant cluster that names its baseline, and stacks without nodes", async () => {
    const named = reference("acme-corp/moat-account/acme-production-us-east-1");
    assert.deepEqual(await runStackPolicy(audBaselineReferenced, [node, named]), { violations: [] });
    assert.deepEqual(await runStackPolicy(audBaselineReferenced, [baseline]), { violations: [] });
    assert.deepEqual(await runStackPolicy(audBaselineReferenced, []), { violations: [] });
  });

  it("fails a tenant cluster without a reference, with one to another project, or unknown at preview", async () => {
    assert.deepEqual((await runStackPolicy(audBaselineReferenced, [node])).violations, [
      { message: MESSAGE },
    ]);
    for (const stack of ["acme-corp/moat/acme-prod", "acme-production-us-east-1", unknown.string]) {
      const bad = reference(stack);
      assert.deepEqual(
        (await runStackPolicy(audBaselineReferenced, [node, bad])).violations,
        [{ message: MESSAGE, urn: bad.urn }],
        String(stack),
      );
    }
  });
});
