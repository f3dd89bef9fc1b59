import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { parse } from "yaml";
import { fleetAccountId, fleetCidr, fleetTenantId, generateFleet } from "./fleet";

const BASE = `config:
  aws:region: eu-central-1
  moat:tenant:
    id: base
    environment: prod
    owner: ops@example.com
  moat:network:
    cidr: 10.20.0.0/20
    availabilityZone: eu-central-1a
`;

describe("generated fleets for the bench", () => {
  it("gives every tenant a /20 of 10.128.0.0/9 that no other tenant's block overlaps", () => {
    fc.assert(
      fc.property(fc.nat(2047), fc.nat(2047), (a, b) => {
        const [addrA, bitsA] = ipaddr.IPv4.parseCIDR(fleetCidr(a));
        const [addrB] = ipaddr.IPv4.parseCIDR(fleetCidr(b));
        assert.equal(bitsA, 20);
        assert.ok(addrA.match(ipaddr.IPv4.parse("10.128.0.0"), 9));
        assert.equal(addrB.match(addrA, 20), a === b);
      }),
    );
    assert.throws(() => fleetCidr(2048), /at most 2,048 tenants/);
  });

  it("writes one stack file and one policy file per tenant, changing only the id, the account, the block and the baseline it names, and the baselines of each account", () => {
    const { stacks: files, baselines } = generateFleet(BASE, "{}\n", 3);
    assert.deepEqual(Object.keys(files), [
      "Pulumi.fleet-001.yaml",
      "Pulumi.fleet-001.policy.json",
      "Pulumi.fleet-002.yaml",
      "Pulumi.fleet-002.policy.json",
      "Pulumi.fleet-003.yaml",
      "Pulumi.fleet-003.policy.json",
    ]);
    const third = parse(files["Pulumi.fleet-003.yaml"]).config;
    assert.deepEqual(third["moat:tenant"], {
      id: "fleet-003",
      environment: "prod",
      owner: "ops@example.com",
    });
    assert.deepEqual(third["moat:network"], { cidr: "10.128.32.0/20", availabilityZone: "eu-central-1a" });
    assert.equal(third["aws:region"], "eu-central-1");
    assert.deepEqual(third["aws:allowedAccountIds"], ["900000000002"]);
    assert.equal(new Set(Array.from({ length: 2048 }, (_, i) => fleetAccountId(i))).size, 2048);
    assert.ok(Array.from({ length: 2048 }, (_, i) => fleetAccountId(i)).every((a) => /^\d{12}$/.test(a)));
    assert.equal(files["Pulumi.fleet-002.policy.json"], "{}\n");
    assert.equal(fleetTenantId(99), "fleet-100");
    assert.equal(Object.keys(generateFleet(BASE, undefined, 2).stacks).length, 2);
    // Each tenant names the baseline of its account and region; the home forwards IAM events there.
    assert.equal(third["moat:baseline"], "fleet/moat-account/fleet-003-eu-central-1");
    assert.deepEqual(parse(baselines["Pulumi.fleet-003-eu-central-1.yaml"]).config["aws:allowedAccountIds"], [
      "900000000002",
    ]);
    assert.deepEqual(
      parse(baselines["Pulumi.fleet-003-us-east-1.yaml"]).config["moat-account:forwardGlobalEventsTo"],
      ["eu-central-1"],
    );
    assert.equal(Object.keys(baselines).length, 6);
  });
});
