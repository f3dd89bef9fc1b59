/**
 * The lines a fleet run prints: the plan (for `--dry-run` and before a run), a progress line per
 * operation, and at the end one summary line per stack and a total line.
 */
import { planSteps } from "./planner";
import { placeKey, stackLabel, type StepResult, type StepStatus, type Wave } from "./types";

const MARK: Record<StepStatus, string> = { succeeded: "✔", failed: "✖", drift: "✖", "not started": "·" };

/** `3 stacks`, `1 stack`. */
export function stacksCount(n: number): string {
  return `${n} ${n === 1 ? "stack" : "stacks"}`;
}

/** `0.4s`, `38s`, `4m 12s`. */
export function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** `create 3, update 1, same 40`: the kinds that happened, in a fixed order, or "" for none. */
export function changeCounts(changes: Readonly<Record<string, number>> | undefined): string {
  const order = ["create", "update", "replace", "delete", "same"];
  return Object.entries(changes ?? {})
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || (a < b ? -1 : 1))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
}

/** `wave 3/7: canary (1 stack)`: the line that opens a wave. */
export function waveHeader(wave: Wave, index: number, total: number): string {
  const size = wave.kind === "run" ? ` (${stacksCount(wave.steps.length)})` : "";
  return `wave ${index + 1}/${total}: ${wave.title}${size}`;
}

/** The waves with every operation, for `--dry-run` and the start of a run. */
export function formatPlan(waves: readonly Wave[]): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...planSteps(waves).map((s) => stackLabel(s.stack).length));
  waves.forEach((wave, i) => {
    lines.push(waveHeader(wave, i, waves.length));
    if (wave.kind === "gate") return;
    for (const { stack, operation } of wave.steps) {
      const policy =
        operation === "drift"
          ? ""
          : stack.policyConfigFile === undefined
            ? "  no policy config"
            : "  policy config";
      const org = stack.org === undefined ? "" : `  org ${stack.org}`;
      lines.push(
        `  ${operation.padEnd(7)} ${stackLabel(stack).padEnd(width)}  ${placeKey(stack)}${policy}${org}`,
      );
    }
  });
  return lines;
}

/** The progress line of a finished operation: `[3/12] ✔ up moat/acme-prod in 4m 12s (create 3)`. */
export function progressLine(result: StepResult, done: number, total: number): string {
  const { step, status } = result;
  const changes = changeCounts(result.changes);
  const took = result.durationMs === undefined ? "" : ` in ${duration(result.durationMs)}`;
  const what = status === "succeeded" ? "" : status === "drift" ? " found drift" : ` ${status}`;
  const detail = result.message !== undefined ? `: ${result.message}` : changes !== "" ? ` (${changes})` : "";
  return `[${done}/${total}] ${MARK[status]} ${step.operation} ${stackLabel(step.stack)}${what}${took}${detail}`;
}

/** How a stack ended over all its operations: failed if one failed, else not started if one did not start. */
export function stackStatus(results: readonly StepResult[]): "succeeded" | "failed" | "not started" {
  if (results.some((r) => r.status === "failed" || r.status === "drift")) return "failed";
  return results.some((r) => r.status === "not started") ? "not started" : "succeeded";
}

/** One line per stack, in the order the plan first reaches it, then the total line. */
export function summaryLines(results: readonly StepResult[]): string[] {
  const byStack = new Map<string, StepResult[]>();
  for (const result of results) {
    const label = stackLabel(result.step.stack);
    byStack.set(label, [...(byStack.get(label) ?? []), result]);
  }
  const width = Math.max(0, ...[...byStack.keys()].map((l) => l.length));
  const counts = { succeeded: 0, failed: 0, "not started": 0 };
  const lines = [...byStack].map(([label, steps]) => {
    const status = stackStatus(steps);
    counts[status]++;
    const mark = status === "succeeded" ? "✔" : status === "failed" ? "✖" : "·";
    const each = steps.map((r) => {
      const changes = changeCounts(r.changes);
      return `${r.step.operation} ${r.status === "drift" ? "found drift" : r.status}${changes === "" ? "" : ` (${changes})`}`;
    });
    return `${mark} ${label.padEnd(width)}  ${placeKey(steps[0].step.stack)}  ${each.join(", ")}`;
  });
  return [
    ...lines,
    `${stacksCount(byStack.size)}: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts["not started"]} not started`,
  ];
}
