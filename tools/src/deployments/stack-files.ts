/**
 * The stack files of the repository, as Pulumi Deployments and CI see them: the tenant stacks of the
 * root project (`Pulumi.yaml`, stacks in its `stackConfigDir`) and, when the account baseline
 * project exists (`accounts/`, stacks in `accounts/stacks`), its stacks. Only reads files; what a
 * stack's settings mean is for the callers.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks, readProject, readStackFile, type ProjectFile } from "../plan/project";

/** The account baseline project's folder, relative to the repository root. */
export const ACCOUNTS_DIR = "accounts";

/** The account baseline's project name when accounts/Pulumi.yaml does not say (`moat-account`). */
export const BASELINE_PROJECT = "moat-account";

/** The tenant setting that names the baseline stack a tenant builds on: `<org>/moat-account/<stack>`. */
export const BASELINE_KEY = "moat:baseline";

/** What a stack is: a tenant environment of the root project, or an account baseline. */
export type StackKind = "tenant" | "baseline";

/** One stack file of the repository. */
export interface ProjectStack {
  readonly kind: StackKind;
  /** The Pulumi project name: `moat` for tenants, `moat-account` for baselines. */
  readonly project: string;
  /** The project folder relative to the repository root, as Pulumi Deployments' repoDir: `.` or `accounts`. */
  readonly dir: string;
  /** The stack folder relative to the repository root, e.g. `stacks` or `accounts/stacks`. */
  readonly stackDir: string;
  readonly stack: string;
  /** `Pulumi.<stack>.yaml`, relative to the repository root. */
  readonly file: string;
  /** `namespace:key` -> value text (JSON text for structured values), as readStackFile gives it. */
  readonly config: Readonly<Record<string, string>>;
  /** `Pulumi.<stack>.policy.json`, relative to the repository root, when the stack has one. */
  readonly policyConfigFile?: string;
  /** The policy pack configuration of that file; `{}` when there is none. */
  readonly policyConfig: Readonly<Record<string, unknown>>;
}

/**
 * The projects whose stacks the repository holds: the root project (tenants), then the account
 * baseline project when its stack folder exists.
 */
export function repositoryProjects(root: string): { kind: StackKind; dir: string; project: ProjectFile }[] {
  const projects: { kind: StackKind; dir: string; project: ProjectFile }[] = [
    { kind: "tenant", dir: ".", project: readProject(root) },
  ];
  const accounts = path.join(root, ACCOUNTS_DIR);
  const baseline = fs.existsSync(path.join(accounts, "Pulumi.yaml"))
    ? readProject(accounts)
    : { root: accounts, name: BASELINE_PROJECT, main: ".", stackConfigDir: "stacks" };
  if (fs.existsSync(path.join(accounts, baseline.stackConfigDir))) {
    projects.push({ kind: "baseline", dir: ACCOUNTS_DIR, project: baseline });
  }
  return projects;
}

/**
 * Every stack file of the repository: tenants first, then baselines, each sorted by stack name.
 * Throws UsageError naming the file when a stack or policy file cannot be parsed.
 */
export function readProjectStacks(root: string): ProjectStack[] {
  return repositoryProjects(root).flatMap(({ kind, dir, project }) =>
    listStacks(project).map((stack) => {
      const stackFile = readStackFile(project, stack);
      const rel = (file: string) =>
        path.posix.join(...path.relative(root, path.join(project.root, file)).split(path.sep));
      return {
        kind,
        project: project.name,
        dir,
        stackDir: rel(project.stackConfigDir),
        stack,
        file: rel(stackFile.file),
        config: stackFile.config,
        policyConfigFile:
          stackFile.policyConfigFile === undefined ? undefined : rel(stackFile.policyConfigFile),
        policyConfig: stackFile.policyConfig,
      };
    }),
  );
}
