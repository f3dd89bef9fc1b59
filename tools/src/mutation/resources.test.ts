import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recordedResource } from "../plan/testing";
import type { RecordedResource } from "../plan/types";
import { declare, editUserData, remove, setInput } from "./edit";
import { T, UNKNOWN, idOf, roleOf, stackFacts, userDataOf } from "./resources";

const ROOT = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
const PROVIDER = "urn:pulumi:s::p::pulumi:providers:aws::t-aws";
const NETWORK = "urn:pulumi:s::p::moat:network:Network::t";
const VPC = `urn:pulumi:s::p::moat:network:Network$${T.vpc}::t-vpc`;

function resource(urn: string, type: string, extra: Partial<RecordedResource> = {}): RecordedResource {
  return recordedResource({ urn, type, name: urn.split("::").pop()!, custom: type.includes("/"), ...extra });
}

const group = resource(`urn:pulumi:s::p::${T.securityGroup}::t-sg`, T.securityGroup, {
  parent: ROOT,
  provider: PROVIDER,
  providerRef: `${PROVIDER}::provider-id`,
  inputs: { vpcId: "vpc-123", tags: { "moat:role": "head" } },
  dependencies: [VPC, NETWORK],
  propertyDependencies: { vpcId: [VPC], tags: [] },
});

const template = resource(`urn:pulumi:s::p::${T.launchTemplate}::t-lt`, T.launchTemplate, {
  parent: ROOT,
  inputs: {
    userData: Buffer.from("#cloud-config\nssh_pwauth: false\n").toString("base64"),
    tagSpecifications: [{ resourceType: "instance", tags: { "moat:role": "compute" } }],
  },
});

const PLAN: readonly RecordedResource[] = [
  resource(ROOT, T.stack),
  resource(PROVIDER, T.awsProvider, {
    parent: ROOT,
    inputs: { region: "eu-west-1", defaultTags: JSON.stringify({ tags: { "moat:tenant": "t" } }) },
  }),
  resource(NETWORK, "moat:network:Network", { parent: ROOT }),
  resource(VPC, T.vpc, { parent: NETWORK, provider: PROVIDER, inputs: { cidrBlock: "10.0.0.0/16" } }),
  group,
  template,
  resource(`urn:pulumi:s::p::${T.rolePolicy}::t-policy`, T.rolePolicy, {
    inputs: { policy: '{"Resource":"arn:aws:iam::210987654321:role/x"}' },
  }),
];

describe("stack facts", () => {
  it("reads stack, project, tenant, region and account from the plan", () => {
    const { stack, project, tenant, region, account, aws, root } = stackFacts(PLAN);
    assert.deepEqual(
      [stack, project, tenant, region, account, aws.urn, root.urn],
      ["s", "p", "t", "eu-west-1", "210987654321", PROVIDER, ROOT],
    );
  });

  it("reads a launch template's role from the tags it gives instances", () => {
    assert.equal(roleOf(template), "compute");
    assert.equal(roleOf(group), "head");
  });
});

describe("declare", () => {
  it("qualifies the URN with the parent's type and gives aws resources the tenant provider", () => {
    const network = PLAN[2];
    const rule = declare(PLAN, {
      type: T.ingressRule,
      name: "t-rule",
      parent: network,
      inputs: { securityGroupId: idOf(PLAN, group), ipProtocol: "tcp" },
      from: { securityGroupId: [group] },
    });
    assert.equal(rule.urn, `urn:pulumi:s::p::moat:network:Network$${T.ingressRule}::t-rule`);
    assert.equal(rule.parent, NETWORK);
    assert.equal(rule.custom, true);
    assert.equal(rule.provider, PROVIDER);
    assert.equal(rule.providerRef, `${PROVIDER}::provider-id`);
    assert.deepEqual(rule.propertyDependencies, { securityGroupId: [group.urn], ipProtocol: [] });
    assert.deepEqual(rule.dependencies, [group.urn]);
  });

  it("declares top-level resources under the root stack, components without a provider", () => {
    const component = declare(PLAN, { type: "moat:network:FirewallRule", name: "t-fw", inputs: {} });
    assert.equal(component.urn, "urn:pulumi:s::p::moat:network:FirewallRule::t-fw");
    assert.equal(component.parent, ROOT);
    assert.equal(component.custom, false);
    assert.equal(component.provider, undefined);
  });
});

describe("editing", () => {
  it("idOf reuses the value the plan passes for a resource, unknown when nothing refers to it", () => {
    assert.equal(idOf(PLAN, PLAN[3]), "vpc-123");
    assert.equal(idOf(PLAN, group), UNKNOWN);
  });

  it("setInput rebuilds the property's dependencies and keeps explicit ones", () => {
    const other = PLAN[2];
    const [changed] = setInput(PLAN, group, "vpcId", "vpc-999", [other]).filter((r) => r.urn === group.urn);
    assert.equal(changed.inputs.vpcId, "vpc-999");
    assert.deepEqual(changed.propertyDependencies.vpcId, [NETWORK]);
    assert.deepEqual(changed.dependencies, [NETWORK]);
    const [removed] = setInput(PLAN, group, "vpcId", undefined).filter((r) => r.urn === group.urn);
    assert.equal("vpcId" in removed.inputs, false);
    assert.equal("vpcId" in removed.propertyDependencies, false);
    assert.deepEqual(removed.dependencies, [NETWORK]);
  });

  it("remove leaves no link to what it removed", () => {
    const after = remove(PLAN, PLAN[3]);
    assert.equal(after.length, PLAN.length - 1);
    const [sg] = after.filter((r) => r.urn === group.urn);
    assert.deepEqual(sg.dependencies, [NETWORK]);
    assert.deepEqual(sg.propertyDependencies.vpcId, []);
  });

  it("edits user data as text, re-encoding a launch template's base64", () => {
    const after = editUserData(PLAN, template, (text) => text.replace("false", "true"));
    const [edited] = after.filter((r) => r.urn === template.urn);
    assert.equal(userDataOf(edited), "#cloud-config\nssh_pwauth: true\n");
    assert.match(String(edited.inputs.userData), /^[A-Za-z0-9+/=]+$/);
  });

  it("never changes the list it is given", () => {
    const copy = structuredClone(PLAN);
    setInput(PLAN, group, "tags", {});
    remove(PLAN, group);
    editUserData(PLAN, template, () => "");
    assert.deepEqual(PLAN, copy);
  });
});
