// Reads IAM policy documents (trust, identity and resource policies) for the IAM and KMS policies.
// A document arrives as a JSON string (pulumi.jsonStringify, getPolicyDocument(...).json) or, for
// properties typed `string | PolicyDocument`, as an object. Either way it is reduced to plain
// statements with every list-or-string field as a list, so checks never branch on JSON shapes.
// A document built from a resource output is unknown at a first preview: the reader says so and
// each policy turns that into a violation, never a pass (POL-2).
import { Props, UNKNOWN, plainCopy, readValue } from "./props";

/** One entry of a statement's `Principal` or `NotPrincipal`: `"*"` reads as type and value `"*"`. */
export interface Principal {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for the bare wildcard principal. */
  readonly type: string;
  readonly value: string;
}

/** One condition key test, e.g. operator `Bool`, key `aws:MultiFactorAuthPresent`, values `["true"]`. */
export interface Condition {
  readonly operator: string;
  readonly key: string;
  /** Values as text: JSON booleans and numbers are compared the way IAM does, as strings. */
  readonly values: readonly string[];
}

/** A statement with every field that may be a string or a list read as a list. */
export interface Statement {
  /** How messages name it: `Statement[1]`, with the Sid when it has one. */
  readonly label: string;
  readonly effect: "Allow" | "Deny";
  readonly principals?: readonly Principal[];
  readonly notPrincipals?: readonly Principal[];
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly conditions: readonly Condition[];
}

/** What reading a document property produced. */
export type DocumentRead =
  | { readonly kind: "absent" }
  | { readonly kind: "unknown" }
  | { readonly kind: "invalid"; readonly reason: string }
  | { readonly kind: "document"; readonly statements: readonly Statement[] };

class Invalid extends Error {}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function strings(value: unknown, field: string): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === "string")) {
    throw new Invalid(`${field} must be a string or a list of strings`);
  }
  return list;
}

function principals(value: unknown, field: string): Principal[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value === "*") {
    return [{ type: "*", value: "*" }];
  }
  if (!isObject(value)) {
    throw new Invalid(`${field} must be "*" or an object such as {"AWS": "..."}`);
  }
  return Object.entries(value).flatMap(([type, v]) =>
    (strings(v, `${field}.${type}`) ?? []).map((p) => ({ type, value: p })),
  );
}

function conditions(value: unknown): Condition[] {
  if (value === undefined) {
    return [];
  }
  if (!isObject(value)) {
    throw new Invalid("Condition must be an object of operators");
  }
  return Object.entries(value).flatMap(([operator, tests]) => {
    if (!isObject(tests)) {
      throw new Invalid(`Condition.${operator} must be an object of condition keys`);
    }
    return Object.entries(tests).map(([key, raw]) => {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => ["string", "number", "boolean"].includes(typeof v))) {
        throw new Invalid(`Condition.${operator}.${key} must hold strings, numbers or booleans`);
      }
      return { operator, key, values: list.map(String) };
    });
  });
}

function statement(raw: unknown, index: number): Statement {
  if (!isObject(raw)) {
    throw new Invalid(`Statement[${index}] is not an object`);
  }
  const sid = typeof raw["Sid"] === "string" && raw["Sid"] !== "" ? ` ("${raw["Sid"]}")` : "";
  const effect = raw["Effect"];
  if (effect !== "Allow" && effect !== "Deny") {
    throw new Invalid(`Statement[${index}] has Effect ${JSON.stringify(effect)}, not "Allow" or "Deny"`);
  }
  return {
    label: `Statement[${index}]${sid}`,
    effect,
    principals: principals(raw["Principal"], "Principal"),
    notPrincipals: principals(raw["NotPrincipal"], "NotPrincipal"),
    actions: strings(raw["Action"], "Action"),
    notActions: strings(raw["NotAction"], "NotAction"),
    resources: strings(raw["Resource"], "Resource"),
    notResources: strings(raw["NotResource"], "NotResource"),
    conditions: conditions(raw["Condition"]),
  };
}

/**
 * Reads a document from a value as a policy receives it: a JSON string, an object, UNKNOWN, or
 * undefined. Unknown anywhere inside makes the whole document unknown.
 */
