/**
 * The parts of the program's configuration code that `moat tenant new` uses, loaded from the
 * project's TypeScript at run time. The CLI is compiled on its own (rootDir tools/src) and cannot
 * import infra/; loading it keeps one source of truth, so a new stack is checked by the same
 * schema, environments, access modes and placeholder marker that will read it.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the program is loaded from the project at run time */
import * as path from "path";
import type { ProjectFile } from "../plan/project";
import { registerTypeScript } from "../plan/ts-loader";

/** A placeholder left in a stack file, keyed the way a user writes the key. */
export interface PlaceholderKey {
  /** e.g. `moat:access.sshPublicKeys[0].publicKey`. */
  readonly key: string;
  /** What belongs there. */
  readonly hint: string;
}

/** What the command takes from the program. */
export interface ProgramConfig {
  /** Environments a tenant stack can be (schema.ts). */
  readonly environments: readonly string[];
  /** Access modes (access-schema.ts). */
  readonly accessModes: readonly string[];
  /** The ranges a tenant VPC may use (components/network/subnet-plan.ts). */
  readonly privateCidrs: readonly string[];
  /** The schema's message for a malformed tenant id, or undefined for a valid one. */
  tenantIdProblem(id: string): string | undefined;
  /** Writes a placeholder value saying what to put there. */
  placeholder(hint: string): string;
  /** Every placeholder the program refuses in a stack file's `config:` mapping. */
  placeholders(config: Readonly<Record<string, unknown>>): PlaceholderKey[];
}

interface Check {
  safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } };
}

interface SchemaModule {
  ENVIRONMENTS: readonly string[];
  ACCESS_MODES: readonly string[];
  moatConfigSchema: { shape: { tenant: { shape: { id: Check } } } };
}

interface PlaceholdersModule {
  placeholder(hint: string): string;
}

interface SubnetPlanModule {
  PRIVATE_CIDRS: readonly string[];
}

interface ParseModule {
  configPlaceholders(config: Readonly<Record<string, unknown>>): PlaceholderKey[];
}

/** Loads the configuration modules of the project's program (Pulumi.yaml `main`). */
export function loadProgramConfig(project: ProjectFile): ProgramConfig {
  const dir = path.resolve(project.root, project.main, "config");
  // Only for these requires: a test runner's own TypeScript hook is back in place afterwards.
  const unregister = registerTypeScript(project.root);
  let schema: SchemaModule, marks: PlaceholdersModule, parse: ParseModule, subnets: SubnetPlanModule;
  try {
    schema = require(path.join(dir, "schema"));
    subnets = require(path.join(project.root, "components", "network", "subnet-plan"));
    marks = require(path.join(dir, "placeholders"));
    parse = require(path.join(dir, "parse"));
  } finally {
    unregister();
  }
  return {
    environments: schema.ENVIRONMENTS,
    accessModes: schema.ACCESS_MODES,
    privateCidrs: subnets.PRIVATE_CIDRS,
    tenantIdProblem(id) {
      const result = schema.moatConfigSchema.shape.tenant.shape.id.safeParse(id);
      return result.success ? undefined : (result.error?.issues[0]?.message ?? "is not a valid tenant id");
    },
    placeholder: marks.placeholder,
    placeholders: parse.configPlaceholders,
  };
}
