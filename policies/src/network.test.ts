// NET resource policies on security groups. Firewall rules: network.rules.test.ts; the stack
// policy: network.stack.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsType } from "./firewall-rule";
import {
  netDefaultSecurityGroupNoRules,
  netSecurityGroupNoInlineEgress,
  netSecurityGroupNoInlineIngress,
} from "./network";
import { neverRead, runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

// Inline rules as a user would declare them, with a source group that is unknown at preview.
const inlineSsh = {
  description: "SSH",
  protocol: "tcp",
  fromPort: 22,
  toPort: 22,
  securityGroups: [unknown.string],
};

describe("net-default-security-group-no-rules", () => {
  const policy = netDefaultSecurityGroupNoRules;
  const group = (props: Record<string, unknown>) => ({
    type: AwsType.defaultSecurityGroup,
    name: "vpc-default",
    props: neverRead({ tags: { tenant: "t1" }, ...props }, "vpcId"),
  });
  const message = (direction: string) =>
    `Remove the ${direction} rules from default security group "vpc-default": the VPC's default group must carry none, so a resource left in it gets no network access (NET-1).`;

  it("passes a default group that declares no rules", async () => {
    assert.deepEqual(await runResourcePolicy(policy, group({})), passes);
  });

  it("passes empty rule lists", async () => {
    assert.deepEqual(await runResourcePolicy(policy, group({ ingress: [], egress: [] })), passes);
  });

  it("fails an ingress rule", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, group({ ingress: [inlineSsh] })),
      fails(message("ingress")),
    );
  });

  it("fails an egress rule", async () => {
    const egress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];
    assert.deepEqual(await runResourcePolicy(policy, group({ egress })), fails(message("egress")));
  });

  it("fails a rule list that is unknown at preview instead of skipping it", async () => {
    const run = await runResourcePolicy(policy, group({ ingress: unknown.array, egress: unknown.array }));
    assert.deepEqual(run, fails(message("ingress"), message("egress")));
  });

  it("does not apply to other resource types", async () => {
    const run = await runResourcePolicy(policy, { type: AwsType.securityGroup, props: {} });
    assert.equal(
      run.notApplicable,
      `Policy only applies to resources of type '${AwsType.defaultSecurityGroup}'`,
    );
  });
});

describe("net-security-group-no-inline-ingress / -egress", () => {
  // A compliant group: rules come from standalone resources; vpcId is computed by the VPC.
  const group = (props: Record<string, unknown>) => ({
    type: AwsType.securityGroup,
    name: "head",
    props: neverRead({ description: "Head node", tags: { tenant: "t1" }, ...props }, "vpcId"),
  });
  const moveIngress =
    'Move the inline ingress rules of security group "head" into standalone aws.vpc.SecurityGroupIngressRule resources, one per flow with a description (NET-1, NET-9).';
  const moveEgress =
    'Move the inline egress rules of security group "head" into standalone aws.vpc.SecurityGroupEgressRule resources, one per flow with a description (NET-9).';

  it("passes a group without inline rules", async () => {
    assert.deepEqual(await runResourcePolicy(netSecurityGroupNoInlineIngress, group({})), passes);
    assert.deepEqual(await runResourcePolicy(netSecurityGroupNoInlineEgress, group({})), passes);
  });

  it("fails inline ingress, reading none of its computed sources", async () => {
    const run = await runResourcePolicy(netSecurityGroupNoInlineIngress, group({ ingress: [inlineSsh] }));
    assert.deepEqual(run, fails(moveIngress));
  });

  it("fails inline ingress that is unknown at preview", async () => {
    const run = await runResourcePolicy(netSecurityGroupNoInlineIngress, group({ ingress: unknown.array }));
    assert.deepEqual(run, fails(moveIngress));
  });

  it("fails an empty ingress list, which would revoke standalone rules", async () => {
    const run = await runResourcePolicy(netSecurityGroupNoInlineIngress, group({ ingress: [] }));
    assert.deepEqual(
      run,
      fails(
        'Remove the empty ingress list from security group "head": even an empty list makes the group own its ingress rules, so it revokes the standalone ones on update (NET-1, NET-9).',
      ),
    );
  });

  it("fails inline egress, and leaves it to the egress policy", async () => {
    const egress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];
    assert.deepEqual(
      await runResourcePolicy(netSecurityGroupNoInlineEgress, group({ egress })),
      fails(moveEgress),
    );
    assert.deepEqual(await runResourcePolicy(netSecurityGroupNoInlineIngress, group({ egress })), passes);
  });
});
