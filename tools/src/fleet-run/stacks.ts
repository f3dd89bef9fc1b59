/**
 * The stacks a fleet run can operate on: the tenant stacks of the root project and, when the account
 * baseline project (accounts/) exists, its stacks. Each must name its one account and its region;
 * a tenant's `moat:baseline` must name a baseline stack of the same account. Every problem is
 * reported at once, naming the stack file and the key.
 */
import * as fs from "fs";
import * as path from "path";
import { ACCOUNT_ID } from "../fleet/placement";
import {
  listStacks,
  readProject,
  readStackFile,
  UsageError,
  type ProjectFile,
  type StackFile,
} from "../plan/project";
import { HOME_REGION, type RunStack, type StackRole } from "./types";

/** The account baseline project's folder, relative to the repository root. */
export const ACCOUNTS_DIR = "accounts";

/** The tenant setting that names the account baseline a tenant builds on. */
export const BASELINE_KEY = "moat:baseline";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** `<org>/<project>/<stack>`: a fully qualified stack reference name. */
const STACK_REFERENCE = /^([^/\s]+)\/([^/\s]+)\/([^/\s]+)$/;

/** A project's stack files, read but not yet checked. */
export interface ProjectStacks {
  readonly role: StackRole;
  /** The project as readProject gives it; `root` is the project's own folder. */
  readonly project: ProjectFile;
  readonly files: readonly StackFile[];
}

/**
 * The one account of an `aws:allowedAccountIds` value (JSON text), or a problem. More than one
 * account is refused: the per-account limit and the batches need to know which account a stack
 * touches, and a Moat stack deploys to exactly one.
 */
function accountOf(file: string, value: string | undefined): { account?: string; problem?: string } {
  const fix = `set it to the one account this stack deploys to, e.g. aws:allowedAccountIds: ["111111111111"]`;
  if (value === undefined) {
    return { problem: `${file}: aws:allowedAccountIds is not set; ${fix}` };
  }
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.length !== 1 || typeof list[0] !== "string" || !ACCOUNT_ID.test(list[0])) {
    return { problem: `${file}: aws:allowedAccountIds should list exactly one 12-digit account; ${fix}` };
  }
  return { account: list[0] };
}

/** The stack of a checked stack file, or the problems that keep it out of a run. */
export function runStackOf(
  role: StackRole,
  project: ProjectFile,
  stackFile: StackFile,
  repoRoot: string,
): { stack?: RunStack; problems: string[] } {
  const file = path.relative(repoRoot, path.join(project.root, stackFile.file));
  const problems: string[] = [];
  const { account, problem } = accountOf(file, stackFile.config["aws:allowedAccountIds"]);
  if (problem !== undefined) problems.push(problem);
  const region = stackFile.config["aws:region"];
  if (region === undefined || !REGION.test(region)) {
    problems.push(
      `${file}: aws:region ${region === undefined ? "is not set" : `'${region}' is not an AWS region`}; set it, e.g. aws:region: ${HOME_REGION}`,
    );
  }
  const baseline = role === "tenant" ? stackFile.config[BASELINE_KEY] : undefined;
  if (baseline !== undefined && !STACK_REFERENCE.test(baseline)) {
    problems.push(
      `${file}: ${BASELINE_KEY} '${baseline}' is not a stack reference; write it as <org>/moat-account/<baseline-stack>`,
    );
  }
  if (problems.length > 0 || account === undefined || region === undefined) {
    return { problems };
  }
  const stack: RunStack = {
    role,
    project: project.name,
    projectDir: project.root,
    stack: stackFile.stack,
    file,
    account,
    region,
    ...(stackFile.policyConfigFile === undefined
      ? {}
      : { policyConfigFile: path.join(project.root, stackFile.policyConfigFile) }),
    ...(baseline === undefined ? {} : { baseline }),
  };
  return { stack, problems: [] };
}

/**
 * Problems of the tenants' baseline references: each must name a stack of the baseline project, in
 * that project, and in the tenant's own account, since a baseline is deployed before the tenants
 * of its account.
 */
export function baselineProblems(
  tenants: readonly RunStack[],
  baselines: readonly RunStack[],
  baselineProject: string | undefined,
): string[] {
  const byName = new Map(baselines.map((b) => [b.stack, b]));
  return tenants.flatMap((tenant) => {
    const [, , project, name] = STACK_REFERENCE.exec(tenant.baseline ?? "") ?? [];
    if (name === undefined) return [];
    const where = `${tenant.file}: ${BASELINE_KEY} '${tenant.baseline}'`;
    if (baselineProject === undefined) {
      return [
        `${where} names a baseline, but ${ACCOUNTS_DIR}/Pulumi.yaml does not exist; add the baseline project or remove the key`,
      ];
    }
    if (project !== baselineProject) {
      return [
        `${where} names project '${project}'; baselines are in project '${baselineProject}' (${ACCOUNTS_DIR}/Pulumi.yaml)`,
      ];
    }
    const baseline = byName.get(name);
    if (baseline === undefined) {
      const known = [...byName.keys()].join(", ") || "none";
      return [`${where}: no ${ACCOUNTS_DIR}/stacks/Pulumi.${name}.yaml; known baselines: ${known}`];
    }
    if (baseline.account !== tenant.account) {
      return [
        `${where} is in account ${baseline.account}, but the tenant deploys to ${tenant.account}; name the baseline of account ${tenant.account}`,
      ];
    }
    return [];
  });
}

