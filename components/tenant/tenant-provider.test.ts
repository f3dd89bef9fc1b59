import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { createTenantProvider } from "./tenant-provider";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

// setMocks is process-global; node's test runner gives each test file its own process.
const recorded: Recorded[] = [];

before(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "moat",
    "test",
  );
});

function urnOf(resource: pulumi.Resource): Promise<string> {
  return new Promise((resolve) => resource.urn.apply(resolve));
}

describe("createTenantProvider (AUD-5)", () => {
  it("AUD-5: registers an aws provider under the given name with region, account and the tenant default tags", async () => {
    const provider = createTenantProvider("acme-prod", {
      region: "eu-west-1",
      allowedAccountIds: ["111111111111"],
      tenantId: "acme",
      environment: "prod",
      owner: "ml@acme.example",
    });
    await urnOf(provider);

    const providers = recorded.filter((r) => r.name === "acme-prod");
    assert.equal(providers.length, 1);
    const [registered] = providers;
    assert.equal(registered.type, "pulumi:providers:aws");
    assert.equal(registered.inputs.region, "eu-west-1");
    // The provider refuses credentials of any other account.
    assert.deepEqual(JSON.parse(String(registered.inputs.allowedAccountIds)), ["111111111111"]);
    // The aws SDK sends nested provider config as JSON.
    assert.deepEqual(JSON.parse(String(registered.inputs.defaultTags)), {
      tags: { "moat:tenant": "acme", "moat:environment": "prod", "moat:owner": "ml@acme.example" },
    });
  });

  it("AUD-5: refuses to build a provider that would stamp blank tenant tags", () => {
    const countBefore = recorded.length;
    assert.throws(
      () =>
        createTenantProvider("blank", {
          region: "eu-west-1",
          allowedAccountIds: ["111111111111"],
          tenantId: "",
          environment: "prod",
          owner: "",
        }),
      /set tenantId, owner/,
    );
    assert.equal(recorded.length, countBefore);
  });

  it("refuses a provider that may act in any account, or in one it cannot name", () => {
    const countBefore = recorded.length;
    const args = { region: "eu-west-1", tenantId: "acme", environment: "prod", owner: "ml@acme.example" };
    assert.throws(
      () => createTenantProvider("anywhere", { ...args, allowedAccountIds: [] }),
      /^Error: The tenant provider needs the 12-digit ids of the accounts it may act in \(allowedAccountIds\), e\.g\. \["111111111111"\]\.$/,
    );
    assert.throws(
      () => createTenantProvider("typo", { ...args, allowedAccountIds: ["111111111111", "1111-1111-1111"] }),
      /allowedAccountIds\), not "1111-1111-1111", e\.g\./,
    );
    assert.equal(recorded.length, countBefore);
  });
});
