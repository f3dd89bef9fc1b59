// The example program of deploy/pulumi-deployments under recording mocks: which Pulumi Cloud
// resources it registers for a scratch repository's stack files, with which inputs and in which order.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, type RecordingMocks } from "../../../components/testing/recording-mocks";
import { declareDeployments } from "../../../deploy/pulumi-deployments/deployments";
import { stackDeployments, parseDeploymentsConfig } from "./settings";
import { readProjectStacks } from "./stack-files";
import { scratchRepository } from "./testing";

const ROLES = { "111111111111": "arn:aws:iam::111111111111:role/moat-deployments" };

const root = scratchRepository({
  tenants: {
    "acme-prod": { account: "111111111111", policy: "{}" },
    "acme-dev": { account: "111111111111", policy: '{"x": {"enforcementLevel": "advisory"}}' },
  },
  baselines: { "acme-use1": { account: "111111111111" } },
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

let mocks: RecordingMocks;
const warnings: string[] = [];
before(async () => {
  mocks = await installRecordingMocks();
  pulumi.runtime.setAllConfig({
    "moat-deployments:organization": "acme",
    "moat-deployments:github": "acme/moat",
    "moat-deployments:awsRoles": JSON.stringify(ROLES),
  });
});

describe("deploy/pulumi-deployments", () => {
  it("registers deployment settings, then a drift schedule depending on them, for every stack file", async (t) => {
    t.mock.method(pulumi.log, "warn", (message: string) => {
      warnings.push(message);
      return Promise.resolve();
    });
    const fleet = declareDeployments(root);
    await mocks.settle();
    const planned = stackDeployments(
      readProjectStacks(root),
      parseDeploymentsConfig({ github: "acme/moat", awsRoles: ROLES }, "acme").config!,
    ).deployments;
    const names = ["moat/acme-dev", "moat/acme-prod", "moat-account/acme-use1"];
    assert.deepEqual(fleet.stacks, names);
    // A schedule registers once its settings have: the order is settings first, then schedules.
    assert.deepEqual(
      mocks.all().map((r) => [r.type, r.name]),
      [
        ...names.map((name) => ["pulumiservice:index:DeploymentSettings", name]),
        ...names.map((name) => ["pulumiservice:index:DriftSchedule", `${name}-drift`]),
      ],
    );
    const registered = (name: string) => mocks.all().find((r) => r.name === name)!;
    for (const deployment of planned) {
      const settings = registered(deployment.name);
      const drift = registered(`${deployment.name}-drift`);
      assert.deepEqual(settings.inputs, deployment.settings);
      assert.deepEqual(drift.inputs, deployment.drift);
      assert.equal(drift.inputs.autoRemediate, false);
      assert.deepEqual(drift.dependencies, [
        `urn:pulumi:test::moat::pulumiservice:index:DeploymentSettings::${deployment.name}`,
      ]);
    }
    // Two tenants, two policy configurations: one org-wide `pulumi policy enable` cannot fit both.
    assert.equal(fleet.policyConfigs.length, 2);
    assert.match(warnings.join("\n"), /2 different policy pack configurations/);
  });

  it("refuses with every problem at once and registers nothing", () => {
    const registered = mocks.all().length;
    pulumi.runtime.setAllConfig({
      "moat-deployments:organization": "acme",
      "moat-deployments:awsRoles": "{}",
    });
    assert.throws(
      () => declareDeployments(root),
      (e: Error) =>
        pulumi.RunError.isInstance(e) &&
        e.message ===
          "moat-deployments cannot configure the fleet:\n" +
            "  moat-deployments:repoUrl or moat-deployments:github: name this repository, the source of every deployment: " +
            "pulumi config set github acme/moat (through the Pulumi GitHub app) or pulumi config set repoUrl https://github.com/acme/moat.git",
    );
    pulumi.runtime.setAllConfig({
      "moat-deployments:organization": "acme",
      "moat-deployments:github": "acme/moat",
      "moat-deployments:awsRoles": "{}",
    });
    assert.throws(
      () => declareDeployments(root),
      /awsRoles has no role for account 111111111111 \(stacks\/Pulumi\.acme-dev\.yaml, stacks\/Pulumi\.acme-prod\.yaml, accounts\/stacks\/Pulumi\.acme-use1\.yaml\)/,
    );
    assert.equal(mocks.all().length, registered);
  });
});
