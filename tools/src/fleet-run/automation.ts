/**
 * The real {@link FleetWorkspace}: Pulumi's Automation API (`@pulumi/pulumi/automation`) over a
 * local program. Each operation starts the `pulumi` CLI in the stack's project folder, so the CLI
 * reads Pulumi.yaml and its `stackConfigDir` itself.
 *
 * It cannot run in this repository's test environment: the Automation API needs the Pulumi CLI on
 * PATH, a logged-in backend and AWS credentials. Tests check everything around it with the fake
 * workspace, and check this adapter's calls by injecting a fake `createOrSelectStack`.
 *
 * What it deliberately does not do:
 * - call `stackSettings()` / `saveStackSettings()`: the SDK reads and writes
 *   `<workDir>/Pulumi.<stack>.yaml` and ignores `stackConfigDir` (pulumi/pulumi#10305);
 * - pass `projectSettings` or a project name, which rewrote Pulumi.yaml and lost the config folder
 *   (pulumi/pulumi#6632);
 * - select stacks concurrently: selecting rewrites the workspace's current-stack file, which is not
 *   safe in parallel (pulumi/pulumi#8186, #6287), so selections are queued one at a time. The
 *   operations themselves name their stack (`--stack`) and run in parallel.
 */
import type { LocalProgramArgs, PreviewOptions, RefreshOptions, UpOptions } from "@pulumi/pulumi/automation";
import { SerialQueue } from "../plan/pool";
import type { RunStack } from "./types";
import type {
  FleetStackHandle,
  FleetWorkspace,
  OperationOptions,
  OperationReport,
  PolicyOptions,
} from "./workspace";

/** The part of an Automation API `Stack` the adapter uses. */
export interface AutomationStack {
  preview(options: PreviewOptions): Promise<{ changeSummary?: Record<string, number> }>;
  up(options: UpOptions): Promise<{ summary?: { resourceChanges?: Record<string, number> } }>;
  previewRefresh(options: RefreshOptions): Promise<{ changeSummary?: Record<string, number> }>;
}

/** `LocalWorkspace.createOrSelectStack` for a local program, or a test's stand-in. */
export type CreateOrSelectStack = (args: LocalProgramArgs) => Promise<AutomationStack>;

/** Settings of the real workspace. */
export interface AutomationSettings {
  /**
   * The Pulumi organization of stacks whose stack files do not name one ({@link RunStack.org}):
   * they are addressed as `<org>/<project>/<stack>`.
   * @default the CLI's default organization (`pulumi org set-default`), by addressing `<stack>`
   */
  readonly org?: string;
  /** Tries of an operation that meets another update's lock. @default 4 */
  readonly attempts?: number;
  /** Wait before the first retry; each later wait doubles. @default 10000 (ms) */
  readonly backoffMs?: number;
  /** Told of each retry, for the operator. */
  readonly onRetry?: (stack: RunStack, attempt: number, waitMs: number, reason: string) => void;
  /** Injected in tests. @default LocalWorkspace.createOrSelectStack, loaded on first use */
  readonly createOrSelectStack?: CreateOrSelectStack;
  /** Injected in tests. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The CLI's message when `--expect-no-changes` meets changes: "no changes were expected but changes
 * occurred" (refresh, up) or "... were proposed" (preview).
 */
const CHANGES_NOT_EXPECTED = /no changes were expected but changes (occurred|were proposed)/i;

/**
 * True when an error is another update holding the stack's lock: the SDK's ConcurrentUpdateError,
 * which it raises on "[409] Conflict: Another update is currently in progress." (Pulumi Cloud) and
 * "the stack is currently locked by" (self-managed backends). Matched on those texts, not on any
 * "conflict", so that an AWS ConflictException during an update is not retried blindly.
 */
export function isLockConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === "ConcurrentUpdateError" ||
    /\[409\] Conflict|stack is currently locked/i.test(error.message)
  );
}

/** Runs `call`, retrying lock conflicts with doubling waits; other errors are thrown at once. */
export async function withLockRetry<R>(
  call: () => Promise<R>,
  settings: AutomationSettings,
  stack: RunStack,
): Promise<R> {
  const attempts = settings.attempts ?? 4;
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= attempts || !isLockConflict(e)) throw e;
      const wait = (settings.backoffMs ?? 10_000) * 2 ** (attempt - 1);
      settings.onRetry?.(stack, attempt + 1, wait, "the stack is locked by another update");
      await sleep(wait);
    }
  }
}

/** The Automation API options of a preview or up: the pack, the stack's policy config, plain output. */
export function policyRunOptions(options: PolicyOptions): PreviewOptions & UpOptions {
  return {
    parallel: options.parallel,
    policyPacks: [...options.policyPacks],
    ...(options.policyPackConfigs.length === 0 ? {} : { policyPackConfigs: [...options.policyPackConfigs] }),
    color: "never",
    onOutput: options.onOutput,
    onError: options.onOutput,
  };
}

/** The Automation API options of a drift check: `refresh --preview-only --expect-no-changes`. */
export function driftOptions(options: OperationOptions): RefreshOptions {
  return {
    parallel: options.parallel,
    expectNoChanges: true,
    color: "never",
    onOutput: options.onOutput,
    onError: options.onOutput,
  };
}

/** Loads the Automation API when the first stack is selected, so other commands never load it. */
async function localCreateOrSelectStack(args: LocalProgramArgs): Promise<AutomationStack> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  return LocalWorkspace.createOrSelectStack(args);
}

function handle(stack: AutomationStack, run: RunStack, settings: AutomationSettings): FleetStackHandle {
  return {
    async preview(options) {
      const result = await withLockRetry(() => stack.preview(policyRunOptions(options)), settings, run);
      return { changes: result.changeSummary };
    },
    async up(options) {
      const result = await withLockRetry(() => stack.up(policyRunOptions(options)), settings, run);
      return { changes: result.summary?.resourceChanges };
    },
    async detectDrift(options): Promise<OperationReport> {
      try {
        const result = await withLockRetry(() => stack.previewRefresh(driftOptions(options)), settings, run);
        return { drift: false, changes: result.changeSummary };
      } catch (e) {
        if (e instanceof Error && CHANGES_NOT_EXPECTED.test(e.message)) return { drift: true };
        throw e;
      }
    },
  };
}

/**
 * The stack name the CLI is given: `<org>/<project>/<stack>` with the stack's own organization (see
 * {@link RunStack.org}) or else `org`; plain `<stack>`, in the CLI's default organization, without.
 */
export function stackName(stack: RunStack, org: string | undefined): string {
  const organization = stack.org ?? org;
  return organization === undefined ? stack.stack : `${organization}/${stack.project}/${stack.stack}`;
}

/** The real workspace; see the file's comment for what it needs and what it avoids. */
export function automationWorkspace(settings: AutomationSettings = {}): FleetWorkspace {
  const createOrSelect = settings.createOrSelectStack ?? localCreateOrSelectStack;
  const selections = new SerialQueue();
  const handles = new Map<string, Promise<FleetStackHandle>>();
  return {
    stack(run) {
      const args = { stackName: stackName(run, settings.org), workDir: run.projectDir };
      const key = `${args.workDir}\0${args.stackName}`;
      let selected = handles.get(key);
      if (selected === undefined) {
        selected = selections
          .run(() => withLockRetry(() => createOrSelect(args), settings, run))
          .then((stack) => handle(stack, run, settings));
        // A failed selection is not kept: the next operation on the stack tries again.
        selected.catch(() => handles.delete(key));
        handles.set(key, selected);
      }
      return selected;
    },
  };
}
