import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../plan/project";
import { batches, defaultCanary, planWaves, type PlanRequest } from "./planner";
import { runStack } from "./testing";
import type { RunStack, Wave } from "./types";

const A = "111111111111";
const B = "222222222222";

const BASELINES = [
  runStack("baseline", "base-a-euw1", A, "eu-west-1"),
  runStack("baseline", "base-a-use1", A, "us-east-1"),
  runStack("baseline", "base-b-usw2", B, "us-west-2"),
];
// Listed out of name order on purpose: the planner sorts.
const TENANTS = [
  runStack("tenant", "d2", B, "us-west-2"),
  runStack("tenant", "a1", A, "us-east-1"),
  runStack("tenant", "c1", A, "eu-west-1"),
  runStack("tenant", "d1", B, "us-west-2"),
  runStack("tenant", "a2", A, "us-east-1"),
  runStack("tenant", "d3", B, "us-west-2"),
];

/** A wave in one line: `title: operation stack stack ...`. */
function render(waves: readonly Wave[]): string[] {
  return waves.map((w) =>
    w.kind === "gate"
      ? w.title
      : `${w.title}: ${w.steps[0].operation} ${w.steps.map((s) => s.stack.stack).join(" ")}`,
  );
}

const GATE = "gate: deploy tenants only if every preview succeeded";

describe("planWaves", () => {
  const table: { name: string; stacks: RunStack[]; request: PlanRequest; waves: string[] }[] = [
    {
      name: "up: home baselines, other baselines, previews, gate, canary, batches by account × region",
      stacks: [...BASELINES, ...TENANTS],
      request: { command: "up" },
      waves: [
        "baselines, home region (us-east-1): up base-a-use1",
        "baselines, other regions: up base-a-euw1 base-b-usw2",
        "preview every tenant: preview a1 a2 c1 d1 d2 d3",
        GATE,
        // The smallest batch is 111111111111 eu-west-1 (c1 alone); it is empty once c1 is the canary.
        "canary: up c1",
        `batch ${A} us-east-1: up a1 a2`,
        `batch ${B} us-west-2: up d1 d2 d3`,
      ],
    },
    {
      name: "up with a chosen canary: the rest of the canary's batch goes first",
      stacks: [...BASELINES, ...TENANTS],
      request: { command: "up", canary: "d2" },
      waves: [
        "baselines, home region (us-east-1): up base-a-use1",
        "baselines, other regions: up base-a-euw1 base-b-usw2",
        "preview every tenant: preview a1 a2 c1 d1 d2 d3",
        GATE,
        "canary: up d2",
        `batch ${B} us-west-2: up d1 d3`,
        `batch ${A} eu-west-1: up c1`,
        `batch ${A} us-east-1: up a1 a2`,
      ],
    },
    {
      name: "up without accounts/: tenant waves only",
      stacks: TENANTS,
      request: { command: "up", canary: "moat/a1" },
      waves: [
        "preview every tenant: preview a1 a2 c1 d1 d2 d3",
        GATE,
        "canary: up a1",
        `batch ${A} us-east-1: up a2`,
        `batch ${A} eu-west-1: up c1`,
        `batch ${B} us-west-2: up d1 d2 d3`,
      ],
    },
    {
      name: "up with baselines and no tenants: baselines only, no gate",
      stacks: BASELINES,
      request: { command: "up" },
      waves: [
        "baselines, home region (us-east-1): up base-a-use1",
        "baselines, other regions: up base-a-euw1 base-b-usw2",
      ],
    },
    {
      name: "up of one tenant: its preview, the gate, its batch; no canary",
      stacks: [...BASELINES, ...TENANTS],
      request: { command: "up", only: "d2" },
      waves: ["preview every tenant: preview d2", GATE, `batch ${B} us-west-2: up d2`],
    },
    {
      name: "up of one baseline: that baseline's wave only",
      stacks: [...BASELINES, ...TENANTS],
      request: { command: "up", only: "moat-account/base-b-usw2" },
      waves: ["baselines, other regions: up base-b-usw2"],
    },
    {
      name: "preview: the baselines' previews, then the tenants'; no gate, no canary",
      stacks: [...BASELINES, ...TENANTS],
      request: { command: "preview" },
      waves: ["baselines: preview base-a-euw1 base-a-use1 base-b-usw2", "tenants: preview a1 a2 c1 d1 d2 d3"],
    },
    {
      name: "refresh: drift checks in the same order",
      stacks: [...BASELINES, ...TENANTS],
      request: { command: "refresh" },
      waves: ["baselines: drift base-a-euw1 base-a-use1 base-b-usw2", "tenants: drift a1 a2 c1 d1 d2 d3"],
    },
    {
      name: "refresh of one tenant",
      stacks: TENANTS,
      request: { command: "refresh", only: "c1" },
      waves: ["tenants: drift c1"],
    },
    { name: "no stacks: no waves", stacks: [], request: { command: "up" }, waves: [] },
  ];
  for (const row of table) {
    it(row.name, () => assert.deepEqual(render(planWaves(row.stacks, row.request)), row.waves));
  }

  it("refuses, with the fix, a canary that is not a tenant, a canary outside up --all, and unknown or ambiguous stacks", () => {
    const both = [...TENANTS, runStack("baseline", "a1", A, "us-east-1")];
    const refusals: { request: PlanRequest; stacks?: RunStack[]; message: string }[] = [
      {
        request: { command: "up", canary: "base-a-use1" },
        message: "--canary base-a-use1: not a tenant stack; tenant stacks: a1, a2, c1, d1, d2, d3",
      },
      {
        request: { command: "preview", canary: "a1" },
        message: "--canary is for `moat up --all`: previews, drift checks and single stacks have no canary",
      },
      {
        request: { command: "up", only: "a1", canary: "a1" },
        message: "--canary is for `moat up --all`: previews, drift checks and single stacks have no canary",
      },
      {
        request: { command: "up", only: "zz" },
        stacks: TENANTS.slice(0, 2),
        message: "--stack zz: no such stack; known stacks: moat/a1, moat/d2",
      },
      {
        request: { command: "up", only: "a1" },
        stacks: both,
        message: "--stack a1: both projects have a stack of that name; write moat/a1 or moat-account/a1",
      },
    ];
    for (const { request, stacks, message } of refusals) {
      assert.throws(
        () => planWaves(stacks ?? [...BASELINES, ...TENANTS], request),
        (e: unknown) => e instanceof UsageError && e.problems.join("\n") === message,
        JSON.stringify(request),
      );
    }
    assert.deepEqual(render(planWaves(both, { command: "up", only: "moat-account/a1" })), [
      "baselines, home region (us-east-1): up a1",
    ]);
  });
});

describe("batches and defaultCanary", () => {
  it("groups by account × region in account and region order, stacks by name", () => {
    assert.deepEqual(
      batches(TENANTS).map((g) => g.map((s) => s.stack)),
      [["c1"], ["a1", "a2"], ["d1", "d2", "d3"]],
    );
  });

  it("picks the first stack of the smallest batch, the earlier batch on a tie, nothing without tenants", () => {
    assert.equal(defaultCanary(TENANTS)?.stack, "c1");
    const tie = [runStack("tenant", "z", B, "us-east-1"), runStack("tenant", "y", A, "us-west-2")];
    assert.equal(defaultCanary(tie)?.stack, "y");
    assert.equal(defaultCanary([]), undefined);
  });
});
