import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

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

/**
 * A throw-away project that shares this one's program, components, pack and dependencies but has its
 * own stacks/ folder (and, if given, its own program), so tests can plan stack files that must not
 * live in the real one.
 */
export function scratchProject(stacks: Record<string, string>, program?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-project-"));
  const shared = ["Pulumi.yaml", "package.json", "tsconfig.json", "components", "policies", "node_modules"];
  for (const entry of program === undefined ? [...shared, "infra"] : shared) {
    fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  if (program !== undefined) {
    fs.mkdirSync(path.join(dir, "infra"));
    fs.writeFileSync(path.join(dir, "infra", "index.ts"), program);
  }
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const [name, text] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, "stacks", name), text);
  }
  return dir;
}

/** Names of the example stacks in stacks/. */
export function exampleStacks(): string[] {
  return fs
    .readdirSync(path.join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
