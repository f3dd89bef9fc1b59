// An EventBridge event pattern matcher, written from AWS's documented semantics so that tests can
// prove which events a rule receives without an AWS account (AUD-2):
// - a pattern matches when every field it names matches; fields it leaves out match anything, and
//   nested objects follow the event's nesting
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
// - a field's value is an array of matchers, any of which may match (OR); when the event's value
//   is an array, the field matches when any element does
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
// - exact strings compare character by character, without case folding; `prefix`, `suffix`,
//   `equals-ignore-case`, `wildcard`, `anything-but`, `numeric` and `exists` filter further, and
//   `exists: false` also holds for an intermediate (non-leaf) node
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// - `$or` is an OR only when its value is an array of two or more objects (otherwise it is a plain
//   field name), and fields inside different elements of one event array never combine into one
//   match: Event Ruler, the library EventBridge matches with, https://github.com/aws/event-ruler
//   (README, "The $or Primitive" and "JSON Array Matching").
// Not modelled: `cidr` (throws), and numbers compared by value although EventBridge compares
// their text (300 and 3.0e2 differ there; JSON.parse has already merged them here).

/** A JSON value as JSON.parse returns it. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

type JsonObject = { readonly [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * True when `event` matches `pattern`, as an EventBridge rule with that pattern decides. Both are
 * JSON values (objects from JSON.parse, or literals of the same shape); a pattern this module does
 * not model throws rather than guess.
 */
export function matchesPattern(pattern: object, event: unknown): boolean {
  if (!isObject(pattern)) {
    throw new Error("a pattern is a JSON object");
  }
  return matchObject(pattern, isObject(event) ? event : {});
}

// Every field of the pattern must match the object. A missing or leaf value below a nested pattern
// is seen as an empty object, so only `exists: false` can match inside it (Ruler flattens events
// to leaf paths, and an absent path is absent however deep it is).
function matchObject(pattern: JsonObject, event: JsonObject): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === "$or" && isOr(sub)) {
      return sub.some((branch) => matchObject(branch, event));
    }
    const value = Object.prototype.hasOwnProperty.call(event, key) ? event[key] : undefined;
    if (Array.isArray(sub)) {
      return matchField(sub, value);
    }
    if (isObject(sub)) {
      // Array-consistent: one element has to match the whole nested pattern.
      const candidates = objectsIn(value);
      return candidates.length === 0 ? matchObject(sub, {}) : candidates.some((o) => matchObject(sub, o));
    }
    throw new Error(`pattern field "${key}" must be an array of matchers or an object`);
  });
}

const isOr = (value: Json): value is readonly JsonObject[] =>
  Array.isArray(value) && value.length >= 2 && value.every(isObject);

// The objects an event value holds: itself, or the objects of an array (nested arrays flattened).
function objectsIn(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) {
    return value.flatMap(objectsIn);
  }
  return isObject(value) ? [value] : [];
}

// The leaves an event value holds: itself, or the leaves of an array (nested arrays flattened).
function leavesIn(value: Json | undefined): (string | number | boolean | null)[] {
  if (Array.isArray(value)) {
    return value.flatMap(leavesIn);
  }
  return value === undefined || isObject(value) ? [] : [value as string | number | boolean | null];
}

function matchField(matchers: readonly Json[], value: Json | undefined): boolean {
  const leaves = leavesIn(value);
  return matchers.some((matcher) => {
    if (isObject(matcher) && "exists" in matcher) {
      if (typeof matcher.exists !== "boolean") {
        throw new Error(`"exists" takes true or false, not ${JSON.stringify(matcher.exists)}`);
      }
      return matcher.exists === leaves.length > 0;
    }
    return leaves.some((leaf) => matchLeaf(matcher, leaf));
  });
}

/** Whether one matcher of a pattern's array matches one leaf value of the event. */
export function matchLeaf(matcher: Json, leaf: string | number | boolean | null): boolean {
  if (!isObject(matcher)) {
    if (Array.isArray(matcher)) {
      throw new Error(`a matcher cannot be an array: ${JSON.stringify(matcher)}`);
    }
    return matcher === leaf;
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1) {
    throw new Error(`a matcher has exactly one operator: ${JSON.stringify(matcher)}`);
  }
  const [op] = keys;
  const arg = matcher[op];
  switch (op) {
    case "prefix":
      return typeof leaf === "string" && affix(arg, leaf, (s, a) => s.startsWith(a));
    case "suffix":
      return typeof leaf === "string" && affix(arg, leaf, (s, a) => s.endsWith(a));
    case "equals-ignore-case":
      return typeof leaf === "string" && typeof arg === "string" && leaf.toLowerCase() === arg.toLowerCase();
    case "wildcard":
      return typeof leaf === "string" && typeof arg === "string" && wildcard(arg).test(leaf);
    case "anything-but":
      return anythingBut(arg, leaf);
    case "numeric":
      return typeof leaf === "number" && numeric(arg, leaf);
    default:
      throw new Error(`matcher "${op}" is not modelled here: ${JSON.stringify(matcher)}`);
  }
}

// `prefix`/`suffix` take a string, or `{ "equals-ignore-case": string }` to ignore case.
function affix(arg: Json, value: string, test: (s: string, a: string) => boolean): boolean {
  if (typeof arg === "string") {
    return test(value, arg);
  }
  if (isObject(arg) && typeof arg["equals-ignore-case"] === "string") {
    return test(value.toLowerCase(), arg["equals-ignore-case"].toLowerCase());
  }
  throw new Error(
    `prefix and suffix take a string or { "equals-ignore-case": string }: ${JSON.stringify(arg)}`,
  );
}

// `*` stands for any run of characters; `\*` and `\\` are a literal star and backslash.
function wildcard(text: string): RegExp {
  let source = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && (text[i + 1] === "*" || text[i + 1] === "\\")) {
      source += `\\${text[++i]}`;
    } else {
      source += c === "*" ? ".*" : c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`, "s");
}

// Anything but a value, a list of values, or what a prefix/suffix/equals-ignore-case matches; an
// absent field never reaches here, so anything-but never matches a missing field.
function anythingBut(arg: Json, leaf: string | number | boolean | null): boolean {
  if (Array.isArray(arg)) {
    return !arg.includes(leaf);
  }
  if (isObject(arg)) {
    return typeof leaf === "string" && !matchLeaf(arg, leaf);
  }
  return arg !== leaf;
}

const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  "=": (a, b) => a === b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

// `numeric` takes one or two `operator, number` pairs, all of which must hold.
function numeric(arg: Json, value: number): boolean {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) {
    throw new Error(`numeric takes operator, number pairs: ${JSON.stringify(arg)}`);
  }
  for (let i = 0; i < arg.length; i += 2) {
    const compare = COMPARE[String(arg[i])];
    if (compare === undefined || typeof arg[i + 1] !== "number") {
      throw new Error(`numeric takes operator, number pairs: ${JSON.stringify(arg)}`);
    }
    if (!compare(value, arg[i + 1] as number)) {
      return false;
    }
  }
  return true;
}
