/**
 * Where each registration of a stack lives: the account and region of the provider it was created
 * through. A resource with an explicit AWS provider takes that provider's `region` and
 * `allowedAccountIds`; one without takes the stack's `aws:region` and `aws:allowedAccountIds`, which
 * configure the default provider.
 */
import type { RecordedResource } from "../plan/types";
import { isSecret, UNKNOWN } from "../plan/wire";
import type { FleetStack, FleetStackInput } from "./types";

const AWS_PROVIDER = "pulumi:providers:aws";

/**
 * An AWS account ID, as the program checks it (ACCOUNT_ID of components/tenant-key/tenant-scope.ts,
 * which this compiled CLI cannot import).
 */
export const ACCOUNT_ID = /^\d{12}$/;

/** An input of a registration as a plain value: secrets unwrapped; unknowns stay {@link UNKNOWN}. */
export function inputOf(resource: RecordedResource, key: string): unknown {
  const value = resource.inputs[key];
  return isSecret(value) ? value.value : value;
}

/** True when the value is computed by the cloud and not known at preview. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** A number input, or undefined when it is absent, unknown or not a number. */
export function numberInput(resource: RecordedResource, key: string): number | undefined {
  const value = inputOf(resource, key);
  return typeof value === "number" ? value : undefined;
}

/** The first account of an `allowedAccountIds` value (JSON text from config or the provider, or a list). */
export function firstAccount(value: unknown): string | undefined {
  let list = value;
  if (typeof value === "string") {
    try {
      list = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const first = Array.isArray(list) ? list[0] : undefined;
  return typeof first === "string" && ACCOUNT_ID.test(first) ? first : undefined;
}

/** A setting's JSON text read, or undefined. */
function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A field of a structured setting (JSON text), e.g. `moat:tenant` -> `id`. */
function configField(config: Readonly<Record<string, string>>, key: string, field: string): string {
  try {
    const value = (JSON.parse(config[key] ?? "{}") as Record<string, unknown>)[field];
    return typeof value === "string" ? value : "?";
  } catch {
    return "?";
  }
}

/**
 * The stack with every registration placed in an account and region. A stack that pins no account
 * (the program refuses that, so only a test's program can) is given one of its own, named after it,
 * so that nothing collides with it by accident.
 */
export function placeStack(input: FleetStackInput): FleetStack {
  const account = firstAccount(input.config["aws:allowedAccountIds"]) ?? `unpinned:${input.stack}`;
  const region = input.config["aws:region"] ?? "?";
  const providers = new Map(
    input.resources.filter((r) => r.type === AWS_PROVIDER).map((r) => [r.urn, r] as const),
  );
  const resources = input.resources.map((resource) => {
    const provider = resource.provider === undefined ? undefined : providers.get(resource.provider);
    if (provider === undefined) {
      return { resource, account, region };
    }
    const providerRegion = inputOf(provider, "region");
    return {
      resource,
      account: firstAccount(inputOf(provider, "allowedAccountIds")) ?? account,
      region: typeof providerRegion === "string" ? providerRegion : region,
    };
  });
  const forwardsTo = parseJson(input.config["moat-account:forwardGlobalEventsTo"]);
  return {
    kind: input.config["moat:tenant"] === undefined ? "baseline" : "tenant",
    stack: input.stack,
    file: input.file,
    baseline: input.config["moat:baseline"],
    forwardsTo: Array.isArray(forwardsTo) ? forwardsTo.map(String) : [],
    tenantId: configField(input.config, "moat:tenant", "id"),
    environment: configField(input.config, "moat:tenant", "environment"),
    account,
    region,
    resources,
  };
}

/** The stack's registrations of one type, placed. */
export function ofType(stack: FleetStack, type: string): FleetStack["resources"] {
  return stack.resources.filter((p) => p.resource.type === type);
}

/** Sorted, without repeats. */
export function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** `1 account`, `4 accounts`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : plural}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
