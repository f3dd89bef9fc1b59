// The NET access-path policy list as a whole: naming and descriptions that trace requirement IDs,
// coverage of the IDs issue 3 asks for, and the compliant fixture stack passing every policy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { netAccessPolicies } from "./net-access";
import { ID_MODES, buildStack, compliantStack, resourceFixtures } from "./net-fixtures";
import { runResourcePolicy, runStackPolicy } from "./testing";

const ids = (description: string) => [...description.matchAll(/\((?:[A-Z0-9]+-\d+(?:, )?)+\)/g)].join(" ");

describe("netAccessPolicies", () => {
  it("gives every policy a unique kebab-case name starting with net-", () => {
    const names = netAccessPolicies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, `duplicate names in ${names.join(", ")}`);
    for (const name of names) {
      assert.match(name, /^net(-[a-z0-9]+)+$/);
    }
  });

  it('describes every policy as "Checks that ..." naming its NET requirement IDs in parentheses', () => {
    for (const policy of netAccessPolicies) {
      assert.match(policy.description, /^Checks that /, policy.name);
      assert.match(ids(policy.description), /\bNET-\d+\b/, policy.name);
    }
  });

  it("covers NET-2 to NET-8 and NET-10", () => {
    const covered = new Set(netAccessPolicies.flatMap((p) => ids(p.description).match(/NET-\d+/g) ?? []));
    for (const id of ["NET-2", "NET-3", "NET-4", "NET-5", "NET-6", "NET-7", "NET-8", "NET-10"]) {
      assert.ok(covered.has(id), id);
    }
  });

  it("is mandatory except for the world-SSH report", () => {
    const advisory = netAccessPolicies.filter((p) => p.enforcementLevel !== undefined);
    assert.deepEqual(
      advisory.map((p) => [p.name, p.enforcementLevel]),
      [["net-world-ssh-reported", "advisory"]],
    );
  });

  it("passes the compliant fixture stack, stack policies in every ID mode (POL-2)", async () => {
    const specs = compliantStack();
    for (const policy of netAccessPolicies) {
      if ("validateStack" in policy) {
        for (const mode of ID_MODES) {
          assert.deepEqual(
            await runStackPolicy(policy, buildStack(specs, mode)),
            { violations: [] },
            `${policy.name} ${mode}`,
          );
        }
        continue;
      }
      for (const resource of resourceFixtures(specs)) {
        const run = await runResourcePolicy(policy, resource);
        assert.deepEqual(run.violations, [], `${policy.name} on ${resource.name}`);
        assert.equal(run.previewError, undefined, `${policy.name} on ${resource.name}`);
      }
    }
  });
});
