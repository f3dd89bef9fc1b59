import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Requirement } from "./requirements";
import type { PolicyRunRecord, RecordedTest, RecorderOutput } from "./test-index";
import {
  Evidence,
  PolicySummary,
  TestEvidence,
  citedIds,
  compareIds,
  coverageProblems,
  testsByPolicy,
  testsNaming,
  traceRequirements,
} from "./trace";

const requirement = (id: string, title = `title of ${id}`): Requirement => ({
  id,
  domain: id.split("-")[0],
  title,
  text: `${title}.`,
  sources: ["[000]"],
});

const run = (policy: string, violations: number, outcome: PolicyRunRecord["outcome"] = "completed") => ({
  policy,
  violations,
  outcome,
});

const test = (
  title: string,
  runs: PolicyRunRecord[],
  ok = true,
  file = "policies/src/a.test.ts",
): RecordedTest => ({
  file,
  title,
  runs,
  ok,
});

const shown = (...evidence: Evidence[]): TestEvidence => ({ file: "f", title: "t", evidence });

const FILES: Record<string, string> = {
  "policies/src/a.test.ts": 'import { netFoo } from "./net"; describe("net-bar-checked", ...)',
  "policies/src/sweep.test.ts": "for (const policy of netPolicies) { ... }",
};
const fileText = (file: string) => FILES[file] ?? "";

describe("citedIds and compareIds", () => {
  it("finds each catalogue-style ID once, ordered by domain then number", () => {
    assert.deepEqual(citedIds("Checks that x (NET-10, NET-2, CMP-1; NET-2) and not NETS-1 or XNET-3"), [
      "CMP-1",
      "NET-2",
      "NET-10",
    ]);
    assert.ok(compareIds("NET-2", "NET-10") < 0);
  });
});

describe("testsByPolicy (POL-1)", () => {
  const recorded: RecorderOutput = {
    exports: { "net-foo-checked": ["netFoo"] },
    tests: [
      test("passes a compliant one", [run("net-foo-checked", 0)]),
      test("fails a bad one", [run("net-foo-checked", 2)]),
      test("does not apply to volumes", [run("net-foo-checked", 0, "notApplicable")]),
      test("reads an unknown", [run("net-foo-checked", 0, "aborted")]),
      test("fails and passes in one test", [run("net-bar-checked", 1), run("net-bar-checked", 0)]),
      test("a failing test proves nothing", [run("net-foo-checked", 1)], false),
      test("sweeps the pack", [run("net-foo-checked", 1)], true, "policies/src/sweep.test.ts"),
    ],
  };
  const tests = testsByPolicy(recorded, fileText);

  it("classifies runs as passes, fails or not applicable, and ignores aborted runs", () => {
    assert.deepEqual(tests.get("net-foo-checked"), [
      { file: "policies/src/a.test.ts", title: "passes a compliant one", evidence: ["passes"] },
      { file: "policies/src/a.test.ts", title: "fails a bad one", evidence: ["fails"] },
      { file: "policies/src/a.test.ts", title: "does not apply to volumes", evidence: ["not applicable"] },
    ]);
  });

  it("keeps both kinds when one test sees the policy pass and fail", () => {
    assert.deepEqual(tests.get("net-bar-checked"), [
      {
        file: "policies/src/a.test.ts",
        title: "fails and passes in one test",
        evidence: ["passes", "fails"],
      },
    ]);
  });

  it("counts a run only in a file naming the policy, by name or exported identifier, and only in a passed test", () => {
    const titles = [...tests.values()].flat().map((t) => t.title);
    assert.ok(!titles.includes("sweeps the pack"));
    assert.ok(!titles.includes("a failing test proves nothing"));
    const byNameOnly = testsByPolicy({ ...recorded, exports: {} }, fileText);
    assert.equal(byNameOnly.get("net-foo-checked"), undefined);
  });

  it("does not take a longer policy name for a shorter one", () => {
    const text = () => "net-foo-checked-twice";
    assert.equal(testsByPolicy({ exports: {}, tests: recorded.tests }, text).size, 0);
  });

  it("finds tests naming a pack-level ID in their title (POL-2)", () => {
    const named = testsNaming(
      {
        exports: {},
        tests: [
          test("fails an unknown (POL-2)", []),
          test("fails an unknown (POL-21)", []),
          test("broken (POL-2)", [], false),
        ],
      },
      "POL-2",
    );
    assert.deepEqual(named, [
      { file: "policies/src/a.test.ts", title: "fails an unknown (POL-2)", evidence: [] },
    ]);
  });
});

describe("traceRequirements and coverageProblems (POL-1)", () => {
  const requirements = [
    requirement("NET-1"),
    requirement("NET-2"),
    requirement("POL-1"),
    requirement("POL-2"),
  ];
  const policies: PolicySummary[] = [
    { name: "net-b-checked", description: "Checks that b (NET-1)." },
    { name: "net-a-checked", description: "Checks that a (NET-1, NET-9)." },
    { name: "net-world-ssh-reported", description: "Checks that c (NET-1).", enforcementLevel: "advisory" },
    { name: "net-d-checked", description: "Checks that d (NET-1).", enforcementLevel: "advisory" },
  ];
  const recorded: RecorderOutput = { exports: {}, tests: [test("x > unknowns fail (POL-2)", [])] };
  const traces = traceRequirements(requirements, policies, recorded);

  it("maps each ID to the policies citing it, sorted, and pack-level IDs to named tests", () => {
    assert.deepEqual(
      traces.map((t) => [t.requirement.id, t.policies, t.namedBy.length]),
      [
        ["NET-1", ["net-a-checked", "net-b-checked", "net-d-checked", "net-world-ssh-reported"], 0],
        ["NET-2", [], 0],
        ["POL-1", [], 0],
        ["POL-2", [], 1],
      ],
    );
  });

  it("names every break in the chain, group by group", () => {
    const tests = new Map([
      ["net-a-checked", [shown("passes", "fails")]],
      ["net-b-checked", [shown("fails")]],
      ["net-world-ssh-reported", [shown("not applicable", "fails")]],
    ]);
    assert.deepEqual(coverageProblems(traces, policies, tests), {
      uncovered: [
        "NET-2 (title of NET-2): no policy cites it in its description",
        "POL-1 (title of POL-1): no policy test names it in its title",
      ],
      noFailingTest: ["net-d-checked: no passing test in which it reports a violation"],
      noPassingTest: [
        "net-b-checked: no passing test in which it reports nothing",
        "net-d-checked: no passing test in which it reports nothing",
      ],
      notMandatory: ["net-d-checked: is advisory, not mandatory"],
      unknownIds: ["net-a-checked: cites NET-9, which REQUIREMENTS.md does not define"],
    });
  });

  it("reports nothing when the chain is whole, with the pack default making a policy mandatory", () => {
    const whole = traceRequirements([requirement("NET-1")], [policies[0]], recorded);
    const tests = new Map([["net-b-checked", [shown("passes", "fails")]]]);
    assert.deepEqual(coverageProblems(whole, [policies[0]], tests), {
      uncovered: [],
      noFailingTest: [],
      noPassingTest: [],
      notMandatory: [],
      unknownIds: [],
    });
  });
});
