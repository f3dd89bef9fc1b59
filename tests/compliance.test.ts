/**
 * The committed compliance report (docs/compliance.md, issue 5, POL-1) is regenerated in memory,
 * from the catalogue, the real pack over the analyzer protocol, its tests and every example stack,
 * and must match byte for byte. The renderer's own unit tests live beside it in
 * tools/src/compliance/report.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import {
  ComplianceResult,
  DEFAULT_REPORT,
  buildCompliance,
  parseComplianceArgs,
} from "../tools/src/compliance/compliance";
import { isBlocking } from "../tools/src/compliance/report";
import { readCatalogue } from "../tools/src/compliance/requirements";
import { exampleStacks, ROOT } from "./moat-cli";

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
    result = await buildCompliance(ROOT, parseComplianceArgs([]));
  });

  it("is up to date with the catalogue, the pack, its tests and the example stacks", () => {
    const file = path.join(ROOT, DEFAULT_REPORT);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (committed !== result.markdown) {
      assert.fail(
        `${DEFAULT_REPORT} is stale: run \`npm run moat -- compliance\` to refresh it.\nFirst difference at ${firstDifference(committed, result.markdown)}`,
      );
    }
  });

  it("covers every requirement ID and every example stack", () => {
    const ids = readCatalogue(ROOT).requirements.map((r) => r.id);
    assert.ok(ids.length > 0);
    for (const id of ids) {
      assert.match(result.markdown, new RegExp(`^### <a id="${id.toLowerCase()}"></a>${id} `, "m"), id);
      assert.match(result.markdown, new RegExp(`^\\| \\[${id}\\]\\(#${id.toLowerCase()}\\) \\|`, "m"), id);
    }
    assert.deepEqual(
      result.model.stacks.map((s) => s.stack),
      exampleStacks(),
    );
  });

  it("exits 0: every example stack is planned and fails no mandatory policy", () => {
    const blocking = result.model.stacks.flatMap((s) =>
      s.failure !== undefined
        ? [`${s.stack}: not planned: ${s.failure}`]
        : s.violations.filter(isBlocking).map((v) => `${s.stack}: ${v.policy}: ${v.message}`),
    );
    assert.deepEqual(blocking, []);
    assert.equal(result.exitCode, 0);
  });
});
