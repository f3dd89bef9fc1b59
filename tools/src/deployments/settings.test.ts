import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  DEFAULT_DRIFT_CRON,
  parseDeploymentsConfig,
  policyConfigGroups,
  stackDeployments,
  type DeploymentsConfig,
  type StackDeployment,
} from "./settings";
import { readProjectStacks } from "./stack-files";
import { scratchRepository, type ScratchLayout } from "./testing";

const scratch: string[] = [];
after(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function repository(layout: ScratchLayout): string {
  const root = scratchRepository(layout);
  scratch.push(root);
  return root;
}

const ROLES = {
  "111111111111": "arn:aws:iam::111111111111:role/moat-deployments",
  "222222222222": "arn:aws:iam::222222222222:role/moat-deployments",
};

/** Checked settings, as `pulumi config set` would give them for these tests. */
function config(values: Parameters<typeof parseDeploymentsConfig>[0] = {}): DeploymentsConfig {
  const parsed = parseDeploymentsConfig(
    { repoUrl: "https://github.com/acme/moat.git", awsRoles: ROLES, ...values },
    "acme",
  );
  assert.deepEqual(parsed.problems, []);
  return parsed.config!;
}

/** What every stack gets, given its project, folder, stack and role. */
function expected(project: string, repoDir: string, stack: string, account: string): StackDeployment {
  const target = { organization: "acme", project, stack };
  return {
    name: `${project}/${stack}`,
    kind: project === "moat" ? "tenant" : "baseline",
    account,
    settings: {
      ...target,
      sourceContext: {
        git: { repoUrl: "https://github.com/acme/moat.git", branch: "refs/heads/main", repoDir },
      },
      operationContext: {
        preRunCommands: ["npm ci"],
        options: { skipInstallDependencies: true },
        oidc: {
          aws: {
            roleARN: `arn:aws:iam::${account}:role/moat-deployments`,
            sessionName: `${project}-${stack}`,
          },
        },
      },
    },
    drift: { ...target, scheduleCron: "0 4 * * *", autoRemediate: false },
  };
}

const FLEET: ScratchLayout = {
  tenants: {
    "acme-prod": { account: "111111111111", baseline: "acme/moat-account/acme-use1", policy: "{}" },
    "globex-dev": { account: "222222222222", region: "eu-central-1" },
  },
  baselines: { "acme-use1": { account: "111111111111" } },
};

describe("stackDeployments", () => {
  it("gives each tenant and baseline stack file its source, folder, pre-run commands, role and daily drift check", () => {
    const root = repository(FLEET);
    const { deployments, problems } = stackDeployments(readProjectStacks(root), config());
    assert.deepEqual(problems, []);
    assert.deepEqual(deployments, [
      expected("moat", ".", "acme-prod", "111111111111"),
      expected("moat", ".", "globex-dev", "222222222222"),
      expected("moat-account", "accounts", "acme-use1", "111111111111"),
    ]);
  });

  it("follows the stack files: a tenant added to stacks/ gets its settings with nothing else edited", () => {
    const root = repository(FLEET);
    const before = stackDeployments(readProjectStacks(root), config()).deployments.map((d) => d.name);
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.initech-lab.yaml"),
      'config:\n  aws:region: us-west-2\n  aws:allowedAccountIds: ["222222222222"]\n',
    );
    const { deployments } = stackDeployments(readProjectStacks(root), config());
    assert.deepEqual(
      deployments.map((d) => d.name),
      ["moat/acme-prod", "moat/globex-dev", "moat/initech-lab", "moat-account/acme-use1"],
    );
    assert.deepEqual(deployments[2], expected("moat", ".", "initech-lab", "222222222222"));
    assert.equal(before.length, 3);
  });

  it("has only tenants when accounts/stacks does not exist, and reads a baseline project without Pulumi.yaml", () => {
    const tenantsOnly = repository({ tenants: FLEET.tenants });
    assert.deepEqual(
      stackDeployments(readProjectStacks(tenantsOnly), config()).deployments.map((d) => d.name),
      ["moat/acme-prod", "moat/globex-dev"],
    );
    const bare = repository({ ...FLEET, baselineProjectFile: false });
    assert.deepEqual(
      stackDeployments(readProjectStacks(bare), config()).deployments.at(-1),
      expected("moat-account", "accounts", "acme-use1", "111111111111"),
    );
  });

  it("checks out through the GitHub app when `github` is set, with push-to-deploy and PR previews off", () => {
    const root = repository({ tenants: { "acme-prod": FLEET.tenants["acme-prod"] } });
    const cfg = config({
      repoUrl: undefined,
      github: "acme/moat",
      branch: "release",
      driftCron: "30 2 * * 1-5",
    });
    const [deployment] = stackDeployments(readProjectStacks(root), cfg).deployments;
    assert.deepEqual(deployment.settings.sourceContext, {
      git: { branch: "refs/heads/release", repoDir: "." },
    });
    assert.deepEqual(deployment.settings.vcs, {
      provider: "github",
      repository: "acme/moat",
      deployCommits: false,
      previewPullRequests: false,
      pullRequestTemplate: false,
    });
    assert.deepEqual(deployment.drift.scheduleCron, "30 2 * * 1-5");
    assert.equal(deployment.drift.autoRemediate, false);
  });

  it("lists every stack without its one account and every account without a role, with the fix", () => {
    const root = repository({
      tenants: {
        "acme-prod": { account: "111111111111" },
        "no-account": {},
        "two-accounts": { account: ["111111111111", "333333333333"] },
        "umbrella-prod": { account: "444444444444" },
        "umbrella-dev": { account: "444444444444" },
      },
    });
    const { deployments, problems } = stackDeployments(readProjectStacks(root), config());
    assert.deepEqual(deployments, []);
    assert.deepEqual(problems, [
      'stacks/Pulumi.no-account.yaml: aws:allowedAccountIds should list the one account the stack deploys to, e.g. aws:allowedAccountIds: ["111111111111"]; its deployments assume that account\'s role',
      'stacks/Pulumi.two-accounts.yaml: aws:allowedAccountIds should list the one account the stack deploys to, e.g. aws:allowedAccountIds: ["111111111111"]; its deployments assume that account\'s role',
      "moat-deployments:awsRoles has no role for account 444444444444 (stacks/Pulumi.umbrella-dev.yaml, stacks/Pulumi.umbrella-prod.yaml): " +
        "pulumi config set --path 'awsRoles[\"444444444444\"]' arn:aws:iam::444444444444:role/<role Pulumi Deployments assumes by OIDC>",
    ]);
  });
});

