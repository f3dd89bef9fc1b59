import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { placeStack } from "./placement";
import { checkGuardDuty, checkTrails, trailCounts } from "./singletons";
import { baselineStack, registration, tenantStack, testStack, type TestStack } from "./testing";
import type { FleetFile } from "./types";

/** A stack with only a GuardDuty detector, or nothing when `detector` is false. */
const guarded = (spec: TestStack, detector = true) =>
  placeStack(
    testStack(spec, (s) =>
      detector
        ? [registration(s, "aws:guardduty/detector:Detector", `${s}-guardduty`, { enable: true })]
        : [],
    ),
  );

const fleetFile = (organizationGuardDuty: boolean): FleetFile => ({
  file: "stacks/fleet.yaml",
  accounts: { "111111111111": { organizationGuardDuty, quotas: {} } },
  retiredTenants: [],
});

describe("GuardDuty: one detector per account and region", () => {
  it("fails two detectors in one account and region, naming both stacks and the fix", () => {
    const findings = checkGuardDuty([guarded({ stack: "a" }), guarded({ stack: "b" })], undefined);
    assert.deepEqual(findings, [
      {
        level: "error",
        check: "guardduty",
        stacks: ["a", "b"],
        message:
          "2 GuardDuty detectors in account 111111111111, region us-east-1, declared by a (stacks/Pulumi.a.yaml) and " +
          "b (stacks/Pulumi.b.yaml); GuardDuty allows one per account and region (hard limit)",
        fix: "keep the detector in the account baseline of 111111111111 in us-east-1 (accounts/stacks/) and remove it from the other stacks",
      },
    ]);
  });

  it("fails an account and region where no stack creates one and the fleet file does not say the organisation does", () => {
    // With baselines planned (here one of another region), a region without a detector is an error.
    const elsewhere = placeStack(
      baselineStack({ stack: "home", region: "eu-west-1" }, [], (s) => [
        registration(s, "aws:guardduty/detector:Detector", `${s}-guardduty`, { enable: true }),
      ]),
    );
    const stacks = [guarded({ stack: "a" }, false), guarded({ stack: "b" }, false), elsewhere];
    const [finding] = checkGuardDuty(stacks, undefined);
    assert.equal(finding.check, "guardduty");
    assert.match(
      finding.message,
      /^no stack declares a GuardDuty detector in account 111111111111, region us-east-1, where a and b deploy/,
    );
    assert.match(finding.fix, /^add the account baseline of 111111111111 in us-east-1/);
    assert.match(
      finding.fix,
      /set organizationGuardDuty: true under accounts\."111111111111" in the fleet file/,
    );
    assert.deepEqual(checkGuardDuty(stacks, fleetFile(false)).length, 1);
  });

  it("cannot tell a missing detector when no baseline was planned (moat plan --all --project .)", () => {
    assert.deepEqual(checkGuardDuty([guarded({ stack: "a" }, false)], undefined), []);
  });

  it("passes one detector per account and region, and none where the organisation runs it", () => {
    assert.deepEqual(
      checkGuardDuty(
        [
          guarded({ stack: "a" }),
          guarded({ stack: "b" }, false),
          guarded({ stack: "c", region: "eu-west-1" }),
        ],
        undefined,
      ),
      [],
    );
    assert.deepEqual(checkGuardDuty([guarded({ stack: "a" }, false)], fleetFile(true)), []);
  });
});

describe("CloudTrail: five trails per region, multi-region trails in every region", () => {
  const tenants = (n: number, region = (_: number) => "us-east-1") =>
    Array.from({ length: n }, (_, i) => placeStack(tenantStack({ stack: `t${i}-prod`, region: region(i) })));

  it("fails a sixth multi-region trail in an account, even spread over regions, naming every trail", () => {
    const stacks = tenants(6, (i) => (i < 3 ? "us-east-1" : "eu-west-1"));
    const [finding, ...rest] = checkTrails(stacks);
    assert.deepEqual(rest, []);
    assert.equal(finding.level, "error");
    assert.deepEqual(finding.stacks, ["t0-prod", "t1-prod", "t2-prod", "t3-prod", "t4-prod", "t5-prod"]);
    assert.match(
      finding.message,
      /^account 111111111111 would hold more than 5 CloudTrail trails in eu-west-1 \(6\) and us-east-1 \(6\): moat-t0 \(t0-prod, multi-region\), /,
    );
    assert.match(finding.message, /a multi-region trail counts in every region \(hard limit\)$/);
    assert.match(finding.fix, /^keep one multi-region trail per account, in its home baseline/);
  });

  it("passes five trails in an account, and six spread over two accounts", () => {
    assert.deepEqual(checkTrails(tenants(5)), []);
    const spread = [
      ...tenants(3),
      ...[3, 4, 5].map((i) => placeStack(tenantStack({ stack: `t${i}-prod`, account: "222222222222" }))),
    ];
    assert.deepEqual(checkTrails(spread), []);
  });

  it("counts a single-region trail only in its own region", () => {
    const single = (stack: string, region: string) =>
      placeStack(
        testStack({ stack, region }, (s) => [
          registration(s, "aws:cloudtrail/trail:Trail", `${s}-trail`, { name: s, isMultiRegionTrail: false }),
        ]),
      );
    const stacks = [single("a", "us-east-1"), single("b", "eu-west-1"), ...tenants(1)];
    const counts = [...trailCounts(stacks).values()].map((c) => `${c.region}: ${c.trails.length}`);
    assert.deepEqual(counts.sort(), ["eu-west-1: 2", "us-east-1: 2"]);
  });
});
