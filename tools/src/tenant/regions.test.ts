import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { moatConfigSchema, regionSchema } from "../../../infra/config/schema";
import { availabilityZones, KNOWN_REGIONS, regionProblem } from "./regions";

describe("the region catalogue", () => {
  it("holds only regions and zones the program accepts, each zone in its region", () => {
    const zoneSchema = moatConfigSchema.shape.network.shape.availabilityZone;
    assert.ok(KNOWN_REGIONS.length >= 30);
    for (const region of KNOWN_REGIONS) {
      assert.ok(regionSchema.safeParse(region).success, region);
      const zones = availabilityZones(region);
      assert.ok(zones.length >= 3, `${region} has at least three zones`);
      for (const zone of zones) {
        assert.ok(zoneSchema.safeParse(zone).success, zone);
        assert.match(zone, new RegExp(`^${region}[a-z]$`));
      }
    }
  });

  it("lists a region's zones in letter order, and none for a name that is not a region", () => {
    assert.equal(availabilityZones("eu-central-1")[0], "eu-central-1a");
    assert.deepEqual(availabilityZones("ca-central-1"), ["ca-central-1a", "ca-central-1b", "ca-central-1d"]);
    assert.deepEqual(availabilityZones("toString"), []);
  });

  it("accepts a known region and refuses others, suggesting the regions of the same area", () => {
    assert.equal(regionProblem("us-west-2"), undefined);
    assert.equal(
      regionProblem("us-east-3"),
      '--region "us-east-3" is not an AWS commercial region Moat knows; did you mean us-east-1 or us-east-2?',
    );
    const typo = regionProblem("eu-centrl-1");
    assert.match(
      typo ?? "",
      /^--region "eu-centrl-1" is not an AWS commercial region Moat knows; known regions: /,
    );
    assert.ok(KNOWN_REGIONS.every((r) => typo?.includes(r)));
    assert.match(regionProblem("") ?? "", /known regions: af-south-1, /);
  });
});
