import { z } from "zod";
import { ALLOWED_ACCOUNT_IDS, checkAllowedAccountIds } from "./account";
import { findPlaceholders } from "./placeholders";
import { MoatConfig, moatConfigSchema, regionSchema } from "./schema";

/** Configuration namespace of every Moat key. */
export const NAMESPACE = "moat";

/** A validated stack: the tenant configuration and the AWS account and region it deploys to. */
export interface StackConfig {
  readonly region: string;
  /** The one account of `aws:allowedAccountIds`. */
  readonly account: string;
  readonly moat: MoatConfig;
}

/** Either the validated stack or every problem found, each a complete sentence for the user. */
export type ParseResult = { ok: true; value: StackConfig } | { ok: false; problems: string[] };

/** What a missing required key should look like, shown in its error message. */
const EXAMPLES: Record<string, string> = {
  "aws:region": "aws:region: us-east-1",
  "moat:tenant": "moat:tenant: { id: acme, environment: prod, owner: gpu-admins@acme.example }",
  "moat:baseline": "moat:baseline: acme-corp/moat-account/acme-production-us-east-1",
  "moat:network": "moat:network: { cidr: 10.42.0.0/16, availabilityZone: us-east-1a }",
  "moat:access":
    "moat:access: { allowSshFrom: [203.0.113.0/24], sshPublicKeys: [{ name: alice, publicKey: ssh-ed25519 AAAA... }] }",
  "moat:computeGroups": "moat:computeGroups: [{ name: gpu-a, instanceType: p5.48xlarge, nodeCount: 2 }]",
  "moat:tenant.id": "id: acme",
  "moat:tenant.environment": "environment: prod",
  "moat:tenant.owner": "owner: gpu-admins@acme.example",
  "moat:network.cidr": "cidr: 10.42.0.0/16",
  "moat:network.availabilityZone": "availabilityZone: us-east-1a",
  "moat:access.sshPublicKeys": "sshPublicKeys: [{ name: alice, publicKey: ssh-ed25519 AAAA... }]",
};

/**
 * Validates a stack's raw configuration, as the Pulumi runtime holds it (`"moat:network"` -> JSON
 * text), against the schema. All problems are returned at once, each naming the stack file and the
 * key path, so a user fixes a config in one round instead of one error per run.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, stackFile: string): ParseResult {
  const problems: string[] = [];
  const say = (key: string, message: string) => problems.push(`${stackFile}: ${key} ${message}`);

  const moat: Record<string, unknown> = {};
  const decoded: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(raw)) {
    decoded[fullKey] = decodeValue(text);
    const [namespace, key] = splitKey(fullKey);
    if (namespace === NAMESPACE) {
      moat[key] = decoded[fullKey];
    }
  }

  const region = regionSchema.safeParse(raw["aws:region"]);
  if (!region.success) {
    say(
      "aws:region",
      raw["aws:region"] === undefined ? missing("aws:region") : region.error.issues[0].message,
    );
  }

  // A value `moat tenant new` left for a person to fill in is reported as such, instead of what the
  // schema says about it: a placeholder e-mail is not also "not an e-mail address".
  const placeholderKeys = configPlaceholders(decoded).map(({ key, hint }) => {
    say(key, `is still a placeholder written by moat tenant new: ${hint}`);
    return key;
  });
  const isPlaceholder = (key: string) =>
    placeholderKeys.some((p) => key === p || key.startsWith(`${p}.`) || key.startsWith(`${p}[`));

  const account = checkAllowedAccountIds(decoded[ALLOWED_ACCOUNT_IDS]);
  for (const [path, message] of account.problems) {
    const key = configKeyPath(ALLOWED_ACCOUNT_IDS, path);
    if (!isPlaceholder(key)) {
      say(key, message);
    }
  }

  const parsed = moatConfigSchema.safeParse(moat);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const [key, message] of describeIssue(issue, moat)) {
        if (!isPlaceholder(key)) {
          say(key, message);
        }
      }
    }
  }

  if (region.success && parsed.success && !parsed.data.network.availabilityZone.startsWith(region.data)) {
    say(
      "moat:network.availabilityZone",
      `${JSON.stringify(parsed.data.network.availabilityZone)} is not in aws:region ${region.data}; pick a zone of that region, e.g. ${region.data}a`,
    );
  }
  if (!region.success || !parsed.success || account.account === undefined || problems.length > 0) {
    return { ok: false, problems };
  }
  return { ok: true, value: { region: region.data, account: account.account, moat: parsed.data } };
}

/** A placeholder left in a stack's settings, keyed the way a user writes the key. */
export interface ConfigPlaceholder {
  /** e.g. `moat:access.sshPublicKeys[0].publicKey`. */
  readonly key: string;
  /** What belongs there. */
  readonly hint: string;
}

