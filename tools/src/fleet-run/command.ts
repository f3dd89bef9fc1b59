/**
 * `moat up|preview|refresh (--all | --stack NAME)`: real Pulumi operations over the fleet, in waves
 * (planner.ts), within limits (limits.ts), through the Automation API (automation.ts). The Automation
 * API is loaded only when an operation runs: `--dry-run`, `-h` and usage errors never load it.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../exit-codes";
import { count } from "../fleet/placement";
import { UsageError } from "../plan/project";
import { runWaves } from "./executor";
import { DEFAULT_JOBS, DEFAULT_PARALLEL, DEFAULT_PER_ACCOUNT } from "./limits";
import { planSteps, planWaves } from "./planner";
import { formatPlan, stacksCount } from "./report";
import { readRunStacks } from "./stacks";
import { FLEET_COMMANDS, stackLabel, type FleetCommand, type StackStep } from "./types";
import type { FleetWorkspace } from "./workspace";

/** The policy pack folder, relative to the repository root. */
export const PACK_DIR = "policies";

/** `moat up --help` (and preview, refresh). */
export const FLEET_RUN_USAGE = `usage: moat up|preview|refresh (--all | --stack NAME) [options]

Runs real Pulumi operations (Pulumi CLI, logged in; AWS credentials for every account) over the
tenant stacks (stacks/) and the account baselines (accounts/stacks/, when accounts/ exists), in
waves. See docs/fleet-runs.md.

  up          baselines (home region us-east-1 first), a preview of every tenant, a gate (stop
              unless every preview succeeded), one canary tenant, then the other tenants in
              batches, one per account × region
  preview     the baselines' previews, then every tenant's preview
  refresh     drift check (refresh --preview-only --expect-no-changes) of the baselines, then of
              every tenant; drift counts as a failure. Changes no state.

  --all              every stack
  --stack NAME       one stack, with the same waves (NAME or <project>/NAME, e.g. moat-account/NAME)
  --jobs N           operations at once over the run (default: ${DEFAULT_JOBS}, the number of cores;
                     each needs about 1-2 GB of memory)
  --per-account N    operations at once per account × region (default: ${DEFAULT_PER_ACCOUNT}: EC2 and KMS
                     throttle per account and region, and KMS CreateKey allows 5 a second)
  --canary NAME      up --all: the canary tenant (default: the first, by name, of the smallest
                     account × region batch)
  --org ORG          the Pulumi organization of stacks whose files name none (a tenant's
                     moat:baseline names the organization of the tenant and of its baseline)
                     (default: the CLI's default organization)
  --log-dir DIR      each operation's output, one file each (default: .moat/runs/<command>-<time>)
  --dry-run          print the waves and run nothing
  -h, --help         show this help

Operations use --parallel ${DEFAULT_PARALLEL}, and previews and ups the policy pack (${PACK_DIR}/) with the stack's
Pulumi.<stack>.policy.json. A failed wave stops the run: no later wave starts.

Exit codes: 0 every operation succeeded, 1 an operation failed or found drift, 2 bad usage or stack
files.`;

/** What a fleet command was asked to do. */
export interface FleetRunOptions {
  readonly command: FleetCommand;
  readonly all: boolean;
  readonly stack?: string;
  readonly jobs: number;
  readonly perAccount: number;
  readonly canary?: string;
  readonly org?: string;
  readonly logDir?: string;
  readonly dryRun: boolean;
}

function positiveInteger(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError([`${option} must be a whole number of at least 1, not '${text}'`]);
  }
  return n;
}

/** Parses the arguments of `moat up|preview|refresh`; throws UsageError on anything else. */
export function parseFleetRunArgs(command: FleetCommand, args: readonly string[]): FleetRunOptions {
  const options: { -readonly [K in keyof FleetRunOptions]: FleetRunOptions[K] } = {
    command,
    all: false,
    jobs: DEFAULT_JOBS,
    perAccount: DEFAULT_PER_ACCOUNT,
    dryRun: false,
  };
  const usage = `\n\n${FLEET_RUN_USAGE}`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith("-")) throw new UsageError([`${arg} needs a value${usage}`]);
      return v;
    };
    if (arg === "--all") options.all = true;
    else if (arg === "--dry-run") options.dryRun = true;
    else if (arg === "--stack") options.stack = value();
    else if (arg === "--jobs") options.jobs = positiveInteger(arg, value());
    else if (arg === "--per-account") options.perAccount = positiveInteger(arg, value());
    else if (arg === "--canary") options.canary = value();
    else if (arg === "--org") options.org = value();
    else if (arg === "--log-dir") options.logDir = value();
    else if (arg.startsWith("-")) throw new UsageError([`unknown option ${arg}${usage}`]);
    else throw new UsageError([`unexpected argument '${arg}': name a stack with --stack ${arg}${usage}`]);
  }
  if (options.all === (options.stack !== undefined)) {
    throw new UsageError([
      options.all
        ? `--all runs every stack; do not also name --stack ${options.stack}`
        : `moat ${command} runs real operations: say which stacks, with --all or --stack NAME${usage}`,
    ]);
  }
  return options;
}

