import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import type { NetworkArgs } from "./network";
import { validateNetworkArgs } from "./network-args";

const happy: NetworkArgs = {
  tenantId: "acme",
  environment: "prod",
  cidr: "10.42.0.0/16",
  availabilityZone: "us-east-1a",
};

describe("validateNetworkArgs (NET-5, NET-8)", () => {
  it("accepts compliant args", () => {
    assert.deepEqual(validateNetworkArgs(happy), []);
  });

  for (const zone of [
    "us-east-1a",
    "eu-central-1b",
    "us-gov-west-1a",
    "us-west-2-lax-1a",
    "ap-southeast-2c",
  ]) {
    it(`accepts availability zone ${zone}`, () => {
      assert.deepEqual(validateNetworkArgs({ ...happy, availabilityZone: zone }), []);
    });
  }

  const broken: Array<[Partial<NetworkArgs>, string, RegExp]> = [
    [{ tenantId: "" }, "tenantId", /^set tenantId, e\.g\. acme; the VPC is named/],
    [{ environment: "  " }, "environment", /^set environment, e\.g\. prod/],
    [
      { cidr: "10.0.0.0/33" },
      "cidr",
      /not an IPv4 CIDR block \(a\.b\.c\.d\/n\); use a private range between \/16 and \/24/,
    ],
    [{ cidr: "8.8.8.0/24" }, "cidr", /not inside a private range/],
    [
      { availabilityZone: "us-east-1" },
      "availabilityZone",
      /^"us-east-1" is a region; name one zone in it, e.g. us-east-1a$/,
    ],
    [
      { availabilityZone: "use1-az1" },
      "availabilityZone",
      /not an availability zone name; use one such as us-east-1a/,
    ],
    [{ availabilityZone: "" }, "availabilityZone", /not an availability zone name/],
  ];
  for (const [change, path, reason] of broken) {
    it(`rejects ${JSON.stringify(change)} at ${path} with a fix`, () => {
      const problems = validateNetworkArgs({ ...happy, ...change });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }

  it("reports every broken property in one pass", () => {
    const problems = validateNetworkArgs({
      tenantId: "",
      environment: "",
      cidr: "1.0.0.0/8",
      availabilityZone: "x",
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["tenantId", "environment", "cidr", "cidr", "availabilityZone"],
    );
  });
});
