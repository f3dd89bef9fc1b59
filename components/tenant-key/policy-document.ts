// The shape of IAM and KMS policy documents as the builders return them: plain JSON objects that
// components serialise with JSON.stringify, and that tests and the policy pack read as they are.

/** A principal block: AWS accounts or roles, or AWS service principals. Never `*` (IAM-3). */
export type PolicyPrincipal =
  { readonly AWS: string | readonly string[] } | { readonly Service: string | readonly string[] };

/** A `Condition` block: operator -> condition key -> value(s). */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One statement of a policy document. */
export interface PolicyStatement {
  /** Statement ID: says what the statement is for, for a reader of the document in the console. */
  readonly Sid: string;
  /** Allow or Deny. */
  readonly Effect: "Allow" | "Deny";
  /** Who: present in key and trust policies, absent in identity policies. */
  readonly Principal?: PolicyPrincipal;
  /** Named actions; Moat never writes `*` or `<service>:*` (CMP-7, IAM-3). */
  readonly Action: string | readonly string[];
  /** Resources the statement applies to. */
  readonly Resource?: string | readonly string[];
  /** Everything except these resources; used only by Deny guard statements. */
  readonly NotResource?: string | readonly string[];
  /** Conditions that must all hold. */
  readonly Condition?: PolicyCondition;
}

/** An IAM or KMS policy document. */
export interface PolicyDocument {
  /** The current policy language version; the older one has no policy variables. */
  readonly Version: "2012-10-17";
  /** The statements, evaluated together. */
  readonly Statement: readonly PolicyStatement[];
}

/** The value of a field that may be a single string or a list, as a list. */
export function asList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) {
    return [];
  }
  return typeof value === "string" ? [value] : value;
}

/** Wraps statements in a document of the current policy language version. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Finds what IAM-3 and CMP-7 forbid in any document Moat writes: a `*` principal, a `*` or
 * `<service>:*` action. Returns one message per finding naming the statement, so a test or a
 * component can show them all; an empty list means none was found.
 */
export function findWildcardGrants(document: PolicyDocument): string[] {
  const found: string[] = [];
  for (const statement of document.Statement) {
    const principal = statement.Principal as Record<string, string | readonly string[]> | string | undefined;
    const principals =
      typeof principal === "string" ? [principal] : Object.values(principal ?? {}).flatMap((p) => asList(p));
    if (principals.includes("*")) {
      found.push(`${statement.Sid}: principal * lets anyone in (IAM-3)`);
    }
    for (const action of asList(statement.Action)) {
      if (action === "*" || action.endsWith(":*")) {
        found.push(`${statement.Sid}: action ${action} grants every API of the service (CMP-7, IAM-3)`);
      }
    }
  }
  return found;
}
