import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LocalProgramArgs } from "@pulumi/pulumi/automation";
import {
  automationWorkspace,
  isLockConflict,
  stackName,
  type AutomationSettings,
  type AutomationStack,
  type CreateOrSelectStack,
} from "./automation";
import { runStack } from "./testing";

const TENANT = runStack("tenant", "acme-prod", "111111111111", "us-east-1", {
  projectDir: "/repo",
  policyConfigFile: "/repo/stacks/Pulumi.acme-prod.policy.json",
});
const BASELINE = runStack("baseline", "home-111", "111111111111", "us-east-1", {
  projectDir: "/repo/accounts",
});

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SDK's error for a locked stack, as errors.js builds it from the CLI's output. */
function lockError(): Error {
  const e = new Error(
    "code: 255\n stderr: error: [409] Conflict: Another update is currently in progress.\n",
  );
  e.name = "ConcurrentUpdateError";
  return e;
}

/** A createOrSelectStack stand-in that records its arguments and every operation's options. */
function recorder(
  behave: { preview?: () => Promise<unknown>; previewRefresh?: () => Promise<unknown> } = {},
) {
  const selected: LocalProgramArgs[] = [];
  const calls: { method: string; options: Record<string, unknown> }[] = [];
  let selecting = 0;
  let mostSelecting = 0;
  const createOrSelectStack: CreateOrSelectStack = async (args) => {
    selecting++;
    mostSelecting = Math.max(mostSelecting, selecting);
    await tick(2);
    selecting--;
    selected.push(args);
    const stack: AutomationStack = {
      async preview(options) {
        calls.push({ method: "preview", options: { ...options } });
        await behave.preview?.();
        return { changeSummary: { create: 2, same: 5 } };
      },
      async up(options) {
        calls.push({ method: "up", options: { ...options } });
        return { summary: { resourceChanges: { update: 1 } } };
      },
      async previewRefresh(options) {
        calls.push({ method: "previewRefresh", options: { ...options } });
        await behave.previewRefresh?.();
        return { changeSummary: { same: 7 } };
      },
    };
    return stack;
  };
  return { createOrSelectStack, selected, calls, mostSelecting: () => mostSelecting };
}

const onOutput = (_text: string) => undefined;
const POLICY = {
  parallel: 16,
  policyPacks: ["/repo/policies"],
  policyPackConfigs: ["/repo/stacks/Pulumi.acme-prod.policy.json"],
  onOutput,
};

