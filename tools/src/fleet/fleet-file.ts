/**
 * `stacks/fleet.yaml`: what the operator knows about the fleet that no stack file says. It is
 * optional. Like the stack files it is validated strictly: unknown keys are errors, and every
 * problem is reported at once, naming the file and the key.
 *
 * ```yaml
 * accounts:
 *   "111111111111":
 *     label: acme production
 *     organizationGuardDuty: false
 *     quotas:
 *       us-east-1:
 *         pInstanceVcpus: 18432
 * retiredTenants:
 *   - id: hooli
 *     account: "555555555555"
 *     reason: offboarded in CHG-118; audit bucket kept until 2027-09
 * ```
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { UsageError, type ProjectFile } from "../plan/project";
import { ACCOUNT_ID } from "./placement";
import { QUOTA_IDS } from "./quotas";
import type { FleetFile } from "./types";

/** The fleet file's name in the stack folder. */
export const FLEET_FILE = "fleet.yaml";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// Same rule as moat:tenant.id (infra/config/schema.ts).
const TENANT_ID = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

const quotaValues = z.strictObject(
  Object.fromEntries(
    QUOTA_IDS.map((id) => [id, z.number().int().positive("must be a whole number above 0").optional()]),
  ) as Record<(typeof QUOTA_IDS)[number], z.ZodOptional<z.ZodNumber>>,
);

const account = z.strictObject({
  label: z.string().min(1, "must not be empty").optional(),
  organizationGuardDuty: z.boolean().default(false),
  quotas: z
    .record(z.string().regex(REGION, "must be an AWS region such as us-east-1"), quotaValues)
    .default({}),
});

const schema = z.strictObject({
  accounts: z
    .record(
      z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id in quotes, e.g. "111111111111"'),
      account,
    )
    .default({}),
  retiredTenants: z
    .array(
      z.strictObject({
        id: z.string().regex(TENANT_ID, "must be a tenant id (moat:tenant.id), e.g. acme"),
        account: z
          .string()
          .regex(ACCOUNT_ID, 'must be a 12-digit AWS account id in quotes, e.g. "111111111111"')
          .optional(),
        reason: z
          .string()
          .min(10, "must say why the id is retired and what is kept, in 10 characters or more"),
      }),
    )
    .default([]),
});

/** The keys accepted at a path, for messages about unknown keys. */
function knownKeys(where: readonly PropertyKey[]): readonly string[] {
  if (where.length === 0) return Object.keys(schema.shape);
  if (where[0] === "accounts" && where.length === 2) return Object.keys(account.shape);
  if (where[0] === "accounts" && where.length === 4) return QUOTA_IDS;
  if (where[0] === "retiredTenants" && where.length === 2) return ["id", "account", "reason"];
  return [];
}

/** `accounts."111111111111".quotas.us-east-1`, `retiredTenants[0].id`. */
function keyPath(where: readonly PropertyKey[]): string {
  return where
    .map((part, i) =>
      typeof part === "number"
        ? `[${part}]`
        : `${i === 0 ? "" : "."}${/^\d+$/.test(String(part)) ? `"${String(part)}"` : String(part)}`,
    )
    .join("");
}

/** Every problem of a parsed fleet file, each naming the file and the key; empty when it is valid. */
export function fleetFileProblems(file: string, doc: unknown): string[] {
  const result = schema.safeParse(doc ?? {});
  if (result.success) {
    return [];
  }
  return result.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(issue.path);
      return issue.keys.map(
        (key) =>
          `${file}: ${keyPath([...issue.path, key])} is not a fleet file setting; known keys here: ${known.join(", ")}`,
      );
    }
    const where = issue.path.length === 0 ? "the file" : keyPath(issue.path);
    if (issue.code === "invalid_key") {
      // A record key that fails its rule: the message is the key's own.
      return issue.issues.map((inner) => `${file}: ${where} ${inner.message}`);
    }
    const message =
      issue.code === "invalid_type"
        ? `should be ${["object", "record"].includes(issue.expected) ? "a mapping" : issue.expected === "array" ? "a list" : `a ${issue.expected}`}`
        : issue.message;
    return [`${file}: ${where} ${message}`];
  });
}

/** Validates a parsed fleet file into its typed form, or throws UsageError listing every problem. */
export function parseFleetFile(file: string, doc: unknown): FleetFile {
  const problems = fleetFileProblems(file, doc);
  if (problems.length > 0) {
    throw new UsageError([
      `${file}: invalid fleet file, no fleet checks were run:`,
      ...problems.map((p) => `  ${p}`),
    ]);
  }
  const parsed = schema.parse(doc ?? {});
  const quotas = (q: Record<string, Record<string, number | undefined>>) =>
    Object.fromEntries(
      Object.entries(q).map(([region, values]) => [
        region,
        Object.fromEntries(Object.entries(values).filter((e): e is [string, number] => e[1] !== undefined)),
      ]),
    );
  return {
    file,
    accounts: Object.fromEntries(
      Object.entries(parsed.accounts).map(([id, a]) => [id, { ...a, quotas: quotas(a.quotas) }]),
    ),
    retiredTenants: parsed.retiredTenants,
  };
}

/** Reads `fleet.yaml` from the stack folder; undefined when the project has none. */
export function readFleetFile(project: ProjectFile): FleetFile | undefined {
  const file = path.join(project.stackConfigDir, FLEET_FILE);
  const absolute = path.join(project.root, file);
  if (!fs.existsSync(absolute)) {
    return undefined;
  }
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(absolute, "utf8"));
  } catch (e) {
    throw new UsageError([`${file}: is not valid YAML: ${(e as Error).message.split("\n")[0]}`]);
  }
  return parseFleetFile(file, doc);
}
