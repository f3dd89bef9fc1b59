/**
 * Runs the policy test files in this one process and records, for every test, which policies it ran
 * and what they reported (POL-1). Started by test-index.ts as
 * `node --import tsx recorder.(ts|js) <root> <out.json> <test file>...`; never imported.
 *
 * Why at run time rather than by reading the test source: the titles are often template literals,
 * and a test reaches its policy through aliases, wrappers and fixtures that only running resolves.
 * Running also proves the test passes. Two hooks make it work, both before any test file loads:
 * - every object of a pack policy (the pack's list, and the constants and lists the policy modules
 *   export) gets its validate functions wrapped, so a call counts the violations it reports and
 *   how it ended (ran to the end, not applicable, or cut short by an unknown read or an error);
 * - the named exports `describe`/`suite`/`it`/`test` of node:test are wrapped, so each call is
 *   attributed to the test running it (through AsyncLocalStorage) and each outcome is kept. A file
 *   calling node:test's default export would go unrecorded; the policy tests all use named imports.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { ReportViolation } from "@pulumi/policy";
import type { PolicyRunRecord, RecordedTest, RecorderOutput } from "./test-index";

type AnyFn = (...args: unknown[]) => unknown;

const [root, outFile, ...testFiles] = process.argv.slice(2);
// Test files load through CommonJS (tsx compiles them so), sharing node:test's module object.
const load = createRequire(__filename);
const current = new AsyncLocalStorage<RecordedTest>();
const tests: RecordedTest[] = [];
const suites: string[] = [];
let loadingFile = "";

// One run per args object and policy: runResourcePolicy hands the same args to every validation of
// a policy, and a wrapped policy (e.g. made exemptible) hands its args on to the original.
const runs = new WeakMap<object, Map<string, PolicyRunRecord>>();

function wrapValidation(policy: string, validate: AnyFn): AnyFn {
  const recorded = async function (args: unknown, report: unknown) {
    const test = current.getStore();
    if (test === undefined || typeof args !== "object" || args === null) {
      return validate(args, report);
    }
    const byPolicy = runs.get(args) ?? new Map<string, PolicyRunRecord>();
    runs.set(args, byPolicy);
    let run = byPolicy.get(policy);
    if (run === undefined) {
      run = { policy, violations: 0, outcome: "completed" };
      byPolicy.set(policy, run);
      test.runs.push(run);
    }
    const counted = run;
    const counting: ReportViolation = (message, urn) => {
      counted.violations++;
      return (report as ReportViolation)(message, urn);
    };
    // notApplicable ends the run by throwing; marking it here tells it apart from an unknown read.
    const original = (args as { notApplicable?: AnyFn }).notApplicable;
    const notApplicable = (...reason: unknown[]) => {
      counted.outcome = "notApplicable";
      return original?.(...reason);
    };
    try {
      return await validate({ ...args, notApplicable }, counting);
    } catch (e) {
      if (counted.outcome !== "notApplicable") counted.outcome = "aborted";
      throw e;
    }
  };
  // Keep marks such as the SDK's `__pulumiType` that the pack sets on validate functions.
  return Object.assign(recorded, validate);
}

interface PolicyLike {
  readonly name: string;
  validateResource?: unknown;
  validateStack?: unknown;
}

function isPolicy(value: unknown): value is PolicyLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as PolicyLike).name === "string" &&
    ("validateResource" in value || "validateStack" in value)
  );
}

function instrument(policy: PolicyLike): void {
  if (typeof policy.validateStack === "function") {
    policy.validateStack = wrapValidation(policy.name, policy.validateStack as AnyFn);
  }
  const resource = policy.validateResource;
  if (typeof resource === "function") {
    policy.validateResource = wrapValidation(policy.name, resource as AnyFn);
  } else if (Array.isArray(resource)) {
    policy.validateResource = resource.map((v: AnyFn) => wrapValidation(policy.name, v));
  }
}

/**
 * Instruments every object of the pack's policies, wherever it lives: the pack's list may hold
 * wrapped copies (e.g. made exemptible) while tests import the modules' own constants. Returns the
 * identifiers each policy is exported under, for "the test file names it".
 */