export function parsePolicyDocument(value: unknown): DocumentRead {
  const raw = plainCopy(value);
  if (raw === UNKNOWN) {
    return { kind: "unknown" };
  }
  if (raw === undefined) {
    return { kind: "absent" };
  }
  let document = raw;
  if (typeof raw === "string") {
    try {
      document = JSON.parse(raw);
    } catch {
      return { kind: "invalid", reason: "it is not valid JSON" };
    }
  }
  if (!isObject(document)) {
    return { kind: "invalid", reason: "it is not a JSON object" };
  }
  const list = document["Statement"];
  try {
    const statements = (Array.isArray(list) ? list : list === undefined ? [] : [list]).map(statement);
    return { kind: "document", statements };
  } catch (err) {
    if (err instanceof Invalid) {
      return { kind: "invalid", reason: err.message };
    }
    throw err;
  }
}

/** Reads the document held by one property, e.g. `assumeRolePolicy` or `policy`. */
export function readPolicyDocument(props: Props, key: string): DocumentRead {
  return parsePolicyDocument(readValue(props, key));
}

/**
 * The violation message for a document that cannot be judged, or undefined for a readable or
 * absent one. `subject` names the property and resource, e.g. `the policy of KMS key "tenant"`.
 */
export function unreadableDocument(read: DocumentRead, subject: string, ids: string): string | undefined {
  if (read.kind === "unknown") {
    return (
      `Build ${subject} from values known at preview (account ID, region, tenant id, names you choose), ` +
      `not from resource outputs: it is unknown, so this policy cannot check it (${ids}, POL-2).`
    );
  }
  if (read.kind === "invalid") {
    return `Fix ${subject}: it is not a valid IAM policy document, as ${read.reason} (${ids}).`;
  }
  return undefined;
}

/** True for the `*` principal in either spelling: `"*"` or `{"AWS": "*"}`. */
export function isWildcardPrincipal(principal: Principal): boolean {
  return (principal.type === "*" || principal.type.toUpperCase() === "AWS") && principal.value === "*";
}

/**
 * The values a statement tests `key` against under any of `operators`, or undefined when it has
 * no such test. Condition keys are case-insensitive in IAM; operators are not.
 */
export function conditionValues(
  statement: Statement,
  operators: readonly string[],
  key: string,
): string[] | undefined {
  const tests = statement.conditions.filter(
    (c) => operators.includes(c.operator) && c.key.toLowerCase() === key.toLowerCase(),
  );
  return tests.length === 0 ? undefined : tests.flatMap((c) => c.values);
}

/** Matches an IAM wildcard pattern (`*`, `?`) against a value, case-insensitively as action names are. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(value);
}

/**
 * The AWS account a principal or ARN names: a bare 12-digit account ID, or the account field of an
 * IAM or STS ARN. Undefined for anything else (service names, unique IDs, wildcards).
 */
export function accountOf(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) {
    return value;
  }
  const match = /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(value);
  return match?.[1];
}

/** True when an AWS principal is an account root: `arn:<partition>:iam::<account>:root` or the bare ID. */
export function isAccountRoot(value: string): boolean {
  return /^\d{12}$/.test(value) || /^arn:[a-z-]+:iam::\d{12}:root$/.test(value);
}

const ACCOUNT_KEYS = ["aws:PrincipalAccount", "aws:SourceAccount", "aws:PrincipalArn"];
const POSITIVE_OPERATORS = ["StringEquals", "StringLike", "ArnEquals", "ArnLike"];

/**
 * True when a statement's condition pins its caller to named accounts: a positive operator (no
 * `Not`, no `IfExists`) on aws:PrincipalAccount, aws:SourceAccount or aws:PrincipalArn whose
 * every value names a literal 12-digit account. That is what makes a `*` principal acceptable in
 * a resource policy (a service acting for the account, a role pattern of the account).
 */
export function restrictsToAccounts(statement: Statement): boolean {
  return ACCOUNT_KEYS.some((key) => {
    const values = conditionValues(statement, POSITIVE_OPERATORS, key);
    const names = (v: string) => (key === "aws:PrincipalArn" ? accountOf(v) : /^\d{12}$/.exec(v)?.[0]);
    return values !== undefined && values.length > 0 && values.every((v) => names(v) !== undefined);
  });
}

/** The Allow statements of a readable document; none for an absent, unknown or invalid one. */
export function allowStatements(read: DocumentRead): readonly Statement[] {
  return read.kind === "document" ? read.statements.filter((s) => s.effect === "Allow") : [];
}
