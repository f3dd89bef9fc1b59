/**
 * Whole-stack tests: every stack in stacks/ (the operator's, however many) and every fixture in
 * tests/fixtures/stacks is planned once by the real program under the mock runtime and checked by
 * the real policy pack over the analyzer protocol, with computed values known and unknown
 * (tests/plans.ts). The assertions hold for any valid stack; expectations come from its own file.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planSet } from "./plans";
import {
  assertEntryPointsInDiagram,
  assertEntryPointsInPlan,
  assertPlanShape,
  assertPlansClean,
  assertQuarantineHolds,
  assertSameWithUnknowns,
  assertSecretsRedacted,
  type PlanFile,
} from "./stack-checks";

for (const which of ["stacks", "fixtures"] as const) {
  const set = planSet(which);
  describe(`every stack in ${set.folder}/`, () => {
    for (const stack of set.stacks) {
      describe(set.file(stack), () => {
        const missing = set.notPlanned(stack);
        if (missing !== undefined) {
          it("plans, with computed values known and unknown", () => assert.fail(missing));
          return;
        }
        const file = set.file(stack);
        const config = () => set.stackFile(stack).config;
        const known = () => set.plan<PlanFile>(stack, false)!;
        const unknown = () => set.plan<PlanFile>(stack, true)!;

        it("plans clean: no mandatory violation, the tenant network and a default-deny default group (NET-1)", () =>
          assertPlansClean(file, known()));

        it("gives the same mandatory verdicts and resources with computed values unknown (POL-2)", () =>
          assertSameWithUnknowns(known(), unknown()));

        it("writes the documented JSON plan shape", () => {
          assertPlanShape(known());
          assertPlanShape(unknown());
        });

        it("lets in from outside only SSH from its allowlist, into the access mode's entry point (NET-6, NET-7)", () => {
          assertEntryPointsInPlan(known(), config());
          assertEntryPointsInPlan(unknown(), config());
          assertEntryPointsInDiagram(set.diagram(stack, false), config());
          assertEntryPointsInDiagram(set.diagram(stack, true), config());
        });

        it("isolates every group it quarantines, known and unknown (NET-11)", () => {
          assertQuarantineHolds(set.section(stack, false), config());
          assertQuarantineHolds(set.section(stack, true), config());
        });

        it("keeps every generated secret out of the plan and the report (CMP-6, CMP-8)", () => {
          for (const unknowns of [false, true]) {
            assertSecretsRedacted(
              set.planText(stack, unknowns),
              set.section(stack, unknowns),
              set.plan<PlanFile>(stack, unknowns)!,
            );
          }
        });
      });
    }

    it("passes moat plan --all as a whole, known and unknown: the fleet checks find no error", () => {
      for (const unknowns of [false, true]) {
        const run = set.run(unknowns);
        const failing = set.stacks.filter(
          (s) => set.notPlanned(s) !== undefined || set.section(s, unknowns).startsWith("FAIL "),
        );
        if (failing.length > 0) {
          // Their own tests above say why; the run as a whole must not pass them.
          assert.notEqual(
            run.status,
            0,
            `moat plan --all passed ${failing.join(", ")}, which do not plan clean`,
          );
          continue;
        }
        const fleet = set.fleet(unknowns);
        const first = fleet.split("\n").find((l) => /^ {2}ERROR /.test(l)) ?? fleet.split("\n")[0];
        assert.equal(
          run.status,
          0,
          `${set.folder}/: ${["moat plan --all", ...run.args].join(" ")} exited ${run.status} though every stack ` +
            `planned clean: ${first?.trim() || run.stderr.split("\n")[0]}\n\n${fleet}\n${run.stderr}`,
        );
      }
    });
  });
}

describe("the fixtures", () => {
  it("exercise every access mode and both shared filesystems, whatever stacks/ holds", () => {
    const fixtures = planSet("fixtures");
    const used = (key: string, field: string, fallback: string) =>
      new Set(
        fixtures.stacks.map((s) => JSON.parse(fixtures.stackFile(s).config[key] ?? "{}")[field] ?? fallback),
      );
    assert.deepEqual([...used("moat:access", "mode", "bastion")].sort(), ["bastion", "direct", "ssm"]);
    assert.deepEqual([...used("moat:sharedFilesystem", "type", "lustre")].sort(), ["efs", "lustre"]);
    assert.ok(fixtures.stacks.some((s) => fixtures.stackFile(s).config["moat:quarantine"] !== undefined));
  });
});
