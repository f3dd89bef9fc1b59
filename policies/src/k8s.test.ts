// The K8S list as pack.ts receives it: every requirement K8S-1..7 covered, and nothing reported on
// an AWS-only stack like the examples, which declare no Kubernetes resources (issue 5).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { k8sPolicies } from "./k8s";
import { buildStack, compliantStack, resourceFixtures } from "./net-fixtures";
import { runResourcePolicy, runStackPolicy } from "./testing";

const isStack = (p: object): p is StackValidationPolicy => "validateStack" in p;

describe("k8sPolicies (K8S-1..7)", () => {
  it("covers every K8S requirement, each policy named k8s-* and described with its IDs", () => {
    const cited = new Set(k8sPolicies.flatMap((p) => p.description.match(/K8S-\d+/g) ?? []));
    assert.deepEqual([...cited].sort(), ["K8S-1", "K8S-2", "K8S-3", "K8S-4", "K8S-5", "K8S-6", "K8S-7"]);
    for (const policy of k8sPolicies) {
      assert.match(policy.name, /^k8s(-[a-z0-9]+){2,}$/, policy.name);
      assert.match(policy.description, /^Checks that /, policy.name);
    }
    assert.equal(new Set(k8sPolicies.map((p) => p.name)).size, k8sPolicies.length);
  });

  it("reports nothing on an AWS-only stack: resource policies are not applicable, stack policies silent", async () => {
    const specs = compliantStack();
    for (const policy of k8sPolicies) {
      if (isStack(policy)) {
        assert.deepEqual(await runStackPolicy(policy, buildStack(specs)), { violations: [] }, policy.name);
        continue;
      }
      for (const resource of resourceFixtures(specs)) {
        const run = await runResourcePolicy(policy as ResourceValidationPolicy, resource);
        assert.deepEqual(run.violations, [], `${policy.name} on ${resource.type}`);
        assert.match(run.notApplicable ?? "", /^Policy only applies/, `${policy.name} on ${resource.type}`);
      }
    }
  });
});
