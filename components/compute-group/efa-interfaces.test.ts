import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fc from "fast-check";
import { computeNetworkInterfaces, efaNetworkInterfaces, ordinaryNetworkInterface } from "./efa-interfaces";

const groups = ["sg-efa", "sg-cluster"];

describe("efaNetworkInterfaces (CMP-1, NET-5)", () => {
  it("CMP-1: a p5-class layout: card 0 efa at device 0, cards 1..31 efa-only at device 1", () => {
    const nics = efaNetworkInterfaces(32, groups, "subnet-compute");
    assert.equal(nics.length, 32);
    assert.deepEqual(nics[0], {
      networkCardIndex: 0,
      deviceIndex: 0,
      interfaceType: "efa",
      subnetId: "subnet-compute",
      securityGroups: groups,
      associatePublicIpAddress: "false",
      deleteOnTermination: "true",
    });
    for (let card = 1; card < 32; card++) {
      assert.deepEqual(nics[card], {
        ...nics[0],
        networkCardIndex: card,
        deviceIndex: 1,
        interfaceType: "efa-only",
      });
    }
  });

  it("CMP-1: one card gives one efa interface", () => {
    assert.deepEqual(
      efaNetworkInterfaces(1, groups, "subnet-compute").map((n) => n.interfaceType),
      ["efa"],
    );
  });

  it("NET-5: every card index once, one subnet, the same groups, never a public IP", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), (cards) => {
        const nics = efaNetworkInterfaces(cards, groups, "subnet-compute");
        assert.deepEqual(
          nics.map((n) => n.networkCardIndex),
          Array.from({ length: cards }, (_, i) => i),
        );
        assert.equal(nics.filter((n) => n.interfaceType === "efa").length, 1);
        for (const nic of nics) {
          assert.equal(nic.subnetId, "subnet-compute");
          assert.deepEqual(nic.securityGroups, groups);
          assert.equal(nic.associatePublicIpAddress, "false");
        }
      }),
    );
  });

  it("copies the group list, so a caller's later change cannot leak into the template", () => {
    const list = ["sg-a"];
    const nics = efaNetworkInterfaces(2, list, "subnet-compute");
    list.push("sg-b");
    assert.deepEqual(nics[1].securityGroups, ["sg-a"]);
  });

  for (const cards of [0, -1, 1.5, Number.NaN]) {
    it(`throws on ${cards} network cards`, () => {
      assert.throws(() => efaNetworkInterfaces(cards, groups, "subnet-compute"), RangeError);
    });
  }
});

describe("computeNetworkInterfaces", () => {
  it("NET-5: a group without EFA gets one ordinary private interface", () => {
    const nics = computeNetworkInterfaces({ efa: false, networkCards: 1 }, ["sg-cluster"], "subnet-compute");
    assert.deepEqual(nics, [ordinaryNetworkInterface(["sg-cluster"], "subnet-compute")]);
    assert.deepEqual(nics[0], {
      networkCardIndex: 0,
      deviceIndex: 0,
      subnetId: "subnet-compute",
      securityGroups: ["sg-cluster"],
      associatePublicIpAddress: "false",
      deleteOnTermination: "true",
    });
  });

  it("CMP-1: an EFA group gets one EFA interface per card", () => {
    assert.equal(
      computeNetworkInterfaces({ efa: true, networkCards: 16 }, groups, "subnet-compute").length,
      16,
    );
  });
});
