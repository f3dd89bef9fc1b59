import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** The parts of Pulumi.yaml the offline preview needs. */
export interface ProjectFile {
  readonly root: string;
  readonly name: string;
  /** Program folder, relative to the root (Pulumi.yaml `main`). */
  readonly main: string;
  /** Folder of the stack files (Pulumi.yaml `stackConfigDir`). */
  readonly stackConfigDir: string;
}

/** A usage or configuration problem the CLI reports with exit code 2 and no stack trace. */
export class UsageError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "UsageError";
  }
}

/** Reads Pulumi.yaml at the project root. */
export function readProject(root: string): ProjectFile {
  const file = path.join(root, "Pulumi.yaml");
  if (!fs.existsSync(file)) {
    throw new UsageError([`${file} not found: run moat from the project root`]);
  }
  const doc = parseYaml(fs.readFileSync(file, "utf8")) ?? {};
  return {
    root,
    name: String(doc.name ?? "project"),
    main: String(doc.main ?? "."),
    stackConfigDir: String(doc.stackConfigDir ?? "."),
  };
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the stack folder, sorted. */
export function listStacks(project: ProjectFile): string[] {
  const dir = path.join(project.root, project.stackConfigDir);
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** A stack's configuration in the form the Pulumi CLI hands to the language host. */
export interface StackFile {
  readonly stack: string;
  /** Path relative to the project root, as shown in messages. */
  readonly file: string;
  /** `namespace:key` -> value text (JSON text for structured values), like PULUMI_CONFIG. */
  readonly config: Record<string, string>;
  /** Keys whose values are secret, like PULUMI_CONFIG_SECRET_KEYS. */
  readonly secretKeys: string[];
  /** Policy pack configuration from `Pulumi.<stack>.policy.json`, if the stack has one. */
  readonly policyConfig: Record<string, unknown>;
  /** Path of the policy configuration, relative to the project root, if it exists. */
  readonly policyConfigFile?: string;
}

/** Placeholder for `secure:` values, which need the stack's secrets provider to decrypt. */
export const OFFLINE_SECRET = "offline-preview-placeholder";

/**
 * Reads `Pulumi.<stack>.yaml` and `Pulumi.<stack>.policy.json`. Encrypted (`secure:`) values cannot
 * be decrypted offline; they are replaced by a placeholder and stay marked secret.
 */
export function readStackFile(project: ProjectFile, stack: string): StackFile {
  const rel = path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
  const file = path.join(project.root, rel);
  if (!fs.existsSync(file)) {
    const known = listStacks(project);
    throw new UsageError([
      `${rel} not found: no stack '${stack}'; known stacks: ${known.join(", ") || "none"}`,
    ]);
  }
  let doc: { config?: Record<string, unknown> };
  try {
    doc = parseYaml(fs.readFileSync(file, "utf8")) ?? {};
  } catch (e) {
    throw new UsageError([`${rel}: is not valid YAML: ${(e as Error).message.split("\n")[0]}`]);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (isSecure(value)) {
      config[key] = OFFLINE_SECRET;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  const policyRel = path.join(project.stackConfigDir, `Pulumi.${stack}.policy.json`);
  const policyFile = path.join(project.root, policyRel);
  let policyConfig: Record<string, unknown> = {};
  if (fs.existsSync(policyFile)) {
    try {
      policyConfig = JSON.parse(fs.readFileSync(policyFile, "utf8"));
    } catch (e) {
      throw new UsageError([`${policyRel}: is not valid JSON: ${(e as Error).message}`]);
    }
  }
  return {
    stack,
    file: rel,
    config,
    secretKeys,
    policyConfig,
    policyConfigFile: fs.existsSync(policyFile) ? policyRel : undefined,
  };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value && Object.keys(value).length === 1;
}