/** `.moat/runs/up-20261207-101500`. */
function defaultLogDir(root: string, command: FleetCommand, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return path.join(root, ".moat", "runs", `${command}-${stamp}`);
}

/** Writes each operation's output to its own file in `dir`, created when the first output comes. */
function logFiles(dir: string): (step: StackStep) => (text: string) => void {
  return (step) => {
    const file = path.join(dir, `${stackLabel(step.stack).replace("/", ".")}.${step.operation}.log`);
    return (text) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.appendFileSync(file, text);
    };
  };
}

/** Injected by tests: the workspace instead of the Automation API, and where lines go. */
export interface FleetRunDeps {
  readonly workspace?: FleetWorkspace;
  readonly print?: (line: string) => void;
  readonly now?: () => number;
}

/** Runs `moat up|preview|refresh` and returns its exit code. */
export async function fleetRunMain(
  command: FleetCommand,
  args: readonly string[],
  root: string,
  deps: FleetRunDeps = {},
): Promise<number> {
  const print = deps.print ?? ((line: string) => console.log(line));
  if (!FLEET_COMMANDS.includes(command)) throw new UsageError([`unknown command ${command}`]);
  if (args.includes("-h") || args.includes("--help")) {
    print(FLEET_RUN_USAGE);
    return EXIT.ok;
  }
  const options = parseFleetRunArgs(command, args);
  const stacks = readRunStacks(root);
  const waves = planWaves(stacks, { command, only: options.stack, canary: options.canary });
  const steps = planSteps(waves);
  if (steps.length === 0) {
    throw new UsageError([`no stacks to run: stacks/ has no Pulumi.<stack>.yaml`]);
  }
  const ofRole = (role: string) =>
    new Set(steps.filter((s) => s.stack.role === role).map((s) => s.stack.stack)).size;
  print(
    `moat ${command} ${options.all ? "--all" : `--stack ${options.stack}`}: ${count(ofRole("baseline"), "baseline")}, ` +
      `${count(ofRole("tenant"), "tenant")}, ${count(waves.length, "wave")}; ` +
      `at most ${count(options.jobs, "operation")} at once, ${options.perAccount} per account × region`,
  );
  formatPlan(waves).forEach((line) => print(line));
  if (options.dryRun) {
    print(
      `dry run: nothing was run (${stacksCount(new Set(steps.map((s) => stackLabel(s.stack))).size)} planned)`,
    );
    return EXIT.ok;
  }
  const packDir = path.join(root, PACK_DIR);
  if (command !== "refresh" && !fs.existsSync(path.join(packDir, "bin", "index.js"))) {
    throw new UsageError([
      `${PACK_DIR}/bin/index.js not found: build the policy pack first with 'npm run build'`,
    ]);
  }
  const logDir =
    options.logDir === undefined
      ? defaultLogDir(root, command, new Date())
      : path.resolve(root, options.logDir);
  const workspace =
    deps.workspace ??
    (await import("./automation")).automationWorkspace({
      org: options.org,
      onRetry: (stack, attempt, waitMs, reason) =>
        print(`  retry ${stackLabel(stack)} in ${Math.round(waitMs / 1000)}s (try ${attempt}): ${reason}`),
    });
  print("");
  const outcome = await runWaves(
    waves,
    workspace,
    { limits: { jobs: options.jobs, perAccount: options.perAccount }, parallel: DEFAULT_PARALLEL, packDir },
    { print, output: logFiles(logDir), now: deps.now },
  );
  print(`logs: ${path.relative(root, logDir) || "."}`);
  return outcome.exitCode;
}
