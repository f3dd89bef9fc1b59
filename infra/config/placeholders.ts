/**
 * Placeholders: the values `moat tenant new` writes where only a person can decide (the owner's
 * e-mail, the ranges allowed to SSH in, a user's key). Each says what belongs there. The program
 * refuses a stack that still holds one, so a half-filled stack file is never previewed or deployed
 * with a made-up value; `moat plan` and `pulumi preview` both read the stack through this check.
 */

/** What every placeholder value starts with. */
export const PLACEHOLDER = "REPLACE-ME";

const SEPARATOR = ": ";

/** A placeholder value that says what to put in its place, e.g. `REPLACE-ME: the owner's e-mail`. */
export function placeholder(hint: string): string {
  return `${PLACEHOLDER}${SEPARATOR}${hint}`;
}

/** What to put in place of `value` if it is a placeholder; undefined if it is not one. */
export function placeholderHint(value: unknown): string | undefined {
  if (typeof value !== "string" || !value.startsWith(PLACEHOLDER)) {
    return undefined;
  }
  const hint = value.slice(PLACEHOLDER.length).replace(/^[\s:]+/, "");
  return hint === "" ? "a real value" : hint;
}

/** A placeholder found inside a configuration value. */
export interface FoundPlaceholder {
  /** Path from the value given to the placeholder, e.g. `["sshPublicKeys", 0, "publicKey"]`. */
  readonly path: PropertyKey[];
  /** What belongs there. */
  readonly hint: string;
}

/** Every placeholder in `value` and the mappings and lists inside it, in document order. */
export function findPlaceholders(value: unknown, path: PropertyKey[] = []): FoundPlaceholder[] {
  const hint = placeholderHint(value);
  if (hint !== undefined) {
    return [{ path, hint }];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => findPlaceholders(item, [...path, i]));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => findPlaceholders(item, [...path, key]));
  }
  return [];
}
