/**
 * Whole-stack tests: every stack in stacks/ is planned by the real program under the mock runtime and
 * checked by the real policy pack over the analyzer protocol, with computed values known and unknown.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { exampleStacks, moat } from "./moat-cli";

interface PlanFile {
  project: string;
  stack: string;
  resources: { urn: string; type: string; name: string; parent: string | null; secretPaths: string[] }[];
  outputs: Record<string, unknown>;
  policy: {
    pack: { name: string; version: string };
    violations: { policy: string; level: string; urn: string }[];
  };
}

/** The fields of a resource in the JSON plan, in order; the shape only ever grows. */
const RESOURCE_KEYS = [
  "urn",
  "type",
  "name",
  "custom",
  "parent",
  "provider",
  "inputs",
  "dependencies",
  "propertyDependencies",
  "protect",
  "retainOnDelete",
  "deleteBeforeReplace",
  "ignoreChanges",
  "aliases",
  "additionalSecretOutputs",
  "secretPaths",
];

function planAll(unknowns: boolean): Map<string, PlanFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-plans-"));
  const run = moat(["plan", "--all", "--json", dir, ...(unknowns ? ["--unknowns"] : [])]);
  assert.equal(run.status, 0, `moat plan --all failed:\n${run.stdout}\n${run.stderr}`);
  const plans = new Map<string, PlanFile>();
  for (const stack of exampleStacks()) {
    plans.set(stack, JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")));
    assert.match(run.stdout, new RegExp(`^PASS ${stack}: \\d+ resources, 0 mandatory`, "m"));
  }
  return plans;
}

const mandatory = (plan: PlanFile) =>
  plan.policy.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} ${v.urn}`);

describe("example stacks through the real policy pack", () => {
  const known = planAll(false);
  const unknown = planAll(true);

  it("writes the documented JSON plan shape", () => {
    const plan = known.get("dev")!;
    assert.deepEqual(Object.keys(plan).sort(), [
      "formatVersion",
      "outputSecretPaths",
      "outputs",
      "policy",
      "project",
      "resources",
      "stack",
      "unknowns",
    ]);
    for (const resource of plan.resources) {
      assert.deepEqual(Object.keys(resource), RESOURCE_KEYS);
    }
    assert.deepEqual(Object.keys(plan.policy), ["pack", "violations", "weakened", "exemptions"]);
  });

  it("ships the four example stacks (bastion, bastion, ssm and direct access)", () => {
    assert.deepEqual([...known.keys()], ["acme-prod", "dev", "globex-research", "initech-lab"]);
  });

  for (const stack of exampleStacks()) {
    it(`${stack}: plans clean with the tenant network and default-deny default group (NET-1)`, () => {
      const plan = known.get(stack)!;
      assert.equal(plan.project, "moat");
      assert.equal(plan.policy.pack.name, "moat");
      assert.deepEqual(mandatory(plan), []);
      const types = plan.resources.map((r) => r.type);
      assert.ok(types.includes("moat:network:Network"));
      assert.equal(types.filter((t) => t === "aws:ec2/subnet:Subnet").length, 4);
      assert.equal(types.filter((t) => t === "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").length, 1);
    });

    it(`${stack}: gives the same mandatory verdicts with computed values unknown (POL-2)`, () => {
      const a = known.get(stack)!;
      const b = unknown.get(stack)!;
      assert.deepEqual(mandatory(b), mandatory(a));
      // Registration order follows when outputs resolve, so compare the sets of resources.
      assert.deepEqual(b.resources.map((r) => r.urn).sort(), a.resources.map((r) => r.urn).sort());
      const cantRun = b.policy.violations.filter((v) => /can't run/.test(JSON.stringify(v)));
      assert.deepEqual(cantRun, [], "a policy read an unknown value and stopped protecting");
      assert.ok(JSON.stringify(b).includes("[unknown]"), "expected unknown values in a first-preview plan");
    });
  }
});
