/**
 * The committed compliance report (docs/compliance.md, issue 5, POL-1) is regenerated in memory from
 * the catalogue, the real pack over the analyzer protocol and its tests, and must match the
 * committed one except for each stack's status: that part follows the operator's stacks, which
 * tests/stacks.test.ts checks one by one, so adding or editing a tenant never makes the report
 * stale. The renderer's own unit tests live beside it in tools/src/compliance/report.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ComplianceResult,
  DEFAULT_REPORT,
  buildCompliance,
  parseComplianceArgs,
} from "../tools/src/compliance/compliance";
import { isBlocking, withoutStackStatus } from "../tools/src/compliance/report";
import { readCatalogue } from "../tools/src/compliance/requirements";
import { fixtureProject, ROOT } from "./moat-cli";
import { recordedPolicyTests } from "./plans";

/** The first line where two texts differ, to point at the change instead of printing both. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split("\n");
  const e = expected.split("\n");
  const line = a.findIndex((text, i) => text !== e[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}:\n  committed:   ${a[at] ?? "(end of file)"}\n  regenerated: ${e[at] ?? "(end of file)"}`;
}

describe("docs/compliance.md (POL-1)", () => {
  let result: ComplianceResult;

  before(async () => {
    result = await buildCompliance(ROOT, { ...parseComplianceArgs([]), stacks: [] }, recordedPolicyTests());
  });

  it("is up to date with the catalogue, the pack and its tests, whatever stacks/ holds", () => {
    const file = path.join(ROOT, DEFAULT_REPORT);
    const committed = withoutStackStatus(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
    const regenerated = withoutStackStatus(result.markdown);
    if (committed !== regenerated) {
      assert.fail(
        `${DEFAULT_REPORT} is stale: run \`npm run moat -- compliance\` to refresh it.\nFirst difference (stack status aside) at ${firstDifference(committed, regenerated)}`,
      );
    }
  });

  it("covers every requirement ID", () => {
    const ids = readCatalogue(ROOT).requirements.map((r) => r.id);
    assert.ok(ids.length > 0);
    for (const id of ids) {
      assert.match(result.markdown, new RegExp(`^### <a id="${id.toLowerCase()}"></a>${id} `, "m"), id);
      assert.match(result.markdown, new RegExp(`^\\| \\[${id}\\]\\(#${id.toLowerCase()}\\) \\|`, "m"), id);
    }
  });
});

describe("moat compliance on a stack", () => {
  const stack = "fixture-direct-quarantine";
  let dir: string;
  let result: ComplianceResult;

  before(async () => {
    dir = fixtureProject();
    result = await buildCompliance(dir, parseComplianceArgs([stack]), recordedPolicyTests());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("plans it through the pack and gives every requirement its status: pass, exit code 0", () => {
    const blocking = result.model.stacks.flatMap((s) =>
      s.failure !== undefined
        ? [`${s.stack}: not planned: ${s.failure}`]
        : s.violations.filter(isBlocking).map((v) => `${s.stack}: ${v.policy}: ${v.message}`),
    );
    assert.deepEqual(blocking, []);
    assert.deepEqual(
      result.model.stacks.map((s) => s.stack),
      [stack],
    );
    assert.equal(result.exitCode, 0);
    assert.match(
      result.markdown,
      new RegExp(`^\\| ID \\| Requirement \\| Policies \\| Tests \\| ${stack} \\|$`, "m"),
    );
    assert.match(result.markdown, new RegExp(`^\\| ${stack} \\| pass \\|  \\|$`, "m"));
  });
});
