import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { planSubnets, SUBNET_TIERS, validateNetworkCidr } from "./subnet-plan";

// The test's own address maths, independent of the code under test.
function toNumber(address: string): number {
  return ipaddr.IPv4.parse(address)
    .toByteArray()
    .reduce((sum, octet) => sum * 256 + octet, 0);
}

function toDotted(value: number): string {
  return [3, 2, 1, 0].map((place) => Math.floor(value / 256 ** place) % 256).join(".");
}

function interval(cidr: string): { start: number; end: number; prefix: number } {
  const [address, bits] = cidr.split("/");
  const start = toNumber(address);
  return { start, end: start + 2 ** (32 - Number(bits)) - 1, prefix: Number(bits) };
}

const PRIVATE = [
  { base: toNumber("10.0.0.0"), bits: 8 },
  { base: toNumber("172.16.0.0"), bits: 12 },
  { base: toNumber("192.168.0.0"), bits: 16 },
];

function isPrivate(value: number): boolean {
  return PRIVATE.some(({ base, bits }) => value >= base && value < base + 2 ** (32 - bits));
}

/** Any aligned RFC 1918 block from /16 to /24. */
const privateVpcCidr = fc
  .record({
    range: fc.constantFrom(...PRIVATE),
    prefix: fc.integer({ min: 16, max: 24 }),
    offset: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
  })
  .map(({ range, prefix, offset }) => {
    const size = 2 ** (32 - prefix);
    const inRange = offset % 2 ** (32 - range.bits);
    return `${toDotted(range.base + Math.floor(inRange / size) * size)}/${prefix}`;
  });

describe("planSubnets: table (NET-5, NET-8)", () => {
  const cases: Array<[string, Record<string, string>]> = [
    [
      "10.42.0.0/16",
      {
        compute: "10.42.0.0/17",
        storage: "10.42.128.0/18",
        management: "10.42.192.0/19",
        public: "10.42.224.0/19",
      },
    ],
    [
      "172.16.32.0/20",
      {
        compute: "172.16.32.0/21",
        storage: "172.16.40.0/22",
        management: "172.16.44.0/23",
        public: "172.16.46.0/23",
      },
    ],
    [
      "192.168.7.0/24",
      {
        compute: "192.168.7.0/25",
        storage: "192.168.7.128/26",
        management: "192.168.7.192/27",
        public: "192.168.7.224/27",
      },
    ],
  ];
  for (const [vpc, expected] of cases) {
    it(`NET-5/NET-8: carves ${vpc} into separate compute, storage, management and public tiers`, () => {
      assert.deepEqual({ ...planSubnets(vpc) }, expected);
    });
  }

  it("NET-5/NET-8: plans exactly the four tiers", () => {
    assert.deepEqual(Object.keys(planSubnets("10.0.0.0/16")).sort(), [...SUBNET_TIERS].sort());
  });
});

describe("validateNetworkCidr and planSubnets: rejections (NET-5, NET-8)", () => {
  const rejected: Array<[string, RegExp]> = [
    ["8.8.8.0/24", /not inside a private range .*e\.g\. 10\.42\.0\.0\/16/],
    ["172.32.0.0/16", /not inside a private range/],
    ["100.64.0.0/16", /not inside a private range/],
    ["10.0.0.0/15", /is a \/15; a tenant VPC must be \/16 to \/24/],
    ["10.0.0.0/25", /is a \/25; a tenant VPC must be \/16 to \/24/],
    ["10.0.0.0/33", /not an IPv4 CIDR block/],
    ["10.0.0/16", /not an IPv4 CIDR block/],
    ["010.0.0.0/16", /not an IPv4 CIDR block/],
    ["fd00::/48", /not an IPv4 CIDR block/],
    ["garbage", /not an IPv4 CIDR block/],
    ["", /not an IPv4 CIDR block/],
    ["10.42.1.0/16", /not written as its network address; write it as 10\.42\.0\.0\/16/],
  ];
  for (const [cidr, message] of rejected) {
    it(`rejects ${JSON.stringify(cidr)} with a message saying how to fix it`, () => {
      const problems = validateNetworkCidr(cidr);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], message);
      assert.throws(
        () => planSubnets(cidr),
        (err: Error) => err.message.includes(problems[0]),
      );
    });
  }

  it("reports every problem of a block at once", () => {
    const problems = validateNetworkCidr("8.0.0.0/15");
    assert.equal(problems.length, 2);
    assert.match(problems[0], /is a \/15/);
    assert.match(problems[1], /not inside a private range/);
    assert.throws(() => planSubnets("8.0.0.0/15"), /is a \/15.*; .*not inside a private range/);
  });

  it("accepts an aligned private /16 and /24", () => {
    assert.deepEqual(validateNetworkCidr("10.42.0.0/16"), []);
    assert.deepEqual(validateNetworkCidr("192.168.255.0/24"), []);
  });
});