function instrumentPolicies(pack: readonly PolicyLike[]): Record<string, string[]> {
  const names = new Set(pack.map((p) => p.name));
  const found = new Set<PolicyLike>(pack);
  const exported: Record<string, Set<string>> = {};
  const srcDir = path.join(root, "policies", "src") + path.sep;
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!file.startsWith(srcDir) || /\.test\.ts$/.test(file) || !mod) continue;
    for (const [key, value] of Object.entries((mod.exports ?? {}) as Record<string, unknown>)) {
      for (const candidate of Array.isArray(value) ? value : [value]) {
        if (isPolicy(candidate) && names.has(candidate.name)) {
          found.add(candidate);
          if (candidate === value) (exported[candidate.name] ??= new Set()).add(key);
        }
      }
    }
  }
  found.forEach(instrument);
  return Object.fromEntries(Object.entries(exported).map(([k, v]) => [k, [...v].sort()]));
}

// node:test accepts (name?, options?, fn?); the body is the last function argument.
function splitArgs(args: unknown[]): { title: string; fnIndex: number } {
  const fnIndex = args.findIndex((a) => typeof a === "function");
  const first = args[0];
  const title =
    typeof first === "string" ? first : fnIndex >= 0 ? (args[fnIndex] as AnyFn).name || "<anonymous>" : "";
  return { title, fnIndex };
}

function wrapSuite(original: AnyFn): AnyFn {
  return function suite(this: unknown, ...args: unknown[]) {
    const { title, fnIndex } = splitArgs(args);
    if (fnIndex >= 0) {
      const body = args[fnIndex] as AnyFn;
      args[fnIndex] = function (this: unknown, ...inner: unknown[]) {
        // node:test runs a suite's body while the suite is being declared, so a stack suffices.
        suites.push(title);
        try {
          return body.apply(this, inner);
        } finally {
          suites.pop();
        }
      };
    }
    return original.apply(this, args);
  };
}

function wrapTest(original: AnyFn): AnyFn {
  return function test(this: unknown, ...args: unknown[]) {
    const { title, fnIndex } = splitArgs(args);
    if (fnIndex >= 0) {
      const body = args[fnIndex] as AnyFn;
      const record: RecordedTest = { file: loadingFile, title: [...suites, title].join(" > "), runs: [] };
      tests.push(record);
      const run = (self: unknown, inner: unknown[]) =>
        current.run(record, async () => {
          try {
            await body.apply(self, inner);
            record.ok = true;
          } catch (e) {
            record.ok = false;
            throw e;
          }
        });
      // node:test passes a `done` callback to bodies declaring two parameters; keep the arity.
      args[fnIndex] =
        body.length >= 2
          ? function (this: unknown, t: unknown, done: (e?: unknown) => void) {
              current.run(record, () =>
                body.call(this, t, (e?: unknown) => {
                  record.ok = !e;
                  done(e);
                }),
              );
            }
          : function (this: unknown, ...inner: unknown[]) {
              return run(this, inner);
            };
    }
    return original.apply(this, args);
  };
}

function instrumentNodeTest(): void {
  const nodeTest = load("node:test") as Record<string, AnyFn>;
  for (const key of ["describe", "suite"]) {
    const original = nodeTest[key];
    if (original) nodeTest[key] = Object.assign(wrapSuite(original), original);
  }
  for (const key of ["it", "test"]) {
    const original = nodeTest[key];
    if (original) nodeTest[key] = Object.assign(wrapTest(original), original);
  }
}

function main(): void {
  const { moatPolicies } = load(path.join(root, "policies", "src", "pack.ts")) as {
    moatPolicies: PolicyLike[];
  };
  const exported = instrumentPolicies(moatPolicies);
  instrumentNodeTest();
  for (const file of testFiles) {
    loadingFile = file;
    load(path.resolve(root, file));
  }
  loadingFile = "";
  process.on("exit", () => {
    const output: RecorderOutput = {
      tests: tests.map((t) => ({ ...t, ok: t.ok ?? false })),
      exports: exported,
    };
    fs.writeFileSync(outFile, JSON.stringify(output));
  });
}

main();
