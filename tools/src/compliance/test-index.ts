/**
 * The policy tests and what each proves (POL-1): which policies a test ran, whether it saw a policy
 * report a violation (a failing test) or pass a resource (a passing test), and whether it passed.
 * Built by running policies/src/*.test.ts under recorder.ts in a child process.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";

/** One call of a policy by a test: a `runResourcePolicy` / `runStackPolicy`, or a direct call. */
export interface PolicyRunRecord {
  readonly policy: string;
  /** Violations the policy reported in this run. */
  violations: number;
  /**
   * How the run ended: it ran to the end, the policy declared the resource out of scope, or it was
   * cut short (an unknown value read at preview, or an error).
   */
  outcome: "completed" | "notApplicable" | "aborted";
}

/** A test as recorded while it ran. */
export interface RecordedTest {
  /** Test file, relative to the project root. */
  readonly file: string;
  /** Suite titles and the test title, joined by " > ". */
  readonly title: string;
  readonly runs: PolicyRunRecord[];
  /** True when the test passed. */
  ok?: boolean;
}

/** What recorder.ts writes. */
export interface RecorderOutput {
  readonly tests: RecordedTest[];
  /** Policy name -> the identifiers policy modules export it under. */
  readonly exports: Record<string, string[]>;
}

/** Where to find the policy tests. */
export const POLICY_TEST_DIR = path.join("policies", "src");

/** The policy test files of a project, relative to its root and sorted. */
export function policyTestFiles(root: string): string[] {
  return fs
    .readdirSync(path.join(root, POLICY_TEST_DIR))
    .filter((f) => f.endsWith(".test.ts"))
    .sort()
    .map((f) => path.join(POLICY_TEST_DIR, f).split(path.sep).join("/"));
}

/** recorder.ts from source under tsx, recorder.js when this module runs compiled from tools/dist. */
function recorderFile(): string {
  return path.join(__dirname, `recorder${path.extname(__filename)}`);
}

/**
 * Runs the policy test files of `root` once, in one child process with tsx, and returns what the
 * recorder saw. Throws when the recorder wrote nothing (a test file failed to load).
 */
export async function recordPolicyTests(
  root: string,
  files = policyTestFiles(root),
): Promise<RecorderOutput> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-compliance-"));
  const out = path.join(dir, "tests.json");
  try {
    // tsx is resolved from here, not from `root`, so a scratch project needs no node_modules.
    const tsx = pathToFileURL(require.resolve("tsx")).href;
    const args = ["--import", tsx, recorderFile(), root, out, ...files];
    const { code, output } = await spawnCollect(process.execPath, args, root);
    if (!fs.existsSync(out)) {
      throw new Error(`running the policy tests under the recorder failed (exit code ${code}):\n${output}`);
    }
    return JSON.parse(fs.readFileSync(out, "utf8")) as RecorderOutput;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function spawnCollect(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Under `node --test` this variable makes node:test report to a parent runner; the recorder
    // runs its tests as a program of its own.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    // Keep only the tail: the TAP stream of hundreds of tests is noise unless loading failed.
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
