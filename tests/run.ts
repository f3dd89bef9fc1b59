/**
 * `npm test`: the build, then lint, the format check and the type check alongside every test file,
 * several at a time. The whole-stack tests (tests/*.test.ts) share one plan of each stack, made once
 * by tests/prepare-plans.ts while the unit and component tests run. Prints a line per static check,
 * each failing test as it fails, then a summary; the last line is `N passed, N failed[, N skipped]`.
 * Everything, passing tests included, goes to .moat/test-report.txt.
 *
 * Usage: node --require ./tests/register-ts.js tests/run.ts [--tests-only] [FILE...]
 * (`--tests-only` or named files: build and run tests, no lint, format or type check). Test files
 * load TypeScript as this process does (tests/register-ts.js; `--import tsx` works too, slower).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { PLANS_ENV } from "./plans";
import { installValidators } from "./validators";
import { Tally, countsLine, firstLines, formatFailure, type TestEvent } from "./run-summary";

const ROOT = path.resolve(__dirname, "..");
const MOAT = path.join(ROOT, ".moat");
const REPORT = path.join(MOAT, "test-report.txt");
const PLANS = path.join(MOAT, "test-plans");
const DURATIONS = path.join(MOAT, "test-durations.json");
/** Where test files live; the whole-stack tests are those under tests/. */
const TEST_ROOTS = ["infra", "accounts", "components", "tools/src", "policies/src", "tests"];
/** Test files at once per group; the two groups overlap, so the cores stay busy. */
const CONCURRENCY = os.availableParallelism();

const tally = new Tally(ROOT);
const report: string[] = [];
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Test files finished and to run, shown on a terminal as a last line that other output replaces. */
const progress = { done: 0, total: 0, tty: process.stdout.isTTY === true };
function showProgress(): void {
  if (progress.tty && progress.done < progress.total) {
    const counts = countsLine(tally.passed, tally.failed, tally.skipped);
    process.stdout.write(`\r\x1b[K${progress.done}/${progress.total} test files: ${counts}`);
  }
}
function log(line: string): void {
  if (progress.tty) process.stdout.write("\r\x1b[K");
  console.log(line);
  showProgress();
}

/** Runs a command, keeping its output; resolves with its exit code. */
function capture(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ code: 1, output: `${output}${e.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Why a static check failed, in a line or a few; prettier's names the command that fixes it. */
function staticFailure(script: string, output: string): string[] {
  const unformatted = [...output.matchAll(/^\[warn\] (\S+)$/gm)].map((m) => m[1]);
  if (script === "format:check" && unformatted.length > 0) {
    return [`not formatted: ${unformatted.join(", ")}; run \`npm run format\` to fix`];
  }
  // eslint prints a file, then its problems as `  line:col  error  message  rule`.
  const lint = /^(\S.*)\n\s+(\d+:\d+)\s+error\s+(.*)$/m.exec(output);
  return lint ? [`${path.relative(ROOT, lint[1])}:${lint[2]} ${lint[3]}`] : firstLines(output, 8);
}

/** `npm run <script>` as one check. */
async function npmScript(script: string): Promise<boolean> {
  const started = Date.now();
  const { code, output } = await capture("npm", ["run", "--silent", script]);
  report.push(`== npm run ${script}: exit code ${code}\n${output}`);
  const why = code === 0 ? [] : staticFailure(script, output);
  tally.check(`npm run ${script}`, code === 0, why);
  log(`${code === 0 ? "✔" : "✖"} npm run ${script} (${seconds(started)})`);
  if (code !== 0) {
    const shown = output.trimEnd().split("\n");
    log([...shown.slice(0, 30), ...(shown.length > 30 ? ["  ..."] : []), ...why].join("\n"));
  }
  return code === 0;
}

function testFiles(named: string[]): string[] {
  if (named.length > 0) return named.map((f) => path.relative(ROOT, path.resolve(f)));
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" || e.name === "fixtures" ? [] : walk(rel);
      return e.name.endsWith(".test.ts") ? [rel] : [];
    });
  return TEST_ROOTS.filter((d) => fs.existsSync(path.join(ROOT, d)))
    .flatMap(walk)
    .sort();
}

