// The CMP policy list as the pack consumes it: named, described and traceable to requirements.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cmpPolicies } from "./cmp";

describe("cmpPolicies", () => {
  it("gives every policy a unique kebab-case cmp- name", () => {
    const names = cmpPolicies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, `duplicate names in ${names.join(", ")}`);
    for (const name of names) {
      assert.match(name, /^cmp(-[a-z0-9]+)+$/);
    }
  });

  it("describes every policy as a check naming the CMP requirements it enforces", () => {
    for (const policy of cmpPolicies) {
      assert.match(policy.description, /^Checks that /, policy.name);
      assert.match(policy.description, /\(CMP-\d+(, CMP-\d+)*\)\.$/, policy.name);
    }
  });

  it("covers CMP-2 to CMP-9, each by at least one mandatory-by-default policy", () => {
    const covered = new Set(cmpPolicies.flatMap((p) => p.description.match(/CMP-\d+/g) ?? []));
    for (let id = 2; id <= 9; id++) {
      assert.ok(covered.has(`CMP-${id}`), `CMP-${id} has no policy`);
    }
    for (const policy of cmpPolicies) {
      assert.equal(
        policy.enforcementLevel,
        undefined,
        `${policy.name} overrides the pack's mandatory default`,
      );
    }
  });
});