describe("parseDeploymentsConfig", () => {
  it("defaults to the main branch and a daily drift check", () => {
    assert.deepEqual(parseDeploymentsConfig({ github: "acme/moat" }, "acme"), {
      config: {
        organization: "acme",
        source: { github: "acme/moat" },
        branch: "refs/heads/main",
        awsRoles: {},
        driftCron: DEFAULT_DRIFT_CRON,
      },
      problems: [],
    });
  });

  it("lists every problem at once, each with the command that fixes it", () => {
    assert.deepEqual(
      parseDeploymentsConfig(
        {
          branch: "feature/",
          driftCron: "daily",
          awsRoles: {
            "1111": "arn:aws:iam::1111:role/x",
            "222222222222": "arn:aws:iam::111111111111:role/moat-deployments",
          },
        },
        "acme",
      ).problems,
      [
        "moat-deployments:repoUrl or moat-deployments:github: name this repository, the source of every deployment: " +
          "pulumi config set github acme/moat (through the Pulumi GitHub app) or pulumi config set repoUrl https://github.com/acme/moat.git",
        "moat-deployments:branch 'feature/' is not a branch name: pulumi config set branch main",
        "moat-deployments:driftCron 'daily' is not a five-field cron expression: pulumi config set driftCron '0 4 * * *'",
        "moat-deployments:awsRoles: '1111' is not a 12-digit AWS account ID",
        "moat-deployments:awsRoles[\"222222222222\"] 'arn:aws:iam::111111111111:role/moat-deployments' is not an IAM role of account 222222222222: " +
          "pulumi config set --path 'awsRoles[\"222222222222\"]' arn:aws:iam::222222222222:role/moat-deployments",
      ],
    );
    assert.deepEqual(parseDeploymentsConfig({ repoUrl: "https://x/y.git", github: "a/b" }, "acme").problems, [
      "moat-deployments:repoUrl and moat-deployments:github are both set: keep one (pulumi config rm repoUrl or github)",
    ]);
    assert.deepEqual(parseDeploymentsConfig({ github: "moat", awsRoles: ["x"] }, "acme").problems, [
      "moat-deployments:github 'moat' is not owner/repo: pulumi config set github acme/moat",
      "moat-deployments:awsRoles must map account IDs to role ARNs: " +
        "pulumi config set --path 'awsRoles[\"111111111111\"]' arn:aws:iam::111111111111:role/moat-deployments",
    ]);
  });

  it("accepts roles in other partitions and git URLs over ssh", () => {
    const parsed = parseDeploymentsConfig(
      {
        repoUrl: "git@github.com:acme/moat.git",
        awsRoles: { "111111111111": "arn:aws-us-gov:iam::111111111111:role/ops/moat" },
      },
      "acme",
    );
    assert.deepEqual(parsed.problems, []);
  });
});

describe("policyConfigGroups", () => {
  it("groups the tenant stacks by policy configuration, key order aside, a stack without a file as {}", () => {
    const root = repository({
      tenants: {
        a: { account: "111111111111", policy: '{"x": {"enforcementLevel": "advisory", "limit": 2}}' },
        b: { account: "111111111111", policy: '{"x": {"limit": 2, "enforcementLevel": "advisory"}}' },
        c: { account: "111111111111", policy: "{}" },
        d: { account: "111111111111" },
      },
      baselines: { base: { account: "111111111111", policy: '{"y": {}}' } },
    });
    assert.deepEqual(policyConfigGroups(readProjectStacks(root)), [
      { config: { x: { enforcementLevel: "advisory", limit: 2 } }, stacks: ["moat/a", "moat/b"] },
      { config: {}, stacks: ["moat/c", "moat/d"] },
    ]);
  });
});
