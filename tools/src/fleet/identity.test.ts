import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRetiredTenants, checkTenantIds } from "./identity";
import { placeStack } from "./placement";
import { testStack, type TestStack } from "./testing";
import type { FleetFile } from "./types";

const place = (...specs: TestStack[]) => specs.map((s) => placeStack(testStack(s)));

describe("tenant environments per account", () => {
  it("fails a copy of a stack: the same tenant and environment twice in one account, naming both files", () => {
    const findings = checkTenantIds(
      place({ stack: "acme-prod", tenant: "acme" }, { stack: "acme-copy", tenant: "acme" }),
    );
    assert.deepEqual(findings, [
      {
        level: "error",
        check: "tenant-id",
        stacks: ["acme-copy", "acme-prod"],
        message:
          "tenant acme's prod environment is declared by 2 stacks in account 111111111111: acme-prod " +
          "(stacks/Pulumi.acme-prod.yaml) and acme-copy (stacks/Pulumi.acme-copy.yaml) set the same " +
          "moat:tenant.id and moat:tenant.environment, so they would manage the same tenant's resources",
        fix: "remove the copy, or give it another moat:tenant.id or moat:tenant.environment",
      },
    ]);
  });

  it("passes a tenant id reused in another account, and another environment of the tenant", () => {
    const stacks = place(
      { stack: "acme-prod", tenant: "acme" },
      { stack: "acme-eu", tenant: "acme", account: "222222222222" },
      { stack: "acme-dev", tenant: "acme", environment: "dev" },
    );
    assert.deepEqual(checkTenantIds(stacks), []);
  });
});

describe("retired tenant ids", () => {
  const fleet = (account?: string): FleetFile => ({
    file: "stacks/fleet.yaml",
    accounts: {},
    retiredTenants: [{ id: "hooli", account, reason: "offboarded in CHG-118" }],
  });

  it("fails a stack that takes a retired id in its account, naming the entry and the fix", () => {
    const findings = checkRetiredTenants(
      place({ stack: "hooli-prod", tenant: "hooli" }),
      fleet("111111111111"),
    );
    assert.deepEqual(findings, [
      {
        level: "error",
        check: "retired-tenant",
        stacks: ["hooli-prod"],
        message:
          "hooli-prod (stacks/Pulumi.hooli-prod.yaml) sets moat:tenant.id hooli, retired in account 111111111111 " +
          "(stacks/fleet.yaml retiredTenants[0]: offboarded in CHG-118); its kept audit bucket, log groups and " +
          "secrets still hold the names this stack would create",
        fix: "pick another moat:tenant.id, or remove retiredTenants[0] from stacks/fleet.yaml once the retired tenant's kept resources are deleted",
      },
    ]);
    assert.equal(checkRetiredTenants(place({ stack: "hooli-prod", tenant: "hooli" }), fleet()).length, 1);
  });

  it("passes the id in another account, other ids, and a fleet without a fleet file", () => {
    const stacks = place({ stack: "hooli-prod", tenant: "hooli" }, { stack: "acme-prod", tenant: "acme" });
    assert.deepEqual(checkRetiredTenants(stacks, fleet("222222222222")), []);
    assert.deepEqual(checkRetiredTenants(stacks, undefined), []);
  });
});
