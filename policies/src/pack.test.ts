import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import type { EnforcementLevel } from "@pulumi/policy";
import { moatPolicies } from "./pack";
import type { PackArgs } from "./runtime/serve";

const REQUIREMENT_ID = /\b(NET|CMP|IAM|DAT|AUD|K8S|POL)-\d+\b/;

// Loads index.ts with the runtime's servePolicyPack swapped for a recorder (through the module
// cache), so the test sees what the entry point serves without starting the analyzer server.
function packConstructions(): { name: string; args: PackArgs }[] {
  const load = createRequire(__filename);
  const servePath = load.resolve("./runtime/serve");
  const indexPath = load.resolve("./index");
  const calls: { name: string; args: PackArgs }[] = [];
  const original = load.cache[servePath];
  load.cache[servePath] = {
    id: servePath,
    filename: servePath,
    loaded: true,
    exports: { servePolicyPack: (name: string, args: PackArgs) => calls.push({ name, args }) },
  } as NodeJS.Module;
  try {
    delete load.cache[indexPath];
    load("./index");
  } finally {
    delete load.cache[indexPath];
    if (original) {
      load.cache[servePath] = original;
    } else {
      delete load.cache[servePath];
    }
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
