import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as path from "node:path";
import { DEFAULT_JOBS, parsePlanArgs, subProjects } from "./command";
import { UsageError } from "./project";

describe("parsePlanArgs", () => {
  it("defaults to the dev stack, known values, no type check, the policies folder, one job per core", () => {
    assert.deepEqual(parsePlanArgs([]), {
      all: false,
      jobs: DEFAULT_JOBS,
      unknowns: false,
      typeCheck: false,
      pack: "policies",
    });
    assert.ok(DEFAULT_JOBS >= 1);
  });

  it("reads a stack and every option", () => {
    assert.deepEqual(
      parsePlanArgs([
        "acme-prod",
        "--unknowns",
        "--json",
        "out.json",
        "--typecheck",
        "--pack",
        "p",
        "--jobs",
        "3",
      ]),
      {
        stack: "acme-prod",
        all: false,
        jobs: 3,
        unknowns: true,
        json: "out.json",
        typeCheck: true,
        pack: "p",
      },
    );
  });

  it("takes a fleet report folder with --all only", () => {
    assert.deepEqual(parsePlanArgs(["--all", "--fleet-report", "out"]), {
      all: true,
      jobs: DEFAULT_JOBS,
      unknowns: false,
      typeCheck: false,
      pack: "policies",
      fleetReport: "out",
    });
    assert.throws(
      () => parsePlanArgs(["dev", "--fleet-report", "out"]),
      /^UsageError: --fleet-report reports on every stack together; use it with --all$/,
    );
    assert.throws(() => parsePlanArgs(["--all", "--fleet-report"]), /--fleet-report needs a value/);
  });

  it("refuses unknown options, a missing value, two stacks, a stack with --all and a bad job count", () => {
    const bad = [["--bogus"], ["--json"], ["a", "b"], ["--all", "dev"], ["--jobs", "0"], ["--jobs", "two"]];
    for (const args of bad) {
      assert.throws(() => parsePlanArgs(args), UsageError, args.join(" "));
    }
    assert.throws(
      () => parsePlanArgs(["--jobs", "1.5"]),
      /--jobs must be a whole number of at least 1, not '1\.5'/,
    );
  });
});

describe("the projects moat plan --all plans", () => {
  it("takes --project with --all only", () => {
    assert.equal(parsePlanArgs(["--all", "--project", "accounts"]).project, "accounts");
    assert.throws(
      () => parsePlanArgs(["dev", "--project", "."]),
      /^UsageError: --project chooses the projects --all plans; name one stack as <folder>\/<stack> instead$/,
    );
  });

  it("finds the account baseline project beside the tenants' program, and nothing in node_modules", () => {
    const root = path.resolve(__dirname, "..", "..", "..");
    assert.deepEqual(subProjects(root), ["accounts"]);
  });
});