/** Longest first, as last measured, so that no long file starts last; unmeasured ones first. */
function longestFirst(files: string[], last: Record<string, number>): string[] {
  return [...files].sort((a, b) => (last[b] ?? Infinity) - (last[a] ?? Infinity) || a.localeCompare(b));
}

/** Runs test files through node:test, `CONCURRENCY` at a time, into the tally and the report. */
async function runFiles(files: string[], title: string): Promise<void> {
  if (files.length === 0) return;
  const reporter = new spec();
  const text: string[] = [];
  reporter.on("data", (d) => text.push(String(d)));
  const finished = new Promise((resolve) => reporter.on("end", resolve));
  const stream = run({ files: files.map((f) => path.join(ROOT, f)), concurrency: CONCURRENCY });
  for await (const event of stream) {
    reporter.write(event);
    if (event.type === "test:complete" && event.data.nesting === 0 && event.data.file === event.data.name) {
      progress.done++;
      showProgress();
    }
    const failure = tally.add(event as TestEvent);
    if (failure) log(`✖ ${failure.where}${failure.name.length ? ` › ${failure.name.join(" › ")}` : ""}`);
  }
  reporter.end();
  await finished;
  report.push(`== ${title}\n${text.join("")}`);
}

/** Plans every stack and fixture once for the whole-stack tests (tests/prepare-plans.ts). */
async function preparePlans(): Promise<boolean> {
  const started = Date.now();
  fs.rmSync(PLANS, { recursive: true, force: true });
  const script = path.join(__dirname, "prepare-plans.ts");
  // With this process's TypeScript loader (tests/register-ts.js under `npm test`).
  const { code, output } = await capture(process.execPath, [...process.execArgv, script, PLANS]);
  report.push(`== tests/prepare-plans.ts: exit code ${code}\n${output}`);
  if (code !== 0) tally.check("tests/prepare-plans.ts", false, firstLines(output));
  const what = "planned every stack and fixture once for the whole-stack tests";
  log(`${code === 0 ? "✔" : "✖"} ${what} (${seconds(started)})`);
  if (code !== 0) log(output.trimEnd());
  return code === 0;
}

async function runTests(files: string[]): Promise<void> {
  const last = fs.existsSync(DURATIONS) ? JSON.parse(fs.readFileSync(DURATIONS, "utf8")) : {};
  const stackTests = longestFirst(
    files.filter((f) => f.startsWith(`tests${path.sep}`)),
    last,
  );
  const unitTests = longestFirst(
    files.filter((f) => !stackTests.includes(f)),
    last,
  );
  const started = Date.now();
  progress.total = files.length;
  await Promise.all([
    runFiles(unitTests, "unit and component tests"),
    // The node-file validators install (where they can) while the plans are made.
    Promise.all([
      stackTests.length > 0 ? preparePlans() : Promise.resolve(false),
      installValidators().then((line) => line !== undefined && log(line)),
    ]).then(([ok]) => {
      // Without shared plans, each whole-stack test file plans what it needs itself.
      if (ok) process.env[PLANS_ENV] = PLANS;
      return runFiles(stackTests, "whole-stack tests");
    }),
  ]);
  log(`${files.length} test files in ${seconds(started)}`);
  const durations = Object.fromEntries([...tally.durations].map(([f, ms]) => [path.relative(ROOT, f), ms]));
  fs.writeFileSync(DURATIONS, JSON.stringify({ ...last, ...durations }, null, 2));
}

async function main(args: string[]): Promise<number> {
  const named = args.filter((a) => !a.startsWith("--"));
  const onlyTests = args.includes("--tests-only") || named.length > 0;
  fs.mkdirSync(MOAT, { recursive: true });
  const started = Date.now();
  // The tests run the built CLI and pack; the other checks need nothing built and run alongside.
  const built = await npmScript("build");
  const checks = onlyTests ? [] : ["lint", "format:check", "typecheck"].map(npmScript);
  if (built) await runTests(testFiles(named));
  await Promise.all(checks);
  fs.writeFileSync(REPORT, stripVTControlCharacters(report.join("\n")));
  if (tally.failures.length > 0) {
    log(`\nFailed (${tally.failures.length}):\n${tally.failures.map(formatFailure).join("\n")}`);
  }
  log(`\nFull report: ${path.relative(ROOT, REPORT)}; ${seconds(started)} in all`);
  log(countsLine(tally.passed, tally.failed, tally.skipped));
  return tally.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
