/**
 * What Pulumi Deployments needs for each stack file of the repository: deployment settings (where the
 * source is, what runs before Pulumi, which AWS role the run assumes) and a drift-detection schedule.
 * Pure: stack files and the fleet project's configuration in, plain objects in the exact shape of
 * `pulumiservice.DeploymentSettings` and `pulumiservice.DriftSchedule` inputs out, so the example
 * program under deploy/pulumi-deployments stays a loop and this file is tested without Pulumi.
 *
 * Inputs as in @pulumi/pulumiservice 1.3.0 (`deploymentSettings.d.ts`, `driftSchedule.d.ts`):
 * https://www.pulumi.com/registry/packages/pulumiservice/api-docs/deploymentsettings/
 * https://www.pulumi.com/registry/packages/pulumiservice/api-docs/driftschedule/
 */
import { ACCOUNT_ID } from "../fleet/placement";
import type { ProjectStack, StackKind } from "./stack-files";

/** The fleet program's project name, and so its configuration namespace. */
export const DEPLOYMENTS_PROJECT = "moat-deployments";

/**
 * Run before Pulumi in every deployment, in the project folder. `npm ci` installs exactly the
 * lockfile and, through the root package's `prepare` script, builds the policy pack and the CLI.
 * It replaces Deployments' own dependency installation (`skipInstallDependencies`), which would run
 * a second, lockfile-rewriting install.
 */
export const PRE_RUN_COMMANDS: readonly string[] = ["npm ci"];

/** When drift detection runs unless `driftCron` says otherwise: daily at 04:00 UTC. */
export const DEFAULT_DRIFT_CRON = "0 4 * * *";

/** The branch deployments check out unless `branch` says otherwise. */
export const DEFAULT_BRANCH = "main";

/** The fleet program's settings, as `pulumi config set` holds them (`moat-deployments:<key>`). */
export interface DeploymentsConfigValues {
  /** Git URL of this repository, for a repository Pulumi Deployments can clone without the GitHub app. */
  readonly repoUrl?: string;
  /** `owner/repo` of this repository on GitHub, cloned through the Pulumi GitHub app. */
  readonly github?: string;
  /** Branch to deploy. @default main */
  readonly branch?: string;
  /** AWS account ID -> ARN of the IAM role that deployments of that account's stacks assume by OIDC. */
  readonly awsRoles?: unknown;
  /** Cron expression (UTC) of the drift-detection schedule. @default daily at 04:00 */
  readonly driftCron?: string;
}

/** The fleet program's settings, checked. */
export interface DeploymentsConfig {
  readonly organization: string;
  readonly source: { readonly repoUrl: string } | { readonly github: string };
  /** A full ref, e.g. `refs/heads/main`, as Pulumi's own examples write it. */
  readonly branch: string;
  readonly awsRoles: Readonly<Record<string, string>>;
  readonly driftCron: string;
}

/** `pulumiservice.DeploymentSettings` inputs, as plain values. */
export interface DeploymentSettingsInputs {
  organization: string;
  project: string;
  stack: string;
  sourceContext: { git: { repoUrl?: string; branch: string; repoDir: string } };
  vcs?: {
    provider: "github";
    repository: string;
    deployCommits: boolean;
    previewPullRequests: boolean;
    pullRequestTemplate: boolean;
  };
  operationContext: {
    preRunCommands: string[];
    options: { skipInstallDependencies: boolean };
    oidc: { aws: { roleARN: string; sessionName: string } };
  };
}

/** `pulumiservice.DriftSchedule` inputs, as plain values. */
export interface DriftScheduleInputs {
  organization: string;
  project: string;
  stack: string;
  scheduleCron: string;
  autoRemediate: boolean;
}

/** Everything Pulumi Cloud is told about one stack. */
export interface StackDeployment {
  /** The settings' resource name, `<project>/<stack>`; the drift schedule's is `<name>-drift`. */
  readonly name: string;
  readonly kind: StackKind;
  /** The one AWS account the stack deploys to (`aws:allowedAccountIds`). */
  readonly account: string;
  readonly settings: DeploymentSettingsInputs;
  readonly drift: DriftScheduleInputs;
}

