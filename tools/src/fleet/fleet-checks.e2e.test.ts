// Every fleet check, made to fire by one `moat plan --all` of a scratch fleet: each stack file is
// valid and plans clean alone, and the fleet as a whole is wrong in every way it can be.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { scratchProject } from "../plan/scratch";
import { runMoat } from "../plan/testing";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const ACCOUNT = "555555555555";

/** The bastion fixture as tenant `id`'s `environment` in ACCOUNT, with a P-family group of one node. */
function tenant(id: string, environment: string, region: string, cidr: string, baseline: string): string {
  const doc = parse(
    fs.readFileSync(path.join(ROOT, "tests", "fixtures", "stacks", "Pulumi.fixture-bastion.yaml"), "utf8"),
  );
  doc.config["aws:region"] = region;
  doc.config["aws:allowedAccountIds"] = [ACCOUNT];
  doc.config["moat:baseline"] = `umbrella-org/moat-account/${baseline}`;
  doc.config["moat:tenant"] = { ...doc.config["moat:tenant"], id, environment };
  doc.config["moat:network"] = { cidr, availabilityZone: `${region}a` };
  doc.config["moat:computeGroups"] = [{ name: "gpu", instanceType: "p5.48xlarge", nodeCount: 1 }];
  return stringify(doc);
}

function baseline(region: string, forwardTo: string[] = []): string {
  return stringify({
    config: {
      "aws:region": region,
      "aws:allowedAccountIds": [ACCOUNT],
      "moat-account:owner": "ops@umbrella.example",
      "moat-account:operatorAlertEmails": ["secops@umbrella.example"],
      "moat-account:forwardGlobalEventsTo": forwardTo,
    },
  });
}

describe("every fleet check fails moat plan --all (or warns) on a fleet built to break it", () => {
  const dir = scratchProject(ROOT, {
    "Pulumi.umbrella-prod.yaml": tenant("umbrella", "prod", "us-east-1", "10.50.0.0/20", "home"),
    // A copy under another file name: the same tenant environment twice.
    "Pulumi.umbrella-prod-copy.yaml": tenant("umbrella", "prod", "us-east-1", "10.51.0.0/20", "home"),
    // An id the fleet file retired, in a range overlapping umbrella-prod's.
    "Pulumi.hooli-prod.yaml": tenant("hooli", "prod", "us-east-1", "10.50.8.0/21", "home"),
    // A region the home baseline does not forward IAM events to.
    "Pulumi.umbrella-dev.yaml": tenant("umbrella", "dev", "eu-west-1", "10.52.0.0/20", "europe"),
    "fleet.yaml": stringify({
      accounts: { [ACCOUNT]: { label: "umbrella" } },
      retiredTenants: [{ id: "hooli", account: ACCOUNT, reason: "offboarded; its audit logs are kept" }],
    }),
  });
  // The scratch project's own copy of accounts/: this fleet's baselines only, two of them at home.
  const baselines = path.join(dir, "accounts", "stacks");
  fs.rmSync(baselines, { recursive: true, force: true });
  fs.mkdirSync(baselines);
  fs.writeFileSync(path.join(baselines, "Pulumi.home.yaml"), baseline("us-east-1"));
  // Five more homes: six multi-region trails, one over CloudTrail's five per region.
  const again = ["again", "third", "fourth", "fifth", "sixth"].map((n) => `home-${n}`);
  for (const name of again) {
    fs.writeFileSync(path.join(baselines, `Pulumi.${name}.yaml`), baseline("us-east-1"));
  }
  fs.writeFileSync(path.join(baselines, "Pulumi.europe.yaml"), baseline("eu-west-1"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("plans every stack clean alone, then names each broken rule, its stacks and the fix, and exits 1", () => {
    const run = runMoat(dir, ["plan", "--all"]);
    const out = run.stdout;
    assert.equal(run.status, 1, out + run.stderr);
    for (const stack of ["umbrella-prod", "umbrella-prod-copy", "hooli-prod", "umbrella-dev"]) {
      assert.match(out, new RegExp(`^PASS ${stack}: `, "m"), stack);
    }
    for (const stack of ["home", ...again, "europe"]) {
      assert.match(out, new RegExp(`^PASS accounts/${stack}: `, "m"), stack);
    }
    // tenant-id
    assert.match(
      out,
      /ERROR tenant umbrella's prod environment is declared by 2 stacks in account 555555555555/,
    );
    // retired-tenant
    assert.match(
      out,
      /ERROR hooli-prod \(stacks\/Pulumi\.hooli-prod\.yaml\) sets moat:tenant\.id hooli, retired/,
    );
    // physical-name
    assert.match(
      out,
      /ERROR umbrella-prod \(stacks\/Pulumi\.umbrella-prod\.yaml\) and umbrella-prod-copy .* declare the same physical names/,
    );
    // vpc-cidr
    assert.match(
      out,
      /ERROR .*10\.50\.8\.0\/21.*10\.50\.0\.0\/20|ERROR .*10\.50\.0\.0\/20.*10\.50\.8\.0\/21/,
    );
    // guardduty
    assert.match(out, /ERROR 6 GuardDuty detectors in account 555555555555, region us-east-1/);
    // trails
    assert.match(
      out,
      /ERROR account 555555555555 would hold more than 5 CloudTrail trails in [^:]*us-east-1 \(6\)/,
    );
    // baseline
    assert.match(
      out,
      /ERROR accounts\/home, accounts\/home-again, .* are all baselines of account 555555555555 in us-east-1/,
    );
    assert.match(
      out,
      /ERROR umbrella-dev deploy to eu-west-1, but the home baseline accounts\/home does not forward IAM events there/,
    );
    // quota (a warning: it leaves the exit code to the errors)
    assert.match(
      out,
      /WARNING account 555555555555 \(umbrella\), us-east-1: Running On-Demand P instances \(vCPUs\) would be 576/,
    );
    assert.match(
      out,
      /^fleet: 11 stacks in 1 account, \d+ collisions, 2 limit errors, \d+ baseline errors, \d+ quota warnings?$/m,
    );
  });
});
