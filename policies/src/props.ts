// Reading resource properties the way a policy must at `pulumi preview`: the SDK hands policies
// the properties behind `unknownCheckingProxy`, which throws as soon as a policy reads a value the
// cloud has not computed yet, and turns the whole policy into an advisory "can't run during
// preview" note. A mandatory check that reads an unknown therefore stops protecting without
// failing (POL-2). These readers catch that one error and return UNKNOWN instead, so each policy
// decides explicitly what an unknown means for its verdict.
import * as policySdk from "@pulumi/policy";
import type { ResourceValidation } from "@pulumi/policy";

/** A value the user declared but that is not known until the update runs (an ID, an ARN, an output). */
export const UNKNOWN: unique symbol = Symbol("unknown at preview");

/** What a reader returns: the value, `undefined` when the property is absent, or UNKNOWN. */
export type Read<T> = T | undefined | typeof UNKNOWN;

// The SDK exports this class at runtime (its index re-exports it) but its published typings strip
// it as internal; the cast restores the one thing used here, an `instanceof` target.
const UnknownValueError = (policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error })
  .UnknownValueError;

/** Properties as a policy receives them: resource inputs, or outputs in a stack policy. */
export type Props = Readonly<Record<string, unknown>>;

/**
 * Reads one property without letting an unknown escape as an exception. `null` counts as absent,
 * as the engine drops properties that have no value.
 */
export function readValue(props: Props, key: string): Read<unknown> {
  try {
    const value = props[key];
    return value === null ? undefined : value;
  } catch (err) {
    if (err instanceof UnknownValueError) {
      return UNKNOWN;
    }
    throw err;
  }
}

/** Reads a string property; a number is accepted as its decimal text (protocol "6" or 6). */
export function readString(props: Props, key: string): Read<string> {
  const value = readValue(props, key);
  if (value === UNKNOWN || typeof value === "string") {
    return value;
  }
  return typeof value === "number" ? String(value) : undefined;
}

/** Reads a number property; numeric text is accepted, anything else reads as absent. */
export function readNumber(props: Props, key: string): Read<number> {
  const value = readValue(props, key);
  if (value === UNKNOWN || typeof value === "number") {
    return value;
  }
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** Reads a boolean property. */
export function readBoolean(props: Props, key: string): Read<boolean> {
  const value = readValue(props, key);
  return value === UNKNOWN || typeof value === "boolean" ? value : undefined;
}

/**
 * Reads a list property. The elements stay behind the SDK's proxy, so a caller may take the
 * length of a list of computed values (`[vpc.cidrBlock]`) without reading any of them.
 */
export function readList(props: Props, key: string): Read<readonly unknown[]> {
  const value = readValue(props, key);
  return value === UNKNOWN || Array.isArray(value) ? value : undefined;
}

/**
 * Runs `validate` only for the given resource type tokens and marks the policy not applicable
 * elsewhere. Plain type strings, not `@pulumi/aws` classes: the pack does not load the AWS SDK,
 * which keeps its start-up fast and its dependencies to the policy SDK alone.
 *
 * Built for the common case, a resource of another type: every resource reaches every resource
 * policy, and turning it down was most of the pack's analyze time. With one type, the function
 * carries the SDK's `__pulumiType` mark (as `validateResourceOfType` sets it), so the SDK answers
 * "not applicable" itself, with the same reason, without copying the properties or calling in.
 * With several types the SDK must call in; the refusal then throws without a stack trace (see
 * notApplicableQuietly), and its reason names the first type and counts the others, because the
 * engine receives one reason per policy per resource and long lists of tokens dominated the
 * response. The check below stays for callers other than the SDK (tests, wrappers).
 */
export function forTypes(types: readonly string[], validate: ResourceValidation): ResourceValidation {
  const accepted = new Set(types);
  const reason = notApplicableReason(types);
  const checked: ResourceValidation = (args, reportViolation) => {
    if (!accepted.has(args.type)) {
      notApplicableQuietly(args, reason);
    }
    return validate(args, reportViolation);
  };
  CHECKED_TYPES.set(checked, [...types]);
  return types.length === 1 ? Object.assign(checked, { __pulumiType: types[0] }) : checked;
}

// The types each forTypes validation checks, for the pack's runtime (runtime/policy-index.ts),
// which calls a policy only for resources of those types.
const CHECKED_TYPES = new WeakMap<ResourceValidation, readonly string[]>();

/**
 * The resource types a validation checks, or undefined when it checks every type. Known for
 * validations built by forTypes (and wrappers that keep them, see keepCheckedTypes) and for the
 * SDK's validateResourceOfType, which marks its function with `__pulumiType`.
 */
export function checkedTypes(validation: ResourceValidation): readonly string[] | undefined {
  const pulumiType = (validation as { __pulumiType?: unknown }).__pulumiType;
  return CHECKED_TYPES.get(validation) ?? (typeof pulumiType === "string" ? [pulumiType] : undefined);
}

/** Gives `wrapper`, which calls `validation`, the same checked types and SDK type mark. */
export function keepCheckedTypes(
  validation: ResourceValidation,
  wrapper: ResourceValidation,
): ResourceValidation {
  const types = CHECKED_TYPES.get(validation);
  if (types !== undefined) {
    CHECKED_TYPES.set(wrapper, types);
  }
  const pulumiType = (validation as { __pulumiType?: unknown }).__pulumiType;
  return pulumiType === undefined ? wrapper : Object.assign(wrapper, { __pulumiType: pulumiType });
}

/**
 * The reason forTypes gives for a resource of another type: the SDK's own wording for one type,
 * e.g. "Policy only applies to resources of type 'aws:kms/key:Key'", and for several the first
 * and how many others ("... 'aws:ec2/instance:Instance' and 3 other types").
 */
export function notApplicableReason(types: readonly string[]): string {
  const others = types.length - 1;
  const rest = others === 0 ? "" : ` and ${others} other type${others === 1 ? "" : "s"}`;
  return `Policy only applies to resources of type '${types[0]}'${rest}`;
}

/**
 * Calls `args.notApplicable(reason)`, which throws, with stack traces switched off while the SDK
 * builds its error: the engine receives only the reason, and collecting the trace cost more than
 * the rest of a policy's call (Pulumi's pack launcher turns the inspector's debugger on, which makes
 * every throw in the pack dearer still). The limit is restored before the error leaves, so no other
 * error loses its trace. Policies use it wherever they would call `args.notApplicable`.
 */
export function notApplicableQuietly(
  args: { notApplicable: (reason?: string) => never },
  reason: string,
): never {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return args.notApplicable(reason);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A plain copy of a value read through the SDK's proxy, or UNKNOWN when any part of it is unknown.
 * Policy documents arrive either as JSON text or as objects behind the proxy; copying them makes both
 * the same plain data. Keys are defined, not assigned, so a `__proto__` key stays an ordinary key,
 * exactly as `JSON.parse` would keep it.
 */
export function plainCopy(value: unknown): unknown {
  if (value === UNKNOWN || typeof value !== "object" || value === null) {
    return value;
  }
  const list = Array.isArray(value);
  const keys = list ? Array.from({ length: value.length }, (_, i) => String(i)) : Object.keys(value);
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const element = plainCopy(readValue(value as Props, key));
    if (element === UNKNOWN) {
      return UNKNOWN;
    }
    Object.defineProperty(copy, key, {
      value: element,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return list ? keys.map((key) => copy[key]) : copy;
}
