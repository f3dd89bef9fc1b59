import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  EXEMPTION_SCHEMA_PROPERTIES,
  exemptionFor,
  exemptibleResourcePolicy,
  withExemptions,
} from "./exemptions";
import { moatPolicies } from "./pack";
import { runResourcePolicy, runStackPolicy, stackResource } from "./testing";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const urn = (name: string) => `urn:pulumi:test::moat::${SG}::${name}`;

// A policy that fails every security group, and one that fails every resource of the stack.
const failsEverything: ResourceValidationPolicy = {
  name: "test-fails-everything",
  description: "Checks that nothing passes (POL-1 test double).",
  validateResource: (args, report) => report(`Fix ${args.name}.`),
};
const stackFailsEverything: StackValidationPolicy = {
  name: "test-stack-fails-everything",
  description: "Checks that nothing passes, stack-wide (POL-1 test double).",
  validateStack: (args, report) => {
    args.resources.forEach((r) => report(`Fix ${r.name}.`, r.urn));
    report("The stack as a whole is wrong.");
  },
};
const reason = "vendor appliance, INC-1234, until 2027-01";

describe("exemptions (POL-1)", () => {
  it("match a resource by name or by full URN, nothing else", () => {
    const config = { exemptions: [{ resource: "gateway", reason }] };
    assert.equal(exemptionFor(config, urn("gateway"))?.reason, reason);
    assert.equal(
      exemptionFor({ exemptions: [{ resource: urn("gateway"), reason }] }, urn("gateway"))?.reason,
      reason,
    );
    assert.equal(exemptionFor(config, urn("other-gateway")), undefined);
    assert.equal(exemptionFor(config, urn("gateway-2")), undefined);
    assert.equal(exemptionFor(config, undefined), undefined);
  });

  it("skip an exempted resource in a resource policy and keep failing the others", async () => {
    const policy = exemptibleResourcePolicy(failsEverything);
    const config = { exemptions: [{ resource: "gateway", reason }] };
    assert.deepEqual(
      (await runResourcePolicy(policy, { type: SG, props: {}, name: "gateway" }, config)).violations,
      [],
    );
    assert.deepEqual(
      (await runResourcePolicy(policy, { type: SG, props: {}, name: "web" }, config)).violations,
      ["Fix web."],
    );
    assert.deepEqual((await runResourcePolicy(policy, { type: SG, props: {}, name: "gateway" })).violations, [
      "Fix gateway.",
    ]);
  });

  it("drop a stack policy's findings on exempted resources only; a finding on no resource stays", async () => {
    const [policy] = withExemptions([stackFailsEverything]) as StackValidationPolicy[];
    const resources = ["gateway", "web"].map((name) => stackResource({ type: SG, props: {}, name }));
    const run = await runStackPolicy(policy, resources, { exemptions: [{ resource: "gateway", reason }] });
    assert.deepEqual(
      run.violations.map((v) => v.message),
      ["Fix web.", "The stack as a whole is wrong."],
    );
  });

  it("keep the SDK's cheap type filter of a typed validation", () => {
    const typed = Object.assign((() => undefined) as ResourceValidationPolicy["validateResource"] & object, {
      __pulumiType: SG,
    });
    const policy = exemptibleResourcePolicy({ ...failsEverything, validateResource: typed });
    assert.equal((policy.validateResource as { __pulumiType?: string }).__pulumiType, SG);
  });

  it("every policy of the pack takes exemptions with a reason, and a reason for a lowered level", () => {
    for (const policy of moatPolicies) {
      const properties = policy.configSchema?.properties ?? {};
      assert.deepEqual(properties.exemptions, EXEMPTION_SCHEMA_PROPERTIES.exemptions, policy.name);
      assert.deepEqual(properties.reason, EXEMPTION_SCHEMA_PROPERTIES.reason, policy.name);
    }
  });
});
