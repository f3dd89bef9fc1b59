import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { scratchProject } from "../plan/scratch";
import { runMoat } from "../plan/testing";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const moat = (cwd: string, ...args: string[]) => runMoat(cwd, args);

/** The bastion fixture (the tests' own stack file) as tenant `umbrella`'s `environment`, in account 777777777777. */
function umbrella(environment: string, cidr: string): string {
  const doc = parse(
    fs.readFileSync(path.join(ROOT, "tests", "fixtures", "stacks", "Pulumi.fixture-bastion.yaml"), "utf8"),
  );
  doc.config["aws:allowedAccountIds"] = ["777777777777"];
  doc.config["moat:tenant"] = { ...doc.config["moat:tenant"], id: "umbrella", environment };
  doc.config["moat:network"] = { ...doc.config["moat:network"], cidr };
  return stringify(doc);
}

describe("fleet checks in moat plan --all, end to end", () => {
  // Two environments of one tenant in one account: each stack is valid and plans clean alone.
  const dir = scratchProject(ROOT, {
    "Pulumi.umbrella-dev.yaml": umbrella("dev", "10.30.0.0/20"),
    "Pulumi.umbrella-prod.yaml": umbrella("prod", "10.31.0.0/20"),
  });
  // Removes the links into the real project, never what they point to.
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 1 naming the colliding IAM role, both stacks and the fix, and writes the fleet report", () => {
    const report = path.join(dir, "fleet-report");
    const run = moat(dir, "plan", "--all", "--fleet-report", report);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^PASS umbrella-dev: /m);
    assert.match(run.stdout, /^PASS umbrella-prod: /m);
    assert.match(
      run.stdout,
      /^fleet: 2 stacks in 1 account, \d+ collisions, 1 limit error, 0 quota warnings$/m,
    );
    assert.match(
      run.stdout,
      /^ {2}ERROR umbrella-dev \(stacks\/Pulumi\.umbrella-dev\.yaml\) and umbrella-prod \(stacks\/Pulumi\.umbrella-prod\.yaml\) declare the same physical names \(\d+\):$/m,
    );
    assert.match(
      run.stdout,
      /^ {4}IAM role "moat-umbrella-head" in account 777777777777 \(resource umbrella-role-role in each\): IAM names are unique per account/m,
    );
    assert.match(run.stdout, /^ {4}fix: give one of them another moat:tenant\.id .*aws:allowedAccountIds$/m);
    assert.match(run.stdout, /^ {2}ERROR 2 GuardDuty detectors in account 777777777777, region us-east-1/m);
    assert.match(run.stdout, /^2 stacks planned in .*; exit code 1$/m);

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
        ["umbrella-dev", "umbrella", "dev", "777777777777", "us-east-1"],
        ["umbrella-prod", "umbrella", "prod", "777777777777", "us-east-1"],
      ],
    );
    const markdown = fs.readFileSync(path.join(report, "fleet.md"), "utf8");
    assert.match(markdown, /^## Account 777777777777, us-east-1$/m);
    assert.match(markdown, /^\| Elastic IPs|^\| EC2-VPC Elastic IPs per Region \| 4 \| 5 \| AWS default \|/m);
  });
});
