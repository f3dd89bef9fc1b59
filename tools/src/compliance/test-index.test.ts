// The recorder against a scratch project with one policy and one test file, so each way a test can
// meet a policy (pass, violation, not applicable, unknown read, failed test) is pinned exactly. The
// pack lists a wrapped copy of the policy while the test imports the original, as in the real pack.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { RecorderOutput, policyTestFiles, recordPolicyTests } from "./test-index";

const PACK = `
type Args = { props: Record<string, unknown>; notApplicable: (reason?: string) => never };
type Report = (message: string) => void;
export const netThingChecked = {
  name: "net-thing-checked",
  description: "Checks that things are checked (NET-1).",
  validateResource: (args: Args, report: Report) => {
    if (args.props.other) args.notApplicable("only things");
    if (args.props.unknown) throw new Error("can't read an unknown value");
    if (args.props.bad) report("Fix the thing (NET-1).");
  },
};
// Like the pack's exemptions: the list holds a copy whose validation closes over the original's.
const validate = netThingChecked.validateResource;
export const moatPolicies = [{ ...netThingChecked, validateResource: (a: Args, r: Report) => validate(a, r) }];
`;

const TESTS = `
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { netThingChecked } from "./pack";

async function check(props: Record<string, unknown>): Promise<string[]> {
  const violations: string[] = [];
  const notApplicable = (reason?: string): never => { throw new Error(reason); };
  try {
    await netThingChecked.validateResource({ props, notApplicable }, (m) => violations.push(m));
  } catch {
    // ends the run, as the policy SDK's server does
  }
  return violations;
}

describe("net-thing-checked (NET-1)", () => {
  it("passes a good thing", async () => assert.deepEqual(await check({}), []));
  it(\`fails a \${"bad"} thing\`, async () => assert.equal((await check({ bad: true })).length, 1));
  describe("edges", () => {
    it("does not apply to others", async () => assert.deepEqual(await check({ other: true }), []));
    it("stops at an unknown (POL-2)", async () => assert.deepEqual(await check({ unknown: true }), []));
  });
  it("is a broken test", async () => {
    await check({});
    assert.fail("broken on purpose");
  });
  it("uses a done callback", (_t, done) => {
    check({ bad: true }).then(() => done(), done);
  });
});
`;

describe("recordPolicyTests (POL-1)", () => {
  let root: string;
  let output: RecorderOutput;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "moat-recorder-"));
    fs.mkdirSync(path.join(root, "policies", "src"), { recursive: true });
    fs.writeFileSync(path.join(root, "policies", "src", "pack.ts"), PACK);
    fs.writeFileSync(path.join(root, "policies", "src", "thing.test.ts"), TESTS);
    output = await recordPolicyTests(root);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("finds the test files of policies/src", () => {
    assert.deepEqual(policyTestFiles(root), ["policies/src/thing.test.ts"]);
  });

  it("records every test with its suite path, outcome and policy runs", () => {
    const run = (violations: number, outcome: string) => [
      { policy: "net-thing-checked", violations, outcome },
    ];
    const file = "policies/src/thing.test.ts";
    assert.deepEqual(output.tests, [
      { file, title: "net-thing-checked (NET-1) > passes a good thing", runs: run(0, "completed"), ok: true },
      { file, title: "net-thing-checked (NET-1) > fails a bad thing", runs: run(1, "completed"), ok: true },
      {
        file,
        title: "net-thing-checked (NET-1) > edges > does not apply to others",
        runs: run(0, "notApplicable"),
        ok: true,
      },
      {
        file,
        title: "net-thing-checked (NET-1) > edges > stops at an unknown (POL-2)",
        runs: run(0, "aborted"),
        ok: true,
      },
      { file, title: "net-thing-checked (NET-1) > is a broken test", runs: run(0, "completed"), ok: false },
      {
        file,
        title: "net-thing-checked (NET-1) > uses a done callback",
        runs: run(1, "completed"),
        ok: true,
      },
    ]);
  });

  it("names the identifiers each policy is exported under", () => {
    assert.deepEqual(output.exports, { "net-thing-checked": ["netThingChecked"] });
  });

  it("fails loudly when a test file cannot be loaded", async () => {
    fs.writeFileSync(path.join(root, "policies", "src", "broken.test.ts"), 'import "./missing";\n');
    await assert.rejects(recordPolicyTests(root), /running the policy tests under the recorder failed/);
  });
});
