import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "./parse";
import { ALICE, FILE, problems, rawConfig } from "./test-config";

const keys = [{ name: "alice", publicKey: ALICE }];

describe("moat:access rulesets (NET-6, NET-7)", () => {
  it("accepts described sources and per-role rulesets for the internet-facing role", () => {
    const result = parseStackConfig(
      rawConfig({
        "moat:access": {
          mode: "direct",
          allowSshFrom: [{ cidr: "203.0.113.0/24", description: "office" }],
          rulesets: { head: ["198.51.100.7/32"] },
          sshPublicKeys: keys,
        },
      }),
      FILE,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value.moat.access.allowSshFrom, [
      { cidr: "203.0.113.0/24", description: "office" },
    ]);
    assert.deepEqual(result.value.moat.access.rulesets, {
      bastion: [],
      head: [{ cidr: "198.51.100.7/32", description: "" }],
    });
  });

  it("refuses a ruleset for a role that is not internet-facing in the mode", () => {
    const found = problems({
      "moat:access": {
        allowSshFrom: ["203.0.113.0/24"],
        rulesets: { head: ["198.51.100.7/32"] },
        sshPublicKeys: keys,
      },
    });
    assert.deepEqual(found, [
      `${FILE}: moat:access.rulesets.head must be empty: head nodes are not internet-facing in 'bastion' mode`,
    ]);
  });

  it("refuses any SSH source in ssm mode", () => {
    assert.deepEqual(
      problems({ "moat:access": { mode: "ssm", allowSshFrom: ["203.0.113.0/24"], sshPublicKeys: keys } }),
      [
        `${FILE}: moat:access.allowSshFrom must be empty in 'ssm' mode: no inbound port is open; people connect through Session Manager`,
      ],
    );
  });

  it("refuses the world in a role ruleset too unless acknowledged", () => {
    const found = problems({
      "moat:access": {
        allowSshFrom: ["203.0.113.0/24"],
        rulesets: { bastion: ["0.0.0.0/0"] },
        sshPublicKeys: keys,
      },
    });
    assert.equal(found.length, 1);
    assert.match(
      found[0],
      /moat:access\.rulesets\.bastion\[0\] "0\.0\.0\.0\/0" opens SSH to the whole internet/,
    );
  });

  it("checks the egress allowlist (NET-2)", () => {
    const found = problems({
      "moat:access": {
        allowSshFrom: ["203.0.113.0/24"],
        sshPublicKeys: keys,
        egressAllowlist: [{ cidr: "0.0.0.0/0", protocol: "tcp", description: "https" }],
      },
    });
    assert.deepEqual(found, [
      `${FILE}: moat:access.egressAllowlist[0].fromPort and toPort are required for tcp and udp`,
    ]);
  });
});

describe("people, rotation and key settings", () => {
  it("defaults to no people roles, epoch 0 and 90-day key rotation (DAT-3)", () => {
    const result = parseStackConfig(rawConfig(), FILE);
    assert.ok(result.ok);
    assert.deepEqual(result.value.moat.people, { admins: [], members: [] });
    assert.deepEqual(result.value.moat.rotation, { epoch: 0 });
    assert.deepEqual(result.value.moat.kms, { rotationPeriodDays: 90 });
    assert.deepEqual(result.value.moat.bastion, { instanceType: "t3.small" });
  });

  it("refuses a principal that is not an IAM ARN and a rotation period over a year", () => {
    const found = problems({ "moat:people": { admins: ["alice"] }, "moat:kms": { rotationPeriodDays: 400 } });
    assert.deepEqual(
      found.map((p) => p.split(" ")[1]),
      ["moat:people.admins[0]", "moat:kms.rotationPeriodDays"],
    );
    assert.match(found[1], /must be at most 365 days \(DAT-3\)/);
  });
});

describe("CIDR sources", () => {
  it("refuses host bits and says which of the two was meant", () => {
    assert.deepEqual(problems({ "moat:access": { allowSshFrom: ["203.0.113.5/24"], sshPublicKeys: keys } }), [
      `${FILE}: moat:access.allowSshFrom[0] "203.0.113.5/24" has host bits set; write 203.0.113.0/24 for the range, or 203.0.113.5/32 for one host`,
    ]);
  });
});
