import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failureLine, runWaves, type RunSettings } from "./executor";
import { planWaves, type PlanRequest } from "./planner";
import { FakeWorkspace, runStack, type FakeBehaviour } from "./testing";
import { stackLabel, type RunStack, type Wave } from "./types";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";

const policy = (stack: string, dir = "/repo") => `${dir}/stacks/Pulumi.${stack}.policy.json`;
const BASELINES = [
  runStack("baseline", "base-a-use1", A, "us-east-1"),
  runStack("baseline", "base-a-euw1", A, "eu-west-1", {
    policyConfigFile: policy("base-a-euw1", "/repo/accounts"),
  }),
];
const TENANTS = [
  runStack("tenant", "a1", A, "us-east-1", { policyConfigFile: policy("a1") }),
  runStack("tenant", "a2", A, "us-east-1"),
  runStack("tenant", "b1", B, "eu-west-1", { policyConfigFile: policy("b1") }),
];

const SETTINGS: RunSettings = { limits: { jobs: 4, perAccount: 2 }, parallel: 16, packDir: "/repo/policies" };

async function run(
  stacks: readonly RunStack[],
  request: PlanRequest,
  behaviour: FakeBehaviour = {},
  settings: RunSettings = SETTINGS,
) {
  const waves = planWaves(stacks, request);
  const workspace = new FakeWorkspace(behaviour);
  const lines: string[] = [];
  const output: string[] = [];
  const outcome = await runWaves(waves, workspace, settings, {
    print: (line) => lines.push(line),
    output: (step) => (text) => output.push(`${stackLabel(step.stack)}: ${text}`),
    now: () => 0,
  });
  return { waves, workspace, lines, output, outcome };
}

/** The wave of each `start`/`end` event, to check that no wave starts before the previous one ended. */
function assertWavesInOrder(waves: readonly Wave[], events: readonly string[]): void {
  const waveOf = new Map<string, number>();
  waves.forEach((w, i) => {
    if (w.kind === "run") w.steps.forEach((s) => waveOf.set(`${s.operation} ${stackLabel(s.stack)}`, i));
  });
  let latestEnded = -1;
  const open = new Set<string>();
  for (const event of events) {
    const [kind, ...rest] = event.split(" ");
    const step = rest.join(" ");
    const wave = waveOf.get(step) ?? -1;
    if (kind === "start") {
      assert.ok(wave >= latestEnded, `${event} started after wave ${latestEnded + 1} had ended`);
      for (const other of open) assert.equal(waveOf.get(other), wave, `${event} overlaps ${other}`);
      open.add(step);
    } else {
      open.delete(step);
      latestEnded = Math.max(latestEnded, wave);
    }
  }
}

