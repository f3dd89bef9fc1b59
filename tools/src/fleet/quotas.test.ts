import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkQuotas, QUOTA_IDS, QUOTAS, quotaLimit } from "./quotas";
import type { FleetFile } from "./types";
import type { RegionUsage } from "./usage";

const none = Object.fromEntries(QUOTA_IDS.map((id) => [id, 0])) as RegionUsage["use"];

const usage = (use: Partial<RegionUsage["use"]>, region = "us-east-1"): RegionUsage => ({
  account: "111111111111",
  region,
  stacks: ["a-prod", "b-prod", "c-prod"],
  use: { ...none, ...use },
  unknownTypes: [],
});

const raised = (quotas: Record<string, number>): FleetFile => ({
  file: "stacks/fleet.yaml",
  accounts: {
    "111111111111": { label: "shared", organizationGuardDuty: false, quotas: { "us-east-1": quotas } },
  },
  retiredTenants: [],
});

describe("adjustable quotas", () => {
  it("warns above AWS's default, naming the quota, the use, the limit and the number to request", () => {
    assert.deepEqual(checkQuotas([usage({ elasticIps: 6 })], undefined), [
      {
        level: "warning",
        check: "quota",
        stacks: ["a-prod", "b-prod", "c-prod"],
        message:
          "account 111111111111, us-east-1: EC2-VPC Elastic IPs per Region would be 6 for a-prod, b-prod and c-prod, " +
          "over the limit of 5 (AWS's default; https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html)",
        fix:
          "request at least 6 for EC2-VPC Elastic IPs per Region in Service Quotas, then record it in the fleet file " +
          '(stacks/fleet.yaml): accounts."111111111111".quotas.us-east-1.elasticIps: 6',
      },
    ]);
  });

  it("warns above a value the fleet file records, and names the quota code where there is one", () => {
    const [warning] = checkQuotas([usage({ pInstanceVcpus: 18432 })], raised({ pInstanceVcpus: 2048 }));
    assert.match(
      warning.message,
      /^account 111111111111 \(shared\), us-east-1: Running On-Demand P instances \(vCPUs\) would be 18,432 .* over the limit of 2,048 \(the value stacks\/fleet\.yaml records;/,
    );
    assert.match(
      warning.fix,
      /^request at least 18,432 for Running On-Demand P instances \(vCPUs\) \(L-417A185B\)/,
    );
  });

  it("passes use at the limit, and use the fleet file's raised value covers", () => {
    const atDefaults = usage(
      Object.fromEntries(QUOTA_IDS.map((id) => [id, QUOTAS[id].defaultValue("us-east-1")])),
    );
    assert.deepEqual(checkQuotas([atDefaults], undefined), []);
    assert.deepEqual(checkQuotas([usage({ elasticIps: 6 })], raised({ elasticIps: 10 })), []);
  });

  it("applies a region's own default: 100 EventBridge rules per bus in af-south-1 and eu-south-1", () => {
    assert.equal(checkQuotas([usage({ eventBridgeRules: 140 }, "af-south-1")], undefined).length, 1);
    assert.equal(checkQuotas([usage({ eventBridgeRules: 140 }, "us-east-1")], undefined).length, 0);
    assert.deepEqual(quotaLimit("eventBridgeRules", "111111111111", "eu-south-1", undefined), {
      value: 100,
      raised: false,
    });
  });

  it("cites a source for every default", () => {
    for (const id of QUOTA_IDS) {
      assert.ok(QUOTAS[id].defaultValue("us-east-1") > 0, id);
      assert.match(QUOTAS[id].source, /^https:\/\/|Service Quotas console/, id);
    }
  });
});