describe("automationWorkspace", () => {
  it("selects the stack in its project folder and passes the pack and the stack's policy config on preview and up", async () => {
    const fake = recorder();
    const workspace = automationWorkspace({ createOrSelectStack: fake.createOrSelectStack });
    const stack = await workspace.stack(TENANT);
    assert.deepEqual(await stack.preview(POLICY), { changes: { create: 2, same: 5 } });
    assert.deepEqual(await stack.up(POLICY), { changes: { update: 1 } });
    assert.deepEqual(fake.selected, [{ stackName: "acme-prod", workDir: "/repo" }]);
    const expected = {
      parallel: 16,
      policyPacks: ["/repo/policies"],
      policyPackConfigs: ["/repo/stacks/Pulumi.acme-prod.policy.json"],
      color: "never",
      onOutput,
      onError: onOutput,
    };
    assert.deepEqual(fake.calls, [
      { method: "preview", options: expected },
      { method: "up", options: expected },
    ]);
  });

  it("leaves policyPackConfigs out when the stack has no policy config, and names stacks with --org", async () => {
    const fake = recorder();
    const workspace = automationWorkspace({ createOrSelectStack: fake.createOrSelectStack, org: "acme-org" });
    await (await workspace.stack(BASELINE)).preview({ ...POLICY, policyPackConfigs: [] });
    assert.deepEqual(fake.selected, [
      { stackName: "acme-org/moat-account/home-111", workDir: "/repo/accounts" },
    ]);
    assert.deepEqual(fake.calls[0].options, {
      parallel: 16,
      policyPacks: ["/repo/policies"],
      color: "never",
      onOutput,
      onError: onOutput,
    });
    assert.equal(stackName(TENANT, undefined), "acme-prod");
    // The organization the stack files name wins over --org.
    assert.equal(stackName({ ...TENANT, org: "acme-corp" }, "other"), "acme-corp/moat/acme-prod");
  });

  it("checks drift with refresh --preview-only --expect-no-changes and reports the CLI's refusal as drift", async () => {
    let drifted = false;
    const fake = recorder({
      previewRefresh: async () => {
        if (drifted)
          throw new Error("code: 255\n stderr: error: no changes were expected but changes occurred\n");
      },
    });
    const stack = await automationWorkspace({ createOrSelectStack: fake.createOrSelectStack }).stack(TENANT);
    assert.deepEqual(await stack.detectDrift({ parallel: 16, onOutput }), {
      drift: false,
      changes: { same: 7 },
    });
    drifted = true;
    assert.deepEqual(await stack.detectDrift({ parallel: 16, onOutput }), { drift: true });
    assert.deepEqual(fake.calls[0], {
      method: "previewRefresh",
      options: { parallel: 16, expectNoChanges: true, color: "never", onOutput, onError: onOutput },
    });
  });

  it("rethrows a drift check's other errors", async () => {
    const fake = recorder({ previewRefresh: () => Promise.reject(new Error("error: no credentials")) });
    const stack = await automationWorkspace({ createOrSelectStack: fake.createOrSelectStack }).stack(TENANT);
    await assert.rejects(stack.detectDrift({ parallel: 16, onOutput }), /no credentials/);
  });

  it("selects stacks one at a time, once each, while their operations may overlap", async () => {
    const fake = recorder();
    const workspace = automationWorkspace({ createOrSelectStack: fake.createOrSelectStack });
    const stacks = ["a", "b", "c"].map((s) => runStack("tenant", s, "111111111111", "us-east-1"));
    await Promise.all([...stacks, ...stacks].map((s) => workspace.stack(s)));
    assert.equal(fake.mostSelecting(), 1);
    assert.deepEqual(
      fake.selected.map((a) => a.stackName),
      ["a", "b", "c"],
    );
  });

  it("retries a locked stack with doubling waits, then gives up; other errors are not retried", async () => {
    const waits: number[] = [];
    const retries: string[] = [];
    let failures = 2;
    const fake = recorder({
      preview: async () => (failures-- > 0 ? Promise.reject(lockError()) : undefined),
    });
    const settings: AutomationSettings = {
      createOrSelectStack: fake.createOrSelectStack,
      backoffMs: 100,
      sleep: async (ms) => void waits.push(ms),
      onRetry: (stack, attempt, ms, reason) =>
        retries.push(`${stack.stack} try ${attempt} in ${ms}: ${reason}`),
    };
    const stack = await automationWorkspace(settings).stack(TENANT);
    await stack.preview(POLICY);
    assert.deepEqual(waits, [100, 200]);
    assert.deepEqual(retries, [
      "acme-prod try 2 in 100: the stack is locked by another update",
      "acme-prod try 3 in 200: the stack is locked by another update",
    ]);

    failures = 10;
    waits.length = 0;
    await assert.rejects(stack.preview(POLICY), /\[409\] Conflict/);
    assert.deepEqual(waits, [100, 200, 400]);

    const broken = recorder({ preview: () => Promise.reject(new Error("error: program failed")) });
    waits.length = 0;
    const other = await automationWorkspace({
      ...settings,
      createOrSelectStack: broken.createOrSelectStack,
    }).stack(TENANT);
    await assert.rejects(other.preview(POLICY), /program failed/);
    assert.deepEqual(waits, []);
  });

  it("does not keep a failed selection, so the next operation selects again", async () => {
    let calls = 0;
    const workspace = automationWorkspace({
      createOrSelectStack: async (args) => {
        calls++;
        if (calls === 1) throw new Error("error: no Pulumi CLI");
        return recorder().createOrSelectStack(args);
      },
    });
    await assert.rejects(workspace.stack(TENANT), /no Pulumi CLI/);
    await workspace.stack(TENANT);
    assert.equal(calls, 2);
  });
});

describe("isLockConflict", () => {
  const table: [string, unknown, boolean][] = [
    ["the SDK's ConcurrentUpdateError", lockError(), true],
    [
      "Pulumi Cloud's 409",
      new Error("error: [409] Conflict: Another update is currently in progress."),
      true,
    ],
    ["a self-managed backend's lock", new Error("error: the stack is currently locked by 1 lock(s)"), true],
    [
      "an AWS ConflictException",
      new Error("ResourceConflictException: The operation cannot be performed"),
      false,
    ],
    ["a program error", new Error("error: TypeError: x is undefined"), false],
    ["not an Error", "[409] Conflict", false],
  ];
  for (const [name, error, expected] of table) {
    it(name, () => assert.equal(isLockConflict(error), expected));
  }
});
