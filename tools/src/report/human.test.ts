import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recordedResource } from "../plan/testing";
import type { RecordedResource } from "../plan/types";
import { exemptionTable, header, policyTable, resourceTree, summaryLine } from "./human";

function resource(type: string, name: string, parent?: string, custom = true): RecordedResource {
  return recordedResource({
    urn: `urn:pulumi:dev::moat::${type}::${name}`,
    type,
    name,
    custom,
    parent: parent ? `urn:pulumi:dev::moat::${parent}` : undefined,
  });
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

  it("summarises a stack in one line, counting exempted findings apart", () => {
    assert.equal(
      summaryLine("dev", { resources: 18, mandatory: 1, advisory: 0, exempted: 0 }),
      "FAIL dev: 18 resources, 1 mandatory and 0 advisory policy violations",
    );
    assert.equal(
      summaryLine("dev", { resources: 18, mandatory: 0, advisory: 0, exempted: 2 }),
      "PASS dev: 18 resources, 0 mandatory and 0 advisory policy violations, 2 exempted",
    );
  });

  it("shows an exempted finding after the open ones, and each exemption with its reason (POL-1)", () => {
    const exemption = { resource: "v", reason: "vendor appliance, INC-1234" };
    const table = policyTable([
      {
        policy: "p-man",
        level: "mandatory",
        urn: "urn:pulumi:s::p::aws:ec2/vpc:Vpc::v",
        message: "m",
        requirements: [],
        exemption,
      },
      {
        policy: "p-adv",
        level: "advisory",
        urn: "urn:pulumi:s::p::aws:ec2/vpc:Vpc::w",
        message: "a",
        requirements: [],
      },
    ]).split("\n");
    assert.match(table[1], /^ADVISORY\s+p-adv/);
    assert.match(table[2], /^EXEMPT \(mandatory\)\s+p-man/);
    assert.equal(
      exemptionTable([
        { policy: "p-man", resource: "v", reason: exemption.reason, matched: 1 },
        { policy: "p-man", resource: "gone", reason: exemption.reason, matched: 0 },
      ]),
      "p-man exempts v: 1 finding(s); reason: vendor appliance, INC-1234\n" +
        "p-man exempts gone: matched no finding (remove it, or fix the resource name); reason: vendor appliance, INC-1234",
    );
  });

  it("marks quarantined node groups in the header (NET-11)", () => {
    const stack = {
      stack: "dev",
      file: "stacks/Pulumi.dev.yaml",
      config: { "moat:tenant": '{"id":"dev","environment":"dev"}', "moat:quarantine": '["head","gpu"]' },
      secretKeys: [],
      policyConfig: {},
    };
    assert.match(
      header(stack, "moat@0.1.0", false),
      /^ {2}QUARANTINED \(NET-11\): head, gpu: deny-all security groups, no Auto Scaling replacement, volumes kept$/m,
    );
    assert.doesNotMatch(header({ ...stack, config: {} }, "moat@0.1.0", false), /QUARANTINED/);
  });
});
