import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import type { DefaultDenySecurityGroupArgs } from "./security-group";
import {
  ALL_EGRESS_DESCRIPTION,
  EgressAllow,
  egressProblems,
  planEgressRules,
  validateSecurityGroupArgs,
} from "./security-group-args";

const https: EgressAllow = {
  cidr: "0.0.0.0/0",
  protocol: "tcp",
  fromPort: 443,
  description: "HTTPS anywhere",
};

describe("planEgressRules (NET-2)", () => {
  it("NET-2: 'all' is one explicit all-traffic rule to 0.0.0.0/0", () => {
    assert.deepEqual(planEgressRules("all"), [
      { key: "all", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: ALL_EGRESS_DESCRIPTION },
    ]);
    assert.match(ALL_EGRESS_DESCRIPTION, /^NET-2: /);
  });

  it("NET-11: 'none' plans no egress rule at all", () => {
    assert.deepEqual(planEgressRules("none"), []);
  });

  it("NET-2: an allowlist plans one rule per entry, keyed by content", () => {
    assert.deepEqual(
      planEgressRules([
        https,
        { cidr: "10.0.0.0/8", protocol: "udp", fromPort: 123, toPort: 124, description: "NTP" },
        { cidr: "192.168.0.0/16", protocol: "all", description: "On-premises" },
      ]),
      [
        {
          key: "tcp-443-0.0.0.0-0",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: "0.0.0.0/0",
          description: "HTTPS anywhere",
        },
        {
          key: "udp-123-124-10.0.0.0-8",
          ipProtocol: "udp",
          fromPort: 123,
          toPort: 124,
          cidrIpv4: "10.0.0.0/8",
          description: "NTP",
        },
        {
          key: "all-192.168.0.0-16",
          ipProtocol: "-1",
          cidrIpv4: "192.168.0.0/16",
          description: "On-premises",
        },
      ],
    );
  });

  it("keys do not depend on the order of the allowlist", () => {
    const entries = fc.uniqueArray(
      fc.record({ port: fc.integer({ min: 1, max: 65535 }), octet: fc.integer({ min: 0, max: 255 }) }),
      { selector: (e) => `${e.port}-${e.octet}`, minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(entries, (list) => {
        const allow = list.map(({ port, octet }): EgressAllow => ({
          cidr: `10.${octet}.0.0/16`,
          protocol: "tcp",
          fromPort: port,
          description: "d",
        }));
        const keys = (l: EgressAllow[]) => new Set(planEgressRules(l).map((r) => r.key));
        assert.deepEqual(keys(allow), keys([...allow].reverse()));
        assert.equal(keys(allow).size, allow.length);
      }),
    );
  });

  it("throws with every problem when the egress setting is invalid", () => {
    assert.throws(() => planEgressRules([]), /Cannot plan egress rules: egress: is an empty allowlist/);
  });
});

describe("egressProblems (NET-2, NET-9)", () => {
  const refused: Array<[string, unknown, string, RegExp]> = [
    ["an empty allowlist", [], "egress", /^is an empty allowlist; .* or say "none"/],
    ["an unknown setting", "any", "egress", /^must be "all", "none" or a list/],
    ["a bad CIDR", [{ ...https, cidr: "0.0.0.0" }], "egress[0].cidr", /is not an IPv4 CIDR block/],
    ["icmp", [{ ...https, protocol: "icmp" }], "egress[0].protocol", /"icmp" is not one of tcp, udp, all/],
    [
      "tcp without a port",
      [{ ...https, fromPort: undefined }],
      "egress[0].fromPort",
      /^is missing; a tcp rule/,
    ],
    ["ports on all traffic", [{ ...https, protocol: "all" }], "egress[0].fromPort", /^remove it/],
    [
      "a missing description",
      [{ ...https, description: "" }],
      "egress[0].description",
      /^is missing; say why nodes may reach/,
    ],
    [
      "a duplicate entry",
      [https, { ...https, toPort: 443, description: "again" }],
      "egress[1]",
      /^repeats egress\[0\]; AWS refuses duplicate rules/,
    ],
  ];
  for (const [title, egress, path, reason] of refused) {
    it(`refuses ${title} at ${path}`, () => {
      const problems = egressProblems(egress);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }

  it("prefixes paths with the caller's property", () => {
    assert.deepEqual(
      egressProblems([{ ...https, cidr: "x" }], "access.egress").map((p) => p.propertyPath),
      ["access.egress[0].cidr"],
    );
  });
});

describe("validateSecurityGroupArgs (NET-1)", () => {
  const good: DefaultDenySecurityGroupArgs = {
    vpcId: "vpc-1",
    role: "head",
    description: "Moat acme head nodes (NET-6)",
    egress: "all",
  };

  it("accepts compliant args", () => {
    assert.deepEqual(validateSecurityGroupArgs(good), []);
  });

  it("reports every broken property in one pass", () => {
    const problems = validateSecurityGroupArgs({
      ...good,
      role: "gpu" as DefaultDenySecurityGroupArgs["role"],
      description: "café",
      egress: [],
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["role", "description", "egress"],
    );
    assert.match(problems[0].reason, /^"gpu" is not a moat:role; use one of bastion, head, compute, cluster/);
    assert.match(problems[1].reason, /contains "é", which AWS refuses/);
  });
});
