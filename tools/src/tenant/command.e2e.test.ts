import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import * as ipaddr from "ipaddr.js";
import { parseDocument, parse as parseYaml } from "yaml";
import { scratchProject } from "../plan/scratch";
import { runMoat, stackFolderSnapshot } from "../plan/testing";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const moat = (cwd: string, ...args: string[]) => runMoat(cwd, args);
const snapshot = stackFolderSnapshot;

const PLACEHOLDER_KEYS = [
  "aws:allowedAccountIds[0]",
  "moat:baseline",
  "moat:tenant.owner",
  "moat:access.allowSshFrom[0]",
  "moat:access.sshPublicKeys[0].name",
  "moat:access.sshPublicKeys[0].publicKey",
  "moat:audit.alertEmails[0]",
];

describe("moat tenant new, end to end", () => {
  // The tests' own stack files, so an operator's tenants in stacks/ never change this test.
  const examples = path.join(ROOT, "tests", "fixtures", "stacks");
  const dir = scratchProject(
    ROOT,
    Object.fromEntries(
      fs.readdirSync(examples).map((f) => [f, fs.readFileSync(path.join(examples, f), "utf8")]),
    ),
  );
  const stackFile = path.join(dir, "stacks", "Pulumi.umbrella-prod.yaml");
  // Removes the links into the real project, never what they point to.
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes a stack that moat plan refuses for each placeholder, and passes once they are filled", () => {
    const taken = Object.entries(snapshot(dir))
      .filter(([f]) => /^Pulumi\..+\.yaml$/.test(f))
      .map(([, text]) => parseYaml(text).config["moat:network"].cidr as string);

    const created = moat(dir, "tenant", "new", "umbrella", "--region", "eu-central-1");
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.stderr, "");
    assert.equal(
      fs.readFileSync(path.join(dir, "stacks", "Pulumi.umbrella-prod.policy.json"), "utf8"),
      "{}\n",
    );
    const text = fs.readFileSync(stackFile, "utf8");
    const cidr = parseYaml(text).config["moat:network"].cidr as string;
    const [address, bits] = ipaddr.IPv4.parseCIDR(cidr);
    for (const used of taken) {
      const [usedAddress, usedBits] = ipaddr.IPv4.parseCIDR(used);
      assert.ok(!address.match(usedAddress, Math.min(bits, usedBits)), `${cidr} overlaps ${used}`);
    }
    for (const key of PLACEHOLDER_KEYS) {
      assert.ok(created.stdout.includes(`  ${key} `), `moat tenant new lists ${key}`);
    }

    const held = moat(dir, "plan", "umbrella-prod");
    assert.equal(held.status, 2, held.stdout + held.stderr);
    assert.match(
      held.stderr,
      /stacks\/Pulumi\.umbrella-prod\.yaml: invalid configuration, nothing was planned/,
    );
    const named = held.stderr
      .split("\n")
      .filter((l) => l.includes(" is still a placeholder written by moat tenant new: "))
      .map((l) => l.trim().split(" ")[1]);
    assert.deepEqual(named, PLACEHOLDER_KEYS);
    assert.ok(!held.stderr.includes("must be an e-mail"), "a placeholder is not also reported as malformed");

    const key = /publicKey: (ssh-ed25519 .*)$/m.exec(
      fs.readFileSync(path.join(examples, "Pulumi.fixture-bastion.yaml"), "utf8"),
    );
    assert.ok(key, "the bastion fixture has an ssh-ed25519 key");
    // The edits a person makes: a real value in place of each placeholder, comments kept.
    const doc = parseDocument(text);
    doc.setIn(["config", "aws:allowedAccountIds", 0], "555555555555");
    doc.setIn(["config", "moat:baseline"], "umbrella-org/moat-account/umbrella-eu-central-1");
    // The baseline the tenant names, in its account and region (the scratch project's copy of accounts/).
    fs.writeFileSync(
      path.join(dir, "accounts", "stacks", "Pulumi.umbrella-eu-central-1.yaml"),
      [
        "config:",
        "  aws:region: eu-central-1",
        '  aws:allowedAccountIds: ["555555555555"]',
        "  moat-account:owner: ops@umbrella.example",
        '  moat-account:operatorAlertEmails: ["secops@umbrella.example"]',
        "",
      ].join("\n"),
    );
    doc.setIn(["config", "moat:tenant", "owner"], "gpu-admins@umbrella.example");
    doc.setIn(["config", "moat:access", "allowSshFrom", 0], "198.51.100.0/24");
    doc.setIn(["config", "moat:access", "sshPublicKeys", 0, "name"], "alice");
    doc.setIn(["config", "moat:access", "sshPublicKeys", 0, "publicKey"], key[1]);
    doc.setIn(["config", "moat:audit", "alertEmails", 0], "secops@umbrella.example");
    const filled = doc.toString({ lineWidth: 0 });
    assert.ok(!filled.includes(': "REPLACE-ME') && !filled.includes('- "REPLACE-ME'), filled);
    fs.writeFileSync(stackFile, filled);

    const planned = moat(dir, "plan", "umbrella-prod");
    assert.equal(planned.status, 0, planned.stdout + planned.stderr);
    assert.match(planned.stdout, /^PASS umbrella-prod: /m);
  });

  it("refuses an existing tenant environment, an unknown region and a malformed id, writing nothing", () => {
    const before = snapshot(dir);
    const refusals: [string[], RegExp][] = [
      [["umbrella", "--region", "eu-central-1"], /stacks\/Pulumi\.umbrella-prod\.yaml already exists/],
      [
        ["initech", "--region", "us-west-2", "--environment", "dev"],
        /Pulumi\.fixture-direct-quarantine\.yaml is already tenant/,
      ],
      [["wayne", "--region", "mars-north-1"], /--region "mars-north-1" is not an AWS commercial region/],
      [["Wayne_Corp", "--region", "us-east-1"], /tenant id "Wayne_Corp" must be 3 to 20 lowercase letters/],
      [["wayne"], /--region is required/],
      [["wayne", "--region", "us-east-1", "--force"], /unknown option --force/],
    ];
    for (const [args, message] of refusals) {
      const run = moat(dir, "tenant", "new", ...args);
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, message);
      assert.ok(!/^\s+at /m.test(run.stderr), "no stack trace");
      assert.equal(run.stdout, "");
    }
    assert.deepEqual(snapshot(dir), before);
  });
});
