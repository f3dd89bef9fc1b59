import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it, type TestContext } from "node:test";
import * as ipaddr from "ipaddr.js";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../plan/project";
import { scratchProject } from "../plan/scratch";
import { stackFolderSnapshot } from "../plan/testing";
import { parseTenantArgs, tenantMain, tenantNew, TENANT_USAGE, type TenantOptions } from "./command";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const scratch: string[] = [];
// Removes the links into the real project, never what they point to.
after(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A scratch project holding copies of the tests' own stack files (never the operator's stacks/). */
function withExamples(): string {
  const examples = path.join(ROOT, "tests", "fixtures", "stacks");
  const dir = scratchProject(
    ROOT,
    Object.fromEntries(
      fs.readdirSync(examples).map((f) => [f, fs.readFileSync(path.join(examples, f), "utf8")]),
    ),
  );
  scratch.push(dir);
  return dir;
}

const snapshot = stackFolderSnapshot;

/** Runs `tenantNew`, returning what it printed. */
async function run(t: TestContext, dir: string, options: Partial<TenantOptions>): Promise<string> {
  const printed: string[] = [];
  t.mock.method(console, "log", (text: string) => printed.push(text));
  await tenantNew(dir, {
    id: "umbrella",
    region: "eu-central-1",
    environment: "prod",
    access: "bastion",
    ...options,
  });
  return printed.join("\n");
}

