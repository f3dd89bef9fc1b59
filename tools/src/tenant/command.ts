/**
 * `moat tenant new`: writes the stack files of a new tenant environment, in a private range no other
 * stack uses and the region's first availability zone, with placeholders where only a person can
 * decide. Everything is checked before anything is written, and nothing is ever overwritten.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { listStacks, readProject, readStackFile, UsageError, type ProjectFile } from "../plan/project";
import { freeTenantCidr, TENANT_PREFIX } from "./allocator";
import { loadProgramConfig, type ProgramConfig } from "./program";
import { availabilityZones, regionProblem } from "./regions";
import { renderStackFile, stackName, type TenantSpec } from "./template";

/** `moat tenant --help`. */
export const TENANT_USAGE = `usage: moat tenant new <id> --region <region> [--environment <env>] [--access <mode>]

Writes a new tenant environment's stack: stacks/Pulumi.<id>-<environment>.yaml and its policy pack
configuration stacks/Pulumi.<id>-<environment>.policy.json. The stack is named <id>-<environment>
(e.g. acme-prod). It is the dev stack's small cluster in a private /${TENANT_PREFIX} no other stack uses,
with REPLACE-ME placeholders for what only you can choose (owner, SSH sources and keys, alert
addresses); moat plan and pulumi refuse the stack until every placeholder is replaced.

  <id>               the tenant's id, e.g. acme
  --region R         AWS region, e.g. eu-central-1; the stack starts in its first availability zone
  --environment E    dev, staging or prod (default: prod)
  --access M         how people reach the cluster: bastion, direct or ssm (default: bastion)
  -h, --help         show this help

Exit codes: 0 written, 2 bad usage or a clash with an existing stack (nothing is written).`;

/** What `moat tenant new` was asked to do. */
export interface TenantOptions {
  readonly id: string;
  readonly region: string;
  readonly environment: string;
  readonly access: string;
}

/** Runs `moat tenant <subcommand>` and returns its exit code. */
export async function tenantMain(args: readonly string[], root: string): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === "-h" || subcommand === "--help" || rest.includes("-h") || rest.includes("--help")) {
    console.log(TENANT_USAGE);
    return 0;
  }
  if (subcommand !== "new") {
    const what = subcommand === undefined ? "a subcommand is needed" : `unknown subcommand '${subcommand}'`;
    throw new UsageError([`moat tenant: ${what}; subcommands: new\n\n${TENANT_USAGE}`]);
  }
  await tenantNew(root, parseTenantArgs(rest));
  return 0;
}

/** Parses `moat tenant new` arguments; throws UsageError listing everything it does not understand. */
export function parseTenantArgs(args: readonly string[]): TenantOptions {
  const problems: string[] = [];
  const ids: string[] = [];
  const values: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--region" || arg === "--environment" || arg === "--access") {
      const value = args[++i];
      if (value === undefined || value.startsWith("-")) {
        problems.push(`${arg} needs a value`);
        i--;
      } else {
        values[arg] = value;
      }
    } else if (arg.startsWith("-")) {
      problems.push(`unknown option ${arg}`);
    } else {
      ids.push(arg);
    }
  }
  if (ids.length !== 1) {
    problems.push(
      ids.length === 0
        ? "the tenant id is missing"
        : `name one tenant id, not ${ids.length}: ${ids.join(" ")}`,
    );
  }
  if (values["--region"] === undefined && !problems.includes("--region needs a value")) {
    problems.push("--region is required, e.g. --region eu-central-1");
  }
  if (problems.length > 0) {
    throw new UsageError([...problems, `\n${TENANT_USAGE}`]);
  }
  return {
    id: ids[0],
    region: values["--region"] as string,
    environment: values["--environment"] ?? "prod",
    access: values["--access"] ?? "bastion",
  };
}

