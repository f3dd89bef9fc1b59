/**
 * The executor: runs a plan's waves in order against a {@link FleetWorkspace}. Within a wave,
 * operations run in a pool bounded globally and per account × region (limits.ts). After a wave in
 * which an operation failed (or found drift), no later wave starts. Within a wave that deploys
 * (`up`), a failure also stops the wave's stacks that have not started; those already running
 * finish, since stopping a deploy half-way leaves the stack locked and its resources half-made.
 * A wave that only reads (previews, drift checks) runs to its end, so one run shows every stack
 * whose preview fails rather than the first.
 */
import { EXIT } from "../exit-codes";
import { limitedPool, type Limits } from "./limits";
import { planSteps } from "./planner";
import { progressLine, stacksCount, summaryLines, waveHeader } from "./report";
import { placeKey, stackLabel, type StackStep, type StepResult, type Wave } from "./types";
import type { FleetWorkspace, OperationOptions, OperationReport, PolicyOptions } from "./workspace";

/** Exit code of a run in which an operation failed or found drift: 1, as for a policy violation. */
export const RUN_FAILED = EXIT.violation;

/** How operations are run. */
export interface RunSettings {
  readonly limits: Limits;
  /** `pulumi --parallel` of each operation. */
  readonly parallel: number;
  /** Absolute path of the policy pack folder, passed to every preview and up. */
  readonly packDir: string;
}

/** Where the executor's output goes; the clock is injectable so that tests can pin durations. */
export interface RunHooks {
  /** Prints one line for the operator. */
  readonly print: (line: string) => void;
  /** Where one operation's own output (the Pulumi CLI's) goes. */
  readonly output: (step: StackStep) => (text: string) => void;
  /** Milliseconds, for durations. @default Date.now */
  readonly now?: () => number;
}

/** What a run came to. */
export interface RunOutcome {
  /** Every step of the plan, in plan order; those that never ran are `not started`. */
  readonly results: readonly StepResult[];
  /** 0 when every operation succeeded; 1 when one failed or found drift. */
  readonly exitCode: number;
}

/** The options of one operation: the pack and the stack's policy configuration for preview and up. */
export function operationOptions(
  step: StackStep,
  settings: Pick<RunSettings, "packDir" | "parallel">,
  onOutput: (text: string) => void,
): OperationOptions | PolicyOptions {
  const base = { parallel: settings.parallel, onOutput };
  if (step.operation === "drift") return base;
  const configs = step.stack.policyConfigFile === undefined ? [] : [step.stack.policyConfigFile];
  return { ...base, policyPacks: [settings.packDir], policyPackConfigs: configs };
}

/**
 * The line of an error worth showing: the last `error:` line of the CLI's output if there is one
 * (the Automation API puts the whole output in the message), else the last non-empty line.
 */
export function failureLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split("\n")
    // CommandError's message is `code: N\n stdout: ...\n stderr: ...\n err?: ...`.
    .map((l) => l.trim().replace(/^(stdout|stderr|err\?):\s*/, ""))
    .filter((l) => l !== "");
  const line = [...lines].reverse().find((l) => /\berror:/i.test(l)) ?? lines.at(-1) ?? "failed";
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

async function runStep(
  step: StackStep,
  workspace: FleetWorkspace,
  settings: RunSettings,
  hooks: RunHooks,
): Promise<StepResult> {
  const now = hooks.now ?? Date.now;
  const started = now();
  const options = operationOptions(step, settings, hooks.output(step));
  try {
    const handle = await workspace.stack(step.stack);
    let report: OperationReport;
    if (step.operation === "drift") report = await handle.detectDrift(options);
    else if (step.operation === "up") report = await handle.up(options as PolicyOptions);
    else report = await handle.preview(options as PolicyOptions);
    return {
      step,
      status: report.drift === true ? "drift" : "succeeded",
      ...(report.changes === undefined ? {} : { changes: report.changes }),
      durationMs: now() - started,
    };
  } catch (e) {
    return { step, status: "failed", message: failureLine(e), durationMs: now() - started };
  }
}

/** Runs the waves in order, printing progress and a summary; see the file's comment for when it stops. */
export async function runWaves(
  waves: readonly Wave[],
  workspace: FleetWorkspace,
  settings: RunSettings,
  hooks: RunHooks,
): Promise<RunOutcome> {
  const all = planSteps(waves);
  const results = new Map<StackStep, StepResult>();
  let done = 0;
  let failedWave: number | undefined;
  for (const [i, wave] of waves.entries()) {
    if (failedWave !== undefined) break;
    hooks.print(waveHeader(wave, i, waves.length));
    if (wave.kind === "gate") {
      // Reached only when no earlier wave failed; said out loud so the log shows the gate held.
      hooks.print(`  passed: ${stacksCount(results.size)} ran, every operation succeeded`);
      continue;
    }
    let failed = false;
    const deploys = wave.steps.some((s) => s.operation === "up");
    await limitedPool(
      wave.steps,
      (step) => placeKey(step.stack),
      settings.limits,
      async (step) => {
        hooks.print(`  start ${step.operation} ${stackLabel(step.stack)} (${placeKey(step.stack)})`);
        const result = await runStep(step, workspace, settings, hooks);
        results.set(step, result);
        failed ||= result.status !== "succeeded";
        hooks.print(`  ${progressLine(result, ++done, all.length)}`);
      },
      () => !(deploys && failed),
    );
    if (failed) failedWave = i;
  }
  const ordered = all.map((step) => results.get(step) ?? { step, status: "not started" as const });
  if (failedWave !== undefined && failedWave < waves.length - 1) {
    hooks.print(
      `stopped after wave ${failedWave + 1}/${waves.length}: an operation failed; later waves did not start`,
    );
  }
  hooks.print("");
  summaryLines(ordered).forEach((line) => hooks.print(line));
  const ok = ordered.every((r) => r.status === "succeeded");
  return { results: ordered, exitCode: ok ? EXIT.ok : RUN_FAILED };
}