/** The problems `tenantNew` refuses `options` with, after checking that it wrote nothing. */
async function refusal(t: TestContext, dir: string, options: Partial<TenantOptions>): Promise<string[]> {
  const before = snapshot(dir);
  const error = await run(t, dir, options).then(
    () => assert.fail("expected a refusal"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UsageError, String(error));
  assert.deepEqual(snapshot(dir), before, "nothing was written");
  assert.equal(error.problems.at(-1), "nothing was written");
  return error.problems.slice(0, -1);
}

const overlaps = (a: string, b: string) => {
  const [aAddress, aBits] = ipaddr.IPv4.parseCIDR(a);
  const [bAddress, bBits] = ipaddr.IPv4.parseCIDR(b);
  return aAddress.match(bAddress, Math.min(aBits, bBits));
};

describe("parseTenantArgs", () => {
  it("defaults to prod and bastion access", () => {
    assert.deepEqual(parseTenantArgs(["umbrella", "--region", "eu-central-1"]), {
      id: "umbrella",
      region: "eu-central-1",
      environment: "prod",
      access: "bastion",
    });
    assert.deepEqual(
      parseTenantArgs(["--access", "ssm", "--region", "us-east-2", "--environment", "dev", "umbrella"]),
      { id: "umbrella", region: "us-east-2", environment: "dev", access: "ssm" },
    );
  });

  it("lists every problem at once, then the usage", () => {
    const error = (() => {
      try {
        parseTenantArgs(["a", "b", "--bogus", "--environment"]);
      } catch (e) {
        return e as UsageError;
      }
      assert.fail("expected a UsageError");
    })();
    assert.ok(error instanceof UsageError);
    assert.deepEqual(error.problems, [
      "unknown option --bogus",
      "--environment needs a value",
      "name one tenant id, not 2: a b",
      "--region is required, e.g. --region eu-central-1",
      `\n${TENANT_USAGE}`,
    ]);
    assert.throws(() => parseTenantArgs(["--region", "eu-west-1"]), /the tenant id is missing/);
    assert.throws(() => parseTenantArgs(["x", "--region"]), /--region needs a value/);
  });
});

describe("tenantMain", () => {
  it("prints its usage on --help and refuses a missing or unknown subcommand", async (t) => {
    const printed: string[] = [];
    t.mock.method(console, "log", (text: string) => printed.push(text));
    assert.equal(await tenantMain(["new", "--help"], ROOT), 0);
    assert.deepEqual(printed, [TENANT_USAGE]);
    assert.match(TENANT_USAGE, /named <id>-<environment>/);
    await assert.rejects(tenantMain([], ROOT), /a subcommand is needed; subcommands: new/);
    await assert.rejects(tenantMain(["delete", "acme"], ROOT), /unknown subcommand 'delete'/);
  });
});

describe("tenantNew", () => {
  it("writes both stack files in a free range and the region's first zone, and says what is left", async (t) => {
    const dir = withExamples();
    const taken = Object.entries(snapshot(dir))
      .filter(([f]) => /^Pulumi\..+\.yaml$/.test(f))
      .map(([, text]) => parseYaml(text).config["moat:network"].cidr as string);
    const printed = await run(t, dir, {});

    const config = parseYaml(
      fs.readFileSync(path.join(dir, "stacks", "Pulumi.umbrella-prod.yaml"), "utf8"),
    ).config;
    assert.equal(
      fs.readFileSync(path.join(dir, "stacks", "Pulumi.umbrella-prod.policy.json"), "utf8"),
      "{}\n",
    );
    assert.equal(config["aws:region"], "eu-central-1");
    assert.equal(config["moat:network"].availabilityZone, "eu-central-1a");
    const cidr = config["moat:network"].cidr as string;
    assert.ok(taken.length >= 4 && taken.every((used) => !overlaps(cidr, used)), `${cidr} is free`);

    for (const key of [
      "aws:allowedAccountIds[0]",
      "moat:baseline",
      "moat:tenant.owner",
      "moat:access.allowSshFrom[0]",
      "moat:access.sshPublicKeys[0].name",
      "moat:access.sshPublicKeys[0].publicKey",
      "moat:audit.alertEmails[0]",
    ]) {
      assert.match(printed, new RegExp(`^  ${key.replace(/[.[\]]/g, "\\$&")} +\\S`, "m"));
    }
    assert.match(printed, /^Wrote stacks\/Pulumi\.umbrella-prod\.yaml: /m);
    assert.match(printed, /^Wrote stacks\/Pulumi\.umbrella-prod\.policy\.json: /m);
    assert.match(printed, /^ {2}moat plan umbrella-prod /m);
    assert.match(printed, /^ {2}pulumi stack select umbrella-prod --create$/m);
    assert.match(
      printed,
      /^ {2}pulumi up --policy-pack policies --policy-pack-config stacks\/Pulumi\.umbrella-prod\.policy\.json$/m,
    );

    // The next tenant's range avoids the one just written.
    await run(t, dir, { id: "wayne", access: "ssm", region: "us-west-2" });
    const next = parseYaml(
      fs.readFileSync(path.join(dir, "stacks", "Pulumi.wayne-prod.yaml"), "utf8"),
    ).config;
    assert.ok(!overlaps(next["moat:network"].cidr, cidr));
    assert.equal(next["moat:network"].availabilityZone, "us-west-2a");
    assert.equal(next["moat:access"].allowSshFrom, undefined, "ssm opens no port");
  });

  it("refuses a tenant environment that already has a stack file, by name or by moat:tenant.id", async (t) => {
    const dir = withExamples();
    await run(t, dir, { id: "umbrella", region: "us-east-1" });
    assert.deepEqual(await refusal(t, dir, { id: "umbrella", region: "us-east-1" }), [
      "stacks/Pulumi.umbrella-prod.yaml already exists; edit it, or pick another tenant id or --environment",
      "stacks/Pulumi.umbrella-prod.policy.json already exists; edit it, or pick another tenant id or --environment",
    ]);
    assert.deepEqual(await refusal(t, dir, { id: "initech", environment: "dev", region: "us-west-2" }), [
      "stacks/Pulumi.fixture-direct-quarantine.yaml is already tenant initech's dev stack (moat:tenant.id initech); edit it, or pick another tenant id or --environment",
    ]);
    // The same tenant in another environment is a new stack.
    await run(t, dir, { id: "initech", environment: "prod", region: "us-west-2" });
    assert.ok(fs.existsSync(path.join(dir, "stacks", "Pulumi.initech-prod.yaml")));
  });

  it("refuses a malformed id, an unknown region and bad choices all at once, in the program's words", async (t) => {
    const dir = withExamples();
    assert.deepEqual(
      await refusal(t, dir, {
        id: "Umbrella",
        region: "us-east-3",
        environment: "production",
        access: "vpn",
      }),
      [
        'tenant id "Umbrella" must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter, e.g. acme',
        '--environment "production" must be one of dev, staging, prod',
        '--access "vpn" must be one of bastion, direct, ssm',
        '--region "us-east-3" is not an AWS commercial region Moat knows; did you mean us-east-1 or us-east-2?',
      ],
    );
  });
});
