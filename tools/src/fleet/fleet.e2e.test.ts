import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { scratchProject } from "../plan/scratch";
import { runMoat } from "../plan/testing";

const ROOT = path.resolve(__dirname, "..", "..", "..");

// `--project .`: the tenants' stacks only; their baseline's stack file answers the reference.
const moat = (cwd: string, ...args: string[]) => runMoat(cwd, ["plan", "--all", "--project", ".", ...args]);

/**
 * The bastion fixture (the tests' own stack file) as tenant `umbrella`'s `environment`, in the
 * fixture's account 222222222222 and its baseline, with a range of its own.
 */
function umbrella(environment: string, cidr: string): string {
  const doc = parse(
    fs.readFileSync(path.join(ROOT, "tests", "fixtures", "stacks", "Pulumi.fixture-bastion.yaml"), "utf8"),
  );
  doc.config["aws:allowedAccountIds"] = ["222222222222"];
  doc.config["moat:tenant"] = { ...doc.config["moat:tenant"], id: "umbrella", environment };
  doc.config["moat:network"] = { ...doc.config["moat:network"], cidr };
  return stringify(doc);
}

const dev = umbrella("dev", "10.30.0.0/20");
const prod = umbrella("prod", "10.31.0.0/20");

describe("fleet checks in moat plan --all, end to end", () => {
  // Two environments of one tenant in one account: Moat names their resources apart.
  const shared = scratchProject(ROOT, { "Pulumi.umbrella-dev.yaml": dev, "Pulumi.umbrella-prod.yaml": prod });
  // The prod stack file copied under another name: the same tenant environment twice.
  const copied = scratchProject(ROOT, {
    "Pulumi.umbrella-dev.yaml": dev,
    "Pulumi.umbrella-prod.yaml": prod,
    "Pulumi.umbrella-prod-copy.yaml": prod,
  });
  // Removes the links into the real project, never what they point to.
  after(() => {
    for (const dir of [shared, copied]) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets two environments of one tenant share an account: no physical name in common, exit 0", () => {
    const report = path.join(shared, "fleet-report");
    const run = moat(shared, "--fleet-report", report);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^PASS umbrella-dev: /m);
    assert.match(run.stdout, /^PASS umbrella-prod: /m);
    assert.match(
      run.stdout,
      /^fleet: 2 stacks in 1 account, 0 collisions, 0 limit errors, 0 baseline errors, 0 quota warnings$/m,
    );
    assert.doesNotMatch(run.stdout, /ERROR/);
    assert.match(run.stdout, /^2 stacks planned in .*; exit code 0$/m);

    const json = JSON.parse(fs.readFileSync(path.join(report, "fleet.json"), "utf8"));
    assert.deepEqual(
      json.tenants.map((t: Record<string, string>) => [
        t.stack,
        t.tenant,
        t.environment,
        t.account,
        t.region,
      ]),
      [
        ["umbrella-dev", "umbrella", "dev", "222222222222", "us-east-1"],
        ["umbrella-prod", "umbrella", "prod", "222222222222", "us-east-1"],
      ],
    );
    const markdown = fs.readFileSync(path.join(report, "fleet.md"), "utf8");
    assert.match(markdown, /^## Account 222222222222, us-east-1$/m);
  });

  it("exits 1 on a copy of one environment's stack file, naming both stacks in the tenant-id error", () => {
    const run = moat(copied);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^ {2}ERROR tenant umbrella's prod environment is declared by 2 stacks in account 222222222222: umbrella-prod \(stacks\/Pulumi\.umbrella-prod\.yaml\) and umbrella-prod-copy \(stacks\/Pulumi\.umbrella-prod-copy\.yaml\) set the same moat:tenant\.id and moat:tenant\.environment, so they would manage the same tenant's resources$/m,
    );
    assert.match(
      run.stdout,
      /^ {4}fix: remove the copy, or give it another moat:tenant\.id or moat:tenant\.environment$/m,
    );
    // The copy collides with prod on its names, never with dev.
    assert.match(
      run.stdout,
      /^ {4}IAM role "moat-umbrella-prod-head" in account 222222222222 \(resource umbrella-role-role in each\): IAM names are unique per account/m,
    );
    assert.doesNotMatch(run.stdout, /ERROR.*umbrella-dev/);
    assert.match(run.stdout, /^3 stacks planned in .*; exit code 1$/m);
  });
});
