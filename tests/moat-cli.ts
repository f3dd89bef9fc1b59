import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { scratchProject as makeScratchProject } from "../tools/src/plan/scratch";
import { runMoat, type MoatRun } from "../tools/src/plan/testing";

/** The project root. */
export const ROOT = path.resolve(__dirname, "..");

/**
 * The tests' own stack files: copies of once-shipped examples, renamed `fixture-*` so that no one
 * takes them for operator stacks. Tests that pin particular values (a CIDR, a group name, a size)
 * plan these; stacks/ belongs to the operator and is only checked by assertions that hold for any
 * valid stack (tests/stacks.test.ts).
 */
export const FIXTURES = path.join("tests", "fixtures", "stacks");

export type { MoatRun } from "../tools/src/plan/testing";

/** Runs the built `moat` command (tools/dist, built by `npm run build`) in `cwd`. */
export function moat(args: string[], cwd = ROOT): MoatRun {
  return runMoat(cwd, args);
}

/** A scratch project beside this one (see tools/src/plan/scratch.ts). */
export function scratchProject(stacks: Record<string, string>, program?: string): string {
  return makeScratchProject(ROOT, stacks, program);
}

/** The text of a fixture's stack file. */
export function fixtureFile(stack: string): string {
  return fs.readFileSync(path.join(ROOT, FIXTURES, `Pulumi.${stack}.yaml`), "utf8");
}

/** A scratch project whose stacks/ folder holds every fixture stack file. */
export function fixtureProject(): string {
  const files = Object.fromEntries(
    fs
      .readdirSync(path.join(ROOT, FIXTURES))
      .map((f) => [f, fs.readFileSync(path.join(ROOT, FIXTURES, f), "utf8")]),
  );
  return scratchProject(files);
}

/**
 * Plans a variant of a fixture stack in a scratch project: `change` edits the stack file's config,
 * `policy` is the variant's policy configuration. Returns the run and its JSON plan (none when the
 * run planned nothing).
 */
export function planStackVariant<Plan>(
  stack: string,
  change: (config: Record<string, unknown>) => void,
  policy?: object,
): { run: MoatRun; plan: Plan | undefined } {
  const doc = parse(fixtureFile(stack));
  change(doc.config);
  const files: Record<string, string> = { [`Pulumi.${stack}.yaml`]: stringify(doc) };
  if (policy) {
    files[`Pulumi.${stack}.policy.json`] = JSON.stringify(policy);
  }
  const dir = scratchProject(files);
  try {
    const planFile = path.join(dir, "plan.json");
    const run = moat(["plan", stack, "--json", planFile], dir);
    const plan = fs.existsSync(planFile)
      ? (JSON.parse(fs.readFileSync(planFile, "utf8")) as Plan)
      : undefined;
    return { run, plan };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
