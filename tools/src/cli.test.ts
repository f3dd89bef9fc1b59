import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePlanArgs } from "./cli";
import { UsageError } from "./plan/project";

describe("parsePlanArgs", () => {
  it("defaults to the dev stack, known values, no type check, the policies folder", () => {
    assert.deepEqual(parsePlanArgs([]), { all: false, unknowns: false, typeCheck: false, pack: "policies" });
  });

  it("reads a stack and every option", () => {
    assert.deepEqual(
      parsePlanArgs(["acme-prod", "--unknowns", "--json", "out.json", "--typecheck", "--pack", "p"]),
      {
        stack: "acme-prod",
        all: false,
        unknowns: true,
        json: "out.json",
        typeCheck: true,
        pack: "p",
      },
    );
  });

  it("refuses unknown options, a missing value, two stacks, and a stack with --all", () => {
    for (const args of [["--bogus"], ["--json"], ["a", "b"], ["--all", "dev"]]) {
      assert.throws(() => parsePlanArgs(args), UsageError, args.join(" "));
    }
  });
});
