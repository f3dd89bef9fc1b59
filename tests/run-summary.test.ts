/**
 * The test runner's summary (tests/run.ts): CI reads its last line, and a reader its failures.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Tally, countsLine, firstLines, formatFailure, type TestEvent } from "./run-summary";

const FILE = "/repo/tests/x.test.ts";
const start = (name: string, nesting: number): TestEvent => ({
  type: "test:start",
  data: { name, nesting, file: FILE },
});
const end = (type: string, name: string, nesting: number, extra: object = {}): TestEvent => ({
  type,
  data: { name, nesting, file: FILE, details: { duration_ms: 5 }, ...extra },
});

describe("the runner's summary", () => {
  it("ends with `N passed, N failed`, and `, N skipped` only when something was skipped", () => {
    assert.equal(countsLine(12, 0, 0), "12 passed, 0 failed");
    assert.equal(countsLine(3, 2, 1), "3 passed, 2 failed, 1 skipped");
  });

  it("counts tests, not suites, and names each failure by file, suites and test, with its first line", () => {
    const tally = new Tally("/repo");
    const cause = new Error("stacks/Pulumi.x.yaml does not plan: cidr is bad\n\nmoat said: ...");
    const events = [
      start("stacks", 0),
      start("Pulumi.x.yaml", 1),
      start("plans", 2),
      end("test:fail", "plans", 2, {
        details: {
          duration_ms: 1,
          error: Object.assign(new Error("wrapped"), { code: "ERR_TEST_FAILURE", cause }),
        },
      }),
      start("is skipped", 2),
      end("test:pass", "is skipped", 2, { skip: "not here" }),
      end("test:fail", "Pulumi.x.yaml", 1, { details: { type: "suite" } }),
      start("passes", 1),
      end("test:pass", "passes", 1),
      end("test:fail", "stacks", 0, { details: { type: "suite", duration_ms: 40 } }),
    ];
    const reported = events.map((e) => tally.add(e)).filter((f) => f !== undefined);
    assert.deepEqual([tally.passed, tally.failed, tally.skipped], [1, 1, 1]);
    assert.deepEqual(reported, [
      {
        where: "tests/x.test.ts",
        name: ["stacks", "Pulumi.x.yaml", "plans"],
        why: ["stacks/Pulumi.x.yaml does not plan: cidr is bad"],
      },
    ]);
    assert.equal(
      formatFailure(reported[0]),
      "  tests/x.test.ts\n    stacks › Pulumi.x.yaml › plans\n      stacks/Pulumi.x.yaml does not plan: cidr is bad",
    );
    assert.deepEqual([...tally.durations], [[FILE, 40]]);
  });

  it("reports a file that failed outside its tests by the error it printed", () => {
    const tally = new Tally("/repo");
    tally.add({ type: "test:stderr", data: { file: FILE, message: "/repo/tests/x.test.ts:2\n" } });
    tally.add({ type: "test:stderr", data: { file: FILE, message: "Error: Cannot find module './gone'\n" } });
    const failure = tally.add(end("test:fail", FILE, 0));
    assert.deepEqual(failure, {
      where: "tests/x.test.ts",
      name: [],
      why: ["Error: Cannot find module './gone'"],
    });
    assert.equal(tally.failed, 1);
  });

  it("counts a static check and keeps why it failed", () => {
    const tally = new Tally("/repo");
    tally.check("npm run lint", true);
    tally.check("npm run format:check", false, ["not formatted: a.ts; run `npm run format` to fix"]);
    assert.deepEqual([tally.passed, tally.failed], [1, 1]);
    assert.equal(
      formatFailure(tally.failures[0]),
      "  npm run format:check\n      not formatted: a.ts; run `npm run format` to fix",
    );
  });

  it("shows a header line with the lines it introduces, else the first line alone", () => {
    assert.deepEqual(
      firstLines(
        "\nExpected values to be strictly deep-equal:\n+ actual - expected\n\n  [\n+   1\n-   2\n  ]\n",
        4,
      ),
      ["Expected values to be strictly deep-equal:", "+ actual - expected", "  [", "+   1"],
    );
    assert.deepEqual(firstLines("one\ntwo"), ["one"]);
    assert.deepEqual(firstLines(""), ["(no message)"]);
  });
});
