import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { IngressRuleShape, RuleSource, checkIngressRule, normalizeProtocol } from "./firewall-rule";
import { UNKNOWN } from "./props";

const cidr: RuleSource = { property: "cidrIpv4", kind: "cidr" };
const group: RuleSource = { property: "referencedSecurityGroupId", kind: "security-group" };

const shape = (changes: Partial<IngressRuleShape> = {}): IngressRuleShape => ({
  label: 'ingress rule "r"',
  protocolProperty: "ipProtocol",
  sourceProperties: "cidrIpv4, cidrIpv6, referencedSecurityGroupId or prefixListId",
  description: "SSH",
  protocol: "tcp",
  fromPort: 22,
  toPort: 22,
  sources: [cidr],
  ...changes,
});

const validRange = (from: number, to: number) => 1 <= from && from <= to && to <= 65535;
const port = fc.integer({ min: -2, max: 70_000 });

describe("normalizeProtocol", () => {
  const table: [string, string][] = [
    ["-1", "all"],
    ["all", "all"],
    [" ALL ", "all"],
    ["6", "tcp"],
    ["TCP", "tcp"],
    ["17", "udp"],
    ["1", "icmp"],
    ["58", "icmpv6"],
    ["50", "50"],
  ];
  for (const [input, expected] of table) {
    it(`maps "${input}" to "${expected}"`, () => assert.equal(normalizeProtocol(input), expected));
  }
});

describe("checkIngressRule", () => {
  it("passes the happy path", () => assert.deepEqual(checkIngressRule(shape()), []));

  it("reports every problem of a rule at once", () => {
    const problems = checkIngressRule(shape({ description: undefined, sources: [], toPort: UNKNOWN }));
    assert.deepEqual(problems, [
      'Add a description to ingress rule "r" that says which flow it allows and why (NET-9).',
      'Give ingress rule "r" exactly one source: set one of cidrIpv4, cidrIpv6, referencedSecurityGroupId or prefixListId (NET-9).',
      'Set toPort on ingress rule "r" to a literal value: it is unknown at preview, so this policy cannot verify the rule (NET-9, POL-2).',
    ]);
  });

  it("accepts exactly the real port ranges between security groups", () => {
    fc.assert(
      fc.property(fc.constantFrom("tcp", "udp", "6", "17"), port, port, (protocol, fromPort, toPort) => {
        const problems = checkIngressRule(shape({ protocol, fromPort, toPort, sources: [group] }));
        assert.equal(problems.length === 0, validRange(fromPort, toPort));
      }),
    );
  });

  it("refuses all ports from a CIDR, and only that, among real ranges", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), (a, b) => {
        const [fromPort, toPort] = a <= b ? [a, b] : [b, a];
        const problems = checkIngressRule(shape({ fromPort, toPort }));
        const allPorts = fromPort === 1 && toPort === 65535;
        assert.equal(problems.length, allPorts ? 1 : 0);
        assert.equal(
          problems.some((p) => p.startsWith("Narrow")),
          allPorts,
        );
      }),
      { examples: [[1, 65535]] },
    );
  });

  it("refuses all traffic from any CIDR-like source and allows it between groups", () => {
    const sources = fc.constantFrom<RuleSource>(
      cidr,
      { property: "cidrIpv6", kind: "cidr" },
      { property: "prefixListId", kind: "prefix-list" },
    );
    fc.assert(
      fc.property(fc.constantFrom("-1", "all", "ALL"), sources, (protocol, source) => {
        const open = checkIngressRule(
          shape({ protocol, fromPort: undefined, toPort: undefined, sources: [source] }),
        );
        assert.equal(open.length, 1);
        assert.match(
          open[0],
          /^Narrow ingress rule "r" to the ports its flow needs: it opens all protocols and ports/,
        );
        const between = checkIngressRule(
          shape({ protocol, fromPort: undefined, toPort: undefined, sources: [group] }),
        );
        assert.deepEqual(between, []);
      }),
    );
  });

  it("names the rule and a requirement in every message", () => {
    const read = <T>(value: fc.Arbitrary<T>) => fc.option(fc.oneof(value, fc.constant(UNKNOWN)));
    const source = fc.record({
      property: fc.constantFrom("cidrIpv4", "referencedSecurityGroupId", "cidrBlocks[0]", "self"),
      kind: fc.constantFrom<RuleSource["kind"]>("cidr", "prefix-list", "security-group"),
      unknownAtPreview: fc.boolean(),
    });
    fc.assert(
      fc.property(
        read(fc.string()),
        read(fc.constantFrom("tcp", "udp", "-1", "icmp", "", "50")),
        read(port),
        read(port),
        fc.array(source, { maxLength: 3 }),
        (description, protocol, fromPort, toPort, sources) => {
          const undef = <T>(v: T | null) => (v === null ? undefined : v);
          const problems = checkIngressRule(
            shape({
              description: undef(description),
              protocol: undef(protocol),
              fromPort: undef(fromPort),
              toPort: undef(toPort),
              sources,
            }),
          );
          for (const problem of problems) {
            assert.match(problem, /ingress rule "r"/);
            assert.match(problem, /\((NET-9|NET-9, POL-2)\)\.$/);
          }
        },
      ),
    );
  });
});
