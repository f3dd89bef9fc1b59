import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AnalyzerInfo } from "./client";
import { resolvePolicyConfig } from "./policy-config";

const FILE = "stacks/Pulumi.dev.policy.json";
const info: AnalyzerInfo = {
  name: "moat",
  version: "0.1.0",
  supportsConfig: true,
  policies: [
    { name: "net-a", description: "Checks that a (NET-1).", enforcementLevel: "mandatory" },
    {
      name: "net-b",
      description: "Checks that b (NET-9).",
      enforcementLevel: "mandatory",
      configSchema: { properties: { allowedPorts: { type: "array" } }, required: [] },
    },
  ],
};

describe("resolvePolicyConfig", () => {
  it("keeps every policy at its own level when the file is empty", () => {
    const r = resolvePolicyConfig(info, {}, FILE);
    assert.deepEqual(r, {
      config: {
        "net-a": { enforcementLevel: "mandatory", properties: {} },
        "net-b": { enforcementLevel: "mandatory", properties: {} },
      },
      problems: [],
      weakened: [],
    });
  });

  it("applies levels and settings, and reports every policy the file weakens", () => {
    const r = resolvePolicyConfig(
      info,
      { all: "advisory", "net-b": { enforcementLevel: "mandatory", allowedPorts: [22] } },
      FILE,
    );
    assert.deepEqual(r.config["net-a"], { enforcementLevel: "advisory", properties: {} });
    assert.deepEqual(r.config["net-b"], {
      enforcementLevel: "mandatory",
      properties: { allowedPorts: [22] },
    });
    assert.deepEqual(r.weakened, [`net-a: mandatory -> advisory (set in ${FILE})`]);
  });

  it("refuses unknown policies, unknown settings and bad levels, naming the file", () => {
    const r = resolvePolicyConfig(
      info,
      { "net-c": "advisory", "net-a": { colour: "red" }, "net-b": "loud" },
      FILE,
    );
    assert.deepEqual(r.problems, [
      `${FILE}: 'net-c' is not a policy of pack moat; known policies: net-a, net-b`,
      `${FILE}: net-a.colour is not a setting of this policy; it takes none`,
      `${FILE}: net-b "loud" is not an enforcement level; use one of advisory, mandatory, disabled, remediate`,
    ]);
  });
});
