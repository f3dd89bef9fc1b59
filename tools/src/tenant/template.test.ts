import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as prettier from "prettier";
import { parse as parseYaml } from "yaml";
import { parseStackConfig } from "../../../infra/config/parse";
import { findPlaceholders, placeholder } from "../../../infra/config/placeholders";
import { ACCESS_MODES } from "../../../infra/config/schema";
import { ALICE } from "../../../infra/config/test-config";
import { renderStackFile, stackName, type TenantSpec } from "./template";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const SPEC: TenantSpec = {
  id: "umbrella",
  environment: "prod",
  region: "eu-central-1",
  availabilityZone: "eu-central-1a",
  cidr: "10.0.0.0/20",
  access: "bastion",
};

/** What a person writes in place of each placeholder, by the key that holds it. */
const FILLED: Record<string, unknown> = {
  "aws:allowedAccountIds.0": "444444444444",
  baseline: "initech/moat-account/initech-lab-us-west-2",
  "tenant.owner": "gpu-admins@umbrella.example",
  "access.allowSshFrom.0": "198.51.100.0/24",
  "access.sshPublicKeys.0.name": "alice",
  "access.sshPublicKeys.0.publicKey": ALICE,
  "audit.alertEmails.0": "secops@umbrella.example",
};

/** The stack file's values as the Pulumi runtime hands them to the program: JSON text per key. */
function runtimeConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** The `config:` mapping of a rendered stack file with every placeholder replaced by FILLED's value. */
function fillIn(text: string): Record<string, unknown> {
  const config = parseYaml(text).config as Record<string, Record<string, unknown>>;
  for (const [key, value] of Object.entries(config)) {
    for (const found of findPlaceholders(value)) {
      const where = [key.replace(/^moat:/, ""), ...found.path].join(".");
      assert.ok(where in FILLED, `no filling for ${where}`);
      if (found.path.length === 0) {
        (config as Record<string, unknown>)[key] = FILLED[where];
        continue;
      }
      const parent = found.path
        .slice(0, -1)
        .reduce<Record<PropertyKey, unknown>>((v, p) => v[p] as never, value);
      parent[found.path[found.path.length - 1]] = FILLED[where];
    }
  }
  return config;
}

describe("renderStackFile", () => {
  it("names the stack <id>-<environment>", () => {
    assert.equal(stackName("umbrella", "prod"), "umbrella-prod");
  });

  for (const access of ACCESS_MODES) {
    it(`writes a ${access} stack the program refuses only for its placeholders, and accepts once filled`, () => {
      const text = renderStackFile({ ...SPEC, access }, placeholder);
      const file = "stacks/Pulumi.umbrella-prod.yaml";
      const config = parseYaml(text).config;
      const held = parseStackConfig(runtimeConfig(config), file);
      assert.equal(held.ok, false);
      const problems = held.ok ? [] : held.problems;
      assert.deepEqual(
        problems.map((p) => p.split(" ")[1]),
        [
          "aws:allowedAccountIds[0]",
          "moat:baseline",
          "moat:tenant.owner",
          ...(access === "ssm" ? [] : ["moat:access.allowSshFrom[0]"]),
          "moat:access.sshPublicKeys[0].name",
          "moat:access.sshPublicKeys[0].publicKey",
          "moat:audit.alertEmails[0]",
        ],
      );
      assert.ok(problems.every((p) => p.includes(" is still a placeholder written by moat tenant new: ")));

      const filled = parseStackConfig(runtimeConfig(fillIn(text)), file);
      assert.ok(filled.ok, filled.ok ? "" : filled.problems.join("\n"));
      assert.equal(filled.value.region, "eu-central-1");
      assert.equal(filled.value.account, "444444444444");
      assert.deepEqual(filled.value.moat.tenant, {
        id: "umbrella",
        environment: "prod",
        owner: "gpu-admins@umbrella.example",
      });
      assert.deepEqual(filled.value.moat.network, { cidr: "10.0.0.0/20", availabilityZone: "eu-central-1a" });
      assert.equal(filled.value.moat.access.mode, access);
      assert.deepEqual(filled.value.moat.headNodes, { count: 1, instanceType: "m7i.xlarge" });
      assert.deepEqual(filled.value.moat.computeGroups, [
        { name: "gpu", instanceType: "g6e.12xlarge", nodeCount: 1 },
      ]);
      assert.equal(filled.value.moat.sharedFilesystem.type, "efs");
    });
  }

  it("is already formatted the way the repository's prettier formats YAML", async () => {
    const options = await prettier.resolveConfig(path.join(ROOT, "stacks", "Pulumi.umbrella-prod.yaml"));
    assert.ok(options, "the repository's .prettierrc.json applies to stack files");
    for (const access of ACCESS_MODES) {
      const text = renderStackFile({ ...SPEC, access }, placeholder);
      const formatted = await prettier.format(text, { ...options, parser: "yaml" });
      assert.equal(text, formatted, `${access} stack differs from prettier's formatting`);
    }
  });

  it("explains each section with a comment, as the example stacks do", () => {
    const lines = renderStackFile(SPEC, placeholder).split("\n");
    const sections = lines.filter((l) => /^ {2}[a-z]+:[A-Za-z]+:/.test(l));
    assert.equal(sections.length, 10);
    for (const section of sections) {
      assert.match(lines[lines.indexOf(section) - 1], /^ {2}# /, `${section.trim()} has a comment above it`);
    }
  });
});
