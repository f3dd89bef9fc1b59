/**
 * The plans the whole-stack tests share: each stack is planned once per test run. The runner
 * (tests/run.ts) prepares them with tests/prepare-plans.ts and names the folder in MOAT_TEST_PLANS;
 * a test file run on its own (`node --import tsx --test tests/x.test.ts`) prepares what it reads,
 * once, in a temporary folder.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RecorderOutput } from "../tools/src/compliance/test-index";
import type { PlannedStack } from "../tools/src/mutation/suite";
import { listStacks, readProject, readStackFile, type StackFile } from "../tools/src/plan/project";
import { FIXTURES, ROOT, type MoatRun } from "./moat-cli";
import type { Part } from "./prepare-plans";

/** The variable naming the folder of shared plans. */
export const PLANS_ENV = "MOAT_TEST_PLANS";

let onDemand: string | undefined;
const prepared = new Set<Part>();

/** The folder of one part of the shared plans, prepared on demand when the runner did not. */
function partDir(part: Part): string {
  const shared = process.env[PLANS_ENV];
  if (shared) {
    const dir = path.join(shared, part);
    if (!fs.existsSync(dir)) {
      throw new Error(
        `${dir} is missing: the test runner's setup (tests/prepare-plans.ts) failed; see its output`,
      );
    }
    return dir;
  }
  if (onDemand === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-test-plans-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    onDemand = dir;
  }
  if (!prepared.has(part)) {
    const script = path.join(__dirname, "prepare-plans.ts");
    const run = spawnSync(process.execPath, ["--import", "tsx", script, onDemand, part], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    if (run.status !== 0) {
      throw new Error(`preparing the ${part} plans failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    }
    prepared.add(part);
  }
  return path.join(onDemand, part);
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

/** A `moat plan --all` run as prepared: its arguments beyond the defaults, exit status and output. */
export interface PlanAllRun extends MoatRun {
  readonly args: string[];
}

/** The plans of one folder of stack files, with computed values known and unknown. */
export class PlanSet {
  private readonly runs = new Map<boolean, PlanAllRun>();

  constructor(
    /** The folder of the stack files, relative to the project root. */
    readonly folder: string,
    private readonly dir: string,
  ) {}

  /** The stacks of the folder, sorted. */
  get stacks(): string[] {
    return listStacks({ ...readProject(ROOT), stackConfigDir: this.folder });
  }

  /** The stack's file, as the operator knows it. */
  file(stack: string): string {
    return path.join(this.folder, `Pulumi.${stack}.yaml`);
  }

  /** The stack's configuration as the program receives it (JSON text per key). */
  stackFile(stack: string): StackFile {
    return readStackFile({ ...readProject(ROOT), stackConfigDir: this.folder }, stack);
  }

  /** The `moat plan --all` run that planned the folder. */
  run(unknowns: boolean): PlanAllRun {
    if (!this.runs.has(unknowns)) {
      this.runs.set(unknowns, readJson(path.join(this.dir, unknowns ? "unknown" : "known", "moat.json")));
    }
    return this.runs.get(unknowns)!;
  }

  private output(stack: string, unknowns: boolean, ext: string): string {
    return path.join(this.dir, unknowns ? "unknown" : "known", `${stack}.${ext}`);
  }

  /** The stack's JSON plan, as `moat plan --json` writes it; undefined when it did not plan. */
  plan<P>(stack: string, unknowns: boolean): P | undefined {
    const file = this.output(stack, unknowns, "json");
    return fs.existsSync(file) ? readJson<P>(file) : undefined;
  }

  /** The text of the stack's JSON plan. */
  planText(stack: string, unknowns: boolean): string {
    return fs.readFileSync(this.output(stack, unknowns, "json"), "utf8");
  }

  /** The stack's reachability diagram (Mermaid). */
  diagram(stack: string, unknowns: boolean): string {
    return fs.readFileSync(this.output(stack, unknowns, "mmd"), "utf8");
  }

  /** What `moat plan --all` printed for the stack: its summary line, violations and flows. */
  section(stack: string, unknowns: boolean): string {
    const lines = this.run(unknowns).stdout.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`PASS ${stack}: `) || l.startsWith(`FAIL ${stack}: `));
    return start === -1 ? "" : block(lines, start);
  }

  /** What `moat plan --all` printed after the stacks: the fleet checks of all of them together. */
  fleet(unknowns: boolean): string {
    const lines = this.run(unknowns).stdout.split("\n");
    const start = lines.findIndex((l) => l.startsWith("fleet: "));
    return start === -1 ? "" : block(lines, start);
  }

  /**
   * Why the stack has no plan, with or without unknowns, or undefined when it has both. The first
   * line names the stack file and every problem moat reported; the rest is moat's own output.
   */
  notPlanned(stack: string): string | undefined {
    const unknowns = [false, true].find((u) => !fs.existsSync(this.output(stack, u, "json")));
    if (unknowns === undefined) return undefined;
    const run = this.run(unknowns);
    const lines = run.stderr.split("\n");
    const start = lines.findIndex(
      (l) => l.includes(`Pulumi.${stack}.yaml: `) || l.startsWith(`stack ${stack}: `),
    );
    let end = start + 1;
    while (start !== -1 && lines[end]?.startsWith("  ")) end++;
    const block = start === -1 ? [] : lines.slice(start, end);
    const file = this.file(stack);
    const problems = block
      .slice(1)
      .map((l) => l.trim().replace(/^\S*Pulumi\.\S+\.yaml: /, ""))
      .filter((l) => l !== "");
    const said = block.length > 0 ? block.join("\n") : `${run.stderr}${run.stdout}`.trim();
    const how = ["moat plan --all", ...run.args].join(" ");
    return [
      // Another stack's error (an unreadable file) can stop the whole run: say what stopped it.
      `${file} does not plan: ${problems.join("; ") || block[0] || `${how} stopped: ${said.split("\n")[0]}`}`,
      "",
      `${how} (exit code ${run.status}) said:`,
      said,
    ].join("\n");
  }
}

/**
 * The lines from `start` up to the next that opens another part of the output: an unindented line
 * other than a stack's own "Reachability of" heading.
 */
function block(lines: readonly string[], start: number): string {
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l) && !l.startsWith("Reachability of "));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}

const sets = new Map<string, PlanSet>();

/** The shared plans of the operator's stacks (`stacks`) or of the tests' fixtures (`fixtures`). */
export function planSet(which: "stacks" | "fixtures"): PlanSet {
  if (!sets.has(which)) {
    const folder = which === "stacks" ? readProject(ROOT).stackConfigDir : FIXTURES;
    sets.set(which, new PlanSet(folder, partDir(which)));
  }
  return sets.get(which)!;
}

/** The fixtures' recorded registrations (wire form), as the policy pack receives them. */
export function rawFixturePlans(unknowns: boolean): PlannedStack[] {
  return readJson(path.join(partDir("raw"), unknowns ? "unknown.json" : "known.json"));
}

/** The policy tests as the compliance recorder saw them (tools/src/compliance/test-index.ts). */
export function recordedPolicyTests(): RecorderOutput {
  return readJson(path.join(partDir("policy-tests"), "recorded.json"));
}
