import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quarantineProblems, storageClientLabel } from "./fleet-args";

describe("quarantineProblems (NET-11)", () => {
  it("NET-11: accepts nothing, head, and the fleet's own groups", () => {
    assert.deepEqual(quarantineProblems(undefined, ["train"]), []);
    assert.deepEqual(quarantineProblems([], ["train"]), []);
    assert.deepEqual(quarantineProblems(["head", "train"], ["train", "infer"]), []);
  });

  it("NET-11: refuses an unknown group and a repeat, every one with its path", () => {
    assert.deepEqual(quarantineProblems(["trian", "train", "train"], ["train"]), [
      { propertyPath: "quarantine[0]", reason: '"trian" is not a node group; use one of head, train' },
      { propertyPath: "quarantine[2]", reason: '"train" is listed twice; list it once' },
    ]);
  });

  it("refuses something that is not a list", () => {
    assert.equal(quarantineProblems("train" as unknown as string[], ["train"])[0].propertyPath, "quarantine");
  });
});

describe("storageClientLabel (NET-8)", () => {
  it("prefixes the group name, so a group called head is not the head client", () => {
    assert.equal(storageClientLabel("train"), "compute-train");
    assert.equal(storageClientLabel("head"), "compute-head");
  });
});
