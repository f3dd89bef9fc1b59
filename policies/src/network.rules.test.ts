// net-firewall-rule-explicit on both resource types it covers, each from a compliant happy path
// with one field changed per test. Group IDs are computed, so they are never readable here.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsType } from "./firewall-rule";
import { netFirewallRuleExplicit } from "./network";
import { neverRead, runResourcePolicy, unknown } from "./testing";

describe("net-firewall-rule-explicit: aws.vpc.SecurityGroupIngressRule", () => {
  const policy = netFirewallRuleExplicit;
  const label = 'ingress rule "head-ssh"';
  // The happy path: SSH from one office CIDR. securityGroupId is the group's computed ID.
  const rule = (changes: Record<string, unknown> = {}) => ({
    type: AwsType.ingressRule,
    name: "head-ssh",
    props: neverRead(
      {
        description: "SSH from the office",
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: "203.0.113.0/24",
        ...changes,
      },
      "securityGroupId",
    ),
  });
  const check = async (changes: Record<string, unknown>, ...violations: string[]) =>
    assert.deepEqual(await runResourcePolicy(policy, rule(changes)), { violations });

  it("passes a described SSH rule from one CIDR", () => check({}));

  it("passes a source CIDR computed at preview (the VPC's own block)", () =>
    check({ cidrIpv4: unknown.string }));

  it("passes all traffic between security groups, whose ID is unknown at preview (NET-3)", () =>
    check({
      ipProtocol: "-1",
      fromPort: undefined,
      toPort: undefined,
      cidrIpv4: undefined,
      referencedSecurityGroupId: unknown.string,
    }));

  it("passes ICMP from a CIDR without a port range", () =>
    check({ ipProtocol: "icmp", fromPort: -1, toPort: -1 }));

  it("fails a missing description", () =>
    check(
      { description: undefined },
      `Add a description to ${label} that says which flow it allows and why (NET-9).`,
    ));

  it("fails a blank description", () =>
    check(
      { description: "  " },
      `Add a description to ${label} that says which flow it allows and why (NET-9).`,
    ));

  it("fails a description that is unknown at preview", () =>
    check(
      { description: unknown.string },
      `Set description on ${label} to a literal value: it is unknown at preview, so this policy cannot verify the rule (NET-9, POL-2).`,
    ));

  it("fails a missing protocol", () =>
    check(
      { ipProtocol: undefined },
      `Set ipProtocol on ${label} to an explicit protocol such as "tcp", "udp", "icmp" or "-1" (NET-9).`,
    ));

  it("fails a rule without a source", () =>
    check(
      { cidrIpv4: undefined },
      `Give ${label} exactly one source: set one of cidrIpv4, cidrIpv6, referencedSecurityGroupId or prefixListId (NET-9).`,
    ));

  it("fails a rule with two sources", () =>
    check(
      { cidrIpv6: "2001:db8::/64" },
      `Split ${label} into one rule per source: it declares cidrIpv4, cidrIpv6 (NET-9).`,
    ));

  it("fails a tcp rule without ports", () =>
    check(
      { fromPort: undefined, toPort: undefined },
      `Set fromPort on ${label}: a tcp rule needs an explicit port range (NET-9).`,
      `Set toPort on ${label}: a tcp rule needs an explicit port range (NET-9).`,
    ));

  for (const [fromPort, toPort] of [
    [0, 22],
    [443, 80],
    [22, 70000],
  ]) {
    it(`fails the port range ${fromPort}-${toPort}`, () =>
      check(
        { fromPort, toPort },
        `Set a real port range on ${label}: ports must satisfy 1 <= fromPort <= toPort <= 65535, not ${fromPort}-${toPort} (NET-9).`,
      ));
  }

  for (const ipProtocol of ["-1", "all", "ALL"]) {
    it(`fails all traffic (${ipProtocol}) from a CIDR`, () =>
      check(
        { ipProtocol, fromPort: undefined, toPort: undefined },
        `Narrow ${label} to the ports its flow needs: it opens all protocols and ports to CIDR source cidrIpv4; only rules between security groups may allow all traffic (NET-9).`,
      ));
  }

  for (const [ipProtocol, fromPort] of [
    ["tcp", 0],
    ["6", 1],
    ["udp", 1],
  ] as const) {
    const name = ipProtocol === "udp" ? "udp" : "tcp";
    it(`fails all ${name} ports ${fromPort}-65535 (protocol "${ipProtocol}") from a CIDR`, () =>
      check(
        { ipProtocol, fromPort, toPort: 65535 },
        `Narrow ${label} to the ports its flow needs: it opens all ${name} ports to CIDR source cidrIpv4; only rules between security groups may allow all traffic (NET-9).`,
      ));
  }

  it("fails all traffic from a prefix list, a named set of CIDRs", () =>
    check(
      { ipProtocol: "-1", cidrIpv4: undefined, prefixListId: unknown.string },
      `Narrow ${label} to the ports its flow needs: it opens all protocols and ports to prefix-list source prefixListId; only rules between security groups may allow all traffic (NET-9).`,
    ));

  it("fails ports that are unknown at preview", () =>
    check(
      { toPort: unknown.number },
      `Set toPort on ${label} to a literal value: it is unknown at preview, so this policy cannot verify the rule (NET-9, POL-2).`,
    ));
});

