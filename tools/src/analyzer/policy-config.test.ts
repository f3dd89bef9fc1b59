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
    // Every policy of the real pack takes `exemptions` and `reason` (policies/src/exemptions.ts).
    {
      name: "net-a",
      description: "Checks that a (NET-1).",
      enforcementLevel: "mandatory",
      configSchema: {
        properties: { exemptions: { type: "array" }, reason: { type: "string" } },
        required: [],
      },
    },
    {
      name: "net-b",
      description: "Checks that b (NET-9).",
      enforcementLevel: "mandatory",
      configSchema: {
        properties: {
          allowedPorts: { type: "array" },
          exemptions: { type: "array" },
          reason: { type: "string" },
        },
        required: [],
      },
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
      exemptions: [],
    });
  });

  it("applies levels and settings, and reports every policy the file weakens, with its reason", () => {
    const reason = "migration window, CHG-42, until 2026-12-01";
    const r = resolvePolicyConfig(
      info,
      {
        "net-a": { enforcementLevel: "advisory", reason },
        "net-b": { enforcementLevel: "mandatory", allowedPorts: [22] },
      },
      FILE,
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.config["net-a"], { enforcementLevel: "advisory", properties: { reason } });
    assert.deepEqual(r.config["net-b"], {
      enforcementLevel: "mandatory",
      properties: { allowedPorts: [22] },
    });
    assert.deepEqual(r.weakened, [`net-a: mandatory -> advisory (set in ${FILE}: ${reason})`]);
  });

  it("POL-1: refuses a level lowered without a reason, and 'all' lowering the whole pack", () => {
    const r = resolvePolicyConfig(info, { all: "advisory", "net-b": "disabled" }, FILE);
    assert.deepEqual(r.problems, [
      `${FILE}: all "advisory" would lower every mandatory policy at once, with no reason; lower single policies with { "enforcementLevel": ..., "reason": "..." }, or exempt resources`,
      `${FILE}: net-a lowers a mandatory policy to advisory; give the reason: { "enforcementLevel": "advisory", "reason": "<why, at least 10 characters>" }`,
      `${FILE}: net-b lowers a mandatory policy to disabled; give the reason: { "enforcementLevel": "disabled", "reason": "<why, at least 10 characters>" }`,
    ]);
  });

  it("POL-1: reads exemptions, keeps them out of what the pack is sent, and refuses one without a reason", () => {
    const reason = "vendor appliance, INC-1234, until 2027-01";
    const r = resolvePolicyConfig(
      info,
      {
        "net-a": { exemptions: [{ resource: "gateway", reason }] },
        "net-b": {
          exemptions: [{ resource: "web" }, { resource: "db", reason: "because" }, { why: "x" }],
          allowedPorts: [22],
        },
      },
      FILE,
    );
    assert.deepEqual(r.exemptions, [{ policy: "net-a", resource: "gateway", reason }]);
    assert.deepEqual(r.config["net-a"].properties, {});
    assert.deepEqual(r.config["net-b"].properties, { allowedPorts: [22] });
    assert.deepEqual(r.problems, [
      `${FILE}: net-b.exemptions[0].reason must say why web may break net-b (at least 10 characters)`,
      `${FILE}: net-b.exemptions[1].reason must say why db may break net-b (at least 10 characters)`,
      `${FILE}: net-b.exemptions[2].resource must name the exempted resource (its name or URN)`,
      `${FILE}: net-b.exemptions[2].why is not a field of an exemption; use resource and reason`,
    ]);
  });

  it("refuses unknown policies, unknown settings and bad levels, naming the file", () => {
    const r = resolvePolicyConfig(
      info,
      { "net-c": "advisory", "net-a": { colour: "red" }, "net-b": "loud" },
      FILE,
    );
    assert.deepEqual(r.problems, [
      `${FILE}: 'net-c' is not a policy of pack moat; known policies: net-a, net-b`,
      `${FILE}: net-a.colour is not a setting of this policy; settings: exemptions, reason`,
      `${FILE}: net-b "loud" is not an enforcement level; use one of advisory, mandatory, disabled, remediate`,
    ]);
  });
});
