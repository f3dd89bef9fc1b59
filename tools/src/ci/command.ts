/**
 * `moat ci changed-stacks`: the stacks a pull request can change, as the JSON list a GitHub Actions
 * matrix takes (.github/workflows/policy.yml).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { UsageError } from "../plan/project";
import { ACCOUNTS_DIR, readProjectStacks, repositoryProjects } from "../deployments/stack-files";
import { MATRIX_LIMIT, matrixEntries, stacksToPreview, type StackFolders } from "./changed-stacks";

/** `moat ci --help`. */
export const CI_USAGE = `usage: moat ci changed-stacks --base <branch>

Prints, as a JSON list on one line, the stacks that the changes from origin/<branch> to HEAD
(git diff origin/<branch>...HEAD) can change, for a GitHub Actions matrix: a tenant by its stack
name (acme-prod), an account baseline by its folder and name (accounts/acme-use1). A stack file
selects its stack; a baseline's file also selects the tenants whose moat:baseline names it; shared
code (infra/, components/, policies/, tools/, package files, Pulumi.yaml, tsconfig.json) and files
moat does not know select every stack; documentation and tests select none. Over ${MATRIX_LIMIT} stacks
(GitHub's limit of jobs per matrix), each entry is a comma-separated group of stacks.

  --base B     the pull request's base branch, e.g. main; origin/B must be fetched
               (actions/checkout with fetch-depth: 0)
  -h, --help   show this help

Exit codes: 0 printed, 2 bad usage, a missing base branch or an unreadable stack file.`;

/** Runs `moat ci <subcommand>` and returns its exit code. */
export async function ciMain(args: readonly string[], root: string): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === "-h" || subcommand === "--help" || rest.includes("-h") || rest.includes("--help")) {
    console.log(CI_USAGE);
    return 0;
  }
  if (subcommand !== "changed-stacks") {
    const what = subcommand === undefined ? "a subcommand is needed" : `unknown subcommand '${subcommand}'`;
    throw new UsageError([`moat ci: ${what}; subcommands: changed-stacks\n\n${CI_USAGE}`]);
  }
  const base = parseBase(rest);
  const { entries, unknown } = changedStacks(root, changedFiles(root, base));
  for (const file of unknown) {
    console.error(`moat ci: ${file} is not a file moat knows; previewing every stack`);
  }
  console.log(JSON.stringify(entries));
  return 0;
}

/** The `--base` branch; throws UsageError listing everything it does not understand. */
export function parseBase(args: readonly string[]): string {
  const problems: string[] = [];
  let base: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--base") {
      const value = args[++i];
      if (value === undefined || value.startsWith("-")) {
        problems.push("--base needs a value, the pull request's base branch, e.g. --base main");
        i--;
      } else {
        base = value;
      }
    } else {
      problems.push(`unknown argument ${args[i]}`);
    }
  }
  if (base === undefined && problems.length === 0) {
    problems.push("--base is required, e.g. --base main");
  }
  if (problems.length > 0 || base === undefined) {
    throw new UsageError([...problems, "", CI_USAGE]);
  }
  return base;
}

/** The files changed between origin/<base> and HEAD, renames as a deletion and an addition. */
export function changedFiles(root: string, base: string): string[] {
  const range = `origin/${base}...HEAD`;
  const git = spawnSync("git", ["diff", "--name-only", "--no-renames", "-z", range, "--"], {
    cwd: root,
    encoding: "utf8",
  });
  if (git.status !== 0) {
    const why = (git.error?.message ?? git.stderr).trim().split("\n")[0];
    throw new UsageError([
      `git diff ${range} failed: ${why}`,
      `fetch the base branch first: actions/checkout with fetch-depth: 0, or git fetch origin ${base}`,
    ]);
  }
  return git.stdout.split("\0").filter((f) => f !== "");
}

/** The matrix entries for `files`, read against the stack files under `root`. */
export function changedStacks(
  root: string,
  files: readonly string[],
): { entries: string[]; unknown: string[] } {
  const [tenants, baselines] = repositoryProjects(root);
  const relative = (p: string) => path.relative(root, p).split(path.sep).join("/") || ".";
  const tenant = tenants.project;
  const baseline = baselines?.project;
  const folders: StackFolders = {
    tenants: relative(path.join(root, tenant.stackConfigDir)),
    baselineProject: ACCOUNTS_DIR,
    // When the pull request removes accounts/, its stack files were still there.
    baselines: baseline
      ? relative(path.join(baseline.root, baseline.stackConfigDir))
      : `${ACCOUNTS_DIR}/stacks`,
  };
  const { targets, unknown } = stacksToPreview(files, readProjectStacks(root), folders);
  return { entries: matrixEntries(targets), unknown };
}
