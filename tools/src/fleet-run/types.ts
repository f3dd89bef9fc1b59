/**
 * The shapes a fleet run passes around: the stacks it can run, the operations it runs on them, the
 * waves the planner orders them into, and what each operation came to.
 */

/** A `moat` command that runs real Pulumi operations over the fleet. */
export type FleetCommand = "up" | "preview" | "refresh";

/** The commands, in the order the usage lists them. */
export const FLEET_COMMANDS: readonly FleetCommand[] = ["up", "preview", "refresh"];

/**
 * One Pulumi operation on one stack. `drift` is `pulumi refresh --preview-only --expect-no-changes`:
 * it reads the cloud, changes nothing, and fails when the cloud differs from the stack's state.
 */
export type Operation = "preview" | "up" | "drift";

/** Which project a stack belongs to: the account baseline (accounts/) or the tenant one (the root). */
export type StackRole = "baseline" | "tenant";

/** The region whose baseline is an account's "home" one, deployed before its other baselines. */
export { GLOBAL_EVENTS_REGION as HOME_REGION } from "../fleet/baselines";

/** A stack a fleet run can operate on, as read from its project's stack file. */
export interface RunStack {
  readonly role: StackRole;
  /** The Pulumi project name (Pulumi.yaml `name`): `moat` or `moat-account`. */
  readonly project: string;
  /** Absolute path of the folder holding the project's Pulumi.yaml: the Automation API's workDir. */
  readonly projectDir: string;
  /** The stack name: `<stack>` of `Pulumi.<stack>.yaml`. */
  readonly stack: string;
  /** The stack file, relative to the repository root, as messages show it. */
  readonly file: string;
  /** The one account of `aws:allowedAccountIds`. */
  readonly account: string;
  /** `aws:region`. */
  readonly region: string;
  /** Absolute path of `Pulumi.<stack>.policy.json`, when the stack has one. */
  readonly policyConfigFile?: string;
  /** Tenants only: `moat:baseline`, the baseline's stack reference name `<org>/moat-account/<stack>`. */
  readonly baseline?: string;
  /**
   * The Pulumi organization the stack lives in, when the stack files say it: a tenant's is the one
   * its `moat:baseline` names, and a baseline's the one its tenants' references name (a reference
   * resolves only if the baseline is at exactly that name); a stack no reference places takes its
   * account's, when the account's other stacks are in one organization. Otherwise `--org`, or the
   * CLI's default.
   */
  readonly org?: string;
}

/** One operation of a wave. */
export interface StackStep {
  readonly stack: RunStack;
  readonly operation: Operation;
}

/** A wave that runs operations, several at once within the limits. */
export interface RunWave {
  readonly kind: "run";
  /** What the wave is for, e.g. `canary` or `batch 111111111111 us-east-1`. */
  readonly title: string;
  readonly steps: readonly StackStep[];
}

/** A wave that runs nothing and lets the run go on only if every operation so far succeeded. */
export interface GateWave {
  readonly kind: "gate";
  readonly title: string;
}

/** A step of the plan: the run goes through its waves in order and stops after a failed one. */
export type Wave = RunWave | GateWave;

/** How one operation ended. `drift`: the cloud differs from the stack's state (a failure too). */
export type StepStatus = "succeeded" | "failed" | "drift" | "not started";

/** What one operation came to. */
export interface StepResult {
  readonly step: StackStep;
  readonly status: StepStatus;
  /** Resource operations by kind (`create`, `update`, `same`, ...), when the operation reported them. */
  readonly changes?: Readonly<Record<string, number>>;
  /** Why it failed: the error's last meaningful line. */
  readonly message?: string;
  readonly durationMs?: number;
}

/** `111111111111 us-east-1`: the key of the per-account × region limit and of the tenant batches. */
export function placeKey(stack: Pick<RunStack, "account" | "region">): string {
  return `${stack.account} ${stack.region}`;
}

/** `moat-account/home-111`: a stack named with its project, as the summary and log files show it. */
export function stackLabel(stack: Pick<RunStack, "project" | "stack">): string {
  return `${stack.project}/${stack.stack}`;
}
