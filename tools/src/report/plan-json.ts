import type { PolicyVerdict } from "../analyzer/session";
import type { ProgramRun } from "../plan/types";
import { redact } from "../plan/wire";

/** Version of the JSON plan's shape; fields are only ever added. */
export const PLAN_FORMAT_VERSION = 1;

/**
 * The machine-readable plan (`moat plan --json`). Secret values are replaced by "[secret]" and their
 * property paths listed in `secretPaths`; unknown values are "[unknown]". The shape is stable:
 * extend it only by adding fields.
 */
export function planJson(run: ProgramRun, verdict: PolicyVerdict | undefined, unknowns: boolean): object {
  const outputs = redact(run.outputs);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: run.project,
    stack: run.stack,
    unknowns,
    resources: run.resources.map((r) => {
      const inputs = redact(r.inputs);
      return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: r.parent ?? null,
        provider: r.provider ?? null,
        inputs: inputs.value,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        deleteBeforeReplace: r.deleteBeforeReplace,
        ignoreChanges: r.ignoreChanges,
        aliases: r.aliases,
        additionalSecretOutputs: r.additionalSecretOutputs,
        secretPaths: inputs.secretPaths,
      };
    }),
    outputs: outputs.value,
    outputSecretPaths: outputs.secretPaths,
    policy: verdict
      ? {
          pack: verdict.pack,
          violations: verdict.violations,
          weakened: verdict.weakened,
          exemptions: verdict.exemptions,
        }
      : { pack: null, violations: [], weakened: [], exemptions: [] },
  };
}