/** Checks every project's stack files together; throws UsageError listing every problem. */
export function checkRunStacks(projects: readonly ProjectStacks[], repoRoot: string): RunStack[] {
  const problems: string[] = [];
  const stacks: RunStack[] = [];
  for (const { role, project, files } of projects) {
    for (const file of files) {
      const result = runStackOf(role, project, file, repoRoot);
      problems.push(...result.problems);
      if (result.stack !== undefined) stacks.push(result.stack);
    }
  }
  problems.push(
    ...baselineProblems(
      stacks.filter((s) => s.role === "tenant"),
      stacks.filter((s) => s.role === "baseline"),
      projects.find((p) => p.role === "baseline")?.project.name,
    ),
  );
  const { stacks: withOrgs, problems: orgs } = withOrganizations(stacks);
  problems.push(...orgs);
  if (problems.length > 0) {
    throw new UsageError([`invalid stack files, nothing was run:`, ...problems.map((p) => `  ${p}`)]);
  }
  return withOrgs;
}

/**
 * The stacks with the organization their references name: a tenant takes its reference's, and a
 * baseline the one its tenants name for it; a stack no reference places takes its account's, when
 * the account's other stacks are in one organization. Two organizations for one baseline is a
 * problem, since the baseline is one stack and a reference resolves only at its exact name.
 */
export function withOrganizations(stacks: readonly RunStack[]): { stacks: RunStack[]; problems: string[] } {
  const named = new Map<string, Map<string, string>>();
  for (const tenant of stacks) {
    const [, org, , name] = STACK_REFERENCE.exec(tenant.baseline ?? "") ?? [];
    if (org === undefined) continue;
    const orgs = named.get(name) ?? new Map<string, string>();
    if (!orgs.has(org)) orgs.set(org, tenant.file);
    named.set(name, orgs);
  }
  const problems: string[] = [];
  const result = stacks.map((stack) => {
    if (stack.role === "tenant") {
      const org = STACK_REFERENCE.exec(stack.baseline ?? "")?.[1];
      return org === undefined ? stack : { ...stack, org };
    }
    const orgs = named.get(stack.stack);
    if (orgs === undefined) return stack;
    if (orgs.size > 1) {
      const which = [...orgs].map(([org, file]) => `'${org}' (${file})`).join(" and ");
      problems.push(
        `${stack.file}: ${BASELINE_KEY} references name this baseline in organizations ${which}; a baseline is one stack, so name one organization`,
      );
    }
    return { ...stack, org: [...orgs.keys()][0] };
  });
  // A stack no reference places (an account's home baseline that no tenant names) goes where the
  // rest of its account is, when that is one organization.
  const byAccount = new Map<string, Set<string>>();
  for (const stack of result) {
    if (stack.org !== undefined)
      byAccount.set(stack.account, (byAccount.get(stack.account) ?? new Set()).add(stack.org));
  }
  const placed = result.map((stack) => {
    const orgs = [...(byAccount.get(stack.account) ?? [])];
    return stack.org === undefined && orgs.length === 1 ? { ...stack, org: orgs[0] } : stack;
  });
  return { stacks: placed, problems };
}

/** Every stack file of a project; none when its stack folder does not exist. */
function projectStacks(role: StackRole, project: ProjectFile): ProjectStacks {
  const dir = path.join(project.root, project.stackConfigDir);
  const names = fs.existsSync(dir) ? listStacks(project) : [];
  return { role, project, files: names.map((s) => readStackFile(project, s)) };
}

/**
 * Reads the tenant project at `root` and, if `accounts/Pulumi.yaml` exists, the baseline project,
 * and returns every stack of both, checked. Without accounts/ there are no baselines.
 */
export function readRunStacks(root: string): RunStack[] {
  const projects = [projectStacks("tenant", readProject(root))];
  const accounts = path.join(root, ACCOUNTS_DIR);
  if (fs.existsSync(path.join(accounts, "Pulumi.yaml"))) {
    projects.push(projectStacks("baseline", readProject(accounts)));
  }
  return checkRunStacks(projects, root);
}