describe("runWaves", () => {
  it("runs the waves in order, baselines before tenants, the canary before the batches", async () => {
    const { waves, workspace, outcome } = await run([...BASELINES, ...TENANTS], {
      command: "up",
      canary: "b1",
    });
    assert.equal(outcome.exitCode, 0);
    assertWavesInOrder(waves, workspace.events);
    assert.deepEqual(
      workspace.calls.map((c) => `${c.operation} ${c.stack}`),
      [
        "up moat-account/base-a-use1",
        "up moat-account/base-a-euw1",
        "preview moat/a1",
        "preview moat/a2",
        "preview moat/b1",
        "up moat/b1",
        "up moat/a1",
        "up moat/a2",
      ],
    );
    const canaryEnd = workspace.events.indexOf("end up moat/b1");
    const firstBatch = workspace.events.indexOf("start up moat/a1");
    assert.ok(canaryEnd >= 0 && canaryEnd < firstBatch);
  });

  it("passes the policy pack and the stack's own policy config on preview and up, and none on a drift check", async () => {
    const { workspace } = await run([...BASELINES, ...TENANTS], { command: "up" });
    const options = (operation: string, stack: string) =>
      workspace.calls.find((c) => c.operation === operation && c.stack === stack)?.options;
    const a1 = { parallel: 16, policyPacks: ["/repo/policies"], policyPackConfigs: [policy("a1")] };
    assert.deepEqual(options("preview", "moat/a1"), a1);
    assert.deepEqual(options("up", "moat/a1"), a1);
    const a2 = { parallel: 16, policyPacks: ["/repo/policies"], policyPackConfigs: [] };
    assert.deepEqual(options("preview", "moat/a2"), a2);
    assert.deepEqual(options("up", "moat/a2"), a2);
    assert.deepEqual(options("up", "moat-account/base-a-euw1"), {
      parallel: 16,
      policyPacks: ["/repo/policies"],
      policyPackConfigs: [policy("base-a-euw1", "/repo/accounts")],
    });
    const drift = await run(TENANTS, { command: "refresh" });
    assert.deepEqual(
      drift.workspace.calls.map((c) => [c.operation, c.options]),
      TENANTS.map(() => ["drift", { parallel: 16 }]),
    );
  });

  it("never runs more than --per-account operations in one account × region, nor more than --jobs in all", async () => {
    const many = [A, B, C].flatMap((account) =>
      Array.from({ length: 6 }, (_, i) =>
        runStack("tenant", `${account.slice(0, 1)}-${i}`, account, "us-east-1"),
      ),
    );
    const { workspace, outcome } = await run(
      many,
      { command: "preview" },
      { delayMs: 3 },
      { ...SETTINGS, limits: { jobs: 5, perAccount: 2 } },
    );
    assert.equal(outcome.exitCode, 0);
    assert.equal(workspace.calls.length, 18);
    assert.deepEqual(Object.fromEntries(workspace.mostInFlightPerPlace), {
      [`${A} us-east-1`]: 2,
      [`${B} us-east-1`]: 2,
      [`${C} us-east-1`]: 2,
    });
    assert.equal(workspace.mostInFlight, 5);
  });

  it("stops after a failed canary: no batch starts, and the summary says so", async () => {
    const { workspace, outcome, lines } = await run(
      TENANTS,
      { command: "up", canary: "b1" },
      { fail: ["up b1"] },
    );
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(
      workspace.calls.map((c) => `${c.operation} ${c.stack}`),
      ["preview moat/a1", "preview moat/a2", "preview moat/b1", "up moat/b1"],
    );
    assert.ok(
      lines.includes("  [4/6] ✖ up moat/b1 failed in 0.0s: error: up of moat/b1 failed"),
      lines.join("\n"),
    );
    assert.ok(lines.includes("stopped after wave 3/4: an operation failed; later waves did not start"));
    assert.deepEqual(lines.slice(-4), [
      `· moat/a1  ${A} us-east-1  preview succeeded (same 3), up not started`,
      `· moat/a2  ${A} us-east-1  preview succeeded (same 3), up not started`,
      `✖ moat/b1  ${B} eu-west-1  preview succeeded (same 3), up failed`,
      "3 stacks: 0 succeeded, 1 failed, 2 not started",
    ]);
  });

  it("gates on the previews: a failed preview deploys nothing, and every other preview still runs", async () => {
    const { workspace, outcome, lines } = await run(
      [...BASELINES, ...TENANTS],
      { command: "up" },
      { fail: ["a1"] },
    );
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(
      workspace.calls.filter((c) => c.operation === "preview").map((c) => c.stack),
      ["moat/a1", "moat/a2", "moat/b1"],
    );
    assert.deepEqual(
      workspace.calls.filter((c) => c.operation === "up").map((c) => c.stack),
      ["moat-account/base-a-use1", "moat-account/base-a-euw1"],
    );
    assert.ok(!lines.some((l) => l.includes("gate")));
    assert.equal(lines.at(-1), "5 stacks: 2 succeeded, 1 failed, 2 not started");
  });

  it("stops starting a deploy wave's stacks after one fails, and lets the running ones finish", async () => {
    const batch = ["t1", "t2", "t3", "t4"].map((s) => runStack("tenant", s, A, "us-east-1"));
    const { workspace, outcome } = await run(
      batch,
      { command: "up", canary: "t4" },
      { fail: ["up t1"], delayMs: 2 },
      { ...SETTINGS, limits: { jobs: 4, perAccount: 2 } },
    );
    assert.equal(outcome.exitCode, 1);
    // t1 and t2 start together; t1 fails, t2 finishes, t3 never starts.
    assert.deepEqual(
      workspace.calls.filter((c) => c.operation === "up").map((c) => c.stack),
      ["moat/t4", "moat/t1", "moat/t2"],
    );
    assert.deepEqual(
      outcome.results
        .filter((r) => r.step.operation === "up")
        .map((r) => `${r.step.stack.stack} ${r.status}`),
      ["t4 succeeded", "t1 failed", "t2 succeeded", "t3 not started"],
    );
  });

  it("stops tenants after a failed baseline", async () => {
    const { workspace, outcome } = await run(
      [...BASELINES, ...TENANTS],
      { command: "preview" },
      { fail: ["base-a-use1"] },
    );
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(
      workspace.calls.map((c) => c.stack),
      ["moat-account/base-a-euw1", "moat-account/base-a-use1"],
    );
  });

  it("reports drift as a failure, checks every stack of the wave, and prints a line per stack and a total", async () => {
    const { outcome, lines, output } = await run(TENANTS, { command: "refresh" }, { drift: ["a2"] });
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(lines, [
      "wave 1/1: tenants (3 stacks)",
      `  start drift moat/a1 (${A} us-east-1)`,
      `  start drift moat/a2 (${A} us-east-1)`,
      `  start drift moat/b1 (${B} eu-west-1)`,
      "  [1/3] ✔ drift moat/a1 in 0.0s",
      "  [2/3] ✖ drift moat/a2 found drift in 0.0s",
      "  [3/3] ✔ drift moat/b1 in 0.0s",
      "",
      `✔ moat/a1  ${A} us-east-1  drift succeeded`,
      `✖ moat/a2  ${A} us-east-1  drift found drift`,
      `✔ moat/b1  ${B} eu-west-1  drift succeeded`,
      "3 stacks: 2 succeeded, 1 failed, 0 not started",
    ]);
    assert.deepEqual(output, [
      "moat/a1: drift moat/a1\n",
      "moat/a2: drift moat/a2\n",
      "moat/b1: drift moat/b1\n",
    ]);
  });

  it("prints the gate when it holds", async () => {
    const { lines, outcome } = await run(TENANTS.slice(0, 1), { command: "up" });
    assert.equal(outcome.exitCode, 0);
    assert.deepEqual(lines.slice(0, 5), [
      "wave 1/3: preview every tenant (1 stack)",
      `  start preview moat/a1 (${A} us-east-1)`,
      "  [1/2] ✔ preview moat/a1 in 0.0s (same 3)",
      "wave 2/3: gate: deploy tenants only if every preview succeeded",
      "  passed: 1 stack ran, every operation succeeded",
    ]);
    assert.equal(lines.at(-1), "1 stack: 1 succeeded, 0 failed, 0 not started");
  });
});

describe("failureLine", () => {
  it("shows the CLI's last error line, else the last line, shortened", () => {
    const cli =
      "code: 255\n stdout: Previewing...\n\n stderr: error: preview failed\nerror: policy violations\n";
    assert.equal(failureLine(new Error(cli)), "error: policy violations");
    assert.equal(failureLine(new Error("first\nsecond\n")), "second");
    assert.equal(failureLine("plain"), "plain");
    assert.equal(failureLine(new Error("x".repeat(300))).length, 240);
  });
});