/**
 * Every placeholder `moat tenant new` left in the keys the program reads (`moat:` and
 * `aws:allowedAccountIds`), in the order of the stack file. `config` holds decoded values.
 */
export function configPlaceholders(config: Readonly<Record<string, unknown>>): ConfigPlaceholder[] {
  return Object.entries(config)
    .filter(([fullKey]) => splitKey(fullKey)[0] === NAMESPACE || fullKey === ALLOWED_ACCOUNT_IDS)
    .flatMap(([fullKey, value]) =>
      findPlaceholders(value).map(({ path, hint }) => ({ key: configKeyPath(fullKey, path), hint })),
    );
}

/** Splits `moat:network` into its namespace and key; a key without a namespace belongs to the project. */
function splitKey(fullKey: string): [string, string] {
  const colon = fullKey.indexOf(":");
  return colon < 0 ? [NAMESPACE, fullKey] : [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}

/** Pulumi passes structured values as JSON text and scalars as plain text. */
function decodeValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Renders a path below a full key the way a user writes it: `aws:allowedAccountIds[0]`. */
export function configKeyPath(fullKey: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === "number" ? `${out}[${part}]` : `${out}.${String(part)}`),
    fullKey,
  );
}

/** Renders a key path the way a user writes it: `moat:computeGroups[1].nodeCount`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = "";
  path.forEach((part, i) => {
    if (typeof part === "number") {
      out += `[${part}]`;
    } else {
      out += i === 0 ? `${NAMESPACE}:${String(part)}` : `.${String(part)}`;
    }
  });
  return out;
}

function missing(key: string): string {
  const example = EXAMPLES[key];
  return example ? `is required; add it to the stack file, e.g. ${example}` : "is required";
}

/** Turns one schema issue into messages keyed by the config path they concern. */
function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): [string, string][] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((unknownKey) => {
      const known = knownKeysAt(path);
      const hint = closest(unknownKey, known);
      const where = path.length === 0 ? `${NAMESPACE}:${unknownKey}` : `${keyPath(path)}.${unknownKey}`;
      const fix = hint ? `did you mean '${hint}'?` : `known keys here: ${known.join(", ")}`;
      return [where, `is not a Moat setting; ${fix}`];
    });
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // A value may take one of several forms (a CIDR, or a CIDR with a description): report the
    // problems of the form the value was written in, not a bare "invalid input".
    const branch =
      issue.errors.find((b) => !b.some((i) => i.code === "invalid_type" && i.path.length === 0)) ??
      issue.errors[0];
    return branch.flatMap((inner) => describeIssue({ ...inner, path: [...path, ...inner.path] }, input));
  }
  const value = valueAt(input, path);
  const key = keyPath(path);
  if (value === undefined && issue.code === "invalid_type") {
    return [[key, missing(key)]];
  }
  if (issue.code === "invalid_type" || issue.code === "invalid_value") {
    const custom = issue.message.startsWith("Invalid") ? undefined : issue.message;
    return [[key, `${JSON.stringify(value)} ${custom ?? `should be ${expected(issue)}`}`]];
  }
  if (issue.code === "too_small" || issue.code === "too_big") {
    const bound = issue.code === "too_small" ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
    return [
      [
        key,
        `${JSON.stringify(value)} ${issue.message.startsWith("Too") ? `should be ${bound}` : issue.message}`,
      ],
    ];
  }
  if (issue.code === "invalid_format") {
    return [[key, `${JSON.stringify(value)} ${issue.message}`]];
  }
  return [[key, issue.message]];
}

function expected(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    return issue.expected === "array"
      ? "a list"
      : issue.expected === "object"
        ? "a mapping"
        : `a ${issue.expected}`;
  }
  if (issue.code === "invalid_value") {
    return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return "valid";
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** The keys the schema accepts at a path, for "did you mean" hints. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = moatConfigSchema;
  for (const part of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) {
      schema = schema.shape[part as string];
    } else if (schema instanceof z.ZodArray) {
      schema = schema.element;
    } else {
      return [];
    }
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = (current as z.ZodType).def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) {
      current = def.innerType;
    } else if (def.in) {
      current = def.in;
    } else {
      return current;
    }
  }
}

/** The known key nearest to a typo, if it is close enough to be what the user meant. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
