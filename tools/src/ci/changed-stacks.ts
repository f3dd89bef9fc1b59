/**
 * Which stacks a pull request can change, so that CI previews those and no others: the files the
 * pull request changes (`git diff --name-only origin/<base>...HEAD`) against the stack files present.
 * Pure; tools/src/ci/command.ts runs git and prints the result.
 *
 * - `stacks/Pulumi.<s>.yaml` or `stacks/Pulumi.<s>.policy.json`: that tenant.
 * - `accounts/stacks/Pulumi.<b>.yaml` (or `.policy.json`): that baseline, and every tenant whose
 *   `moat:baseline` ends with `/<b>`, since a tenant reads its baseline's outputs.
 * - Any other file under `accounts/`: every baseline (the baseline program and its settings).
 * - Shared code (infra/, components/, policies/, tools/, package.json, package-lock.json,
 *   Pulumi.yaml, tsconfig.json) and the preview job itself (.github/workflows/policy.yml): every stack.
 * - Files that no `pulumi preview` reads: none. Documentation (docs/, any `*.md`), the offline tests
 *   (tests/, run by `npm test` on every pull request), `stacks/fleet.yaml` (read only by the offline
 *   `moat plan --all`, also run on every pull request), other projects (deploy/), other workflows and
 *   the lint and format settings.
 * - Anything else: every stack. A file this list does not know might change any preview, and a
 *   preview too many costs minutes where one too few lets a broken stack through.
 */
import { BASELINE_KEY, type ProjectStack } from "../deployments/stack-files";

/**
 * The most jobs one matrix generates in a workflow run.
 * https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow
 */
export const MATRIX_LIMIT = 256;

/** Paths (a folder ends with `/`) whose change can change every stack's preview. */
const SHARED = [
  "infra/",
  "components/",
  "policies/",
  "tools/",
  "package.json",
  "package-lock.json",
  "Pulumi.yaml",
  "tsconfig.json",
  ".github/workflows/policy.yml",
];

/** Paths that no `pulumi preview` of this repository reads (see the file comment for why). */
const INERT = [
  "docs/",
  "tests/",
  "deploy/",
  ".github/",
  ".ci/",
  ".gitignore",
  ".prettierrc.json",
  ".prettierignore",
  "eslint.config.mjs",
];

/** The fleet file of the tenant stack folder, read only by `moat plan --all`. */
const FLEET_FILE = "fleet.yaml";

const under = (file: string, paths: readonly string[]) =>
  paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));

/** The name CI previews a stack by: `<stack>` for a tenant, `<project folder>/<stack>` for a baseline. */
export function targetName(stack: Pick<ProjectStack, "kind" | "dir" | "stack">): string {
  return stack.kind === "tenant" ? stack.stack : `${stack.dir}/${stack.stack}`;
}

/** The stack a `Pulumi.<stack>.yaml` or `Pulumi.<stack>.policy.json` file name is about. */
function stackOfFile(name: string): string | undefined {
  return /^Pulumi\.(.+)\.policy\.json$/.exec(name)?.[1] ?? /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1];
}

/** Where the two projects keep their stack files, relative to the repository root. */
export interface StackFolders {
  /** The root project's `stackConfigDir`, e.g. `stacks`. */
  readonly tenants: string;
  /** The account baseline project's folder and stack folder, e.g. `accounts` and `accounts/stacks`. */
  readonly baselineProject: string;
  readonly baselines: string;
}

/** What a pull request's changed files ask CI to preview. */
export interface PreviewSelection {
  /** Targets (see {@link targetName}) in the order of the stacks given: tenants, then baselines. */
  readonly targets: string[];
  /** Changed files this module does not know, each of which selected every stack. */
  readonly unknown: string[];
}

/**
 * The stacks to preview for a pull request that changes `changedFiles` (paths relative to the
 * repository root, `/`-separated). A stack whose file the pull request deletes is not previewed: it
 * has no configuration left to preview with.
 */
export function stacksToPreview(
  changedFiles: readonly string[],
  stacks: readonly ProjectStack[],
  folders: StackFolders,
): PreviewSelection {
  const selected = new Set<ProjectStack>();
  const unknown: string[] = [];
  const tenants = stacks.filter((s) => s.kind === "tenant");
  const baselines = stacks.filter((s) => s.kind === "baseline");
  const select = (some: readonly ProjectStack[]) => some.forEach((s) => selected.add(s));
  for (const file of changedFiles) {
    const slash = file.lastIndexOf("/");
    const [folder, name] = slash < 0 ? ["", file] : [file.slice(0, slash), file.slice(slash + 1)];
    const stack = stackOfFile(name);
    if (folder === folders.tenants && stack !== undefined) {
      select(tenants.filter((t) => t.stack === stack));
    } else if (folder === folders.baselines && stack !== undefined) {
      select(baselines.filter((b) => b.stack === stack));
      select(tenants.filter((t) => t.config[BASELINE_KEY]?.endsWith(`/${stack}`)));
    } else if (file.endsWith(".md")) {
      continue;
    } else if (under(file, SHARED)) {
      select(stacks);
    } else if (under(file, INERT) || file === `${folders.tenants}/${FLEET_FILE}`) {
      continue;
    } else if (file.startsWith(`${folders.baselineProject}/`)) {
      select(baselines);
    } else {
      unknown.push(file);
      select(stacks);
    }
  }
  return { targets: stacks.filter((s) => selected.has(s)).map(targetName), unknown };
}

/**
 * The matrix entries for `targets`: one target per entry while they fit in `limit` jobs; beyond it,
 * consecutive targets are batched into at most `limit` entries of `ceil(targets / limit)` targets,
 * each entry their names joined by commas, which the job previews one after another.
 */
export function matrixEntries(targets: readonly string[], limit = MATRIX_LIMIT): string[] {
  if (targets.length <= limit) return [...targets];
  const size = Math.ceil(targets.length / limit);
  const entries: string[] = [];
  for (let i = 0; i < targets.length; i += size) {
    entries.push(targets.slice(i, i + size).join(","));
  }
  return entries;
}
