// Least privilege in IAM policy documents (CMP-7), as pure functions over the document. A policy
// document reaches a policy as a JSON string (JSON.stringify or aws.iam.getPolicyDocument) or, now
// and then, as an object; both become plain data here, or UNKNOWN when any part of it is computed.
import { Props, Read, plainCopy, readValue } from "./props";

/** A policy document that is declared but cannot be read as JSON. */
export interface Unparsable {
  readonly unparsable: string;
}

/**
 * Reads the policy document in `props[key]`: parsed JSON, undefined when absent, UNKNOWN when
 * computed at preview (a document built from `secret.arn` rather than from known values), or
 * {@link Unparsable} when the string is not JSON.
 */
export function readPolicyDocument(props: Props, key: string): Read<unknown> | Unparsable {
  const value = plainCopy(readValue(props, key));
  if (typeof value !== "string") {
    return value;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch (err) {
    return { unparsable: (err as Error).message };
  }
}

/** True when `read` is the {@link Unparsable} marker rather than a document. */
export function isUnparsable(read: unknown): read is Unparsable {
  return typeof read === "object" && read !== null && typeof (read as Unparsable).unparsable === "string";
}

// Verbs that begin the names of AWS actions that change something. A wildcard that can expand to
// one of them grants writes nobody listed.
const WRITE_VERBS = [
  "accept", "add", "allocate", "apply", "associate", "attach", "authorize", "batch", "cancel",
  "change", "copy", "create", "delete", "deregister", "detach", "disable", "disassociate", "enable",
  "execute", "export", "import", "invoke", "modify", "move", "pass", "promote", "publish", "purge",
  "put", "reboot", "register", "reject", "release", "remove", "replace", "reset", "restore", "revoke",
  "rotate", "run", "schedule", "send", "set", "start", "stop", "submit", "subscribe", "tag",
  "terminate", "unsubscribe", "untag", "update", "upload", "write",
]; // prettier-ignore

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const wildcardRegex = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );

/**
 * True when an action name pattern (the part after `service:`) with a wildcard could match a
 * write action: it starts with a wildcard (`*Delete*`, `*Object`) or its literal prefix and a
 * write verb overlap (`Put*`, `P*`, `PutObject*`). `Get*`, `List*`, `Describe*` do not.
 */
export function wildcardCoversWrite(name: string): boolean {
  const at = name.search(/[*?]/);
  if (at < 0) {
    return false;
  }
  const prefix = name.slice(0, at).toLowerCase();
  return prefix === "" || WRITE_VERBS.some((verb) => verb.startsWith(prefix) || prefix.startsWith(verb));
}

const SSM_SECRET_ACTIONS = ["GetParameter", "GetParameters", "GetParametersByPath", "PutParameter"];

/**
 * True when an action pattern reaches secrets, parameters or keys: any `secretsmanager:` or `kms:`
 * action, or an `ssm:` pattern that matches GetParameter* or PutParameter.
 */
export function touchesSecrets(action: string): boolean {
  if (action === "*") {
    return true;
  }
  const [service, name = ""] = action.toLowerCase().split(":");
  if (service === "secretsmanager" || service === "kms") {
    return true;
  }
  return service === "ssm" && SSM_SECRET_ACTIONS.some((a) => wildcardRegex(name).test(a));
}

/** What is wrong with one Allow statement, as message fragments. */
function allowProblems(statement: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (statement.NotAction !== undefined) {
    problems.push("uses NotAction, which allows every action it does not name; list the actions instead");
  }
  const actions = list(statement.Action).map(String);
  for (const action of actions) {
    const [service, name] = action.split(":");
    if (action === "*") {
      problems.push('allows every action ("*")');
    } else if (name === "*") {
      problems.push(`allows every ${service} action ("${action}")`);
    } else if (name !== undefined && wildcardCoversWrite(name)) {
      problems.push(`uses a wildcard that covers write actions ("${action}"); list them one by one`);
    }
  }
  const anyResource = statement.NotResource !== undefined || list(statement.Resource).includes("*");
  const sensitive = actions.filter(touchesSecrets);
  if (anyResource && sensitive.length > 0) {
    const on = statement.NotResource !== undefined ? "with NotResource" : 'on Resource "*"';
    problems.push(
      `allows ${sensitive.map((a) => `"${a}"`).join(", ")} ${on}; name the tenant's own secret, parameter and key ARNs`,
    );
  }
  return problems;
}

/**
 * CMP-7: every least-privilege problem in a parsed policy document, each as "statement <n>
 * <problem>". Deny statements only take rights away and are not judged. A document without a
 * Statement is a problem: there is nothing to verify.
 */
export function policyDocumentProblems(document: unknown): string[] {
  const statements =
    typeof document === "object" && document !== null ? (document as Props).Statement : undefined;
  if (statements === undefined) {
    return ["has no Statement"];
  }
  const problems: string[] = [];
  list(statements).forEach((statement, i) => {
    if (typeof statement !== "object" || statement === null) {
      problems.push(`statement ${i} is not an object`);
      return;
    }
    const body = statement as Record<string, unknown>;
    if (body.Effect === "Allow") {
      problems.push(
        ...allowProblems(body).map((p) => `statement ${body.Sid ? `"${String(body.Sid)}"` : i} ${p}`),
      );
    }
  });
  return problems;
}
