import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import type { EnforcementLevel, PolicyPackArgs } from "@pulumi/policy";
import { moatPolicies } from "./pack";

const REQUIREMENT_ID = /\b(NET|CMP|IAM|DAT|AUD|K8S|POL)-\d+\b/;

// Loads index.ts with the SDK's PolicyPack swapped for a recorder, so the test sees the pack's
// arguments without starting the analyzer server that the real constructor starts.
function packConstructions(): { name: string; args: PolicyPackArgs }[] {
  const load = createRequire(__filename);
  const sdk = load("@pulumi/policy/policy") as { PolicyPack: unknown };
  const original = sdk.PolicyPack;
  const calls: { name: string; args: PolicyPackArgs }[] = [];
  sdk.PolicyPack = class {
    constructor(name: string, args: PolicyPackArgs) {
      calls.push({ name, args });
    }
  };
  try {
    load("./index");
  } finally {
    sdk.PolicyPack = original;
  }
  return calls;
}

describe("the moat policy pack", () => {
  const constructions = packConstructions();

  it('is served once, by index.ts, as "moat" with every policy and mandatory by default', () => {
    assert.equal(constructions.length, 1);
    const [{ name, args }] = constructions;
    assert.equal(name, "moat");
    assert.equal(args.policies, moatPolicies);
    assert.equal(args.enforcementLevel, "mandatory");
  });

  it("enforces every policy as mandatory, except the named report-only ones", () => {
    // A report-only policy never replaces a mandatory one: it repeats a finding its mandatory twin
    // lets through by explicit configuration (NET-6: acknowledged world SSH is still reported).
    const reportOnly = ["net-world-ssh-reported"];
    const packDefault: EnforcementLevel | undefined = constructions[0]?.args.enforcementLevel;
    for (const policy of moatPolicies) {
      const expected = reportOnly.includes(policy.name) ? "advisory" : "mandatory";
      assert.equal(policy.enforcementLevel ?? packDefault, expected, policy.name);
    }
  });

  it("gives every policy a unique kebab-case name", () => {
    const names = moatPolicies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, `duplicate names in ${names.join(", ")}`);
    for (const name of names) {
      assert.match(name, /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
    }
  });

  it("describes every policy as a check that names the requirements it enforces", () => {
    for (const policy of moatPolicies) {
      assert.match(policy.description, /^Checks that /, policy.name);
      assert.match(policy.description, REQUIREMENT_ID, policy.name);
    }
  });

  it("gives every policy something to run", () => {
    for (const policy of moatPolicies) {
      const runs =
        "validateStack" in policy ? [policy.validateStack] : [policy.validateResource ?? []].flat();
      assert.ok(runs.length > 0 && runs.every((f) => typeof f === "function"), policy.name);
    }
  });
});