describe("planSubnets: properties over every private /16../24 (NET-5, NET-8)", () => {
  it("accepts every aligned private block", () => {
    fc.assert(fc.property(privateVpcCidr, (vpc) => validateNetworkCidr(vpc).length === 0));
  });

  it("NET-5/NET-8: tiers never overlap", () => {
    fc.assert(
      fc.property(privateVpcCidr, (vpc) => {
        const blocks = Object.values(planSubnets(vpc))
          .map(interval)
          .sort((a, b) => a.start - b.start);
        for (let i = 1; i < blocks.length; i++) {
          assert.ok(blocks[i - 1].end < blocks[i].start, `${vpc}: tiers overlap`);
        }
      }),
    );
  });

  it("puts every tier inside the VPC, on its own network address", () => {
    fc.assert(
      fc.property(privateVpcCidr, (vpc) => {
        const outer = interval(vpc);
        const [vpcAddress, vpcBits] = ipaddr.IPv4.parseCIDR(vpc);
        for (const tier of Object.values(planSubnets(vpc))) {
          const inner = interval(tier);
          assert.ok(inner.start >= outer.start && inner.end <= outer.end, `${tier} outside ${vpc}`);
          const [address, bits] = ipaddr.IPv4.parseCIDR(tier);
          assert.ok(bits >= vpcBits && address.match(vpcAddress, vpcBits), `${tier} outside ${vpc}`);
          assert.equal(`${ipaddr.IPv4.networkAddressFromCIDR(tier).toString()}/${bits}`, tier);
        }
      }),
    );
  });

  it("gives compute at least half of the VPC", () => {
    fc.assert(
      fc.property(privateVpcCidr, (vpc) => {
        const compute = interval(planSubnets(vpc).compute);
        const whole = interval(vpc);
        assert.ok(compute.end - compute.start + 1 >= (whole.end - whole.start + 1) / 2);
      }),
    );
  });

  it("makes every tier a valid AWS subnet size (/16 to /28)", () => {
    fc.assert(
      fc.property(privateVpcCidr, (vpc) => {
        for (const tier of Object.values(planSubnets(vpc))) {
          const { prefix } = interval(tier);
          assert.ok(prefix >= 16 && prefix <= 28, `${tier} from ${vpc}`);
        }
      }),
    );
  });

  it("is stable: the same CIDR always gives the same plan", () => {
    fc.assert(fc.property(privateVpcCidr, (vpc) => assert.deepEqual(planSubnets(vpc), planSubnets(vpc))));
  });

  it("rejects every block outside the private ranges", () => {
    const publicCidr = fc
      .record({ value: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 16, max: 24 }) })
      .map(({ value, prefix }) => {
        const size = 2 ** (32 - prefix);
        return { start: Math.floor(value / size) * size, prefix };
      })
      .filter(({ start }) => !isPrivate(start))
      .map(({ start, prefix }) => `${toDotted(start)}/${prefix}`);
    fc.assert(
      fc.property(publicCidr, (cidr) => {
        assert.ok(validateNetworkCidr(cidr).some((p) => p.includes("not inside a private range")));
        assert.throws(() => planSubnets(cidr));
      }),
    );
  });

  it("rejects private blocks larger than /16 or smaller than /24", () => {
    const badSize = fc.oneof(fc.integer({ min: 8, max: 15 }), fc.integer({ min: 25, max: 32 }));
    fc.assert(
      fc.property(badSize, (prefix) => {
        const cidr = `10.0.0.0/${prefix}`;
        assert.deepEqual(
          validateNetworkCidr(cidr).map((p) => p.includes(`is a /${prefix}`)),
          [true],
        );
        assert.throws(() => planSubnets(cidr));
      }),
    );
  });
});
