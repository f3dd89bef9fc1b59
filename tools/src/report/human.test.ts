import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RecordedResource } from "../plan/types";
import { policyTable, resourceTree, summaryLine } from "./human";

function resource(type: string, name: string, parent?: string, custom = true): RecordedResource {
  return {
    urn: `urn:pulumi:dev::moat::${type}::${name}`,
    type,
    name,
    custom,
    parent: parent ? `urn:pulumi:dev::moat::${parent}` : undefined,
    inputs: {},
    dependencies: [],
    propertyDependencies: {},
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    aliases: [],
    additionalSecretOutputs: [],
  };
}

describe("human report", () => {
  it("draws the resources as a tree with a count per component", () => {
    const tree = resourceTree([
      resource("pulumi:pulumi:Stack", "moat-dev", undefined, false),
      resource("moat:network:Network", "dev", "pulumi:pulumi:Stack::moat-dev", false),
      resource("aws:ec2/vpc:Vpc", "dev-vpc", "moat:network:Network::dev"),
      resource("aws:ec2/subnet:Subnet", "dev-compute", "moat:network:Network::dev"),
    ]);
    assert.equal(
      tree,
      [
        "pulumi:pulumi:Stack moat-dev (3)",
        "└─ moat:network:Network dev (2)",
        "   ├─ aws:ec2/vpc:Vpc dev-vpc",
        "   └─ aws:ec2/subnet:Subnet dev-compute",
      ].join("\n"),
    );
  });

  it("lists mandatory violations first with their requirement IDs", () => {
    const table = policyTable([
      {
        policy: "p-adv",
        level: "advisory",
        urn: "urn:pulumi:dev::moat::aws:ec2/vpc:Vpc::v",
        message: "m1",
        requirements: [],
      },
      {
        policy: "p-man",
        level: "mandatory",
        urn: "urn:pulumi:dev::moat::aws:ec2/vpc:Vpc::v",
        message: "m2",
        requirements: ["NET-1"],
      },
    ]).split("\n");
    assert.match(table[0], /^LEVEL\s+POLICY\s+RESOURCE\s+MESSAGE\s+REQUIREMENTS$/);
    assert.match(table[1], /^MANDATORY\s+p-man\s+aws:ec2\/vpc:Vpc::v\s+m2\s+NET-1$/);
    assert.match(table[2], /^ADVISORY\s+p-adv/);
    assert.equal(policyTable([]), "No policy violations.");
  });

  it("summarises a stack in one line", () => {
    assert.equal(
      summaryLine("dev", { resources: 18, mandatory: 1, advisory: 0 }),
      "FAIL dev: 18 resources, 1 mandatory and 0 advisory policy violations",
    );
  });
});