const GITHUB_REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/;
const GIT_URL = /^(https:\/\/\S+|git@\S+:\S+|ssh:\/\/\S+)$/;
const CRON_FIELD = /^[0-9*,/-]+$/;
/**
 * The longest role session name sts:AssumeRole takes. Project and stack names only use characters
 * a session name allows (letters, digits, `_.-`).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
const SESSION_NAME_LIMIT = 64;

/** `pulumi config set` for a key of the fleet program, for fixes in messages. */
function configSet(key: string, example: string): string {
  return `pulumi config set ${key} ${example}`;
}

/** An IAM role ARN in the given account, in any partition. */
function isRoleIn(account: string, arn: string): boolean {
  return new RegExp(`^arn:aws(-[a-z]+)*:iam::${account}:role/[\\w+=,.@/-]+$`).test(arn);
}

/**
 * Checks the fleet program's settings; returns them, or every problem with its fix. `organization`
 * is the Pulumi Cloud organization of the stacks: the `organization` setting, or the fleet stack's own.
 */
export function parseDeploymentsConfig(
  values: DeploymentsConfigValues,
  organization: string,
): { config?: DeploymentsConfig; problems: string[] } {
  const key = (name: string) => `${DEPLOYMENTS_PROJECT}:${name}`;
  const problems: string[] = [];
  const { repoUrl, github } = values;
  let source: DeploymentsConfig["source"] | undefined;
  if (repoUrl === undefined && github === undefined) {
    problems.push(
      `${key("repoUrl")} or ${key("github")}: name this repository, the source of every deployment: ` +
        `${configSet("github", "acme/moat")} (through the Pulumi GitHub app) or ` +
        `${configSet("repoUrl", "https://github.com/acme/moat.git")}`,
    );
  } else if (repoUrl !== undefined && github !== undefined) {
    problems.push(
      `${key("repoUrl")} and ${key("github")} are both set: keep one (pulumi config rm repoUrl or github)`,
    );
  } else if (github !== undefined) {
    if (GITHUB_REPOSITORY.test(github)) source = { github };
    else problems.push(`${key("github")} '${github}' is not owner/repo: ${configSet("github", "acme/moat")}`);
  } else if (repoUrl !== undefined) {
    if (GIT_URL.test(repoUrl)) source = { repoUrl };
    else
      problems.push(
        `${key("repoUrl")} '${repoUrl}' is not a git URL: ${configSet("repoUrl", "https://github.com/acme/moat.git")}`,
      );
  }
  const branch = values.branch ?? DEFAULT_BRANCH;
  if (!/^[\w./-]+$/.test(branch) || branch.endsWith("/")) {
    problems.push(
      `${key("branch")} '${branch}' is not a branch name: ${configSet("branch", DEFAULT_BRANCH)}`,
    );
  }
  const driftCron = values.driftCron ?? DEFAULT_DRIFT_CRON;
  const fields = driftCron.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    problems.push(
      `${key("driftCron")} '${driftCron}' is not a five-field cron expression: ${configSet("driftCron", `'${DEFAULT_DRIFT_CRON}'`)}`,
    );
  }
  const roles = values.awsRoles ?? {};
  const awsRoles: Record<string, string> = {};
  if (typeof roles !== "object" || roles === null || Array.isArray(roles)) {
    problems.push(
      `${key("awsRoles")} must map account IDs to role ARNs: ` +
        `pulumi config set --path 'awsRoles["111111111111"]' arn:aws:iam::111111111111:role/moat-deployments`,
    );
  } else {
    for (const [account, arn] of Object.entries(roles)) {
      if (!ACCOUNT_ID.test(account)) {
        problems.push(`${key("awsRoles")}: '${account}' is not a 12-digit AWS account ID`);
      } else if (typeof arn !== "string" || !isRoleIn(account, arn)) {
        problems.push(
          `${key("awsRoles")}["${account}"] '${String(arn)}' is not an IAM role of account ${account}: ` +
            `pulumi config set --path 'awsRoles["${account}"]' arn:aws:iam::${account}:role/moat-deployments`,
        );
      } else {
        awsRoles[account] = arn;
      }
    }
  }
  if (problems.length > 0 || source === undefined) {
    return { problems };
  }
  return {
    config: {
      organization,
      source,
      branch: branch.startsWith("refs/") ? branch : `refs/heads/${branch}`,
      awsRoles,
      driftCron: fields.join(" "),
    },
    problems: [],
  };
}

