import * as path from "path";
import { listStacks, readProject, readStackFile, type StackFile } from "../plan/project";
import { DEFAULT_JOBS, orderedPool } from "../plan/pool";
import { runProgram } from "../plan/run-program";
import type { ProgramRun, RecordedResource } from "../plan/types";
import { PolicySession, type Violation } from "../analyzer/session";
import { MUTATIONS } from "./mutations";

/** What the suite needs of a policy session (PolicySession; a stand-in in unit tests). */
export interface StackAnalyzer {
  analyze(
    project: string,
    stack: StackFile,
    resources: readonly RecordedResource[],
  ): Promise<{ readonly violations: readonly Violation[] }>;
  close(): void;
}
import { REQUIREMENT_IDS, covers, type Mutation } from "./types";

/** What became of one mutation on one stack. */
export interface MutationOutcome {
  readonly mutation: Mutation;
  /** A new mandatory violation cites the mutation's requirement. */
  readonly caught: boolean;
  /** Violations the mutation added (absent from the unmutated stack), every level and ID. */
  readonly added: readonly Violation[];
  /** Why the mutation could not be run, if it failed. */
  readonly error?: string;
}

/** The suite's result for one stack. */
export interface StackResult {
  readonly stack: string;
  /** Mandatory violations of the unmutated stack: a stack must plan clean to be mutated. */
  readonly baseline: readonly Violation[];
  /** Applicable mutations only; the others were skipped. */
  readonly outcomes: readonly MutationOutcome[];
  /** Requirements no applicable mutation covers on this stack. */
  readonly uncovered: readonly string[];
}

/** A stack's configuration and the resources its program registered. */
export interface PlannedStack {
  readonly stack: StackFile;
  readonly resources: readonly RecordedResource[];
}

/**
 * Plans stacks of the project at `root` (every stack by default), each in its own process and all
 * at once. With `unknowns` (the default) computed values are unknown, as in a first preview.
 */
export async function planStacks(
  root: string,
  names?: readonly string[],
  unknowns = true,
): Promise<PlannedStack[]> {
  const project = readProject(root);
  const stacks = (names ?? listStacks(project)).map((s) => readStackFile(project, s));
  // One program per core at a time: an operator's folder may hold thousands of stacks.
  const runs: ProgramRun[] = [];
  await orderedPool(
    stacks,
    DEFAULT_JOBS,
    (s) => runProgram(project, s, { unknowns, typeCheck: false }),
    (run) => runs.push(run),
  );
  return runs.map((run, i) => {
    if (run.failure) {
      const detail = run.failure.kind === "config" ? run.failure.problems.join("; ") : run.failure.message;
      throw new Error(`stack ${stacks[i].stack} did not plan (${run.failure.kind}): ${detail}`);
    }
    return { stack: stacks[i], resources: run.resources };
  });
}

/** How to run the suite. */
export interface SuiteOptions {
  /** Project root (Pulumi.yaml). */
  readonly root: string;
  /** Stacks to mutate; every stack of the project by default. Ignored when `plans` is given. */
  readonly stacks?: readonly string[];
  /** Stacks already planned (see {@link planStacks}); planned here otherwise. */
  readonly plans?: readonly PlannedStack[];
  /** Plan with computed values unknown, as a first `pulumi preview` sees them; true by default. */
  readonly unknowns?: boolean;
  /** Policy pack folder, relative to the root; `policies` by default (built by `npm run build`). */
  readonly pack?: string;
  /** The mutations; the whole catalogue by default. */
  readonly mutations?: readonly Mutation[];
}

/**
 * Plans each stack once, then sends every applicable mutation of its plan to one running policy
 * pack and records whether a new mandatory violation cites the requirement the mutation breaks.
 */
export async function runMutationSuite(options: SuiteOptions): Promise<StackResult[]> {
  const project = readProject(options.root);
  // Plans run in their own processes, so they overlap with the pack's start-up.
  const planned = Promise.resolve(
    options.plans ?? planStacks(options.root, options.stacks, options.unknowns ?? true),
  );
  // A planning failure is reported when the plans are awaited, not as an unhandled rejection.
  planned.catch(() => undefined);
  // One pack for every variant: configured once per stack, identical resource requests answered once.
  const analyzer = await PolicySession.start(path.resolve(options.root, options.pack ?? "policies"), {
    reuseIdenticalRequests: true,
  });
  try {
    const results: StackResult[] = [];
    for (const plan of await planned) {
      results.push(
        await mutateStack(analyzer, project.name, plan.stack, plan.resources, options.mutations ?? MUTATIONS),
      );
    }
    return results;
  } finally {
    analyzer.close();
  }
}

