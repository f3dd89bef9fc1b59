import { spawn, type StdioOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ProjectFile, StackFile } from "./project";
import type { ProgramRun, RecordedResource } from "./types";

/**
 * The compiled runner. It must be JavaScript: the program is compiled by the language host's ts-node
 * inside it, and no other TypeScript loader may be in the way. Tests that import this module from
 * source still use the compiled runner.
 */
const RUNNER = path.join(__dirname, "..", "..", "dist", "plan", "runner.js");

/** How to run the program. */
export interface RunOptions {
  /** Leave computed values unknown, as in a first preview. */
  readonly unknowns: boolean;
  /** Type-check the program while loading it, as the language host does unless told otherwise. */
  readonly typeCheck: boolean;
  /** Called with each registration as the program makes it, before the run is over. */
  readonly onResource?: (resource: RecordedResource) => void;
}

/**
 * Runs the program for one stack in a fresh Node.js process (the SDK's runtime state is global, so
 * one process per stack keeps stacks from seeing each other) and returns what it registered.
 */
export async function runProgram(
  project: ProjectFile,
  stack: StackFile,
  options: RunOptions,
): Promise<ProgramRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-plan-"));
  const resultFile = path.join(dir, "run.json");
  const args = [RUNNER, project.root, stack.stack, resultFile];
  if (options.unknowns) {
    args.push("--unknowns");
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(stack.config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(stack.secretKeys),
    PULUMI_NODEJS_TRANSPILE_ONLY: options.typeCheck ? "false" : "true",
  };
  try {
    const { code, output } = await spawnCollect(
      process.execPath,
      args,
      project.root,
      env,
      options.onResource,
    );
    if (!fs.existsSync(resultFile)) {
      throw new Error(`the program runner for stack '${stack.stack}' exited with code ${code}:\n${output}`);
    }
    return JSON.parse(fs.readFileSync(resultFile, "utf8")) as ProgramRun;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function spawnCollect(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onMessage?: (resource: RecordedResource) => void,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const stdio: StdioOptions = onMessage ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"];
    const child = spawn(command, args, { cwd, env, stdio });
    if (onMessage) {
      child.on("message", (m) => onMessage(m as RecordedResource));
    }
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
