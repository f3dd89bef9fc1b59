import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkCidrs, cidrsOverlap } from "./cidrs";
import { placeStack } from "./placement";
import { registration, testStack, type TestStack } from "./testing";

/** A stack with one VPC, joined to others by a transit gateway attachment when `attached`. */
const network = (spec: TestStack & { cidr: string }, attached = false) =>
  placeStack(
    testStack(spec, (s) => [
      registration(s, "aws:ec2/vpc:Vpc", `${s}-vpc`, { cidrBlock: spec.cidr }),
      ...(attached ? [registration(s, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", `${s}-tgw`)] : []),
    ]),
  );

/** An IPv4 CIDR block written as its network address. */
const cidr = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 30 }))
  .map(([address, bits]) => {
    const network = bits === 0 ? 0 : (address >>> (32 - bits)) << (32 - bits);
    return { start: network >>> 0, end: ((network >>> 0) + 2 ** (32 - bits) - 1) >>> 0, bits };
  })
  .map(({ start, end, bits }) => ({
    text: `${[24, 16, 8, 0].map((shift) => (start >>> shift) & 255).join(".")}/${bits}`,
    start,
    end,
  }));

describe("cidrsOverlap", () => {
  it("is true exactly when the address ranges share an address", () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        assert.equal(
          cidrsOverlap(a.text, b.text),
          a.start <= b.end && b.start <= a.end,
          `${a.text} ${b.text}`,
        );
        assert.equal(cidrsOverlap(a.text, b.text), cidrsOverlap(b.text, a.text));
      }),
    );
  });
});

describe("VPC ranges across the fleet", () => {
  it("fails overlapping ranges in one account and region, naming both stacks, files and ranges", () => {
    const findings = checkCidrs([
      network({ stack: "a", cidr: "10.20.0.0/16" }),
      network({ stack: "b", cidr: "10.20.16.0/20" }),
    ]);
    assert.deepEqual(findings, [
      {
        level: "error",
        check: "vpc-cidr",
        stacks: ["a", "b"],
        message:
          "VPC range 10.20.0.0/16 of a (stacks/Pulumi.a.yaml, resource a-vpc) overlaps 10.20.16.0/20 of b " +
          "(stacks/Pulumi.b.yaml, resource b-vpc) in account 111111111111, region us-east-1: tenants that share an " +
          "account and region need ranges of their own to be peered or share a VPN or transit gateway",
        fix: "give one of them a range no other stack uses in moat:network.cidr (this replaces its network; moat tenant new picks a free /20)",
      },
    ]);
  });

  it("fails overlapping ranges in two accounts when both stacks are joined to other networks", () => {
    const [finding] = checkCidrs([
      network({ stack: "a", cidr: "10.20.0.0/20" }, true),
      network({ stack: "b", cidr: "10.20.0.0/20", account: "222222222222", region: "eu-west-1" }, true),
    ]);
    assert.match(
      finding.message,
      /and both stacks are joined to other networks \(a: VpcAttachment "a-tgw"; b: VpcAttachment "b-tgw"\)/,
    );
  });

  it("passes distinct ranges, and overlapping ones apart in separate accounts or regions, unjoined", () => {
    assert.deepEqual(
      checkCidrs([
        network({ stack: "a", cidr: "10.20.0.0/20" }),
        network({ stack: "b", cidr: "10.20.16.0/20" }),
      ]),
      [],
    );
    assert.deepEqual(
      checkCidrs([
        network({ stack: "a", cidr: "10.20.0.0/20" }, true),
        network({ stack: "b", cidr: "10.20.0.0/20", region: "eu-west-1" }),
        network({ stack: "c", cidr: "10.20.0.0/20", account: "222222222222" }),
      ]),
      [],
    );
  });
});
