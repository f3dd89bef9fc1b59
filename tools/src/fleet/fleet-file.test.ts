import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { UsageError } from "../plan/project";
import { fleetFileProblems, parseFleetFile, readFleetFile } from "./fleet-file";

const FILE = "stacks/fleet.yaml";

describe("the fleet file", () => {
  it("reads a project's stacks/fleet.yaml: accounts with labels and raised quotas, retired tenant ids", () => {
    // A project of the test's own: the operator's stacks/fleet.yaml is theirs to change.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-fleet-"));
    try {
      fs.mkdirSync(path.join(dir, "stacks"));
      fs.writeFileSync(
        path.join(dir, FILE),
        [
          "accounts:",
          '  "111111111111":',
          "    label: acme production",
          "    quotas:",
          "      us-east-1:",
          "        pInstanceVcpus: 18432",
          '  "222222222222":',
          "    label: platform dev",
          "retiredTenants:",
          "  - id: hooli",
          '    account: "666666666666"',
          "    reason: offboarded; audit bucket and trail log group kept",
          "",
        ].join("\n"),
      );
      const fleet = readFleetFile({ root: dir, name: "moat", main: "infra", stackConfigDir: "stacks" });
      assert.ok(fleet);
      assert.equal(fleet.file, FILE);
      assert.deepEqual(fleet.accounts["111111111111"], {
        label: "acme production",
        organizationGuardDuty: false,
        quotas: { "us-east-1": { pInstanceVcpus: 18432 } },
      });
      assert.deepEqual(
        fleet.retiredTenants.map((r) => [r.id, r.account]),
        [["hooli", "666666666666"]],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is optional", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-fleet-"));
    try {
      assert.equal(
        readFleetFile({ root: dir, name: "moat", main: "infra", stackConfigDir: "stacks" }),
        undefined,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fills in defaults and drops nothing it was given", () => {
    assert.deepEqual(parseFleetFile(FILE, null), { file: FILE, accounts: {}, retiredTenants: [] });
    assert.deepEqual(parseFleetFile(FILE, { accounts: { "222222222222": {} } }).accounts, {
      "222222222222": { organizationGuardDuty: false, quotas: {} },
    });
  });

  const refused: [string, unknown, string[]][] = [
    [
      "an account id that is not 12 digits",
      { accounts: { "12345": {} } },
      [`${FILE}: accounts."12345" must be a 12-digit AWS account id in quotes, e.g. "111111111111"`],
    ],
    [
      "unknown keys, a bad quota value, an unknown region",
      {
        accounts: {
          "111111111111": { labl: "x", quotas: { "us-east-1": { pInstanceVcpu: 3, vpcs: 0 }, mars: {} } },
        },
      },
      [
        `${FILE}: accounts."111111111111".quotas.us-east-1.vpcs must be a whole number above 0`,
        `${FILE}: accounts."111111111111".quotas.us-east-1.pInstanceVcpu is not a fleet file setting; known keys here: elasticIps, vpcs, internetGateways, natGatewaysPerAz, gatewayEndpoints, interfaceEndpointsPerVpc, networkInterfaces, pInstanceVcpus, lustreStorageGiB, lustreFileSystems, eventBridgeRules`,
        `${FILE}: accounts."111111111111".quotas.mars must be an AWS region such as us-east-1`,
        `${FILE}: accounts."111111111111".labl is not a fleet file setting; known keys here: label, organizationGuardDuty, quotas`,
      ],
    ],
    [
      "a malformed retired id, a missing reason and an unknown top-level key",
      { retiredTenants: [{ id: "Hooli", account: 666666666666 }], tenants: [] },
      [
        `${FILE}: retiredTenants[0].id must be a tenant id (moat:tenant.id), e.g. acme`,
        `${FILE}: retiredTenants[0].account should be a string`,
        `${FILE}: retiredTenants[0].reason should be a string`,
        `${FILE}: tenants is not a fleet file setting; known keys here: accounts, retiredTenants`,
      ],
    ],
    ["a list where a mapping belongs", { accounts: [] }, [`${FILE}: accounts should be a mapping`]],
    ["a file that is not a mapping", "accounts", [`${FILE}: the file should be a mapping`]],
  ];
  for (const [title, doc, problems] of refused) {
    it(`refuses ${title}, naming the file and every key`, () => {
      assert.deepEqual(fleetFileProblems(FILE, doc), problems);
      assert.throws(
        () => parseFleetFile(FILE, doc),
        (e: unknown) =>
          e instanceof UsageError &&
          e.problems[0] === `${FILE}: invalid fleet file, no fleet checks were run:` &&
          e.problems.length === problems.length + 1,
      );
    });
  }
});
