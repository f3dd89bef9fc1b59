/**
 * `moat plan`: runs the program for one stack, or every stack with `--all`, and checks what it
 * registered against the policy pack. Programs run in their own processes, several at once; the one
 * pack process analyzes their results in turn, and starts while the first program runs.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicySession, PolicyVerdict } from "../analyzer/session";
import type { FleetStackInput } from "../fleet";
import { REACHABILITY_USAGE, reachabilityOption } from "../reach/option";
import { countPlan, exemptionTable, header, policyTable, resourceTree, summaryLine } from "../report/human";
import { planJson } from "../report/plan-json";
import { EXIT } from "../exit-codes";
import { DEFAULT_JOBS, orderedPool, SerialQueue } from "./pool";

export { DEFAULT_JOBS } from "./pool";
import {
  listStacks,
  readProject,
  readStackFile,
  UsageError,
  type ProjectFile,
  type StackFile,
} from "./project";
import { runProgram } from "./run-program";
import type { RecordedResource } from "./types";

export { EXIT } from "../exit-codes";

/** `moat plan --help`. */
export const PLAN_USAGE = `usage: moat plan [stack] [options]

Previews a tenant stack offline and checks it against the policy pack.

  stack            stack name, from stacks/Pulumi.<stack>.yaml (default: dev); a stack of a project
                   in a folder below, such as the account baselines, as <folder>/<stack>, e.g.
                   accounts/acme-production-us-east-1 (from accounts/stacks/Pulumi.<stack>.yaml)
  --all            plan every stack of the project and of the projects in the folders directly
                   below it (accounts/), print one summary line per stack, then check the stacks
                   together (fleet checks: names, tenant ids, baselines, CIDRs, limits, quotas)
  --project DIR    with --all, plan only the stacks of the project in DIR (. for this one)
  --jobs N         with --all, run N programs at once (default: ${DEFAULT_JOBS}, the number of cores)
  --unknowns       leave values the cloud computes (IDs, ARNs, ...) unknown, as in a first preview
  --json FILE      write the machine-readable plan to FILE (with --all: a folder, one <stack>.json each)
  --fleet-report DIR
                   with --all, write the fleet report to DIR/fleet.md and DIR/fleet.json
${REACHABILITY_USAGE}
  --typecheck      type-check the program while loading it (the Pulumi CLI's default; slower)
  --pack DIR       policy pack folder (default: policies)
  -h, --help       show this help

Exit codes: 0 no mandatory violation, 1 a mandatory violation or a fleet error (collision or hard
limit; quota warnings leave it alone), 2 bad configuration or usage, 3 the program or the policy
pack failed.`;

/**
 * How much lower the pack runs than the programs. Measured with `npm run bench` on 2 cores: a single
 * plan of the largest stack finishes about 4% sooner at 5 than at 0, and no sooner at 10 or 19.
 */
const PACK_NICENESS = 5;

/** What `moat plan` was asked to do. */
export interface PlanOptions {
  stack?: string;
  all: boolean;
  jobs: number;
  unknowns: boolean;
  json?: string;
  /** `--project DIR` (with `--all`): only that project's stacks. */
  project?: string;
  /** `--fleet-report DIR` (with `--all`). */
  fleetReport?: string;
  /** `--reachability [FILE]`: true for the default file. */
  reachability?: string | true;
  typeCheck: boolean;
  pack: string;
}

/** Parses `moat plan` arguments; throws UsageError on anything it does not understand. */
export function parsePlanArgs(args: string[]): PlanOptions {
  const options: PlanOptions = {
    all: false,
    jobs: DEFAULT_JOBS,
    unknowns: false,
    typeCheck: false,
    pack: "policies",
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) {
        throw new UsageError([`${arg} needs a value\n\n${PLAN_USAGE}`]);
      }
      return v;
    };
    if (arg === "--all") options.all = true;
    else if (arg === "--unknowns") options.unknowns = true;
    else if (arg === "--typecheck") options.typeCheck = true;
    else if (arg === "--json") options.json = value();
    else if (arg === "--fleet-report") options.fleetReport = value();
    else if (arg === "--project") options.project = value();
    else if (arg === "--pack") options.pack = value();
    else if (arg === "--jobs") options.jobs = positiveInteger(arg, value());
    else if (arg === "--reachability" || arg.startsWith("--reachability="))
      [options.reachability, i] = reachabilityOption(args, i);
    else if (arg.startsWith("-")) throw new UsageError([`unknown option ${arg}\n\n${PLAN_USAGE}`]);
    else if (options.stack === undefined) options.stack = arg;
    else
      throw new UsageError([
        `only one stack may be named (got '${options.stack}' and '${arg}'); use --all for every stack`,
      ]);
  }
  if (options.all && options.stack) {
    throw new UsageError([`--all plans every stack; do not also name '${options.stack}'`]);
  }
  if (options.project !== undefined && !options.all) {
    throw new UsageError([
      "--project chooses the projects --all plans; name one stack as <folder>/<stack> instead",
    ]);
  }
  if (options.fleetReport !== undefined && !options.all) {
    throw new UsageError(["--fleet-report reports on every stack together; use it with --all"]);
  }
  return options;
}

