import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { PRIVATE_CIDRS, validateNetworkCidr } from "../../../components/network/subnet-plan";
import { freeTenantCidr } from "./allocator";

/** Whether two IPv4 CIDRs share an address, by ipaddr.js rather than the library under test. */
function overlaps(a: string, b: string): boolean {
  const [aAddress, aBits] = ipaddr.IPv4.parseCIDR(a);
  const [bAddress, bBits] = ipaddr.IPv4.parseCIDR(b);
  const bits = Math.min(aBits, bBits);
  return aAddress.match(bAddress, bits);
}

/** CIDRs from `minPrefix` down to single hosts, mostly in the private ranges where tenants live. */
function cidr(minPrefix: number): fc.Arbitrary<string> {
  const prefix = fc.integer({ min: minPrefix, max: 32 });
  return fc.oneof(
    fc
      .tuple(fc.constantFrom([10, 0, 255], [172, 16, 31], [192, 168, 168]), fc.nat(255), fc.nat(255), prefix)
      .chain(([[first, low, high], third, fourth, bits]) =>
        fc.integer({ min: low, max: high }).map((second) => `${first}.${second}.${third}.${fourth}/${bits}`),
      ),
    fc.tuple(fc.ipV4(), prefix).map(([address, bits]) => `${address}/${bits}`),
  );
}

describe("freeTenantCidr", () => {
  it("returns a valid tenant VPC range that overlaps no taken range, or nothing, whatever is taken", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cidr(0), { maxLength: 40 }), async (taken) => {
        const free = await freeTenantCidr(taken, PRIVATE_CIDRS);
        if (free !== undefined) {
          assert.deepEqual(validateNetworkCidr(free), []);
          for (const used of taken) {
            assert.ok(!overlaps(free, used), `${free} overlaps ${used}`);
          }
        }
      }),
    );
  });

  it("always finds a range while other tenants hold no more than a few dozen /16s or smaller", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cidr(16), { maxLength: 40 }), async (taken) => {
        assert.notEqual(await freeTenantCidr(taken, PRIVATE_CIDRS), undefined);
      }),
    );
  });

  it("takes the lowest free /20, moving on to the next private range when one is full", async () => {
    assert.equal(await freeTenantCidr([], PRIVATE_CIDRS), "10.0.0.0/20");
    assert.equal(await freeTenantCidr(["10.0.0.0/20", "10.0.32.0/20"], PRIVATE_CIDRS), "10.0.16.0/20");
    assert.equal(await freeTenantCidr(["10.0.0.7/22"], PRIVATE_CIDRS), "10.0.16.0/20");
    assert.equal(await freeTenantCidr(["10.0.0.0/8"], PRIVATE_CIDRS), "172.16.0.0/20");
    assert.equal(
      await freeTenantCidr(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/17"], PRIVATE_CIDRS),
      "192.168.128.0/20",
    );
  });

  it("returns nothing when every private /20 is taken, and ignores what is not a CIDR", async () => {
    assert.equal(await freeTenantCidr(["0.0.0.0/0"], PRIVATE_CIDRS), undefined);
    assert.equal(
      await freeTenantCidr(["not a cidr", "10.0.0.0/33", "fd00::/8"], PRIVATE_CIDRS),
      "10.0.0.0/20",
    );
  });
});
