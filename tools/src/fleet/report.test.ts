import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lookupInstanceType } from "../../../components/compute-group/instance-catalogue";
import { checkFleet } from "./check";
import { fleetJson, fleetMarkdown, fleetSection, summaryLine } from "./report";
import { baselineStack, tenantStack, withBaseline } from "./testing";

const catalogue = (type: string) => lookupInstanceType(type);

describe("the fleet section and report", () => {
  it("summarises a clean fleet in one line", () => {
    const result = checkFleet(
      [
        tenantStack({ stack: "acme-prod" }),
        tenantStack({ stack: "initech-lab", account: "444444444444", cidr: "10.1.0.0/20" }),
      ],
      undefined,
      catalogue,
    );
    assert.deepEqual(fleetSection(result), [
      "fleet: 2 stacks in 2 accounts, 0 collisions, 0 limit errors, 0 baseline errors, 2 quota warnings",
      ...fleetSection(result).slice(1),
    ]);
    // Each stack's 2 p5 nodes need 384 P vCPUs, over the default 128.
    assert.ok(result.findings.every((f) => f.level === "warning" && f.check === "quota"));
  });

  it("prints errors before warnings, each fix once under the findings it covers, and names stacks left out", () => {
    const result = checkFleet(
      [
        tenantStack({ stack: "acme-dev", tenant: "acme", environment: "dev" }),
        tenantStack({ stack: "acme-prod", tenant: "acme" }, { nodes: 0 }),
      ],
      undefined,
      catalogue,
    );
    const lines = fleetSection(result, ["initech-lab"]);
    assert.equal(
      lines[0],
      "fleet: 2 stacks in 1 account, 8 collisions, 1 limit error, 0 baseline errors, 1 quota warning",
    );
    assert.equal(lines[1], "  1 stack did not plan and is left out: initech-lab");
    assert.deepEqual(lines.slice(2, 11), [
      "  ERROR acme-dev (stacks/Pulumi.acme-dev.yaml) and acme-prod (stacks/Pulumi.acme-prod.yaml) declare the same physical names (7):",
      '    IAM role "moat-acme-admin" in account 111111111111 (resource acme-admin-role in each): IAM names are unique per account, in every region and ignoring case',
      '    IAM instance profile "moat-acme-head" in account 111111111111 (resource acme-profile in each): IAM names are unique per account, in every region and ignoring case',
      '    S3 bucket "moat-acme-audit-111111111111-us-east-1" (resource acme-audit-bucket in each): S3 bucket names are unique across every AWS account',
      '    CloudWatch log group "/moat/acme/cloudtrail" in account 111111111111, region us-east-1 (resource acme-trail-logs in each): unique per account and region',
      '    KMS alias "alias/moat-acme" in account 111111111111, region us-east-1 (resource acme-alias in each): unique per account and region',
      '    EventBridge rule "moat-acme-iam-changes" in account 111111111111, region us-east-1, event bus default (resource acme-iam-changes in each): unique per event bus, account and region',
      '    CloudTrail trail "moat-acme" in account 111111111111, region us-east-1 (resource acme-audit-trail in each): unique per account and region; a multi-region trail holds its name in every region',
      "    fix: give one of them another moat:tenant.id or moat:tenant.environment (Moat derives these names from both), or an account of its own in aws:allowedAccountIds",
    ]);
    const kinds = lines.slice(11).map((l) => l.trim().split(" ")[0]);
    assert.deepEqual(kinds, ["ERROR", "fix:", "ERROR", "fix:", "WARNING", "fix:"]);
  });

  it("lists every tenant, account, region, range and quota use in fleet.json and fleet.md", () => {
    const result = checkFleet(
      [
        withBaseline(tenantStack({ stack: "acme-prod" }), "acme-us-east-1"),
        baselineStack({ stack: "acme-us-east-1" }, ["eu-west-1"]),
      ],
      undefined,
      catalogue,
    );
    const json = fleetJson(result) as {
      tenants: object[];
      baselines: object[];
      usage: { quotas: { id: string; use: number; limit: number; over: boolean }[]; trails: object }[];
    };
    assert.deepEqual(json.tenants, [
      {
        tenant: "acme",
        environment: "prod",
        stack: "acme-prod",
        file: "stacks/Pulumi.acme-prod.yaml",
        account: "111111111111",
        accountLabel: null,
        region: "us-east-1",
        cidrs: ["10.0.0.0/20"],
        baseline: "org/moat-account/acme-us-east-1",
      },
    ]);
    assert.deepEqual(json.baselines, [
      {
        stack: "accounts/acme-us-east-1",
        file: "accounts/stacks/Pulumi.acme-us-east-1.yaml",
        account: "111111111111",
        accountLabel: null,
        region: "us-east-1",
        home: true,
        forwardsGlobalEventsTo: ["eu-west-1"],
      },
    ]);
    assert.deepEqual(json.usage[0].trails, { use: 1, limit: 5 });
    assert.deepEqual(
      json.usage[0].quotas.find((q) => q.id === "pInstanceVcpus"),
      {
        id: "pInstanceVcpus",
        name: "Running On-Demand P instances (vCPUs)",
        code: "L-417A185B",
        use: 384,
        limit: 128,
        limitFrom: "AWS default",
        over: true,
      },
    );
    const markdown = fleetMarkdown(result);
    assert.match(
      markdown,
      /^\| acme \| prod \| acme-prod \| stacks\/Pulumi\.acme-prod\.yaml \| 111111111111 \| us-east-1 \| 10\.0\.0\.0\/20 \| org\/moat-account\/acme-us-east-1 \|$/m,
    );
    assert.match(
      markdown,
      /^\| accounts\/acme-us-east-1 \| accounts\/stacks\/Pulumi\.acme-us-east-1\.yaml \| 111111111111 \| us-east-1 \| yes \| eu-west-1 \|$/m,
    );
    assert.match(markdown, /^## Account 111111111111, us-east-1$/m);
    assert.match(
      markdown,
      /^\| Running On-Demand P instances \(vCPUs\) \(L-417A185B\) \| 384 \| 128 \| AWS default \| OVER \|$/m,
    );
    assert.match(markdown, /^- \*\*warning\*\* \(quota; [^)]*acme-prod\): /m);
    assert.equal(
      summaryLine(result),
      "fleet: 2 stacks in 1 account, 0 collisions, 0 limit errors, 0 baseline errors, 1 quota warning",
    );
  });
});
