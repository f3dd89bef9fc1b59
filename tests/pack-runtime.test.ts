/**
 * The pack's runtime (policies/src/runtime) answers as @pulumi/policy's own server does. Both serve
 * the same built policies (policies/ and tools/sdk-server-pack), launched as the Pulumi CLI launches
 * them, and get the same requests: every fixture stack planned with and without unknowns, one
 * mutated plan per requirement ID (so that there are violations to compare), and a policy config
 * that disables one policy, lowers another with a reason and exempts a resource. Diagnostics must be
 * identical. Not-applicable entries must be identical too, except the one documented difference:
 * the runtime leaves out a policy that does not check the resource's type, where the SDK's server
 * lists it. Needs `npm run build`.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { AnalyzerClient, type AnalyzeAnswer, type Diagnostic } from "../tools/src/analyzer/client";
import { EngineServer } from "../tools/src/analyzer/engine";
import { launchPack, type PackProcess } from "../tools/src/analyzer/pack-process";
import { RequestBuilder } from "../tools/src/analyzer/requests";
import { MUTATIONS } from "../tools/src/mutation/mutations";
import type { PlannedStack } from "../tools/src/mutation/suite";
import type { RecordedResource } from "../tools/src/plan/types";
import { moatPolicies } from "../policies/src/pack";
import { PolicyIndex } from "../policies/src/runtime/policy-index";
import { ROOT } from "./moat-cli";
import { rawFixturePlans } from "./plans";

type Config = Parameters<AnalyzerClient["configure"]>[0];

interface Server {
  readonly pack: PackProcess;
  readonly client: AnalyzerClient;
}

const engine = new EngineServer();
let runtime: Server;
let sdk: Server;
const index = new PolicyIndex(moatPolicies.filter((p) => "validateResource" in p) as never);

async function start(dir: string, engineAddress: string): Promise<Server> {
  const pack = await launchPack(path.join(ROOT, dir), engineAddress);
  return { pack, client: new AnalyzerClient(pack.address) };
}

const byText = (d: Diagnostic) => JSON.stringify([d.policyName, d.urn, d.message, d.enforcementLevel]);
const sorted = (ds: readonly Diagnostic[]) => ds.map(byText).sort();

/** Asserts the two answers agree, allowing only the runtime's "not this type" omissions. */
function assertSameAnswer(ours: AnalyzeAnswer, theirs: AnalyzeAnswer, what: string, type?: string): void {
  assert.deepEqual(sorted(ours.diagnostics), sorted(theirs.diagnostics), `${what}: diagnostics differ`);
  const key = (n: { policyName: string; reason: string }) => `${n.policyName}: ${n.reason}`;
  const theirKeys = new Set(theirs.notApplicable.map(key));
  for (const n of ours.notApplicable) {
    assert.ok(theirKeys.has(key(n)), `${what}: the runtime alone says ${key(n)}`);
  }
  const ourKeys = new Set(ours.notApplicable.map(key));
  const checksType = new Set(type === undefined ? [] : index.forType(type).map((p) => p.name));
  for (const n of theirs.notApplicable.filter((x) => !ourKeys.has(key(x)))) {
    assert.ok(
      type !== undefined && !checksType.has(n.policyName),
      `${what}: the runtime leaves out ${key(n)}, though the policy checks this type`,
    );
  }
}

/**
 * Sends a plan to both servers, configured alike, and compares the answers: AnalyzeStack, and
 * Analyze for each resource `analyze` selects (all by default).
 */
async function compare(
  stack: PlannedStack,
  resources: readonly RecordedResource[],
  config: Config,
  analyze: (r: RecordedResource) => boolean = () => true,
): Promise<number> {
  for (const { client } of [runtime, sdk]) {
    await client.configureStack(stack.stack.stack, "moat", true, stack.stack.secretKeys);
    await client.configure(config);
  }
  const builder = new RequestBuilder(resources);
  let violations = 0;
  for (const r of resources.filter(analyze)) {
    const request = builder.analyzeRequest(r);
    const [ours, theirs] = await Promise.all([runtime.client.answer(request), sdk.client.answer(request)]);
    assertSameAnswer(ours, theirs, `${stack.stack.stack} ${r.urn}`, r.type);
    violations += ours.diagnostics.length;
  }
  const request = builder.analyzeStackRequest();
  const [ours, theirs] = await Promise.all([
    runtime.client.answer(request, true),
    sdk.client.answer(request, true),
  ]);
  assertSameAnswer(ours, theirs, `${stack.stack.stack} AnalyzeStack`);
  assert.deepEqual(
    ours.notApplicable,
    theirs.notApplicable,
    `${stack.stack.stack} AnalyzeStack: not-applicable entries differ`,
  );
  return violations + ours.diagnostics.length;
}

