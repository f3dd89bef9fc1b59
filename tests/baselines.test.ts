/**
 * Whole-stack tests of the account baselines: every stack in accounts/stacks/ (however many an
 * operator keeps) is planned once with the tenants (tests/plans.ts, `moat plan --all`) and checked
 * by the real pack. The assertions hold for any valid baseline; what it must hold follows from its
 * own region: every baseline its region's GuardDuty detector, the one in us-east-1 the account's
 * trail with its locked bucket (AUD-1, AUD-4).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { listStacks, readProject, readStackFile } from "../tools/src/plan/project";
import { ROOT } from "./moat-cli";
import { planSet } from "./plans";
import { assertSameWithUnknowns, type PlanFile } from "./stack-checks";

const set = planSet("stacks");
const accounts = readProject(path.join(ROOT, "accounts"));

describe("every account baseline in accounts/stacks/", () => {
  for (const stack of listStacks(accounts)) {
    const label = `accounts/${stack}`;
    describe(`accounts/stacks/Pulumi.${stack}.yaml`, () => {
      const known = () => set.plan<PlanFile>(label, false);
      const unknown = () => set.plan<PlanFile>(label, true);

      it("plans clean, with the same mandatory verdicts when computed values are unknown (POL-2)", () => {
        const plan = known();
        assert.ok(plan && unknown(), `${label} did not plan:\n${set.run(false).stderr}`);
        assert.equal(plan.project, "moat-account");
        const mandatory = plan.policy.violations.filter((v) => v.level === "mandatory" && !v.exemption);
        assert.deepEqual(
          mandatory.map((v) => `${v.policy}: ${v.message}`),
          [],
          `${label} fails the pack`,
        );
        assertSameWithUnknowns(plan, unknown()!);
        assert.match(set.section(label, false), new RegExp(`^PASS ${label}: `));
      });

      it("holds its region's detector, and in us-east-1 the account's trail in a locked, logged bucket (AUD-1, AUD-4)", () => {
        const resources = known()?.resources ?? [];
        const of = (type: string) => resources.filter((r) => r.type === type);
        assert.equal(of("aws:guardduty/detector:Detector").length, 1);
        const home = readStackFile(accounts, stack).config["aws:region"] === "us-east-1";
        assert.equal(of("aws:cloudtrail/trail:Trail").length, home ? 1 : 0);
        assert.equal(
          of("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").length,
          home ? 1 : 0,
        );
        assert.equal(of("aws:s3/bucketLogging:BucketLogging").length, home ? 1 : 0);
        assert.equal(
          of("aws:ec2/instance:Instance").length + of("aws:ec2/launchTemplate:LaunchTemplate").length,
          0,
        );
      });
    });
  }
});