function positiveInteger(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError([`${option} must be a whole number of at least 1, not '${text}'`]);
  }
  return n;
}

/** What planning one stack printed and the exit code it asks for. */
interface StackOutcome {
  readonly out: string[];
  readonly err: string[];
  readonly exit: number;
  /** What the fleet checks read of the stack; absent when it did not plan. */
  readonly planned?: FleetStackInput;
}

/** Runs `moat plan` and returns its exit code. */
export async function plan(root: string, options: PlanOptions): Promise<number> {
  const started = Date.now();
  const stackFiles = stacksToPlan(root, options);
  const packDir = path.resolve(root, options.pack);
  if (!fs.existsSync(path.join(packDir, "bin", "index.js"))) {
    throw new UsageError([
      `${options.pack}/bin/index.js not found: build the policy pack first with 'npm run build'`,
    ]);
  }
  if (options.json && options.all) {
    fs.mkdirSync(options.json, { recursive: true });
  }
  // The pack starts while the first programs run, and after they start: loading the analyzer client
  // waits until the pool below has spawned them. Its analyses go one stack at a time, since a
  // session is configured per stack.
  const session = import("../analyzer/session").then((m) =>
    m.PolicySession.start(packDir, { packNiceness: PACK_NICENESS }),
  );
  session.catch(() => undefined);
  const analyses = new SerialQueue();
  const progress = new Progress(stackFiles.length, options.all && process.stderr.isTTY === true);
  let exit: number = EXIT.ok;
  const planned: FleetStackInput[] = [];
  try {
    await orderedPool(
      stackFiles,
      options.all ? options.jobs : 1,
      async (stack) => {
        progress.started();
        try {
          // One stack streams its registrations to the pack as the engine does; several share the
          // pack, so each is analyzed whole, in turn, once its program is done.
          const analyzer = options.all
            ? queuedAnalysis(session, analyses, stack.project.name, stack.file)
            : streamingAnalysis(session, stack.project.name, stack.file);
          return await planOne(stack, options, packDir, analyzer);
        } finally {
          progress.finished();
        }
      },
      (outcome) => {
        progress.clear();
        outcome.out.forEach((l) => console.log(l));
        outcome.err.forEach((l) => console.error(l));
        progress.show();
        exit = Math.max(exit, outcome.exit);
        if (outcome.planned) planned.push(outcome.planned);
      },
    );
  } finally {
    progress.clear();
    await session.then(
      (s) => s.close(),
      () => undefined,
    );
  }
  if (options.all) {
    const notPlanned = stackFiles.map((s) => s.label).filter((s) => !planned.some((p) => p.stack === s));
    // Loaded here: a single plan never needs the fleet checks, and they cost its start-up.
    const { fleetChecks } = await import("../fleet");
    const fleet = fleetChecks(readProject(root), planned, { reportDir: options.fleetReport, notPlanned });
    fleet.out.forEach((l) => console.log(l));
    fleet.err.forEach((l) => console.error(l));
    exit = Math.max(exit, fleet.exit);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${stackFiles.length} stacks planned in ${seconds.toFixed(1)} s with ${Math.min(options.jobs, stackFiles.length)} at a time; exit code ${exit}`,
    );
  }
  return exit;
}

/** How a stack's registrations reach the pack. */
interface StackAnalyzer {
  /** Called with each registration while the program runs, if the analyzer takes them early. */
  readonly onResource?: (resource: RecordedResource) => void;
  /** The verdict on the stack's registrations, once the program is done. */
  verdict(resources: readonly RecordedResource[]): Promise<PolicyVerdict>;
}

function streamingAnalysis(
  session: Promise<PolicySession>,
  project: string,
  stack: StackFile,
): StackAnalyzer {
  const analysis = session.then((s) => s.begin(project, stack));
  analysis.catch(() => undefined);
  return {
    // Each callback chains on one promise, so registrations reach the pack in the order they came.
    onResource: (resource) =>
      void analysis.then(
        (a) => a.add(resource),
        () => undefined,
      ),
    verdict: async (resources) => (await analysis).finish(resources),
  };
}

function queuedAnalysis(
  session: Promise<PolicySession>,
  queue: SerialQueue,
  project: string,
  stack: StackFile,
): StackAnalyzer {
  return {
    verdict: (resources) => queue.run(async () => (await session).analyze(project, stack, resources)),
  };
}

/** A stack to plan: its project, its stack file, and how output names it. */
interface PlanTarget {
  readonly project: ProjectFile;
  /** The stack file, its `file` relative to the folder moat runs in. */
  readonly file: StackFile;
  /** `<stack>` for the project moat runs in, `<folder>/<stack>` for one in a folder below. */
  readonly label: string;
}

/** The projects in the folders directly below `root` (e.g. accounts/), by folder name. */
export function subProjects(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "node_modules" && !d.name.startsWith("."))
    .map((d) => d.name)
    .filter((d) => fs.existsSync(path.join(root, d, "Pulumi.yaml")))
    .sort();
}

/** What `moat plan` plans: one stack, every stack of every project, or of the one `--project`. */
function stacksToPlan(root: string, options: PlanOptions): PlanTarget[] {
  const target = (folder: string, stack: string): PlanTarget => {
    const project = readProject(path.join(root, folder));
    const file = readStackFile(project, stack);
    return {
      project,
      file: { ...file, file: path.join(folder, file.file) },
      label: folder === "." ? stack : `${folder}/${stack}`,
    };
  };
  if (!options.all) {
    const name = options.stack ?? "dev";
    const slash = name.lastIndexOf("/");
    return [slash < 0 ? target(".", name) : target(name.slice(0, slash), name.slice(slash + 1))];
  }
  const folders =
    options.project !== undefined ? [path.normalize(options.project)] : [".", ...subProjects(root)];
  return folders.flatMap((folder) => {
    if (!fs.existsSync(path.join(root, folder, "Pulumi.yaml"))) {
      throw new UsageError([`--project ${folder}: no Pulumi.yaml there`]);
    }
    return listStacks(readProject(path.join(root, folder))).map((stack) => target(folder, stack));
  });
}

async function planOne(
  target: PlanTarget,
  options: PlanOptions,
  packDir: string,
  analyzer: StackAnalyzer,
): Promise<StackOutcome> {
  const { project, file: stack, label } = target;
  const out: string[] = [];
  const err: string[] = [];
  const run = await runProgram(project, stack, {
    unknowns: options.unknowns,
    typeCheck: options.typeCheck,
    onResource: analyzer.onResource,
  });
  if (run.failure?.kind === "config") {
    err.push(`${stack.file}: invalid configuration, nothing was planned:`);
    run.failure.problems.forEach((p) => err.push(`  ${p}`));
    return { out, err, exit: EXIT.usage };
  }
  if (run.failure?.kind === "input") {
    err.push(`${stack.file}: a component refused what this stack asks of it, nothing was planned:`);
    run.failure.message.split("\n").forEach((l) => err.push(`  ${l}`));
    return { out, err, exit: EXIT.usage };
  }
  if (run.failure) {
    err.push(`stack ${label}: the program failed, nothing was planned:\n  ${run.failure.message}`);
    return { out, err, exit: run.failure.kind === "invoke" ? EXIT.usage : EXIT.failure };
  }
  const verdict = await analyzer.verdict(run.resources);
  const counts = countPlan(run, verdict);
  if (options.json) {
    const file = options.all ? path.join(options.json, `${label}.json`) : options.json;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(planJson(run, verdict, options.unknowns), null, 2)}\n`);
  }
  if (options.all) {
    out.push(summaryLine(label, counts));
    const mandatory = verdict.violations.filter((v) => v.level === "mandatory" && !v.exemption);
    if (mandatory.length > 0) {
      out.push(indent(policyTable(mandatory)));
    }
  } else {
    out.push(header(stack, `${verdict.pack.name}@${verdict.pack.version}`, options.unknowns));
    out.push(`\nResources (${counts.resources})\n${indent(resourceTree(run.resources))}`);
    out.push(`\nPolicy results\n${indent(policyTable(verdict.violations))}`);
    verdict.weakened.forEach((w) => out.push(`  weakened by policy config: ${w}`));
    if (verdict.exemptions.length > 0) {
      out.push(
        `\nExemptions (${stack.policyConfigFile ?? "policy config"})\n${indent(exemptionTable(verdict.exemptions))}`,
      );
    }
    out.push(`\n${summaryLine(label, counts)}`);
  }
  // A baseline (a stack without moat:tenant) has no network to draw, and its name could be a tenant's.
  if (options.reachability && stack.config["moat:tenant"] !== undefined) {
    const { reachabilityReport } = await import("../reach");
    out.push(
      reachabilityReport(project.root, packDir, stack, run.resources, options.reachability, options.all),
    );
  }
  const planned = { stack: label, file: stack.file, config: stack.config, resources: run.resources };
  return { out, err, exit: counts.mandatory > 0 ? EXIT.violation : EXIT.ok, planned };
}

/** A one-line progress display on a terminal's standard error; silent elsewhere. */
class Progress {
  private running = 0;
  private done = 0;
  private shown = false;

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  started(): void {
    this.running++;
    this.show();
  }

  finished(): void {
    this.running--;
    this.done++;
  }

  show(): void {
    if (this.enabled && this.done < this.total) {
      process.stderr.write(`\r\x1b[Kplanning: ${this.done}/${this.total} done, ${this.running} running`);
      this.shown = true;
    }
  }

  clear(): void {
    if (this.shown) {
      process.stderr.write("\r\x1b[K");
      this.shown = false;
    }
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
