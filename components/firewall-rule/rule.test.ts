import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { FirewallRuleContext, FirewallRuleSpec, firewallRuleProblems, validateFirewallRule } from "./rule";

const context: FirewallRuleContext = { tenantCidrs: ["10.42.0.0/16", "203.0.113.0/24"] };

const ssh: FirewallRuleSpec = {
  securityGroupId: "sg-head",
  description: "NET-6: SSH to head nodes from office VPN (203.0.113.0/24)",
  protocol: "tcp",
  fromPort: 22,
  toPort: 22,
  source: { cidr: "203.0.113.0/24" },
};

const paths = (rule: FirewallRuleSpec, ctx: FirewallRuleContext = context) =>
  firewallRuleProblems(rule, ctx).map((p) => p.propertyPath);

describe("validateFirewallRule: accepted rules (NET-1, NET-3, NET-9)", () => {
  const accepted: Array<[string, FirewallRuleSpec, FirewallRuleContext?]> = [
    ["NET-6: SSH from an allowlisted range", ssh],
    ["NET-9: a single port without toPort", { ...ssh, toPort: undefined }],
    [
      "NET-9: HTTPS from inside the VPC",
      { ...ssh, fromPort: 443, toPort: 443, source: { cidr: "10.42.0.0/16" } },
    ],
    ["NET-4: a host inside an allowlisted range", { ...ssh, source: { cidr: "203.0.113.7/32" } }],
    [
      "NET-9: a udp range from the VPC",
      { ...ssh, protocol: "udp", fromPort: 60000, toPort: 61000, source: { cidr: "10.42.8.0/24" } },
    ],
    [
      "NET-9: icmp from the VPC, any type",
      { ...ssh, protocol: "icmp", fromPort: undefined, toPort: undefined, source: { cidr: "10.42.0.0/16" } },
    ],
    [
      "NET-3: all traffic between security groups",
      {
        ...ssh,
        protocol: "all",
        fromPort: undefined,
        toPort: undefined,
        source: { securityGroupId: "sg-cluster", label: "cluster" },
      },
    ],
    [
      "NET-9: every tcp port from a security group",
      { ...ssh, fromPort: 1, toPort: 65535, source: { securityGroupId: "sg-x", label: "x" } },
    ],
    [
      "NET-6: SSH from the world when acknowledged",
      { ...ssh, source: { cidr: "0.0.0.0/0" } },
      { ...context, acknowledgeWorldSsh: true },
    ],
  ];
  for (const [title, rule, ctx] of accepted) {
    it(title, () => assert.deepEqual(validateFirewallRule(rule, ctx ?? context), []));
  }
});

