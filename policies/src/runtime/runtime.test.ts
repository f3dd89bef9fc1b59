import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { moatPolicies } from "../pack";
import { forTypes } from "../props";
import { exemptibleResourcePolicy } from "../exemptions";
import { PolicyIndex, policyTypes } from "./policy-index";
import { packProblems } from "./serve";

const policy = (name: string, validateResource: ResourceValidationPolicy["validateResource"]) =>
  ({ name, description: `Checks that ${name} holds.`, validateResource }) as ResourceValidationPolicy;

describe("PolicyIndex", () => {
  const sg = policy(
    "sg",
    forTypes(["aws:ec2/securityGroup:SecurityGroup"], () => undefined),
  );
  const nodes = policy(
    "nodes",
    forTypes(["aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"], () => undefined),
  );
  const everything = policy("tags", () => undefined);
  const index = new PolicyIndex([sg, everything, nodes]);

  it("lists for a type the policies that check it and those that check every type, in pack order", () => {
    assert.deepEqual(
      index.forType("aws:ec2/instance:Instance").map((p) => p.name),
      ["tags", "nodes"],
    );
    assert.deepEqual(
      index.forType("aws:ec2/securityGroup:SecurityGroup").map((p) => p.name),
      ["sg", "tags"],
    );
    assert.deepEqual(
      index.forType("aws:s3/bucket:Bucket").map((p) => p.name),
      ["tags"],
    );
  });

  it("keeps the types through the exemption wrapper, and unions a list of validations", () => {
    assert.deepEqual([...policyTypes(exemptibleResourcePolicy(nodes))!].sort(), [
      "aws:ec2/instance:Instance",
      "aws:ec2/launchTemplate:LaunchTemplate",
    ]);
    const both = policy("both", [sg.validateResource as never, nodes.validateResource as never]);
    assert.equal(policyTypes(both)!.size, 3);
    assert.equal(policyTypes(policy("mixed", [sg.validateResource as never, () => undefined])), undefined);
  });

  it("calls every Moat resource policy but one only for the types it names", () => {
    const resourcePolicies = moatPolicies.filter(
      (p): p is ResourceValidationPolicy => "validateResource" in p,
    );
    const untyped = resourcePolicies.filter((p) => policyTypes(p) === undefined).map((p) => p.name);
    assert.deepEqual(untyped, ["aud-resource-tenant-tagged"]);
  });
});

describe("packProblems", () => {
  it("accepts the Moat pack", () => {
    assert.deepEqual(packProblems("moat", { policies: moatPolicies, enforcementLevel: "mandatory" }), []);
  });

  it("refuses what the SDK refuses, a duplicate name, and a remediation the runtime would not run", () => {
    const ok = policy("ok", () => undefined);
    const problems = packProblems("bad name!", {
      enforcementLevel: "mandatory",
      policies: [
        ok,
        ok,
        policy("all", () => undefined),
        { ...ok, name: "schema", configSchema: { properties: { enforcementLevel: { type: "string" } } } },
        { ...ok, name: "fixer", remediateResource: () => undefined },
      ],
    });
    assert.deepEqual(problems, [
      'Invalid policy pack name "bad name!": only alphanumerics, hyphens, underscores and periods.',
      'Policy "ok" is defined twice.',
      'Invalid policy name "all": it is reserved.',
      'Policy "schema": enforcementLevel cannot be a config property.',
      'Policy "fixer" defines remediateResource, which the pack\'s runtime does not run.',
    ]);
  });
});