describe("net-firewall-rule-explicit: legacy aws.ec2.SecurityGroupRule", () => {
  const policy = netFirewallRuleExplicit;
  const label = 'security group rule "head-ssh"';
  const rule = (changes: Record<string, unknown> = {}) => ({
    type: AwsType.legacyRule,
    name: "head-ssh",
    props: neverRead(
      {
        type: "ingress",
        description: "SSH from the office",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: ["203.0.113.0/24"],
        ...changes,
      },
      "securityGroupId",
    ),
  });
  const check = async (changes: Record<string, unknown>, ...violations: string[]) =>
    assert.deepEqual(await runResourcePolicy(policy, rule(changes)), { violations });

  it("passes a described SSH rule from one CIDR", () => check({}));

  it("passes a CIDR list of one computed entry", () => check({ cidrBlocks: [unknown.string] }));

  it("passes self-referencing all traffic (NET-3)", () =>
    check({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: undefined, self: true }));

  it("fails two CIDR blocks in one rule", () =>
    check(
      { cidrBlocks: ["203.0.113.0/24", "198.51.100.0/24"] },
      `Split ${label} into one rule per source: it declares cidrBlocks[0], cidrBlocks[1] (NET-9).`,
    ));

  it("fails a CIDR list that is unknown at preview", () =>
    check(
      { cidrBlocks: unknown.array },
      `Set cidrBlocks on ${label} to a literal value: it is unknown at preview, so this policy cannot verify the rule (NET-9, POL-2).`,
    ));

  it("fails a CIDR next to a source group", () =>
    check(
      { sourceSecurityGroupId: unknown.string },
      `Split ${label} into one rule per source: it declares cidrBlocks[0], sourceSecurityGroupId (NET-9).`,
    ));

  it("fails all traffic from a CIDR", () =>
    check(
      { protocol: "all", fromPort: 0, toPort: 0 },
      `Narrow ${label} to the ports its flow needs: it opens all protocols and ports to CIDR source cidrBlocks[0]; only rules between security groups may allow all traffic (NET-9).`,
    ));

  it("fails a missing description", () =>
    check(
      { description: undefined },
      `Add a description to ${label} that says which flow it allows and why (NET-9).`,
    ));

  it("fails a rule type that is unknown at preview", () =>
    check(
      { type: unknown.string },
      `Set type on ${label} to a literal "ingress" or "egress": it is unknown at preview, so this policy cannot tell whether the rule lets traffic in (NET-9, POL-2).`,
    ));

  it("does not apply to egress rules", async () => {
    const run = await runResourcePolicy(policy, rule({ type: "egress", description: undefined }));
    assert.deepEqual(run, { violations: [], notApplicable: "Policy only applies to ingress rules" });
  });

  it("does not apply to security groups", async () => {
    const run = await runResourcePolicy(policy, { type: AwsType.securityGroup, props: {} });
    assert.deepEqual(run.violations, []);
    assert.match(run.notApplicable ?? "", /^Policy only applies to resources of type /);
  });
});