describe("validateFirewallRule: refused rules (NET-4, NET-6, NET-9)", () => {
  const refused: Array<[string, Partial<FirewallRuleSpec>, string, RegExp, FirewallRuleContext?]> = [
    [
      "NET-9: missing description",
      { description: "" },
      "description",
      /^is missing; say which flow the rule allows/,
    ],
    [
      "NET-9: description AWS refuses",
      { description: "Alice's VPN" },
      "description",
      /contains "'", which AWS refuses/,
    ],
    [
      "NET-9: description over 255 characters",
      { description: "x".repeat(256) },
      "description",
      /is 256 characters long; AWS accepts at most 255/,
    ],
    ["NET-9: port 0", { fromPort: 0, toPort: 22 }, "fromPort", /^port 0 is not a real tcp port/],
    [
      "NET-9: fromPort > toPort",
      { fromPort: 443, toPort: 22 },
      "fromPort",
      /^443 is greater than toPort 22; swap them$/,
    ],
    ["NET-9: port above 65535", { fromPort: 22, toPort: 70000 }, "toPort", /^70000 is outside 1-65535/],
    ["NET-9: a fractional port", { fromPort: 22.5 }, "fromPort", /^22\.5 is outside 1-65535/],
    [
      "NET-9: tcp without ports",
      { fromPort: undefined, toPort: undefined },
      "fromPort",
      /^is missing; a tcp rule needs an explicit port/,
    ],
    [
      "NET-9: ports on all traffic",
      { protocol: "all", toPort: undefined, source: { securityGroupId: "sg", label: "g" } },
      "fromPort",
      /^remove it: protocol all covers every port/,
    ],
    [
      "NET-9: unknown protocol",
      { protocol: "sctp" as FirewallRuleSpec["protocol"] },
      "protocol",
      /^"sctp" is not one of tcp, udp, icmp, all$/,
    ],
    [
      "NET-9: icmp type out of range",
      { protocol: "icmp", fromPort: 300, toPort: -1, source: { cidr: "10.42.0.0/16" } },
      "fromPort",
      /is not an ICMP type/,
    ],
    [
      "NET-9: all traffic from a CIDR",
      { protocol: "all", fromPort: undefined, toPort: undefined },
      "protocol",
      /^all traffic from CIDR 203\.0\.113\.0\/24 opens every port; only rules between security groups/,
    ],
    [
      "NET-9: every tcp port from a CIDR",
      { fromPort: 1, toPort: 65535 },
      "fromPort",
      /^tcp 1-65535 from CIDR .* opens every port/,
    ],
    [
      "NET-9: 0-65535 udp from a CIDR",
      { protocol: "udp", fromPort: 0, toPort: 65535 },
      "fromPort",
      /^udp 0-65535 from CIDR .* opens every port/,
    ],
    [
      "NET-4: a CIDR outside the tenant",
      { source: { cidr: "198.51.100.0/24" } },
      "source.cidr",
      /^198\.51\.100\.0\/24 is outside the tenant's VPC and allowlists \(10\.42\.0\.0\/16, 203\.0\.113\.0\/24\), so it could be another tenant's range \(NET-4\)/,
    ],
    [
      "NET-4: a CIDR wider than the allowlisted one",
      { source: { cidr: "203.0.112.0/23" } },
      "source.cidr",
      /is outside the tenant's VPC/,
    ],
    [
      "NET-9: a CIDR not written as its network address",
      { source: { cidr: "203.0.113.5/24" } },
      "source.cidr",
      /write 203\.0\.113\.0\/24, or 203\.0\.113\.5\/32 for that one host/,
    ],
    [
      "NET-9: a source that is not a CIDR",
      { source: { cidr: "office" } },
      "source.cidr",
      /^"office" is not an IPv4 CIDR block/,
    ],
    [
      "NET-6: SSH from the world, not acknowledged",
      { source: { cidr: "0.0.0.0/0" } },
      "source.cidr",
      /^0\.0\.0\.0\/0 opens tcp 22 to the whole internet \(NET-6\); .*acknowledgeWorldSsh: true/,
    ],
    [
      "NET-6: the acknowledgement covers SSH only",
      { fromPort: 443, toPort: 443, source: { cidr: "0.0.0.0/0" } },
      "source.cidr",
      /^0\.0\.0\.0\/0 opens tcp 443 to the whole internet; acknowledgeWorldSsh covers SSH \(tcp 22\) only/,
      { ...context, acknowledgeWorldSsh: true },
    ],
    [
      "NET-6: the acknowledgement covers port 22 alone, not a range",
      { fromPort: 22, toPort: 23, source: { cidr: "0.0.0.0/0" } },
      "source.cidr",
      /opens tcp 22-23 to the whole internet; acknowledgeWorldSsh covers SSH/,
      { ...context, acknowledgeWorldSsh: true },
    ],
    [
      "NET-9: two sources",
      { source: { cidr: "10.42.0.0/16", securityGroupId: "sg", label: "g" } as FirewallRuleSpec["source"] },
      "source",
      /^names both a CIDR and a security group; give exactly one/,
    ],
    [
      "NET-9: no source",
      { source: {} as FirewallRuleSpec["source"] },
      "source",
      /^is missing; give exactly one/,
    ],
    [
      "NET-9: a group source without a label",
      { source: { securityGroupId: "sg", label: " " } },
      "source.label",
      /^is missing; name the source group/,
    ],
    [
      "NET-9: an empty group ID",
      { source: { securityGroupId: "", label: "g" } },
      "source.securityGroupId",
      /^is empty/,
    ],
  ];
  for (const [title, change, path, reason, ctx] of refused) {
    it(`${title}: refused at ${path}`, () => {
      const problems = firewallRuleProblems({ ...ssh, ...change }, ctx ?? context);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }

  it("NET-4: an acknowledged world allowlist never makes another range the tenant's", () => {
    const world = { tenantCidrs: ["10.42.0.0/16", "0.0.0.0/0"], acknowledgeWorldSsh: true };
    assert.deepEqual(
      paths({ ...ssh, fromPort: 443, toPort: 443, source: { cidr: "198.51.100.0/24" } }, world),
      ["source.cidr"],
    );
    assert.deepEqual(paths({ ...ssh, source: { cidr: "0.0.0.0/0" } }, world), []);
  });

  it("reports an invalid tenant CIDR in the context by its index", () => {
    assert.deepEqual(paths(ssh, { tenantCidrs: ["203.0.113.0/24", "nope"] }), ["context.tenantCidrs[1]"]);
  });

  it("reports every problem of a rule at once, as path: reason lines", () => {
    const lines = validateFirewallRule(
      { ...ssh, description: "", fromPort: 0, toPort: 22, source: { cidr: "198.51.100.0/24" } },
      context,
    );
    assert.deepEqual(
      lines.map((l) => l.split(":")[0]),
      ["description", "fromPort", "source.cidr"],
    );
  });

  it("NET-9: refuses every CIDR rule that opens all tcp or udp ports, whatever the CIDR", () => {
    const rule = fc.record({
      protocol: fc.constantFrom("tcp" as const, "udp" as const),
      fromPort: fc.constantFrom(0, 1),
      cidr: fc.constantFrom("10.42.0.0/16", "203.0.113.0/24", "0.0.0.0/0", "198.51.100.0/24"),
    });
    fc.assert(
      fc.property(rule, ({ protocol, fromPort, cidr }) => {
        const problems = firewallRuleProblems(
          { ...ssh, protocol, fromPort, toPort: 65535, source: { cidr } },
          { ...context, acknowledgeWorldSsh: true },
        );
        assert.ok(problems.some((p) => p.propertyPath === "fromPort" && /opens every port/.test(p.reason)));
      }),
    );
  });

  it("NET-6: refuses the world on every port but 22, even when acknowledged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 65534 }).filter((p) => p !== 22),
        (port) => {
          const rule = { ...ssh, fromPort: port, toPort: port, source: { cidr: "0.0.0.0/0" } };
          assert.deepEqual(paths(rule, { ...context, acknowledgeWorldSsh: true }), ["source.cidr"]);
        },
      ),
    );
  });
});
