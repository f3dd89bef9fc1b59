/**
 * Child process of `moat plan`: runs the Pulumi program in infra/ under the SDK's mock runtime, the
 * way the Pulumi CLI's Node.js language host runs it (its own `run` entry point, its own ts-node
 * registration, the project's tsconfig), and writes what was registered to a JSON file.
 *
 * Usage: node runner.js <project-root> <stack> <result-file> [--unknowns]
 * The stack's configuration arrives in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS, as from the CLI.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the SDK and its entry points are resolved from the project at run time, as the language host resolves them */
import * as fs from "fs";
import * as path from "path";
import { Fixtures, pinnedAccount } from "./fixtures";
import { previewMocks } from "./mocks";
import { readProject } from "./project";
import { RegistrationRecorder } from "./recorder";
import { StackReferences } from "./stack-references";
import { registerTypeScript } from "./ts-loader";
import type { ProgramFailure, ProgramRun } from "./types";

async function main(argv: string[]): Promise<void> {
  const [root, stack, resultFile, ...flags] = argv;
  const unknowns = flags.includes("--unknowns");
  const config = JSON.parse(process.env.PULUMI_CONFIG ?? "{}");
  const region = config["aws:region"] ?? "us-east-1";
  process.chdir(root);
  const { name: project, main: programDir } = readProject(root);

  // Resolve the SDK from the project, as the language host does, so the program and these mocks
  // share one runtime.
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
  const pulumi = require(sdkDir);
  const settings = require(path.join(sdkDir, "runtime", "settings"));

  const fixtures = new Fixtures(region, pinnedAccount(config));
  const references = new StackReferences(root);
  await pulumi.runtime.setMocks(
    previewMocks(fixtures, unknowns, stack, project, references),
    project,
    stack,
    true,
  );
  // With an IPC channel (see run-program.ts), each registration is also sent as it happens, so the
  // pack can analyze it while the program goes on, as the Pulumi engine does.
  const recorder = new RegistrationRecorder(process.send ? (r) => process.send?.(r) : undefined);
  recorder.attach(settings.getMonitor());

  let failure: ProgramFailure | undefined;
  try {
    await runLikeLanguageHost(sdkDir, programDir);
    await settings.waitForRPCs();
  } catch (e) {
    failure = classify(e);
  }
  // A call without a fixture fails the preview even if the program caught the error and went on.
  const unanswered = [...fixtures.missing, ...references.missing];
  if (unanswered.length > 0) {
    failure = { kind: "invoke", message: unanswered[0].message };
  }
  const run: ProgramRun = {
    project,
    stack,
    resources: recorder.resources,
    outputs: recorder.outputs,
    failure,
  };
  fs.writeFileSync(resultFile, JSON.stringify(run));
}

/**
 * Calls the language host's own `run` (cmd/run/run.js). That module imports its sibling index.js,
 * whose top level parses the process arguments and starts a second run; a cache entry carrying the
 * one constant run.js reads from it keeps that from happening.
 */
async function runLikeLanguageHost(sdkDir: string, programDir: string): Promise<void> {
  const indexPath = require.resolve(path.join(sdkDir, "cmd", "run", "index.js"));
  const stub = new (require("module").Module)(indexPath);
  stub.filename = indexPath;
  stub.loaded = true;
  stub.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
  require.cache[indexPath] = stub;
  // `--typecheck` (PULUMI_NODEJS_TRANSPILE_ONLY=false) runs the language host's own ts-node; otherwise
  // the program is transpiled as ts-node's transpile-only mode would, through a cache (ts-loader.ts).
  const typeCheck = process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "false";
  process.env.PULUMI_NODEJS_TYPESCRIPT = String(typeCheck);
  if (!typeCheck) {
    registerTypeScript(process.cwd(), process.env.PULUMI_NODEJS_TSCONFIG_PATH);
  }
  const { run } = require(path.join(sdkDir, "cmd", "run", "run.js"));
  let reported: unknown;
  await run(
    { _: [programDir] },
    () => undefined,
    (err: unknown) => (reported = err),
    (err: unknown) => err === reported,
  );
}

function classify(e: unknown): ProgramFailure {
  const err = e as {
    moatConfigError?: boolean;
    __pulumiInputPropertiesError?: boolean;
    problems?: string[];
    name?: string;
    message?: string;
  };
  if (err?.moatConfigError && Array.isArray(err.problems)) {
    return { kind: "config", problems: err.problems };
  }
  // Components validate their arguments all at once and throw the SDK's InputPropertiesError: the
  // message names every property and the fix, and a stack trace would only bury it.
  if (err?.__pulumiInputPropertiesError === true && typeof err.message === "string") {
    return { kind: "input", message: err.message };
  }
  return { kind: "program", message: (e as Error)?.stack ?? err?.message ?? String(e) };
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(3);
  },
);
