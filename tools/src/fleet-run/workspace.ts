/**
 * What a fleet run needs of Pulumi: a handle on a stack, and three operations on it. The real
 * implementation drives the Pulumi CLI through the Automation API (automation.ts); tests use a fake
 * that records every call (testing.ts).
 */
import type { RunStack } from "./types";

/** Options every operation gets. */
export interface OperationOptions {
  /** Resource operations at once within the stack (`pulumi --parallel`). */
  readonly parallel: number;
  /** Receives the operation's output, stdout and stderr, as it comes. */
  readonly onOutput: (text: string) => void;
}

/** Options of the operations that run the program, and with it the policy pack. */
export interface PolicyOptions extends OperationOptions {
  /** Absolute paths of the policy pack folders (`--policy-pack`). */
  readonly policyPacks: readonly string[];
  /** Absolute paths of the stack's policy configuration files (`--policy-pack-config`); may be empty. */
  readonly policyPackConfigs: readonly string[];
}

/** What an operation reported. */
export interface OperationReport {
  /** Resource operations by kind (`create`, `update`, `same`, ...), when the operation gave them. */
  readonly changes?: Readonly<Record<string, number>>;
  /** Drift checks: true when the cloud differs from the stack's state. */
  readonly drift?: boolean;
}

/**
 * One stack, ready for operations. Each method resolves when the operation succeeded (or, for a
 * drift check, found drift) and rejects with the operation's error otherwise.
 */
export interface FleetStackHandle {
  /** `pulumi preview`, through the policy pack. */
  preview(options: PolicyOptions): Promise<OperationReport>;
  /** `pulumi up --yes --skip-preview`, through the policy pack. */
  up(options: PolicyOptions): Promise<OperationReport>;
  /** `pulumi refresh --preview-only --expect-no-changes`: reports drift, changes nothing. */
  detectDrift(options: OperationOptions): Promise<OperationReport>;
}

/** Where a fleet run's stacks live. */
export interface FleetWorkspace {
  /** A handle on the stack, which is created in the backend (empty) if it does not exist yet. */
  stack(stack: RunStack): Promise<FleetStackHandle>;
}