/** The one account of a stack (`aws:allowedAccountIds`, JSON text), or the problem with its fix. */
function accountOf(stack: ProjectStack): { account: string } | { problem: string } {
  const value = stack.config["aws:allowedAccountIds"];
  let list: unknown;
  try {
    list = value === undefined ? undefined : JSON.parse(value);
  } catch {
    list = undefined;
  }
  if (Array.isArray(list) && list.length === 1 && typeof list[0] === "string" && ACCOUNT_ID.test(list[0])) {
    return { account: list[0] };
  }
  return {
    problem:
      `${stack.file}: aws:allowedAccountIds should list the one account the stack deploys to, ` +
      `e.g. aws:allowedAccountIds: ["111111111111"]; its deployments assume that account's role`,
  };
}

/**
 * The deployment settings and drift schedule of every stack, in the order given, or every problem:
 * a stack without its one account, an account without a role in `awsRoles`.
 *
 * The source is the repository at the configured branch with the stack's project folder as repoDir.
 * Push-to-deploy and pull-request previews stay off: updates go out in waves that `moat` or an
 * operator starts, and pull requests are previewed by CI (.github/workflows/policy.yml). Drift is
 * detected, never remediated automatically: a drifted tenant is a finding for a person.
 */
export function stackDeployments(
  stacks: readonly ProjectStack[],
  config: DeploymentsConfig,
): { deployments: StackDeployment[]; problems: string[] } {
  const problems: string[] = [];
  const deployments: StackDeployment[] = [];
  const missingRoles = new Map<string, string[]>();
  for (const stack of stacks) {
    const found = accountOf(stack);
    if ("problem" in found) {
      problems.push(found.problem);
      continue;
    }
    const { account } = found;
    const roleARN = config.awsRoles[account];
    if (roleARN === undefined) {
      missingRoles.set(account, [...(missingRoles.get(account) ?? []), stack.file]);
      continue;
    }
    const target = { organization: config.organization, project: stack.project, stack: stack.stack };
    const git = "repoUrl" in config.source ? { repoUrl: config.source.repoUrl } : {};
    deployments.push({
      name: `${stack.project}/${stack.stack}`,
      kind: stack.kind,
      account,
      settings: {
        ...target,
        sourceContext: { git: { ...git, branch: config.branch, repoDir: stack.dir } },
        ...("github" in config.source
          ? {
              vcs: {
                provider: "github" as const,
                repository: config.source.github,
                deployCommits: false,
                previewPullRequests: false,
                pullRequestTemplate: false,
              },
            }
          : {}),
        operationContext: {
          preRunCommands: [...PRE_RUN_COMMANDS],
          options: { skipInstallDependencies: true },
          // CloudTrail shows this name on every call the deployment makes in the account.
          oidc: {
            aws: { roleARN, sessionName: `${stack.project}-${stack.stack}`.slice(0, SESSION_NAME_LIMIT) },
          },
        },
      },
      drift: { ...target, scheduleCron: config.driftCron, autoRemediate: false },
    });
  }
  for (const [account, files] of missingRoles) {
    problems.push(
      `${DEPLOYMENTS_PROJECT}:awsRoles has no role for account ${account} (${files.join(", ")}): ` +
        `pulumi config set --path 'awsRoles["${account}"]' arn:aws:iam::${account}:role/<role Pulumi Deployments assumes by OIDC>`,
    );
  }
  return { deployments: problems.length > 0 ? [] : deployments, problems };
}

/** Tenant stacks that share one policy pack configuration. */
export interface PolicyConfigGroup {
  /** The configuration, `{}` for a stack without a policy file. */
  readonly config: Readonly<Record<string, unknown>>;
  /** `<project>/<stack>` of each stack. */
  readonly stacks: readonly string[];
}

/** JSON text with object keys sorted, so equal configurations compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The tenant stacks grouped by policy pack configuration. `pulumi policy enable --config` gives one
 * configuration to every stack of a policy group, so more than one group here means more than one
 * policy group in Pulumi Cloud (deploy/pulumi-deployments/README.md).
 */
export function policyConfigGroups(stacks: readonly ProjectStack[]): PolicyConfigGroup[] {
  const groups = new Map<string, { config: Readonly<Record<string, unknown>>; stacks: string[] }>();
  for (const stack of stacks.filter((s) => s.kind === "tenant")) {
    const key = canonical(stack.policyConfig);
    const group = groups.get(key) ?? { config: stack.policyConfig, stacks: [] };
    group.stacks.push(`${stack.project}/${stack.stack}`);
    groups.set(key, group);
  }
  return [...groups.values()];
}
