// The AUD, DAT-5 and NET-11 lists as a whole: conventions every policy follows, the compliant audit
// stack passing all of them in every ID mode, and which policies hold on a stack without audit
// resources (audPolicies) and which require them (audPresencePolicies) (POL-1, POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StackSpec } from "./net-fixtures";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { audPolicies, audPresencePolicies } from "./aud";
import { PROTECTED, auditStack, buildProtected, onProtected } from "./aud-fixtures";
import { datBucketPolicies } from "./dat-buckets";
import { ID_MODES, resourceFixtures } from "./net-fixtures";
import { netQuarantinePolicies } from "./net-quarantine";
import { runResourcePolicy, runStackPolicy } from "./testing";

const all = [...audPolicies, ...audPresencePolicies, ...datBucketPolicies, ...netQuarantinePolicies];
// Every resource of the compliant stack comes from the tenant's provider, as in the program (AUD-5).
const TENANT_PROVIDER = {
  type: "pulumi:providers:aws",
  name: "acme-aws",
  props: {
    defaultTags: JSON.stringify({
      tags: { "moat:tenant": "acme", "moat:environment": "prod", "moat:owner": "ml@acme.example" },
    }),
  },
};
const isStack = (p: object): p is StackValidationPolicy => "validateStack" in p;

describe("AUD, DAT-5 and NET-11 policy lists (POL-1)", () => {
  it("name each policy <domain>-<subject>-<expectation> once, describe it and cite its IDs", () => {
    assert.equal(new Set(all.map((p) => p.name)).size, all.length);
    for (const policy of all) {
      assert.match(policy.name, /^(aud|dat|net)(-[a-z0-9]+){2,}$/, policy.name);
      assert.match(
        policy.description ?? "",
        /^Checks that .*\((AUD|DAT|NET)-\d+(, [A-Z]+-\d+)*\)\.$/,
        policy.name,
      );
    }
  });

  it("keep presence policies out of audPolicies: each passes a stack without audit resources", async () => {
    for (const policy of audPolicies.filter(isStack)) {
      assert.deepEqual(await runStackPolicy(policy, []), { violations: [] }, policy.name);
    }
    // A presence policy applies to a tenant cluster (a stack with nodes), to the account's home
    // baseline, or to both: on the bare skeleton of at least one of them it must find something missing.
    const skeletons: StackSpec[] = [
      { "head-0": auditStack()["head-0"] },
      { baseline: auditStack()["baseline"] },
    ];
    for (const policy of audPresencePolicies.filter(isStack)) {
      const runs = await Promise.all(
        skeletons.map((skeleton) => runStackPolicy(policy, buildProtected(skeleton, "unknown"))),
      );
      assert.ok(
        runs.some((run) => run.violations.length > 0),
        `${policy.name} must require its resources`,
      );
    }
  });

  it("pass the compliant audit stack in every ID mode (AUD-1..AUD-4, DAT-5, POL-2)", async () => {
    for (const mode of ID_MODES) {
      for (const policy of all.filter(isStack)) {
        const run = await runStackPolicy(policy, buildProtected(auditStack(), mode));
        assert.deepEqual(run, { violations: [] }, `${policy.name} in ID mode ${mode}`);
      }
    }
    for (const policy of all.filter((p): p is ResourceValidationPolicy => !isStack(p))) {
      for (const fixture of resourceFixtures(auditStack())) {
        const run = await runResourcePolicy(
          PROTECTED.includes(fixture.name ?? "") ? onProtected(policy) : policy,
          { ...fixture, provider: TENANT_PROVIDER },
        );
        assert.deepEqual(run.violations, [], `${policy.name} on ${fixture.name}`);
        assert.equal(run.previewError, undefined);
      }
    }
  });
});
