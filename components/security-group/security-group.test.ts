import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DefaultDenySecurityGroup, DefaultDenySecurityGroupArgs } from "./security-group";
import { ALL_EGRESS_DESCRIPTION } from "./security-group-args";
import { Recorded, installRecordingMocks, valueOf, waitForRegistrations } from "../testing/recording-mocks";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

let recorded: () => Recorded[];
before(async () => {
  recorded = (await installRecordingMocks()).all;
});

const named = (name: string) => recorded().filter((r) => r.name === name || r.name.startsWith(`${name}-`));

const args: DefaultDenySecurityGroupArgs = {
  vpcId: pulumi.output("vpc-1"),
  role: "head",
  description: "Moat acme head nodes (NET-6)",
  egress: "all",
};

async function create(name: string, change: Partial<DefaultDenySecurityGroupArgs>) {
  const group = new DefaultDenySecurityGroup(name, { ...args, ...change });
  await waitForRegistrations();
  const children = named(name).filter((r) => r.name !== name);
  return { group, children, urn: await valueOf(group.urn) };
}

describe("DefaultDenySecurityGroup (NET-1, NET-2, NET-9)", () => {
  it("registers as moat:network:DefaultDenySecurityGroup and parents its children to itself", async () => {
    const { children, urn } = await create("sg-all", {});
    assert.equal(
      named("sg-all").find((r) => r.name === "sg-all")?.type,
      "moat:network:DefaultDenySecurityGroup",
    );
    assert.deepEqual(
      children.map((c) => `${c.type} ${c.name}`).sort(),
      [`${EGRESS} sg-all-egress-all`, `${SG} sg-all-sg`].sort(),
    );
    for (const c of children) {
      assert.equal(c.parent, urn, c.name);
    }
  });

  it("NET-1/NET-9: the group declares no inline ingress or egress, not even empty lists", async () => {
    const { children } = await create("sg-inline", {});
    const group = children.find((c) => c.type === SG);
    assert.deepEqual(group?.inputs, {
      vpcId: "vpc-1",
      description: "Moat acme head nodes (NET-6)",
      tags: { Name: "sg-inline", "moat:role": "head" },
    });
    assert.ok(!("ingress" in (group?.inputs ?? {})) && !("egress" in (group?.inputs ?? {})));
  });

  it("NET-2: 'all' adds one explicit all-traffic egress rule to 0.0.0.0/0", async () => {
    const { group, children } = await create("sg-open", {});
    assert.deepEqual(children.find((c) => c.type === EGRESS)?.inputs, {
      securityGroupId: "sg-open-sg-id",
      description: ALL_EGRESS_DESCRIPTION,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    assert.equal(await valueOf(group.securityGroupId), "sg-open-sg-id");
  });

  it("NET-2: an allowlist adds one standalone egress rule per entry and no all-traffic rule", async () => {
    const { children } = await create("sg-list", {
      egress: [
        { cidr: "0.0.0.0/0", protocol: "tcp", fromPort: 443, description: "HTTPS anywhere" },
        { cidr: "10.0.0.0/8", protocol: "all", description: "On-premises" },
      ],
    });
    const rules = children.filter((c) => c.type === EGRESS);
    assert.deepEqual(rules.map((r) => [r.name, r.inputs]).sort(), [
      [
        "sg-list-egress-all-10.0.0.0-8",
        {
          securityGroupId: "sg-list-sg-id",
          description: "On-premises",
          ipProtocol: "-1",
          cidrIpv4: "10.0.0.0/8",
        },
      ],
      [
        "sg-list-egress-tcp-443-0.0.0.0-0",
        {
          securityGroupId: "sg-list-sg-id",
          description: "HTTPS anywhere",
          ipProtocol: "tcp",
          cidrIpv4: "0.0.0.0/0",
          fromPort: 443,
          toPort: 443,
        },
      ],
    ]);
  });

  it("NET-11: 'none' creates the group alone, with no egress rule", async () => {
    const { children } = await create("sg-none", { role: "quarantine", egress: "none" });
    assert.deepEqual(
      children.map((c) => c.type),
      [SG],
    );
    assert.deepEqual(children[0].inputs.tags, { Name: "sg-none", "moat:role": "quarantine" });
  });

  it("throws every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new DefaultDenySecurityGroup("sg-bad", {
          ...args,
          description: "",
          egress: [{ cidr: "10.0.0.0/8", protocol: "tcp", description: "x" }],
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["description", "egress[0].fromPort"],
        );
        assert.match(err.message, /^Invalid DefaultDenySecurityGroup "sg-bad" args:/);
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(named("sg-bad"), []);
  });
});
