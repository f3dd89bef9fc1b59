/**
 * `moat`: the offline preview. Runs the real program under Pulumi's mock runtime with a stack's real
 * configuration, then drives the real policy pack over the analyzer protocol, as
 * `pulumi preview --policy-pack policies --policy-pack-config stacks/Pulumi.<stack>.policy.json`
 * would, without a Pulumi CLI or a cloud account.
 *
 * Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad configuration or usage,
 * 3 the program or the policy pack failed for another reason.
 */
import * as fs from "fs";
import * as path from "path";
import { PolicySession } from "./analyzer/session";
import { listStacks, readProject, readStackFile, UsageError } from "./plan/project";
import { runProgram } from "./plan/run-program";
import { countPlan, exemptionTable, header, policyTable, resourceTree, summaryLine } from "./report/human";
import { planJson } from "./report/plan-json";
import { REACHABILITY_USAGE, reachabilityOption, reachabilityReport } from "./reach";
import { COMPLIANCE_USAGE, runCompliance } from "./compliance/compliance";
import { MUTATE_USAGE, mutateMain } from "./mutation/command";

/** Exit codes of `moat`. */
export const EXIT = { ok: 0, violation: 1, usage: 2, failure: 3 } as const;

const USAGE = `usage: moat plan [stack] [options]

Previews a tenant stack offline and checks it against the policy pack.

  stack            stack name, from stacks/Pulumi.<stack>.yaml (default: dev)
  --all            plan every stack in stacks/ and print one summary line per stack
  --unknowns       leave values the cloud computes (IDs, ARNs, ...) unknown, as in a first preview
  --json FILE      write the machine-readable plan to FILE (with --all: a folder, one <stack>.json each)
${REACHABILITY_USAGE}
  --typecheck      type-check the program while loading it (the Pulumi CLI's default; slower)
  --pack DIR       policy pack folder (default: policies)
  -h, --help       show this help

Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad configuration or usage,
3 the program or the policy pack failed.`;

interface PlanOptions {
  stack?: string;
  all: boolean;
  unknowns: boolean;
  json?: string;
  /** `--reachability [FILE]`: true for the default file. */
  reachability?: string | true;
  typeCheck: boolean;
  pack: string;
}

/** Parses `moat plan` arguments; throws UsageError on anything it does not understand. */
export function parsePlanArgs(args: string[]): PlanOptions {
  const options: PlanOptions = { all: false, unknowns: false, typeCheck: false, pack: "policies" };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) {
        throw new UsageError([`${arg} needs a value\n\n${USAGE}`]);
      }
      return v;
    };
    if (arg === "--all") options.all = true;
    else if (arg === "--unknowns") options.unknowns = true;
    else if (arg === "--typecheck") options.typeCheck = true;
    else if (arg === "--json") options.json = value();
    else if (arg === "--pack") options.pack = value();
    else if (arg === "--reachability" || arg.startsWith("--reachability="))
      [options.reachability, i] = reachabilityOption(args, i);
    else if (arg.startsWith("-")) throw new UsageError([`unknown option ${arg}\n\n${USAGE}`]);
    else if (options.stack === undefined) options.stack = arg;
    else
      throw new UsageError([
        `only one stack may be named (got '${options.stack}' and '${arg}'); use --all for every stack`,
      ]);
  }
  if (options.all && options.stack) {
    throw new UsageError([`--all plans every stack; do not also name '${options.stack}'`]);
  }
  return options;
}

async function plan(root: string, options: PlanOptions): Promise<number> {
  const project = readProject(root);
  const stacks = options.all ? listStacks(project) : [options.stack ?? "dev"];
  const stackFiles = stacks.map((s) => readStackFile(project, s));
  const packDir = path.resolve(root, options.pack);
  if (!fs.existsSync(path.join(packDir, "bin", "index.js"))) {
    throw new UsageError([
      `${options.pack}/bin/index.js not found: build the policy pack first with 'npm run build'`,
    ]);
  }
  if (options.json && options.all) {
    fs.mkdirSync(options.json, { recursive: true });
  }
  const session = await PolicySession.start(packDir);
  let exit: number = EXIT.ok;
  const worst = (code: number) => (exit = Math.max(exit, code));
  try {
    for (const stack of stackFiles) {
      const run = await runProgram(project, stack, {
        unknowns: options.unknowns,
        typeCheck: options.typeCheck,
      });
      if (run.failure?.kind === "config") {
        console.error(`${stack.file}: invalid configuration, nothing was planned:`);
        run.failure.problems.forEach((p) => console.error(`  ${p}`));
        worst(EXIT.usage);
        continue;
      }
      if (run.failure) {
        console.error(
          `stack ${stack.stack}: the program failed, nothing was planned:\n  ${run.failure.message}`,
        );
        worst(run.failure.kind === "invoke" ? EXIT.usage : EXIT.failure);
        continue;
      }
      const verdict = await session.analyze(project.name, stack, run.resources);
      const counts = countPlan(run, verdict);
      if (options.json) {
        const file = options.all ? path.join(options.json, `${stack.stack}.json`) : options.json;
        fs.writeFileSync(file, `${JSON.stringify(planJson(run, verdict, options.unknowns), null, 2)}\n`);
      }
      if (options.all) {
        console.log(summaryLine(stack.stack, counts));
        const mandatory = verdict.violations.filter((v) => v.level === "mandatory" && !v.exemption);
        if (mandatory.length > 0) {
          console.log(indent(policyTable(mandatory)));
        }
      } else {
        console.log(header(stack, `${verdict.pack.name}@${verdict.pack.version}`, options.unknowns));
        console.log(`\nResources (${counts.resources})\n${indent(resourceTree(run.resources))}`);
        console.log(`\nPolicy results\n${indent(policyTable(verdict.violations))}`);
        verdict.weakened.forEach((w) => console.log(`  weakened by policy config: ${w}`));
        if (verdict.exemptions.length > 0) {
          console.log(
            `\nExemptions (${stack.policyConfigFile ?? "policy config"})\n${indent(exemptionTable(verdict.exemptions))}`,
          );
        }
        console.log(`\n${summaryLine(stack.stack, counts)}`);
      }
      if (options.reachability) {
        console.log(
          reachabilityReport(root, packDir, stack, run.resources, options.reachability, options.all),
        );
      }
      if (counts.mandatory > 0) {
        worst(EXIT.violation);
      }
    }
  } finally {
    session.close();
  }
  if (options.all) {
    console.log(`${stackFiles.length} stacks planned; exit code ${exit}`);
  }
  return exit;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[], root = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      console.log(`${USAGE}\n\n${COMPLIANCE_USAGE}\n\n${MUTATE_USAGE}`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === "compliance") {
      return await runCompliance(root, rest);
    }
    if (command === "mutate") {
      return await mutateMain(rest, root);
    }
    if (command !== "plan") {
      throw new UsageError([`unknown command '${command}'; commands: plan, compliance, mutate\n\n${USAGE}`]);
    }
    if (rest.includes("-h") || rest.includes("--help")) {
      console.log(USAGE);
      return EXIT.ok;
    }
    return await plan(root, parsePlanArgs(rest));
  } catch (e) {
    if (e instanceof UsageError) {
      e.problems.forEach((p) => console.error(p));
      return EXIT.usage;
    }
    console.error(`moat: ${(e as Error).stack ?? e}`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
