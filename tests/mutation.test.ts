/**
 * The mutation suite (issue 5): every fixture stack, planned once per test run (tests/plans.ts), has
 * every requirement broken on a copy of its plan, and the real policy pack, driven over the analyzer
 * protocol, must report each mutation as a mandatory violation citing the broken requirement. Needs
 * `npm run build`.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { TAG_ACCESS_MODE, TAG_OWNER, TAG_ROLE, TAG_TENANT } from "../components/tenant/tags";
import { TAG_TIER } from "../components/network/subnet-plan";
import { MUTATIONS } from "../tools/src/mutation/mutations";
import * as R from "../tools/src/mutation/resources";
import { catchRateLine, problemLines, runMutationSuite } from "../tools/src/mutation/suite";
import { REQUIREMENT_IDS, type Mutation } from "../tools/src/mutation/types";
import type { RecordedResource } from "../tools/src/plan/types";
import { ROOT } from "./moat-cli";
import { rawFixturePlans } from "./plans";

const planned = Promise.resolve().then(() => rawFixturePlans(true));
const suite = planned.then((plans) => runMutationSuite({ root: ROOT, plans }));
// Each test awaits these; the handlers only keep an early failure from crashing the runner.
planned.catch(() => undefined);
suite.catch(() => undefined);

const plan = async (stack: string) => (await planned).find((p) => p.stack.stack === stack)!.resources;

const mutation = (id: string, title: string): Mutation => {
  const found = MUTATIONS.find((m) => m.id === id && m.title.startsWith(title));
  assert.ok(found, `no mutation ${id} "${title}"`);
  return found;
};

/** Resources added by a mutation, and those it changed (by URN). */
function diff(before: readonly RecordedResource[], after: readonly RecordedResource[]) {
  const old = new Map(before.map((r) => [r.urn, r]));
  return {
    added: after.filter((r) => !old.has(r.urn)),
    changed: after.filter((r) => old.has(r.urn) && !isDeepEqual(old.get(r.urn), r)),
    removed: before.filter((r) => !after.some((a) => a.urn === r.urn)),
  };
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

describe("mutation suite over every fixture stack through the real policy pack (issue 5)", () => {
  it("prints the catch rate per stack and overall", async () => {
    const results = await suite;
    console.log(catchRateLine(results));
    problemLines(results).forEach((line) => console.log(`  ${line}`));
    assert.match(catchRateLine(results), /^mutation: .* overall \d+\/\d+ \(\d+(\.\d)?%\)$/);
  });

  it("mutates only stacks that pass the pack unmutated", async () => {
    for (const result of await suite) {
      assert.deepEqual(result.baseline, [], `${result.stack} fails the pack before any mutation`);
    }
  });

  it("has an applicable mutation for every (stack, requirement) pair, POL-2 included", async () => {
    for (const result of await suite) {
      assert.deepEqual(result.uncovered, [], `${result.stack} has requirements no mutation breaks`);
    }
  });

  it("gets a mandatory violation citing the broken requirement for every mutation", async () => {
    const missed = problemLines(await suite).filter((line) => line.includes(": missed "));
    assert.deepEqual(missed, []);
  });
});

describe("mutations", () => {
  it("leave their input untouched and return a plan whose links all resolve", async () => {
    for (const { stack, resources } of await planned) {
      const pristine = structuredClone(resources);
      for (const m of MUTATIONS.filter((x) => x.applies(resources))) {
        const mutated = m.mutate(resources);
        const where = `${stack.stack} ${m.id} "${m.title}"`;
        assert.deepEqual(resources, pristine, `${where} changed its input`);
        assert.notDeepEqual(mutated, resources, `${where} changed nothing`);
        const urns = new Set(mutated.map((r) => r.urn));
        assert.equal(urns.size, mutated.length, `${where} registers a URN twice`);
        for (const r of mutated) {
          const links = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
          const dangling = [r.parent, r.provider, ...links].filter((u) => u !== undefined && !urns.has(u));
          assert.deepEqual(dangling, [], `${where}: ${r.urn} links to resources not in the plan`);
        }
      }
    }
  });

  it("NET-6: open SSH to the world on a compute group with a standalone rule built from the group", async () => {
    const before = await plan("fixture-bastion");
    const { added, changed, removed } = diff(
      before,
      mutation("NET-6", "open SSH to the world").mutate(before),
    );
    const group = R.the(before, R.T.securityGroup, "compute");
    assert.deepEqual([changed, removed], [[], []]);
    assert.equal(added.length, 1);
    const [rule] = added;
    assert.equal(rule.urn, `urn:pulumi:fixture-bastion::moat::${R.T.ingressRule}::compute-ssh-world`);
    assert.equal(rule.parent, R.the(before, R.T.stack).urn);
    assert.equal(rule.provider, R.the(before, R.T.awsProvider).urn);
    assert.equal(rule.providerRef, group.providerRef);
    assert.deepEqual(
      {
        cidr: rule.inputs.cidrIpv4,
        protocol: rule.inputs.ipProtocol,
        from: rule.inputs.fromPort,
        to: rule.inputs.toPort,
      },
      { cidr: "0.0.0.0/0", protocol: "tcp", from: 22, to: 22 },
    );
    assert.deepEqual(rule.propertyDependencies.securityGroupId, [group.urn]);
    assert.equal(rule.inputs.securityGroupId, R.UNKNOWN);
  });

  it("NET-9: add the all-ports world rule through the legacy aws:ec2/securityGroupRule type", async () => {
    const before = await plan("fixture-bastion");
    const { added } = diff(before, mutation("NET-9", "add a 0.0.0.0/0 all-ports rule").mutate(before));
    assert.deepEqual(
      added.map((r) => [r.type, r.inputs.type, r.inputs.protocol, r.inputs.cidrBlocks]),
      [[R.T.legacyRule, "ingress", "-1", ["0.0.0.0/0"]]],
    );
    assert.deepEqual(added[0].propertyDependencies.securityGroupId, [
      R.the(before, R.T.securityGroup, "head").urn,
    ]);
  });

  it("NET-3: drop the cluster self rule together with its FirewallRule wrapper", async () => {
    const before = await plan("fixture-bastion");
    const { removed, changed } = diff(before, mutation("NET-3", "drop the cluster group's").mutate(before));
    assert.deepEqual(removed.map((r) => r.type).sort(), [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "moat:network:FirewallRule",
    ]);
    assert.deepEqual(changed, []);
  });

  it("DAT-1: drop the KMS key from the filesystem, input and dependency alike", async () => {
    for (const stack of ["fixture-bastion", "fixture-lustre"]) {
      const before = await plan(stack);
      const { changed, added, removed } = diff(before, mutation("DAT-1", "drop the KMS key").mutate(before));
      assert.deepEqual([added, removed], [[], []]);
      assert.deepEqual(
        changed.map((r) => r.type),
        [stack === "fixture-bastion" ? R.T.efs : R.T.lustre],
      );
      const [fs] = changed;
      const key = R.the(before, R.T.kmsKey);
      assert.equal("kmsKeyId" in fs.inputs, false);
      assert.equal("kmsKeyId" in fs.propertyDependencies, false);
      assert.equal(fs.dependencies.includes(key.urn), false);
    }
  });

  it("CMP-2: set IMDSv1, or put the unknown sentinel where the literal httpTokens was (POL-2)", async () => {
    const before = await plan("fixture-bastion");
    const v1 = diff(before, mutation("CMP-2", "allow IMDSv1").mutate(before)).changed;
    assert.deepEqual(
      v1.map((r) => [r.name, (r.inputs.metadataOptions as Record<string, unknown>).httpTokens]),
      [["dev-head-0", "optional"]],
    );
    const unknown = mutation("CMP-2", "take the compute launch template's httpTokens");
    assert.equal(unknown.unknown, true);
    const [template] = diff(before, unknown.mutate(before)).changed;
    const was = R.the(before, R.T.launchTemplate).inputs.metadataOptions as Record<string, unknown>;
    assert.deepEqual(template.inputs.metadataOptions, { ...was, httpTokens: R.UNKNOWN });
  });

  it("skip what a stack does not have and cover it with an alternative (DAT-2 on Lustre)", async () => {
    const lustre = await plan("fixture-ssm");
    assert.equal(mutation("DAT-2", "remove the EFS file-system policy").applies(lustre), false);
    const alternative = mutation("DAT-2", "add an EFS file system whose policy allows");
    assert.equal(alternative.applies(lustre), true);
    assert.equal(alternative.applies(await plan("fixture-bastion")), false);
  });

  it("mirror the components' tag keys", () => {
    assert.deepEqual(
      [R.TAG_ROLE, R.TAG_TENANT, R.TAG_OWNER, R.TAG_ACCESS_MODE, R.TAG_TIER],
      [TAG_ROLE, TAG_TENANT, TAG_OWNER, TAG_ACCESS_MODE, TAG_TIER],
    );
  });

  it("target exactly the requirements of REQUIREMENTS.md (POL-1 excepted)", (t) => {
    const file = path.resolve(ROOT, "..", "shared", "REQUIREMENTS.md");
    if (!fs.existsSync(file)) {
      t.skip(`${file} is not checked out beside the project`);
      return;
    }
    const ids = [...fs.readFileSync(file, "utf8").matchAll(/^- ([A-Z0-9]+-\d+) /gm)].map((m) => m[1]);
    assert.deepEqual([...REQUIREMENT_IDS].sort(), ids.filter((id) => id !== "POL-1").sort());
  });
});