/** Runs every applicable mutation on one planned stack. */
export async function mutateStack(
  analyzer: StackAnalyzer,
  project: string,
  stack: StackFile,
  planned: readonly RecordedResource[],
  mutations: readonly Mutation[],
): Promise<StackResult> {
  const before = await findings(analyzer, project, stack, planned);
  const known = new Set(before.map(violationKey));
  const outcomes: MutationOutcome[] = [];
  for (const mutation of mutations) {
    if (!mutation.applies(structuredClone(planned))) {
      continue;
    }
    try {
      const mutated = mutation.mutate(structuredClone(planned));
      const added = (await findings(analyzer, project, stack, mutated)).filter(
        (v) => !known.has(violationKey(v)),
      );
      const caught = added.some((v) => v.level === "mandatory" && v.requirements.includes(mutation.id));
      outcomes.push({ mutation, caught, added });
    } catch (e) {
      outcomes.push({ mutation, caught: false, added: [], error: (e as Error).message });
    }
  }
  const covered = new Set(outcomes.flatMap((o) => covers(o.mutation)));
  return {
    stack: stack.stack,
    baseline: before.filter((v) => v.level === "mandatory"),
    outcomes,
    uncovered: REQUIREMENT_IDS.filter((id) => !covered.has(id)),
  };
}

/** The findings that would stop a preview's policy check: exempted ones do not count. */
async function findings(
  analyzer: StackAnalyzer,
  project: string,
  stack: StackFile,
  resources: readonly RecordedResource[],
): Promise<Violation[]> {
  const { violations } = await analyzer.analyze(project, stack, resources);
  return violations.filter((v) => v.exemption === undefined);
}

const violationKey = (v: Violation) => `${v.policy}\n${v.urn}\n${v.message}`;

/** True when every stack planned clean, every requirement is covered and every mutation was caught. */
export function suitePassed(results: readonly StackResult[]): boolean {
  return results.every(
    (r) => r.baseline.length === 0 && r.uncovered.length === 0 && r.outcomes.every((o) => o.caught),
  );
}

/** `mutation: acme-prod 41/41 caught, dev 40/40 caught, ... overall 164/164 (100%)`. */
export function catchRateLine(results: readonly StackResult[]): string {
  const count = (r: StackResult) => r.outcomes.filter((o) => o.caught).length;
  const caught = results.reduce((n, r) => n + count(r), 0);
  const total = results.reduce((n, r) => n + r.outcomes.length, 0);
  const percent = total === 0 ? 0 : Math.floor((caught / total) * 1000) / 10;
  const stacks = results.map((r) => `${r.stack} ${count(r)}/${r.outcomes.length} caught`).join(", ");
  return `mutation: ${stacks}, overall ${caught}/${total} (${percent}%)`;
}

/**
 * One line per problem: a stack that does not plan clean, a requirement without an applicable
 * mutation, and a missed mutation with what the pack said instead.
 */
export function problemLines(results: readonly StackResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    for (const v of r.baseline) {
      lines.push(`${r.stack}: the unmutated stack already fails ${v.policy} (${v.urn})`);
    }
    if (r.uncovered.length > 0) {
      lines.push(`${r.stack}: no applicable mutation for ${r.uncovered.join(", ")}`);
    }
    for (const o of r.outcomes.filter((x) => !x.caught)) {
      lines.push(`${r.stack}: missed ${o.mutation.id} "${o.mutation.title}": ${missReason(o)}`);
    }
  }
  return lines;
}

function missReason(o: MutationOutcome): string {
  if (o.error !== undefined) {
    return `the mutation failed: ${o.error}`;
  }
  if (o.added.length === 0) {
    return "no new violation";
  }
  const said = [
    ...new Set(o.added.map((v) => `${v.level} ${v.policy} (${v.requirements.join(", ") || "no ID"})`)),
  ];
  return `no mandatory violation cites ${o.mutation.id}; new: ${said.join("; ")}`;
}
