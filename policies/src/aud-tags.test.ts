import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { audResourceTenantTagged } from "./aud-tags";
import { runResourcePolicy, unknown } from "./testing";

const tags = { "moat:tenant": "acme", "moat:environment": "prod", "moat:owner": "ml@acme.example" };
const provider = (defaultTags: unknown) => ({
  type: "pulumi:providers:aws",
  name: "acme-aws",
  props: { region: "us-east-1", ...(defaultTags === undefined ? {} : { defaultTags }) },
});
const route = (props: Record<string, unknown>, defaultTags?: unknown) =>
  runResourcePolicy(audResourceTenantTagged, {
    type: "aws:ec2/route:Route",
    name: "acme-compute-default",
    props,
    provider: provider(defaultTags),
  });

describe("aud-resource-tenant-tagged (AUD-5)", () => {
  it("passes a resource under the tenant provider, with its default tags JSON-encoded as the engine sends them", async () => {
    assert.deepEqual((await route({}, JSON.stringify({ tags }))).violations, []);
    assert.deepEqual((await route({}, { tags })).violations, []);
  });

  it("passes a resource under another provider that carries the three tags itself", async () => {
    assert.deepEqual((await route({ tags })).violations, []);
  });

  it("fails a resource with neither, or with an empty tag, naming the missing keys and the fix", async () => {
    const [none] = (await route({})).violations;
    assert.match(none, /^Create aws:ec2\/route:Route "acme-compute-default" with the tenant's provider/);
    assert.match(none, /set moat:tenant, moat:environment, moat:owner in its tags/);
    assert.match(none, /\(AUD-5\)\.$/);
    const partial = (await route({}, JSON.stringify({ tags: { ...tags, "moat:owner": " " } }))).violations;
    assert.equal(partial.length, 1);
    assert.match(partial[0], /set moat:owner in its tags/);
  });

  it("asks for literals when the tags are unknown at preview, never passes (POL-2)", async () => {
    const run = await route({ tags: unknown.object });
    assert.equal(run.previewError, undefined);
    assert.match(run.violations[0], /literal values/);
  });

  it("judges AWS resources only", async () => {
    const run = await runResourcePolicy(audResourceTenantTagged, {
      type: "random:index/randomPassword:RandomPassword",
      props: {},
    });
    assert.deepEqual(run.violations, []);
  });
});
