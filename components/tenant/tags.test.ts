import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { ENVIRONMENTS, isEnvironment, TAG_ENVIRONMENT, TAG_OWNER, TAG_TENANT, tenantTags } from "./tags";

describe("tenantTags (AUD-5)", () => {
  it("AUD-5: returns exactly the tenant, environment and owner tags", () => {
    assert.deepEqual(tenantTags({ tenantId: "acme", environment: "prod", owner: "ml@acme.example" }), {
      "moat:tenant": "acme",
      "moat:environment": "prod",
      "moat:owner": "ml@acme.example",
    });
  });

  it("AUD-5: exports the tag keys that policies and IAM conditions match on", () => {
    assert.equal(TAG_TENANT, "moat:tenant");
    assert.equal(TAG_ENVIRONMENT, "moat:environment");
    assert.equal(TAG_OWNER, "moat:owner");
  });

  it("AUD-5: refuses blank values and names every blank field at once", () => {
    assert.throws(
      () => tenantTags({ tenantId: "", environment: " ", owner: "ml@acme.example" }),
      (err: Error) => {
        assert.match(err.message, /AUD-5/);
        assert.match(err.message, /set tenantId, environment /);
        assert.doesNotMatch(err.message, /owner \(/);
        return true;
      },
    );
  });
});

describe("ENVIRONMENTS", () => {
  it("lists the stack schema's environments, none ending with another, so <tenant>-<environment> is unique", () => {
    assert.deepEqual(ENVIRONMENTS, ["dev", "staging", "prod"]);
    for (const a of ENVIRONMENTS) {
      for (const b of ENVIRONMENTS.filter((e) => e !== a)) {
        assert.ok(!`-${a}`.endsWith(`-${b}`), `${a} ends with -${b}`);
      }
    }
  });

  it("tells an environment from anything else", () => {
    assert.ok(ENVIRONMENTS.every(isEnvironment));
    for (const value of ["", "Prod", "production", undefined, 1]) {
      assert.equal(isEnvironment(value), false, String(value));
    }
  });
});
