/**
 * What tests/run.ts tells the reader at the end: how many checks passed, failed and were skipped,
 * and for each failure its file, its name and the first line of why. Fed with node:test's events
 * (from `run()`) and with the static checks' results.
 */
import * as path from "node:path";

/** The parts of a node:test event the tally reads. */
export interface TestEvent {
  readonly type: string;
  readonly data: {
    readonly name?: string;
    readonly nesting?: number;
    readonly file?: string;
    readonly skip?: boolean | string;
    readonly todo?: boolean | string;
    readonly message?: string;
    readonly details?: { readonly type?: string; readonly duration_ms?: number; readonly error?: unknown };
  };
}

/** One failed check: where, which, and why. */
export interface Failure {
  /** A test file relative to the root, or the command of a static check. */
  readonly where: string;
  /** Suite and test names, outermost first. */
  readonly name: readonly string[];
  /** The first line of the assertion (a few more when it is only a header such as a diff's). */
  readonly why: readonly string[];
}

/** The format of the last line of every run, which CI reads. */
export function countsLine(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
}

/** The first meaningful lines of an error or output: one, or a header and what it introduces. */
export function firstLines(text: string, max = 6): string[] {
  const lines = text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "");
  if (lines.length === 0) return ["(no message)"];
  return lines[0].endsWith(":") ? lines.slice(0, max) : [lines[0]];
}

function errorText(error: unknown): string {
  // node:test wraps what the test threw as the cause of an ERR_TEST_FAILURE.
  const e = error as { code?: string; cause?: unknown; message?: string } | undefined;
  const thrown = e?.code === "ERR_TEST_FAILURE" && e.cause !== undefined ? e.cause : e;
  if (thrown instanceof Error || (typeof thrown === "object" && thrown !== null && "message" in thrown)) {
    return String((thrown as { message: unknown }).message);
  }
  return String(thrown);
}

/** Counts checks and keeps their failures, from node:test events and static check results. */
export class Tally {
  passed = 0;
  failed = 0;
  skipped = 0;
  readonly failures: Failure[] = [];
  /** Milliseconds of each test file's top-level tests, to start long files first next time. */
  readonly durations = new Map<string, number>();
  private readonly names = new Map<string, string[]>();
  private readonly stderr = new Map<string, string[]>();

  constructor(private readonly root: string) {}

  /** A static check (lint, format, ...) that passed or failed with `why`. */
  check(command: string, ok: boolean, why: string[] = []): void {
    if (ok) {
      this.passed++;
    } else {
      this.failed++;
      this.failures.push({ where: command, name: [], why });
    }
  }

  /** Reads one event; returns the failure it reports, if any. */
  add(event: TestEvent): Failure | undefined {
    const { data } = event;
    const file = data.file ?? "";
    const names = this.names.get(file) ?? [];
    this.names.set(file, names);
    if (event.type === "test:stderr" && data.message) {
      this.stderr.set(file, [...(this.stderr.get(file) ?? []), data.message]);
    }
    if (event.type === "test:start") {
      names.length = data.nesting ?? 0;
      names.push(data.name ?? "");
    }
    if (event.type !== "test:pass" && event.type !== "test:fail") return undefined;
    if (data.nesting === 0 && data.name !== file) {
      this.durations.set(file, (this.durations.get(file) ?? 0) + (data.details?.duration_ms ?? 0));
    }
    if (data.details?.type === "suite") return undefined;
    if (event.type === "test:pass") {
      if (data.skip || data.todo) this.skipped++;
      else this.passed++;
      return undefined;
    }
    this.failed++;
    const where = path.relative(this.root, file) || file;
    // A file that failed outside any test (it did not load, or exited early) is named by its path.
    const whole = data.name === file;
    const failure: Failure = whole
      ? { where, name: [], why: firstLines(this.crash(file)) }
      : {
          where,
          name: [...names.slice(0, data.nesting ?? 0), data.name ?? ""],
          why: firstLines(errorText(data.details?.error)),
        };
    this.failures.push(failure);
    return failure;
  }

  private crash(file: string): string {
    const output = (this.stderr.get(file) ?? []).join("");
    const error = output.split("\n").find((l) => /^\w*Error\b|^Error:/.test(l.trim()));
    return error ?? (output || "the test file failed outside its tests");
  }
}

/** A failure as the summary prints it. */
export function formatFailure(failure: Failure): string {
  const name = failure.name.length > 0 ? `\n    ${failure.name.join(" › ")}` : "";
  const why = failure.why.map((l) => `\n      ${l}`).join("");
  return `  ${failure.where}${name}${why}`;
}