/** Checks the request against the program and the stacks folder, then writes the two files. */
export async function tenantNew(root: string, options: TenantOptions): Promise<void> {
  const project = readProject(root);
  const program = loadProgramConfig(project);
  const { id, region, environment, access } = options;
  const others = existingStacks(project);
  const problems = [
    ...optionProblems(program, options),
    regionProblem(region),
    ...clashes(project, others, id, environment),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new UsageError([...problems, "nothing was written"]);
  }

  const taken = others.map((s) => s.network?.cidr).filter((c): c is string => typeof c === "string");
  const cidr = await freeTenantCidr(taken, program.privateCidrs);
  if (cidr === undefined) {
    throw new UsageError([
      `no private /${TENANT_PREFIX} is left that no other stack uses; nothing was written`,
    ]);
  }
  const spec: TenantSpec = {
    id,
    environment,
    region,
    availabilityZone: availabilityZones(region)[0],
    cidr,
    access,
  };
  const text = renderStackFile(spec, program.placeholder);
  const stack = stackName(id, environment);
  const files = stackFiles(project, stack);
  fs.mkdirSync(path.join(project.root, project.stackConfigDir), { recursive: true });
  writeNew(project, [
    [files.config, text],
    [files.policy, "{}\n"],
  ]);

  const remaining = program.placeholders(parseYaml(text).config);
  const width = Math.max(...remaining.map((p) => p.key.length));
  console.log(
    [
      `Wrote ${files.config}: tenant ${id}, ${environment}, ${access} access, ${spec.availabilityZone}, ${cidr}`,
      `Wrote ${files.policy}: the policy pack's settings ({}: every policy at its default level)`,
      "",
      `Placeholders to replace in ${files.config} (moat plan and pulumi refuse the stack until then):`,
      ...remaining.map((p) => `  ${p.key.padEnd(width)}  ${p.hint}`),
      "",
      "Then, once the account baseline it names is deployed (README, Account models):",
      `  moat plan ${stack}          # or: npm run plan -- ${stack}`,
      `  pulumi stack select ${stack} --create`,
      `  pulumi preview --policy-pack policies --policy-pack-config ${files.policy}`,
      `  pulumi up --policy-pack policies --policy-pack-config ${files.policy}`,
    ].join("\n"),
  );
}

function optionProblems(program: ProgramConfig, options: TenantOptions): string[] {
  const problems: string[] = [];
  const idProblem = program.tenantIdProblem(options.id);
  if (idProblem !== undefined) {
    problems.push(`tenant id ${JSON.stringify(options.id)} ${idProblem}`);
  }
  if (!program.environments.includes(options.environment)) {
    problems.push(
      `--environment ${JSON.stringify(options.environment)} must be one of ${program.environments.join(", ")}`,
    );
  }
  if (!program.accessModes.includes(options.access)) {
    problems.push(
      `--access ${JSON.stringify(options.access)} must be one of ${program.accessModes.join(", ")}`,
    );
  }
  return problems;
}

/** Paths of a stack's two files, relative to the project root, as shown to the user. */
function stackFiles(project: ProjectFile, stack: string): { config: string; policy: string } {
  return {
    config: path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`),
    policy: path.join(project.stackConfigDir, `Pulumi.${stack}.policy.json`),
  };
}

/** What the new stack must not repeat from a stack file already in the folder. */
interface OtherStack {
  readonly file: string;
  readonly tenant?: { readonly id?: unknown; readonly environment?: unknown };
  readonly network?: { readonly cidr?: unknown };
}

/** Every stack file in the stack folder; one that cannot be read stops the command. */
function existingStacks(project: ProjectFile): OtherStack[] {
  if (!fs.existsSync(path.join(project.root, project.stackConfigDir))) {
    return [];
  }
  return listStacks(project).map((stack) => {
    const { file, config } = readStackFile(project, stack);
    return { file, tenant: mapping(config["moat:tenant"]), network: mapping(config["moat:network"]) };
  });
}

/** Why the new stack would clash with the folder: its files exist, or the tenant has that environment. */
function clashes(
  project: ProjectFile,
  others: readonly OtherStack[],
  id: string,
  environment: string,
): string[] {
  const files = stackFiles(project, stackName(id, environment));
  const problems = Object.values(files)
    .filter((file) => fs.existsSync(path.join(project.root, file)))
    .map((file) => `${file} already exists; edit it, or pick another tenant id or --environment`);
  for (const other of others) {
    if (other.file !== files.config && other.tenant?.id === id && other.tenant?.environment === environment) {
      problems.push(
        `${other.file} is already tenant ${id}'s ${environment} stack (moat:tenant.id ${id}); edit it, or pick another tenant id or --environment`,
      );
    }
  }
  return problems;
}

/** A structured value of a stack file (JSON text, as the Pulumi runtime holds it), if it is a mapping. */
function mapping(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = text === undefined ? undefined : JSON.parse(text);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Creates each file, refusing to replace one; if one fails, removes those already written. */
function writeNew(project: ProjectFile, files: [string, string][]): void {
  const written: string[] = [];
  try {
    for (const [file, text] of files) {
      const absolute = path.join(project.root, file);
      fs.writeFileSync(absolute, text, { flag: "wx" });
      written.push(absolute);
    }
  } catch (e) {
    written.forEach((file) => fs.rmSync(file, { force: true }));
    const reason =
      (e as NodeJS.ErrnoException).code === "EEXIST" ? "appeared meanwhile" : (e as Error).message;
    throw new UsageError([`could not write the stack files (${reason}); nothing was written`]);
  }
}
