import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { UsageError } from "../plan/project";
import { readRunStacks } from "./stacks";
import { baselineStackText, scratchFleetProjects, tenantStackText } from "./testing";

const A = "111111111111";
const B = "222222222222";
const { project, removeAll } = scratchFleetProjects();
after(removeAll);
const baselineText = baselineStackText;

describe("readRunStacks", () => {
  it("reads the tenant stacks alone when accounts/ does not exist", () => {
    const dir = project({
      "Pulumi.acme.yaml": tenantStackText(A, "us-east-1"),
      "Pulumi.acme.policy.json": "{}",
      "fleet.yaml": "accounts: {}\n",
    });
    assert.deepEqual(readRunStacks(dir), [
      {
        role: "tenant",
        project: "moat",
        projectDir: dir,
        stack: "acme",
        file: path.join("stacks", "Pulumi.acme.yaml"),
        account: A,
        region: "us-east-1",
        policyConfigFile: path.join(dir, "stacks", "Pulumi.acme.policy.json"),
      },
    ]);
  });

  it("reads the baselines of accounts/ with their own project folder, and the tenants' references", () => {
    const dir = project(
      {
        "Pulumi.acme.yaml": tenantStackText(A, "eu-west-1", "  moat:baseline: acme-org/moat-account/home-a"),
      },
      { "Pulumi.home-a.yaml": baselineText(A, "us-east-1") },
    );
    const [tenant, baseline] = readRunStacks(dir);
    assert.equal(tenant.baseline, "acme-org/moat-account/home-a");
    assert.equal(tenant.org, "acme-org");
    assert.deepEqual(baseline, {
      org: "acme-org",
      role: "baseline",
      project: "moat-account",
      projectDir: path.join(dir, "accounts"),
      stack: "home-a",
      file: path.join("accounts", "stacks", "Pulumi.home-a.yaml"),
      account: A,
      region: "us-east-1",
    });
  });

  it("reports every problem at once, naming the file and the key, and runs nothing", () => {
    const dir = project(
      {
        "Pulumi.no-region.yaml": `config:\n  aws:allowedAccountIds: ["${A}"]\n`,
        "Pulumi.two-accounts.yaml": `config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: ["${A}", "${B}"]\n`,
        "Pulumi.bad-ref.yaml": tenantStackText(A, "us-east-1", "  moat:baseline: home-a"),
        "Pulumi.unknown-ref.yaml": tenantStackText(A, "us-east-1", "  moat:baseline: o/moat-account/nope"),
        "Pulumi.other-account.yaml": tenantStackText(
          B,
          "us-east-1",
          "  moat:baseline: o/moat-account/home-a",
        ),
        "Pulumi.other-project.yaml": tenantStackText(A, "us-east-1", "  moat:baseline: o/moat/home-a"),
      },
      {
        "Pulumi.home-a.yaml": baselineText(A, "us-east-1"),
        "Pulumi.no-account.yaml": "config:\n  aws:region: mars\n",
      },
    );
    assert.throws(
      () => readRunStacks(dir),
      (e: unknown) =>
        e instanceof UsageError &&
        assert.deepEqual(e.problems, [
          "invalid stack files, nothing was run:",
          "  stacks/Pulumi.bad-ref.yaml: moat:baseline 'home-a' is not a stack reference; write it as <org>/moat-account/<baseline-stack>",
          "  stacks/Pulumi.no-region.yaml: aws:region is not set; set it, e.g. aws:region: us-east-1",
          `  stacks/Pulumi.two-accounts.yaml: aws:allowedAccountIds should list exactly one 12-digit account; set it to the one account this stack deploys to, e.g. aws:allowedAccountIds: ["111111111111"]`,
          `  accounts/stacks/Pulumi.no-account.yaml: aws:allowedAccountIds is not set; set it to the one account this stack deploys to, e.g. aws:allowedAccountIds: ["111111111111"]`,
          "  accounts/stacks/Pulumi.no-account.yaml: aws:region 'mars' is not an AWS region; set it, e.g. aws:region: us-east-1",
          `  stacks/Pulumi.other-account.yaml: moat:baseline 'o/moat-account/home-a' is in account ${A}, but the tenant deploys to ${B}; name the baseline of account ${B}`,
          "  stacks/Pulumi.other-project.yaml: moat:baseline 'o/moat/home-a' names project 'moat'; baselines are in project 'moat-account' (accounts/Pulumi.yaml)",
          "  stacks/Pulumi.unknown-ref.yaml: moat:baseline 'o/moat-account/nope': no accounts/stacks/Pulumi.nope.yaml; known baselines: home-a",
        ]) === undefined,
    );
  });

  it("places a stack no reference names in its account's organization, when that is one", () => {
    const dir = project(
      { "Pulumi.t.yaml": tenantStackText(A, "eu-west-1", "  moat:baseline: acme/moat-account/a-euw1") },
      {
        "Pulumi.a-euw1.yaml": baselineText(A, "eu-west-1"),
        "Pulumi.a-use1.yaml": baselineText(A, "us-east-1"),
        "Pulumi.b-use1.yaml": baselineText(B, "us-east-1"),
      },
    );
    assert.deepEqual(
      readRunStacks(dir).map((s) => [s.stack, s.org]),
      [
        ["t", "acme"],
        ["a-euw1", "acme"],
        ["a-use1", "acme"],
        ["b-use1", undefined],
      ],
    );
  });

  it("refuses a baseline that tenants place in two organizations, and leaves an unreferenced one without", () => {
    const dir = project(
      {
        "Pulumi.t1.yaml": tenantStackText(A, "us-east-1", "  moat:baseline: one/moat-account/home-a"),
        "Pulumi.t2.yaml": tenantStackText(A, "us-east-1", "  moat:baseline: two/moat-account/home-a"),
      },
      { "Pulumi.home-a.yaml": baselineText(A, "us-east-1") },
    );
    assert.throws(
      () => readRunStacks(dir),
      (e: unknown) =>
        e instanceof UsageError &&
        e.problems[1] ===
          "  accounts/stacks/Pulumi.home-a.yaml: moat:baseline references name this baseline in organizations 'one' (stacks/Pulumi.t1.yaml) and 'two' (stacks/Pulumi.t2.yaml); a baseline is one stack, so name one organization",
    );
    const alone = project(
      { "Pulumi.t.yaml": tenantStackText(A, "us-east-1") },
      { "Pulumi.b.yaml": baselineText(A, "us-east-1") },
    );
    assert.deepEqual(
      readRunStacks(alone).map((s) => [s.stack, s.org]),
      [
        ["t", undefined],
        ["b", undefined],
      ],
    );
  });

  it("refuses a baseline reference when accounts/ does not exist", () => {
    const dir = project({
      "Pulumi.t.yaml": tenantStackText(A, "us-east-1", "  moat:baseline: o/moat-account/home-a"),
    });
    assert.throws(
      () => readRunStacks(dir),
      /stacks\/Pulumi\.t\.yaml: moat:baseline 'o\/moat-account\/home-a' names a baseline, but accounts\/Pulumi\.yaml does not exist; add the baseline project or remove the key/,
    );
  });

  it("reads an accounts/ project that has no stack folder yet as no baselines", () => {
    const dir = project({ "Pulumi.t.yaml": tenantStackText(A, "us-east-1") }, {});
    fs.rmSync(path.join(dir, "accounts", "stacks"), { recursive: true });
    assert.deepEqual(
      readRunStacks(dir).map((s) => s.stack),
      ["t"],
    );
  });
});
