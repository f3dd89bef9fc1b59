/**
 * Coverage of the requirement catalogue by the policy pack (POL-1): every ID of
 * ../shared/REQUIREMENTS.md has a policy, every policy a passing and a failing test, every policy
 * is mandatory (bar the documented advisory twin) and cites only IDs that exist.
 *
 * How tests are told apart: the policy tests run once under tools/src/compliance/recorder.ts,
 * which wraps every policy's validate functions and node:test's `it`. A test that passed and, while
 * running, saw the policy report a violation is a failing test; one that saw the policy finish
 * without reporting (or declare the resource out of its scope) is a passing test. A run cut short by
 * an unknown value proves neither. Only a test file that names the policy (its name or exported
 * constant) counts, so whole-pack sweeps do not stand in for a policy's own tests. No test has to
 * follow a naming convention. POL-1 and POL-2 are about the pack as a whole: a test covers them by
 * naming the ID in its title, e.g. "fails a window that is unknown at preview (POL-2)".
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { moatPolicies } from "../policies/src/pack";
import { readCatalogue } from "../tools/src/compliance/requirements";
import {
  CoverageProblems,
  coverageProblems,
  testsByPolicy,
  traceRequirements,
} from "../tools/src/compliance/trace";
import { ROOT } from "./moat-cli";
import { recordedPolicyTests } from "./plans";

describe("requirement coverage by the policy pack (POL-1)", () => {
  let problems: CoverageProblems;

  before(() => {
    const { requirements } = readCatalogue(ROOT);
    const recorded = recordedPolicyTests();
    const tests = testsByPolicy(recorded, (file) => fs.readFileSync(path.join(ROOT, file), "utf8"));
    const traces = traceRequirements(requirements, moatPolicies, recorded);
    problems = coverageProblems(traces, moatPolicies, tests);
  });

  const none = (group: keyof CoverageProblems, what: string) => () =>
    assert.deepEqual(problems[group], [], `${what}:\n  ${problems[group].join("\n  ")}`);

  it(
    "gives every requirement ID a policy that cites it, and POL-1/POL-2 a test that names them",
    none("uncovered", "requirements without a policy"),
  );

  it(
    "gives every policy a test in which it reports a violation (a failing test)",
    none("noFailingTest", "policies without a failing test"),
  );

  it(
    "gives every policy a test in which it reports nothing (a passing test)",
    none("noPassingTest", "policies without a passing test"),
  );

  it(
    "makes every policy mandatory by default, except the report-only net-world-ssh-reported",
    none("notMandatory", "policies that are not mandatory"),
  );

  it("cites only requirement IDs that REQUIREMENTS.md defines", none("unknownIds", "unknown IDs cited"));
});
