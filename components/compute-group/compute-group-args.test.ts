import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ComputeGroupArgs } from "./compute-group";
import { computeNodeTags, MAX_USER_DATA_BYTES, validateComputeGroupArgs } from "./compute-group-args";
import { TRAIN_GROUP_ARGS, withGroup } from "./test-args";

const good = TRAIN_GROUP_ARGS;

describe("validateComputeGroupArgs (CMP-1, CMP-3)", () => {
  it("accepts a compliant EFA group, with or without a capacity block", () => {
    assert.deepEqual(validateComputeGroupArgs(good), []);
    assert.deepEqual(
      validateComputeGroupArgs(
        withGroup({ capacityReservationId: "cr-0123456789abcdef0", capacityBlock: true }),
      ),
      [],
    );
  });

  it("NET-11: accepts a quarantined group, and an egress allowlist (NET-2)", () => {
    assert.deepEqual(validateComputeGroupArgs({ ...good, quarantined: true }), []);
    const https = { cidr: "0.0.0.0/0", protocol: "tcp", fromPort: 443, description: "HTTPS" } as const;
    assert.deepEqual(
      validateComputeGroupArgs({ ...good, firewall: { ...good.firewall, egress: [https] } }),
      [],
    );
  });

  it("accepts 1 and 4096 nodes and a computed account ID", () => {
    assert.deepEqual(validateComputeGroupArgs(withGroup({ nodeCount: 1 })), []);
    assert.deepEqual(validateComputeGroupArgs(withGroup({ nodeCount: 4096 })), []);
    assert.deepEqual(validateComputeGroupArgs({ ...good, accountId: Promise.resolve("123456789012") }), []);
  });

  const refused: Array<[string, ComputeGroupArgs, string, RegExp]> = [
    ["0 nodes", withGroup({ nodeCount: 0 }), "group.nodeCount", /^0 is not a whole number from 1 to 4096/],
    ["4097 nodes", withGroup({ nodeCount: 4097 }), "group.nodeCount", /^4097 is not a whole number/],
    ["2.5 nodes", withGroup({ nodeCount: 2.5 }), "group.nodeCount", /^2\.5 is not a whole number/],
    [
      "CMP-1: EFA on g5.xlarge",
      withGroup({ name: "dev", instanceType: "g5.xlarge", efa: true }),
      "group.efa",
      /^group "dev" asks for EFA, but g5\.xlarge does not support EFA/,
    ],
    [
      "CMP-1: an unknown EFA type without networkCards",
      withGroup({ instanceType: "p9.96xlarge", efa: true }),
      "group.networkCards",
      /^is missing: p9\.96xlarge \(group "train"\)/,
    ],
    [
      "CMP-1: a list of subnets",
      { ...good, subnetId: ["subnet-a", "subnet-b"] as unknown as string },
      "subnetId",
      /^is a list of 2 subnets; EFA traffic and a cluster placement group need every node of a group in one availability zone/,
    ],
    [
      "CMP-1: a comma-separated subnet list",
      { ...good, subnetId: "subnet-a,subnet-b,subnet-c" },
      "subnetId",
      /^is a list of 3 subnets/,
    ],
    ["a bad group name", withGroup({ name: "Train_1" }), "group.name", /^"Train_1" is not a group name/],
    ["a bad instance type", withGroup({ instanceType: "p5" }), "group.instanceType", /^"p5" is not an EC2/],
    [
      "a bad reservation ID",
      withGroup({ capacityReservationId: "cr-123" }),
      "group.capacityReservationId",
      /^"cr-123" is not a capacity reservation ID/,
    ],
    [
      "a capacity block without its reservation",
      withGroup({ capacityBlock: true }),
      "group.capacityBlock",
      /^needs capacityReservationId/,
    ],
    ["a bad image ID", withGroup({ imageId: "ubuntu" }), "group.imageId", /^"ubuntu" is not an AMI ID/],
    [
      "a 4 GiB root volume",
      withGroup({ rootVolumeGiB: 4 }),
      "group.rootVolumeGiB",
      /^4 is not a whole number/,
    ],
    [
      "a bad root device",
      withGroup({ rootDeviceName: "sda1" }),
      "group.rootDeviceName",
      /\/dev\/sda1 for Ubuntu/,
    ],
    [
      "CMP-3: a key from another region",
      { ...good, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" },
      "kmsKeyArn",
      /^belongs to eu-west-1\/123456789012, but the group runs in us-east-1\/123456789012/,
    ],
    [
      "CMP-3: an alias instead of a key ARN",
      { ...good, kmsKeyArn: "alias/moat-acme" },
      "kmsKeyArn",
      /^"alias\/moat-acme" is not a KMS key ARN/,
    ],
    ["empty user data", { ...good, userData: " " }, "userData", /^is missing; render the node bootstrap/],
    [
      "user data over 16 KiB",
      { ...good, userData: "x".repeat(MAX_USER_DATA_BYTES + 1) },
      "userData",
      /^is 16385 bytes; AWS accepts at most 16384/,
    ],
    ["a bad region", { ...good, region: "us-east" }, "region", /^"us-east" is not an AWS region/],
    ["a bad account ID", { ...good, accountId: "12345" }, "accountId", /^"12345" is not a 12-digit/],
    [
      "NET-3: a firewall without its head group",
      { ...good, firewall: { ...good.firewall, headSecurityGroupId: "" } },
      "firewall.headSecurityGroupId",
      /^is missing; pass the cluster firewall's nodeGroupFirewall/,
    ],
    [
      "NET-11: egress none, which is what quarantine is for",
      { ...good, firewall: { ...good.firewall, egress: "none" as unknown as "all" } },
      "firewall.egress",
      /^"none" would cut the group off; .*quarantined: true to isolate it \(NET-11\)/,
    ],
    [
      "NET-2: an empty egress allowlist",
      { ...good, firewall: { ...good.firewall, egress: [] } },
      "firewall.egress",
      /^is an empty allowlist/,
    ],
    [
      "NET-11: a quarantine flag that is not a boolean",
      { ...good, quarantined: "yes" as unknown as boolean },
      "quarantined",
      /^"yes" is not true or false/,
    ],
  ];
  for (const [title, args, path, reason] of refused) {
    it(`refuses ${title} at ${path}`, () => {
      const problems = validateComputeGroupArgs(args);
      assert.equal(problems.length, 1, JSON.stringify(problems, null, 2));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }

  it("reports every problem in one pass", () => {
    const problems = validateComputeGroupArgs({
      ...good,
      environment: "",
      subnetId: ["subnet-a", "subnet-b"] as unknown as string,
      group: { name: "dev", instanceType: "g5.xlarge", nodeCount: 0, efa: true },
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["environment", "group.nodeCount", "group.efa", "subnetId"],
    );
  });
});

describe("computeNodeTags (AUD-5)", () => {
  it("tags launched nodes with their role, tenant, environment and owner", () => {
    assert.deepEqual(computeNodeTags(good), {
      Name: "acme-prod-train",
      "moat:role": "compute",
      "moat:tenant": "acme",
      "moat:environment": "prod",
      "moat:owner": "ml-platform@acme.example",
    });
  });

  it("leaves the owner tag out when no owner is given", () => {
    assert.equal("moat:owner" in computeNodeTags({ ...good, owner: undefined }), false);
  });
});
