import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { planInternetRoutes, S3_GATEWAY_TIERS } from "./routing";

describe("planInternetRoutes (NET-5, NET-8)", () => {
  it("NET-5: sends management and compute through the NAT when management is not internet-facing", () => {
    assert.deepEqual(
      { ...planInternetRoutes(false) },
      { public: "internet-gateway", management: "nat-gateway", compute: "nat-gateway" },
    );
  });

  it("NET-5: puts management on the internet gateway for the direct mode, compute still on the NAT", () => {
    assert.deepEqual(
      { ...planInternetRoutes(true) },
      { public: "internet-gateway", management: "internet-gateway", compute: "nat-gateway" },
    );
  });

  for (const facing of [false, true]) {
    it(`NET-5/NET-8: never routes compute to the internet gateway nor storage anywhere (facing ${facing})`, () => {
      const routes = planInternetRoutes(facing);
      assert.equal(routes.compute, "nat-gateway");
      assert.equal("storage" in routes, false);
    });
  }
});

describe("S3_GATEWAY_TIERS", () => {
  it("NET-8: serves every private tier, storage included, and not the public one", () => {
    assert.deepEqual([...S3_GATEWAY_TIERS], ["management", "compute", "storage"]);
  });
});
