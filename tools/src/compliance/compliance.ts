/**
 * `moat compliance [stack]`: the traceability report of issue 5 (POL-1). Plans the stacks with the
 * real program and one running policy pack (as `moat plan` does), runs the policy tests under the
 * recorder, and writes requirement -> sources -> policies -> tests -> status per stack as Markdown.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyInfo } from "../analyzer/client";
import { PolicySession } from "../analyzer/session";
import { listStacks, readProject, readStackFile, UsageError } from "../plan/project";
import { runProgram } from "../plan/run-program";
import { readCatalogue } from "./requirements";
import {
  ComplianceModel,
  StackOutcome,
  complianceExitCode,
  isBlocking,
  renderComplianceReport,
} from "./report";
import { recordPolicyTests, type RecorderOutput } from "./test-index";
import { EXIT } from "../exit-codes";
import { PACK_DEFAULT_LEVEL, coverageProblems, testsByPolicy, traceRequirements } from "./trace";

/** Where the report goes unless `--out` says otherwise; committed, checked by tests/compliance.test.ts. */
export const DEFAULT_REPORT = "docs/compliance.md";

/** Help text of `moat compliance`. */
export const COMPLIANCE_USAGE = `usage: moat compliance [stack] [options]

Writes the compliance report: every requirement of ../shared/REQUIREMENTS.md with its source
documents, the policies that cite it, the policy tests that exercise them, and each stack's status
(pass, FAIL with the violation, exempt with the reason). Plans the stacks offline as 'moat plan' does.

  stack            only this stack, from stacks/Pulumi.<stack>.yaml (default: every stack)
  --out FILE       where to write the Markdown (default: ${DEFAULT_REPORT})
  --unknowns       leave values the cloud computes unknown, as in a first preview
  --pack DIR       policy pack folder (default: policies)
  -h, --help       show this help

Exit codes: 0 no stack fails a mandatory policy, 1 a stack does, 2 bad configuration or usage,
3 the program, the policy pack or the policy tests failed.`;

/** What `moat compliance` was asked to do. */
export interface ComplianceOptions {
  /** One stack; every stack in the stack folder when undefined. */
  readonly stack?: string;
  /** Exactly these stacks, overriding `stack`; none renders the report without stack status. */
  readonly stacks?: readonly string[];
  /** Output file, relative to the project root. */
  readonly out: string;
  readonly unknowns: boolean;
  /** Policy pack folder, relative to the project root. */
  readonly pack: string;
}

/** Parses `moat compliance` arguments; throws UsageError on anything it does not understand. */
export function parseComplianceArgs(args: readonly string[]): ComplianceOptions {
  let stack: string | undefined;
  let out = DEFAULT_REPORT;
  let pack = "policies";
  let unknowns = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) {
        throw new UsageError([`${arg} needs a value\n\n${COMPLIANCE_USAGE}`]);
      }
      return v;
    };
    if (arg === "--out") out = value();
    else if (arg === "--pack") pack = value();
    else if (arg === "--unknowns") unknowns = true;
    else if (arg.startsWith("-")) throw new UsageError([`unknown option ${arg}\n\n${COMPLIANCE_USAGE}`]);
    else if (stack === undefined) stack = arg;
    else
      throw new UsageError([`only one stack may be named (got '${stack}' and '${arg}'); name none for all`]);
  }
  return { stack, out, unknowns, pack };
}

/** The report and its verdict. */
export interface ComplianceResult {
  readonly markdown: string;
  readonly model: ComplianceModel;
  /** 0 clean, 1 a mandatory violation, 2 invalid stack configuration, 3 a program failure. */
  readonly exitCode: number;
}

/**
 * Plans the stacks and renders the report, without writing it. `recorded` is the policy tests'
 * recording when the caller already has it (tests share one); they are run here otherwise.
 */
export async function buildCompliance(
  root: string,
  options: ComplianceOptions,
  recorded?: RecorderOutput,
): Promise<ComplianceResult> {
  const project = readProject(root);
  const names = options.stacks ?? (options.stack ? [options.stack] : listStacks(project));
  const stackFiles = names.map((s) => readStackFile(project, s));
  const packDir = path.resolve(root, options.pack);
  if (!fs.existsSync(path.join(packDir, "bin", "index.js"))) {
    throw new UsageError([
      `${options.pack}/bin/index.js not found: build the policy pack first with 'npm run build'`,
    ]);
  }
  const catalogue = readCatalogue(root);
  // The programs and the test run are separate processes: start them all, then analyze in turn.
  // Each promise gets its handler now, so a failure while another is awaited is not unhandled.
  const recording = settle(recorded ? Promise.resolve(recorded) : recordPolicyTests(root));
  const runs = stackFiles.map((stack) =>
    settle(runProgram(project, stack, { unknowns: options.unknowns, typeCheck: false })),
  );
  const stacks: StackOutcome[] = [];
  let worst: number = EXIT.ok;
  let session: PolicySession | undefined;
  let packPolicies: readonly PolicyInfo[] = [];
  try {
    session = await PolicySession.start(packDir);
    packPolicies = session.info.policies;
    for (const [i, stack] of stackFiles.entries()) {
      const run = unwrap(await runs[i]);
      if (run.failure) {
        const { failure } = run;
        const detail = failure.kind === "config" ? failure.problems.join("; ") : failure.message;
        stacks.push({ stack: stack.stack, violations: [], failure: `${stack.file}: ${detail}` });
        worst = Math.max(worst, failure.kind === "program" ? EXIT.failure : EXIT.usage);
        continue;
      }
      const verdict = await session.analyze(project.name, stack, run.resources);
      stacks.push({ stack: stack.stack, violations: verdict.violations });
    }
  } finally {
    session?.close();
    await Promise.all([recording, ...runs]);
  }
  const tests = unwrap(await recording);
  const policies = packPolicies.map((p) => ({
    name: p.name,
    description: p.description,
    enforcementLevel: p.enforcementLevel ?? PACK_DEFAULT_LEVEL,
  }));
  const byPolicy = testsByPolicy(tests, (file) => fs.readFileSync(path.join(root, file), "utf8"));
  const traces = traceRequirements(catalogue.requirements, policies, tests);
  const model: ComplianceModel = {
    catalogue,
    policies,
    traces,
    tests: byPolicy,
    problems: coverageProblems(traces, policies, byPolicy),
    stacks,
  };
  const exitCode = Math.max(worst, complianceExitCode(stacks));
  return { markdown: renderComplianceReport(model), model, exitCode };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/** Runs `moat compliance` with `args` (after the command word) and returns its exit code. */
export async function runCompliance(root: string, args: string[]): Promise<number> {
  try {
    if (args.includes("-h") || args.includes("--help")) {
      console.log(COMPLIANCE_USAGE);
      return EXIT.ok;
    }
    const options = parseComplianceArgs(args);
    const result = await buildCompliance(root, options);
    const out = path.resolve(root, options.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, result.markdown);
    for (const stack of result.model.stacks) {
      const blocking = stack.violations.filter(isBlocking).length;
      const state = stack.failure
        ? `not planned: ${stack.failure}`
        : blocking > 0
          ? `FAIL (${blocking} mandatory)`
          : "pass";
      console.log(`${stack.stack}: ${state}`);
    }
    const gaps = Object.values(result.model.problems).flat().length;
    console.log(`wrote ${path.relative(root, out)}; ${gaps} coverage gaps; exit code ${result.exitCode}`);
    return result.exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      e.problems.forEach((p) => console.error(p));
      return EXIT.usage;
    }
    console.error(`moat compliance: ${(e as Error).stack ?? e}`);
    return EXIT.failure;
  }
}
