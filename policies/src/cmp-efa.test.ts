// The CMP-1 policy list as the pack consumes it: named, described, traceable to CMP-1 and
// mandatory by the pack's default.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cmpEfaPolicies } from "./cmp-efa";
import { cmpPolicies } from "./cmp";
import { EfaType } from "./cmp-efa-nodes";
import { ID_MODES, StackSpec, buildStack, compliantStack, resourceFixtures } from "./net-fixtures";
import { runResourcePolicy, runStackPolicy, unknown } from "./testing";

/** A compliant p5 group: EFA on all 32 cards, a cluster placement group, one subnet, fixed size. */
function efaGroup(): StackSpec {
  return {
    compute: { type: EfaType.subnet, props: { tags: { "moat:tier": "compute" } } },
    "gpu-pg": { type: EfaType.placementGroup, props: { strategy: "cluster" } },
    gpu: {
      type: EfaType.launchTemplate,
      props: {
        instanceType: "p5.48xlarge",
        networkInterfaces: Array.from({ length: 32 }, (_, card) => ({
          networkCardIndex: card,
          deviceIndex: 0,
          interfaceType: card === 0 ? "efa" : "efa-only",
          securityGroups: [unknown.string],
        })),
        tagSpecifications: [{ resourceType: "instance", tags: { "moat:role": "compute" } }],
      },
      links: { placement: ["gpu-pg"] },
    },
    "gpu-asg": {
      type: EfaType.autoscalingGroup,
      props: { minSize: 128, maxSize: 128, desiredCapacity: 128, vpcZoneIdentifiers: [unknown.string] },
      links: { vpcZoneIdentifiers: ["compute"], launchTemplate: ["gpu"] },
    },
  };
}

describe("cmpEfaPolicies", () => {
  it("gives every policy a unique kebab-case cmp- name, distinct from the other CMP policies", () => {
    const names = cmpEfaPolicies.map((p) => p.name);
    const others = new Set(cmpPolicies.map((p) => p.name));
    assert.equal(new Set(names).size, names.length, `duplicate names in ${names.join(", ")}`);
    for (const name of names) {
      assert.match(name, /^cmp(-[a-z0-9]+)+$/);
      assert.ok(!others.has(name), `${name} is already in cmpPolicies`);
    }
  });

  it('describes every policy as "Checks that ..." ending with the requirement IDs it enforces', () => {
    for (const policy of cmpEfaPolicies) {
      assert.match(policy.description, /^Checks that /, policy.name);
      assert.match(policy.description, /\(CMP-1\)\.$/, policy.name);
    }
  });

  it("covers the launch template, placement groups and Auto Scaling groups of CMP-1", () => {
    assert.deepEqual(
      cmpEfaPolicies.map((p) => p.name),
      [
        "cmp-launch-template-efa-every-card",
        "cmp-placement-group-cluster-strategy",
        "cmp-autoscaling-group-single-subnet",
        "cmp-autoscaling-group-fixed-size",
        "cmp-autoscaling-group-no-instance-refresh",
      ],
    );
  });

  it("passes a compliant p5 group, stack policies in every ID mode, and the NET fixture stack (POL-2)", async () => {
    for (const specs of [efaGroup(), compliantStack()]) {
      for (const policy of cmpEfaPolicies) {
        if ("validateStack" in policy) {
          for (const mode of ID_MODES) {
            const run = await runStackPolicy(policy, buildStack(specs, mode));
            assert.deepEqual(run, { violations: [] }, `${policy.name} ${mode}`);
          }
          continue;
        }
        for (const resource of resourceFixtures(specs)) {
          const run = await runResourcePolicy(policy, resource);
          assert.deepEqual(run.violations, [], `${policy.name} on ${resource.name}`);
          assert.equal(run.previewError, undefined, `${policy.name} on ${resource.name}`);
        }
      }
    }
  });
});
