// The NET stack policy, on resources shaped as the engine sends them to `analyzeStack`: outputs
// (unknown at a first preview where the cloud computes them) and property dependencies that
// point at the resource objects a rule's inputs were built from.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyResource } from "@pulumi/policy";
import { AwsType } from "./firewall-rule";
import { netSecurityGroupRulesSingleStyle } from "./network";
import { neverRead, runStackPolicy, stackResource, unknown } from "./testing";

const policy = netSecurityGroupRulesSingleStyle;

// A group at its first preview: the cloud has not computed its ID or rule lists yet.
const newGroup = (props: Record<string, unknown> = {}, name = "head") =>
  stackResource({
    type: AwsType.securityGroup,
    name,
    props: neverRead({ ingress: unknown.array, egress: unknown.array, ...props }, "id", "arn", "vpcId"),
  });

const sshOutputs = { description: "SSH from the office", ipProtocol: "tcp", fromPort: 22, toPort: 22 };

// A standalone rule whose securityGroupId came from `group.id`: linked through its dependencies,
// while the ID value itself must never be read.
const ruleOn = (group: PolicyResource, type: string = AwsType.ingressRule, props: object = sshOutputs) =>
  stackResource(
    { type, name: "head-ssh", props: neverRead({ cidrIpv4: "203.0.113.0/24", ...props }, "securityGroupId") },
    { propertyDependencies: { securityGroupId: [group] } },
  );

const mixed = (directions: string, group = "head", rules = '"head-ssh"') =>
  `Move the inline ${directions} rules of security group "${group}" into standalone rule resources: it is also the target of ${rules}, and the two styles overwrite each other on every update (NET-9).`;

const inlineWeb = {
  description: "HTTPS",
  protocol: "tcp",
  fromPort: 443,
  toPort: 443,
  cidrBlocks: ["0.0.0.0/0"],
};

describe("net-security-group-rules-single-style", () => {
  it("passes a new group whose rules are all standalone", async () => {
    const group = newGroup();
    assert.deepEqual(await runStackPolicy(policy, [group, ruleOn(group)]), { violations: [] });
  });

  it("passes a refreshed group whose rule lists echo its standalone rules", async () => {
    // After a refresh the provider reads standalone rules back into the group's outputs.
    const echoed = { description: "SSH from the office", protocol: "6", fromPort: 22, toPort: 22 };
    const group = newGroup({ id: "sg-0123", ingress: [echoed], egress: [] });
    assert.deepEqual(await runStackPolicy(policy, [group, ruleOn(group)]), { violations: [] });
  });

  it("passes inline rules on a group that no standalone rule targets", async () => {
    const group = newGroup({ ingress: [inlineWeb] });
    assert.deepEqual(await runStackPolicy(policy, [group]), { violations: [] });
  });

  it("fails inline ingress on a group linked to a standalone rule through propertyDependencies", async () => {
    const group = newGroup({ ingress: [inlineWeb] });
    const run = await runStackPolicy(policy, [group, ruleOn(group)]);
    assert.deepEqual(run, { violations: [{ message: mixed("ingress"), urn: group.urn }] });
  });

  it("fails inline egress next to a standalone ingress rule", async () => {
    const egress = [{ description: "", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];
    const group = newGroup({ egress });
    const run = await runStackPolicy(policy, [group, ruleOn(group)]);
    assert.deepEqual(run, { violations: [{ message: mixed("egress"), urn: group.urn }] });
  });

  it("fails inline entries that are unknown at preview, without reading them", async () => {
    const group = newGroup({ ingress: [unknown.object], egress: [inlineWeb] });
    const run = await runStackPolicy(policy, [group, ruleOn(group)]);
    assert.deepEqual(run, { violations: [{ message: mixed("ingress and egress"), urn: group.urn }] });
  });

  it("fails a legacy SecurityGroupRule linked to a group with inline rules", async () => {
    const group = newGroup({ ingress: [inlineWeb] });
    const legacy = { type: "ingress", description: "SSH", protocol: "tcp", fromPort: 22, toPort: 22 };
    const run = await runStackPolicy(policy, [group, ruleOn(group, AwsType.legacyRule, legacy)]);
    assert.deepEqual(run, { violations: [{ message: mixed("ingress"), urn: group.urn }] });
  });

  it("names every standalone rule on the group", async () => {
    const group = newGroup({ ingress: [inlineWeb] });
    const https = stackResource(
      {
        type: AwsType.egressRule,
        name: "head-out",
        props: neverRead({ ipProtocol: "-1" }, "securityGroupId"),
      },
      { propertyDependencies: { securityGroupId: [group] } },
    );
    const run = await runStackPolicy(policy, [group, ruleOn(group), https]);
    assert.deepEqual(run.violations, [
      { message: mixed("ingress", "head", '"head-ssh", "head-out"'), urn: group.urn },
    ]);
  });

  it("fails a standalone rule on the VPC's default security group (NET-1)", async () => {
    const defaultGroup = stackResource({
      type: AwsType.defaultSecurityGroup,
      name: "vpc-default",
      props: neverRead({ ingress: [], egress: [] }, "id", "vpcId"),
    });
    const run = await runStackPolicy(policy, [defaultGroup, ruleOn(defaultGroup)]);
    assert.deepEqual(run, {
      violations: [
        {
          message:
            'Remove the standalone rules "head-ssh" from default security group "vpc-default": the default group must carry no rules (NET-1), and it owns its whole rule set, so the two would overwrite each other (NET-9).',
          urn: defaultGroup.urn,
        },
      ],
    });
  });

  it("links rules only through propertyDependencies, never by the ID value", async () => {
    // The rule holds the group's ID as a literal, so the engine records no dependency: a group
    // outside the stack as far as the policy can tell, and no ID is compared.
    const group = newGroup({ ingress: [inlineWeb] });
    const literal = stackResource({
      type: AwsType.ingressRule,
      name: "head-ssh",
      props: { ...sshOutputs, cidrIpv4: "203.0.113.0/24", securityGroupId: "sg-0123" },
    });
    assert.deepEqual(await runStackPolicy(policy, [group, literal]), { violations: [] });
  });

  it("ignores dependencies of securityGroupId that are not security groups", async () => {
    const vpc = stackResource({ type: "aws:ec2/vpc:Vpc", name: "vpc", props: { ingress: [inlineWeb] } });
    const group = newGroup();
    const rule = stackResource(
      { type: AwsType.ingressRule, name: "head-ssh", props: neverRead(sshOutputs, "securityGroupId") },
      { propertyDependencies: { securityGroupId: [vpc, group] } },
    );
    assert.deepEqual(await runStackPolicy(policy, [vpc, group, rule]), { violations: [] });
  });
});
