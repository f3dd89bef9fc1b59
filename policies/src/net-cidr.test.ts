// CIDR parsing and containment behind "outside the VPC" (NET-4, NET-6, NET-7): tables for the
// spellings AWS accepts, and properties checked against a plain mask computation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fc from "fast-check";
import { cidrContains, isWorld, parseCidr } from "./net-cidr";

const must = (text: string) => {
  const cidr = parseCidr(text);
  assert.ok(cidr, `expected ${text} to parse`);
  return cidr;
};

describe("parseCidr", () => {
  it("parses IPv4 and IPv6 blocks", () => {
    assert.deepEqual(parseCidr("10.42.0.0/16"), { version: 4, address: 0x0a2a0000n, prefix: 16 });
    assert.deepEqual(parseCidr(" 0.0.0.0/0 "), { version: 4, address: 0n, prefix: 0 });
    assert.deepEqual(parseCidr("::/0"), { version: 6, address: 0n, prefix: 0 });
    assert.deepEqual(parseCidr("2001:db8::/32"), { version: 6, address: 0x20010db8n << 96n, prefix: 32 });
    assert.deepEqual(parseCidr("1:2:3:4:5:6:7:8/128")?.address, 0x00010002000300040005000600070008n);
  });

  for (const text of [
    "10.42.0.0",
    "10.42.0/16",
    "10.42.0.256/16",
    "10.42.0.0/33",
    "2001:db8::/129",
    "1::2::3/64",
    "1:2:3:4:5:6:7:8::/64",
    "1:2:3/48",
    "::ffff:10.0.0.1/128",
    "sg-0123/16",
    "",
  ]) {
    it(`refuses ${JSON.stringify(text)}, which callers then treat as outside`, () => {
      assert.equal(parseCidr(text), undefined);
    });
  }
});

describe("cidrContains / isWorld", () => {
  it("contains blocks inside, not blocks beside or around", () => {
    assert.ok(cidrContains(must("10.42.0.0/16"), must("10.42.8.0/24")));
    assert.ok(cidrContains(must("10.42.0.0/16"), must("10.42.0.0/16")));
    assert.ok(!cidrContains(must("10.42.0.0/16"), must("10.43.0.0/24")));
    assert.ok(!cidrContains(must("10.42.0.0/16"), must("10.0.0.0/8")));
    assert.ok(!cidrContains(must("0.0.0.0/0"), must("::/0")), "versions never contain each other");
    assert.ok(cidrContains(must("2001:db8::/32"), must("2001:db8:1::/48")));
  });

  it("calls only prefix length 0 the whole internet", () => {
    assert.ok(isWorld(must("0.0.0.0/0")));
    assert.ok(isWorld(must("0:0::/0")));
    assert.ok(!isWorld(must("0.0.0.0/1")));
  });

  const ipv4 = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }));
  const text = ([address, prefix]: [number, number]) =>
    `${[24, 16, 8, 0].map((s) => (address >>> s) & 255).join(".")}/${prefix}`;

  it("agrees with a mask computation on random IPv4 blocks", () => {
    fc.assert(
      fc.property(ipv4, ipv4, ([a, p], [b, q]) => {
        const mask = p === 0 ? 0 : (~0 << (32 - p)) >>> 0;
        const expected = q >= p && (a & mask) >>> 0 === (b & mask) >>> 0;
        assert.equal(cidrContains(must(text([a, p])), must(text([b, q]))), expected);
      }),
    );
  });

  it("makes every block contain itself and every longer block at its address", () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), ([a, p], extra) => {
        const outer = must(text([a, p]));
        assert.ok(cidrContains(outer, outer));
        assert.ok(cidrContains(outer, must(text([a, Math.min(32, p + extra)]))));
      }),
    );
  });
});
