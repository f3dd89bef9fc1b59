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
  it("AUD-5: registers an aws provider under the given name with region and the tenant default tags", async () => {
    const provider = createTenantProvider("acme-prod", {
      region: "eu-west-1",
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
    // The aws SDK sends nested provider config as JSON.
    assert.deepEqual(JSON.parse(String(registered.inputs.defaultTags)), {
      tags: { "moat:tenant": "acme", "moat:environment": "prod", "moat:owner": "ml@acme.example" },
    });
  });

  it("AUD-5: refuses to build a provider that would stamp blank tenant tags", () => {
    const countBefore = recorded.length;
    assert.throws(
      () =>
        createTenantProvider("blank", { region: "eu-west-1", tenantId: "", environment: "prod", owner: "" }),
      /set tenantId, owner/,
    );
    assert.equal(recorded.length, countBefore);
  });
});