/** Every policy at its own level, as `pulumi preview --policy-pack-config` sends an empty file. */
async function defaultConfig(): Promise<Config> {
  const info = await runtime.client.getAnalyzerInfo();
  return Object.fromEntries(
    info.policies.map((p) => [p.name, { enforcementLevel: p.enforcementLevel, properties: {} }]),
  );
}

describe("the pack's runtime answers as @pulumi/policy's server does", () => {
  let known: PlannedStack[];
  let unknown: PlannedStack[];

  before(async () => {
    const address = await engine.start();
    [runtime, sdk] = await Promise.all([start("policies", address), start("tools/sdk-server-pack", address)]);
    [known, unknown] = [rawFixturePlans(false), rawFixturePlans(true)];
  });

  after(() => {
    for (const server of [runtime, sdk]) {
      server?.client.close();
      server?.pack.child.kill();
    }
    engine.stop();
  });

  it("describes the same pack and policies (GetAnalyzerInfo)", async () => {
    const [ours, theirs] = await Promise.all([
      runtime.client.getAnalyzerInfo(),
      sdk.client.getAnalyzerInfo(),
    ]);
    assert.deepEqual(ours, theirs);
    assert.equal(ours.policies.length, moatPolicies.length);
  });

  it("gives the same answers on every fixture stack, with and without unknowns", async () => {
    const config = await defaultConfig();
    for (const stack of [...known, ...unknown]) {
      await compare(stack, stack.resources, config);
    }
  });

  it("gives the same violations on one mutated plan per requirement ID", async () => {
    const config = await defaultConfig();
    const seen = new Set<string>();
    let violations = 0;
    for (const stack of unknown) {
      // Unchanged resources were compared on the plain plans; Analyze only what the mutation touched.
      const plain = new Set(stack.resources.map((r) => JSON.stringify(r)));
      for (const mutation of MUTATIONS.filter((m) => !seen.has(m.id) && m.applies(stack.resources))) {
        seen.add(mutation.id);
        const mutated = mutation.mutate(structuredClone(stack.resources));
        violations += await compare(stack, mutated, config, (r) => !plain.has(JSON.stringify(r)));
      }
    }
    assert.ok(seen.size >= 30, `only ${seen.size} requirement IDs mutated`);
    assert.ok(violations >= seen.size, `only ${violations} violations compared`);
  });

  it("applies levels, settings and exemptions alike (disabled, lowered with a reason, exempted)", async () => {
    const config = await defaultConfig();
    const dev = unknown.find((s) => s.stack.stack === "fixture-bastion")!;
    const instance = dev.resources.find((r) => r.type === "aws:ec2/instance:Instance")!;
    config["cmp-instance-metadata-imdsv2-required"] = { enforcementLevel: "disabled", properties: {} };
    config["cmp-volume-encrypted-customer-key"] = {
      enforcementLevel: "advisory",
      properties: { reason: "INC-42: vendor image, until 2027-01" },
    };
    config["cmp-user-data-ssh-hardened"] = {
      enforcementLevel: "mandatory",
      properties: { exemptions: [{ resource: instance.name, reason: "INC-43: break-glass host" }] },
    };
    const broken = structuredClone(dev.resources).map((r) =>
      r.type === "aws:ec2/instance:Instance"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              metadataOptions: { httpTokens: "optional" },
              rootBlockDevice: { encrypted: false },
            },
          }
        : r,
    );
    const violations = await compare(dev, broken, config);
    assert.ok(violations > 0, "the broken plan produced no violation to compare");
  });
});
