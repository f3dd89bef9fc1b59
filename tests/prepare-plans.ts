/**
 * Plans, once, what the whole-stack tests share, and writes it under DIR for tests/plans.ts to read:
 *
 * - `stacks/` and `fixtures/`: `moat plan --all --json --reachability` of the operator's stacks/ and
 *   of a scratch project holding tests/fixtures/stacks, in `known/` and `unknown/` (`--unknowns`):
 *   `<stack>.json`, `<stack>.mmd` and `moat.json` (exit status and output of the run);
 * - `raw/`: the fixtures' recorded registrations in wire form (`known.json`, `unknown.json`), for the
 *   tests that drive the pack with them directly;
 * - `policy-tests/recorded.json`: the policy tests run once under the compliance recorder.
 *
 * Usage: node --import tsx tests/prepare-plans.ts DIR [stacks|fixtures|raw|policy-tests]...
 * (every part by default). The test runner (tests/run.ts) runs it once per run.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { recordPolicyTests } from "../tools/src/compliance/test-index";
import { planStacks } from "../tools/src/mutation/suite";
import { fixtureProject, ROOT, type MoatRun } from "./moat-cli";

/** What can be prepared, each into its own folder. */
export const PARTS = ["stacks", "fixtures", "raw", "policy-tests"] as const;
/** A part of the shared plans. */
export type Part = (typeof PARTS)[number];

function moatAsync(args: string[], cwd: string): Promise<MoatRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "tools", "bin", "moat.js"), ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * `moat plan --all` of the project at `root`, known values first, then unknown. `extra` narrows it
 * (the fixtures' scratch project plans its tenants only, not the account baselines it copies).
 */
async function planAll(root: string, dir: string, extra: string[] = []): Promise<void> {
  for (const mode of ["known", "unknown"]) {
    const out = path.join(dir, mode);
    fs.mkdirSync(out, { recursive: true });
    const flags = [...(mode === "unknown" ? ["--unknowns"] : []), ...extra];
    const run = await moatAsync(["plan", "--all", "--json", out, `--reachability=${out}`, ...flags], root);
    fs.writeFileSync(path.join(out, "moat.json"), JSON.stringify({ args: flags, ...run }));
  }
}

async function withFixtureProject(work: (root: string) => Promise<void>): Promise<void> {
  const root = fixtureProject();
  try {
    await work(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const prepare: Record<Part, (dir: string) => Promise<void>> = {
  stacks: (dir) => planAll(ROOT, dir),
  fixtures: (dir) => withFixtureProject((root) => planAll(root, dir, ["--project", "."])),
  raw: (dir) =>
    withFixtureProject(async (root) => {
      fs.mkdirSync(dir, { recursive: true });
      for (const unknowns of [false, true]) {
        const plans = await planStacks(root, undefined, unknowns);
        fs.writeFileSync(path.join(dir, unknowns ? "unknown.json" : "known.json"), JSON.stringify(plans));
      }
    }),
  "policy-tests": async (dir) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "recorded.json"), JSON.stringify(await recordPolicyTests(ROOT)));
  },
};

/** Prepares `parts` under `dir`, all at once. */
export async function preparePlans(dir: string, parts: readonly Part[] = PARTS): Promise<void> {
  await Promise.all(parts.map((part) => prepare[part](path.join(dir, part))));
}

if (require.main === module) {
  const [dir, ...parts] = process.argv.slice(2);
  const unknown = parts.filter((p) => !PARTS.includes(p as Part));
  if (!dir || unknown.length > 0) {
    console.error(`usage: prepare-plans.ts DIR [${PARTS.join("|")}]...`);
    process.exit(2);
  }
  preparePlans(dir, parts.length > 0 ? (parts as Part[]) : PARTS).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(3);
    },
  );
}
