import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../plan/project";
import { COMPLIANCE_USAGE, DEFAULT_REPORT, parseComplianceArgs, runCompliance } from "./compliance";

describe("parseComplianceArgs", () => {
  it("defaults to every stack, docs/compliance.md, known values and the policies folder", () => {
    assert.deepEqual(parseComplianceArgs([]), {
      stack: undefined,
      out: DEFAULT_REPORT,
      unknowns: false,
      pack: "policies",
    });
    assert.equal(DEFAULT_REPORT, "docs/compliance.md");
  });

  it("reads a stack and every option", () => {
    assert.deepEqual(parseComplianceArgs(["dev", "--out", "x.md", "--unknowns", "--pack", "p"]), {
      stack: "dev",
      out: "x.md",
      unknowns: true,
      pack: "p",
    });
  });

  it("refuses unknown options, missing values and a second stack", () => {
    assert.throws(
      () => parseComplianceArgs(["--all"]),
      (e: UsageError) => /unknown option --all/.test(e.message),
    );
    assert.throws(() => parseComplianceArgs(["--out"]), /--out needs a value/);
    assert.throws(() => parseComplianceArgs(["--out", "--unknowns"]), /--out needs a value/);
    assert.throws(() => parseComplianceArgs(["dev", "prod"]), /only one stack may be named/);
  });
});

describe("runCompliance", () => {
  const quiet = async (run: () => Promise<number>) => {
    const log = console.log;
    const error = console.error;
    const lines: string[] = [];
    console.log = (...a: unknown[]) => lines.push(a.join(" "));
    console.error = (...a: unknown[]) => lines.push(a.join(" "));
    try {
      return { code: await run(), output: lines.join("\n") };
    } finally {
      console.log = log;
      console.error = error;
    }
  };

  it("prints its usage with exit code 0 on --help", async () => {
    const { code, output } = await quiet(() => runCompliance("/nonexistent", ["--help"]));
    assert.equal(code, 0);
    assert.equal(output, COMPLIANCE_USAGE);
  });

  it("exits 2 on bad usage and on a folder that is not a project", async () => {
    assert.equal((await quiet(() => runCompliance("/nonexistent", ["--bogus"]))).code, 2);
    const missing = await quiet(() => runCompliance("/nonexistent", []));
    assert.equal(missing.code, 2);
    assert.match(missing.output, /Pulumi\.yaml not found/);
  });
});
