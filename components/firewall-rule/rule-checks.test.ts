import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  cidrProblem,
  cidrWithin,
  descriptionProblem,
  isWorld,
  portProblems,
  resolvePorts,
} from "./rule-checks";

describe("resolvePorts (NET-2, NET-9)", () => {
  const cases: Array<[Parameters<typeof resolvePorts>, ReturnType<typeof resolvePorts>]> = [
    [["all"], { ipProtocol: "-1" }],
    [["tcp", 22], { ipProtocol: "tcp", fromPort: 22, toPort: 22 }],
    [["udp", 60000, 61000], { ipProtocol: "udp", fromPort: 60000, toPort: 61000 }],
    [["icmp"], { ipProtocol: "icmp", fromPort: -1, toPort: -1 }],
    [["icmp", 8, 0], { ipProtocol: "icmp", fromPort: 8, toPort: 0 }],
  ];
  for (const [input, expected] of cases) {
    it(`maps ${JSON.stringify(input)} to the AWS rule properties`, () => {
      assert.deepEqual(resolvePorts(...input), expected);
    });
  }
});

describe("descriptionProblem (NET-9)", () => {
  it("accepts every character AWS allows", () => {
    assert.equal(descriptionProblem("NET-7: SSH from a-z A-Z 0-9 ._-:/()#,@[]+=&;{}!$*", "x"), undefined);
  });

  it("names each refused character once", () => {
    assert.match(
      descriptionProblem("Bob's <VPN> 'n'", "x") ?? "",
      /^contains "'", "<", ">", which AWS refuses/,
    );
  });

  it("says how to fill in a blank description", () => {
    assert.equal(descriptionProblem("  ", "say why"), "is missing; say why");
    assert.equal(descriptionProblem(undefined, "say why"), "is missing; say why");
  });

  it("accepts exactly 255 characters and refuses 256", () => {
    assert.equal(descriptionProblem("a".repeat(255), "x"), undefined);
    assert.match(descriptionProblem("a".repeat(256), "x") ?? "", /is 256 characters long/);
  });
});

describe("cidrProblem, cidrWithin, isWorld (NET-4, NET-6)", () => {
  it("accepts blocks written as their network address", () => {
    for (const cidr of ["0.0.0.0/0", "10.0.0.0/8", "203.0.113.7/32"]) {
      assert.equal(cidrProblem(cidr), undefined, cidr);
    }
  });

  for (const cidr of ["10.0.0.0/33", "10.0.0/8", "fd00::/8", "", "10.0.0.1"]) {
    it(`refuses ${JSON.stringify(cidr)} as not a CIDR block`, () => {
      assert.match(cidrProblem(cidr) ?? "", /is not an IPv4 CIDR block/);
    });
  }

  it("treats only /0 as the world", () => {
    assert.equal(isWorld("0.0.0.0/0"), true);
    assert.equal(isWorld("0.0.0.0/1"), false);
    assert.equal(isWorld("garbage"), false);
  });

  it("puts every block inside itself and inside 0.0.0.0/0, never inside a longer prefix", () => {
    const block = fc
      .record({
        a: fc.integer({ min: 0, max: 255 }),
        b: fc.integer({ min: 0, max: 255 }),
        bits: fc.integer({ min: 16, max: 32 }),
      })
      .map(({ a, b, bits }) => {
        const value = ((a << 24) >>> 0) + (b << 16);
        const size = 2 ** (32 - bits);
        const start = Math.floor(value / size) * size;
        return {
          cidr: `${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join(".")}/${bits}`,
          bits,
        };
      });
    fc.assert(
      fc.property(block, ({ cidr, bits }) => {
        assert.equal(cidrProblem(cidr), undefined, cidr);
        assert.ok(cidrWithin(cidr, cidr));
        assert.ok(cidrWithin(cidr, "0.0.0.0/0"));
        if (bits > 16) {
          assert.ok(!cidrWithin(cidr.replace(/\/\d+$/, "/16"), cidr));
        }
      }),
    );
  });
});

describe("portProblems (NET-9)", () => {
  it("accepts only the protocols the caller allows", () => {
    assert.deepEqual(portProblems("icmp", undefined, undefined, ["tcp", "udp", "all"]), [
      { propertyPath: "protocol", reason: '"icmp" is not one of tcp, udp, all' },
    ]);
  });

  it("reports every port problem at once", () => {
    assert.deepEqual(
      portProblems("tcp", 0, 70000, ["tcp"]).map((p) => p.propertyPath),
      ["fromPort", "toPort"],
    );
  });
});
