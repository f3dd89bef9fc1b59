import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { scratchProject as makeScratchProject } from "../tools/src/plan/scratch";

/** The project root. */
export const ROOT = path.resolve(__dirname, "..");

/** Result of one `moat` run. */
export interface MoatRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `moat` command (tools/dist, built by `npm run build`) in `cwd`. */
export function moat(args: string[], cwd = ROOT): MoatRun {
  const result = spawnSync(process.execPath, [path.join(ROOT, "tools", "bin", "moat.js"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch project beside this one (see tools/src/plan/scratch.ts). */
export function scratchProject(stacks: Record<string, string>, program?: string): string {
  return makeScratchProject(ROOT, stacks, program);
}

/** Names of the example stacks in stacks/. */
export function exampleStacks(): string[] {
  return fs
    .readdirSync(path.join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Plans a variant of an example stack in a scratch project: `change` edits the stack file's config,
 * `policy` is the variant's policy configuration. Returns the run and its JSON plan (none when the
 * run planned nothing).
 */
export function planStackVariant<Plan>(
  stack: string,
  change: (config: Record<string, unknown>) => void,
  policy?: object,
): { run: MoatRun; plan: Plan | undefined } {
  const doc = parse(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8"));
  change(doc.config);
  const files: Record<string, string> = { [`Pulumi.${stack}.yaml`]: stringify(doc) };
  if (policy) {
    files[`Pulumi.${stack}.policy.json`] = JSON.stringify(policy);
  }
  const dir = scratchProject(files);
  const planFile = path.join(dir, "plan.json");
  const run = moat(["plan", stack, "--json", planFile], dir);
  const plan = fs.existsSync(planFile) ? (JSON.parse(fs.readFileSync(planFile, "utf8")) as Plan) : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return { run, plan };
}
