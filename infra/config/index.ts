import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, StackConfig } from "./parse";

export { StackConfig } from "./parse";
export { MoatConfig } from "./schema";

/** Where `Pulumi.yaml` (stackConfigDir) keeps each stack's settings. */
export const STACK_CONFIG_DIR = "stacks";

/**
 * Raised when a stack's configuration is invalid. A `RunError`, so the Pulumi CLI prints the
 * message without a stack trace; `problems` holds each message for tools that list them.
 */
export class MoatConfigError extends pulumi.RunError {
  /** Marks the error across module copies, since `instanceof` does not survive them. */
  public readonly moatConfigError = true;

  constructor(public readonly problems: string[]) {
    super(
      `invalid stack configuration (${problems.length} problem(s)):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "MoatConfigError";
  }
}

/**
 * Reads and validates the running stack's configuration. Called before any resource is declared,
 * so an invalid configuration registers nothing.
 */
export function loadStackConfig(): StackConfig {
  const stackFile = `${STACK_CONFIG_DIR}/Pulumi.${pulumi.getStack()}.yaml`;
  const result = parseStackConfig(pulumi.runtime.allConfig(), stackFile);
  if (!result.ok) {
    throw new MoatConfigError(result.problems);
  }
  return result.value;
}
