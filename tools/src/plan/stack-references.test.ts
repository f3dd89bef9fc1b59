import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { baselineOutputs } from "../../../components/account-baseline/account-scope";
import { StackReferences } from "./stack-references";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("StackReferences: the offline answer to a tenant's baseline reference", () => {
  it("answers a baseline of accounts/ with what that baseline exports, from its stack file", () => {
    const references = new StackReferences(ROOT);
    assert.deepEqual(references.outputs("globex/moat-account/globex-research-us-east-1"), {
      baseline: baselineOutputs("333333333333", "us-east-1", ["eu-west-1"]),
    });
    assert.deepEqual(references.missing, []);
  });

  it("refuses, and keeps for the runner, a missing stack, an unknown project and a malformed name", () => {
    const references = new StackReferences(ROOT);
    const cases: [string, RegExp][] = [
      [
        "org/moat-account/nowhere",
        /accounts\/stacks\/Pulumi\.nowhere\.yaml not found|stacks\/Pulumi\.nowhere\.yaml not found/,
      ],
      ["org/other-project/x", /no Pulumi project named 'other-project'/],
      ["moat-account/x", /name it as <organization>\/<project>\/<stack>/],
    ];
    for (const [name, why] of cases) {
      assert.throws(
        () => references.outputs(name),
        (e: Error) => {
          assert.match(
            e.message,
            new RegExp(`^the offline preview cannot answer the stack reference '${name}': `),
          );
          assert.match(e.message, why);
          return true;
        },
      );
    }
    assert.equal(references.missing.length, cases.length);
  });
});
