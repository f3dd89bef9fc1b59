/**
 * Pulumi's wire encoding of special values inside property maps (see @pulumi/pulumi runtime/rpc):
 * secrets and resource references are objects tagged with a signature key; unknown values are a
 * fixed sentinel string.
 */

/** Key that marks a special object. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Signature of a resource reference: `{ [SIG_KEY]: RESOURCE_SIG, urn, id? }`. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** Sentinel standing for a value that is not known until the cloud computes it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Placeholder printed instead of a secret value. */
export const SECRET_PLACEHOLDER = "[secret]";
/** Placeholder printed instead of an unknown value. */
export const UNKNOWN_PLACEHOLDER = "[unknown]";

function tagged(value: unknown, sig: string): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === sig;
}

/** True for a wire-form secret. */
export function isSecret(value: unknown): value is { value: unknown } {
  return tagged(value, SECRET_SIG);
}

/** True for a wire-form resource reference. */
export function isResourceReference(value: unknown): value is { urn: string; id?: string } {
  return tagged(value, RESOURCE_SIG);
}

/** Readable form of a wire value plus the property paths that held secrets. */
export interface Redacted {
  readonly value: unknown;
  readonly secretPaths: string[];
}

/**
 * Replaces every secret with {@link SECRET_PLACEHOLDER} (recording where it was), every unknown with
 * {@link UNKNOWN_PLACEHOLDER}, and every resource reference with its URN. Nothing secret survives.
 */
export function redact(value: unknown, path = ""): Redacted {
  const secretPaths: string[] = [];
  const walk = (v: unknown, at: string): unknown => {
    if (isSecret(v)) {
      secretPaths.push(at);
      return SECRET_PLACEHOLDER;
    }
    if (v === UNKNOWN) {
      return UNKNOWN_PLACEHOLDER;
    }
    if (isResourceReference(v)) {
      return v.urn;
    }
    if (Array.isArray(v)) {
      return v.map((item, i) => walk(item, `${at}[${i}]`));
    }
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => [k, walk(item, at === "" ? k : `${at}.${k}`)]),
      );
    }
    return v;
  };
  const result = walk(value, path);
  return { value: result, secretPaths };
}

/**
 * Prepares wire properties for the analyzer the way the Pulumi CLI marshals them for policy packs:
 * secrets and unknowns are kept, resource references are downgraded to the referenced resource's ID
 * (its URN for a component, the unknown sentinel while the ID is not known).
 */
export function forAnalyzer(value: unknown): unknown {
  if (isResourceReference(value)) {
    if (value.id === undefined) {
      return value.urn;
    }
    return value.id === "" ? UNKNOWN : value.id;
  }
  if (Array.isArray(value)) {
    return value.map(forAnalyzer);
  }
  if (typeof value === "object" && value !== null && !isSecret(value)) {
    // An absent property is dropped, as the engine drops it, rather than sent as undefined.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, forAnalyzer(v)]),
    );
  }
  if (isSecret(value)) {
    return { ...value, value: forAnalyzer(value.value) };
  }
  return value;
}
