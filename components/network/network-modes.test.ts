import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Network, NetworkArgs } from "./network";
import {
  ACCOUNT,
  BuiltNetwork,
  buildNetwork,
  goodArgs,
  installRecordingMocks,
  recordedNamed,
  waitForRegistrations,
} from "./testing";

before(installRecordingMocks);

describe("Network in direct access mode (NET-5, NET-6, NET-10)", () => {
  const name = "globex-net";
  let built: BuiltNetwork;
  before(async () => {
    built = await buildNetwork(name, {
      ...goodArgs,
      tenantId: "globex",
      environment: "staging",
      accessMode: "direct",
      managementInternetFacing: true,
      flowLogRetentionDays: 731,
      // Known at preview, but an Output: what aws.getCallerIdentityOutput() gives.
      accountId: pulumi.output(ACCOUNT),
    });
  });

  it("NET-5: routes management to the internet gateway but compute still only to the NAT", () => {
    assert.deepEqual(built.routes, {
      public: { name: "public-internet", destinationCidrBlock: "0.0.0.0/0", gatewayId: `${name}-igw-id` },
      management: {
        name: "management-internet",
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: `${name}-igw-id`,
      },
      compute: {
        name: "compute-internet",
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: `${name}-nat-id`,
      },
    });
  });

  it("tags the VPC with the direct access mode", () => {
    assert.deepEqual(built.child("vpc").inputs.tags, {
      Name: "globex-staging",
      "moat:access-mode": "direct",
    });
  });

  it("NET-10: keeps the flow logs for the retention asked for, under the tenant's names", () => {
    assert.equal(built.child("flow-logs").inputs.retentionInDays, 731);
    assert.equal(built.child("flow-logs").inputs.name, "/moat/globex-staging/vpc-flow-logs");
    assert.equal(built.child("flow-logs-role").inputs.name, "moat-globex-staging-flow-logs");
    assert.equal(
      built.child("flow-log").inputs.logDestination,
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/moat/globex-staging/vpc-flow-logs`,
    );
  });
});

describe("Network: invalid args (NET-5, NET-8, NET-10)", () => {
  const invalid = (args: NetworkArgs) => () => new Network("bad-net", args);

  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      invalid({
        ...goodArgs,
        tenantId: "",
        cidr: "10.0.0.0/33",
        availabilityZone: "us-east-1",
        flowLogRetentionDays: 30,
      }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["tenantId", "cidr", "availabilityZone", "flowLogRetentionDays"],
        );
        assert.match(err.message, /tenantId: set tenantId, e\.g\. acme/);
        assert.match(err.message, /cidr: "10\.0\.0\.0\/33" is not an IPv4 CIDR block/);
        assert.match(err.message, /availabilityZone: "us-east-1" is a region; .* us-east-1a/);
        assert.match(err.message, /flowLogRetentionDays: 30 days is shorter than the 180 days/);
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-net"), []);
  });

  it("NET-10: refuses flow logs kept 30 days, naming the retentions that are allowed", async () => {
    assert.throws(invalid({ ...goodArgs, flowLogRetentionDays: 30 }), (err: pulumi.InputPropertiesError) => {
      assert.deepEqual(
        err.errors.map((e) => e.propertyPath),
        ["flowLogRetentionDays"],
      );
      assert.match(err.message, /use one of 180, 365, 400, .*, 3653, or leave it out for 365/);
      return true;
    });
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-net"), []);
  });

  it("NET-6: refuses an internet-facing management tier outside the direct access mode", async () => {
    assert.throws(
      invalid({ ...goodArgs, managementInternetFacing: true }),
      (err: pulumi.InputPropertiesError) => {
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["managementInternetFacing"],
        );
        assert.match(err.message, /only in the direct access mode, but accessMode is "bastion"/);
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-net"), []);
  });

  it("refuses a public range, reporting each CIDR problem with its fix", async () => {
    assert.throws(invalid({ ...goodArgs, cidr: "8.8.8.0/25" }), (err: pulumi.InputPropertiesError) => {
      assert.deepEqual(
        err.errors.map((e) => e.propertyPath),
        ["cidr", "cidr"],
      );
      assert.match(err.message, /is a \/25/);
      assert.match(err.message, /not inside a private range .*e\.g\. 10\.42\.0\.0\/16/);
      return true;
    });
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-net"), []);
  });
});
