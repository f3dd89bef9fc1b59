// Calls policies directly with the argument objects the policy SDK's analyzer server would build,
// so tests run without a server or the Pulumi CLI. Properties go through the SDK's own
// `unknownCheckingProxy`, and a policy that reads an unknown is reported the way the server
// reports it (an advisory "can't run during preview"), so a test sees what a preview would.
import * as policySdk from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

// The SDK exports these at runtime but strips them from its typings as internal.
const sdk = policySdk as unknown as {
  unknownCheckingProxy<T extends object>(props: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};
const sentinels = proxyModule as unknown as Record<string, string>;

/**
 * The values the engine sends for properties that are unknown at preview, by kind. Put one in a
 * props object to make that property unknown, exactly as a first preview does.
 */
export const unknown = {
  string: sentinels.unknownStringValue,
  number: sentinels.unknownNumberValue,
  boolean: sentinels.unknownBooleanValue,
  array: sentinels.unknownArrayValue,
  object: sentinels.unknownObjectValue,
} as const;

/**
 * Returns `props` with getters for `keys` that fail the test when read: for computed values such
 * as `securityGroupId` or `vpcId` that a policy must decide without.
 */
export function neverRead<T extends object>(props: T, ...keys: string[]): T {
  const copy = { ...props };
  for (const key of keys) {
    Object.defineProperty(copy, key, {
      enumerable: true,
      get: () => {
        throw new Error(`policy read computed property "${key}"; it must decide without it`);
      },
    });
  }
  return copy;
}

/** What one policy run produced. */
export interface PolicyRun<V> {
  /** Reported violations, in order. */
  readonly violations: V[];
  /** The reason given, when the policy called `notApplicable`. */
  readonly notApplicable?: string;
  /** Set when the policy read an unknown value; the SDK downgrades that to an advisory note. */
  readonly previewError?: string;
}

/** A violation from a stack policy: the message and the resource it was reported against. */
export interface StackViolation {
  readonly message: string;
  readonly urn?: string;
}

/** A resource as a test describes it; `name` defaults to "test". */
export interface ResourceFixture {
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly name?: string;
  /** The provider's inputs, as the engine sends them with a resource (e.g. the AWS provider's). */
  readonly provider?: {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
  };
}

class NotApplicable extends Error {}

const options: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const urnOf = (type: string, name: string) => `urn:pulumi:test::moat::${type}::${name}`;

const typeMatcher = (type: string) => (resourceClass: unknown) =>
  (resourceClass as { __pulumiType?: string }).__pulumiType === type;

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? "");
};

// Mirrors the server: notApplicable and unknown reads end the run; any other error fails the test.
async function run<V>(name: string, violations: V[], body: () => Promise<void>): Promise<PolicyRun<V>> {
  try {
    await body();
  } catch (err) {
    if (err instanceof NotApplicable) {
      return { violations, notApplicable: err.message };
    }
    if (err instanceof sdk.UnknownValueError) {
      return { violations, previewError: `can't run policy '${name}' during preview: ${err.message}` };
    }
    throw err;
  }
  return { violations };
}

/** Runs every `validateResource` of `policy` on one resource's inputs. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: ResourceFixture,
  config: object = {},
): Promise<PolicyRun<string>> {
  const name = resource.name ?? "test";
  const props = sdk.unknownCheckingProxy(resource.props);
  const isType = typeMatcher(resource.type);
  const args: ResourceValidationArgs = {
    type: resource.type,
    props,
    urn: urnOf(resource.type, name),
    name,
    opts: options,
    stackTags: new Map(),
    isType,
    asType: ((resourceClass: unknown) =>
      isType(resourceClass) ? props : undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  if (resource.provider) {
    const { type, name: providerName } = resource.provider;
    args.provider = {
      type,
      name: providerName,
      urn: urnOf(type, providerName),
      props: sdk.unknownCheckingProxy(resource.provider.props),
    };
  }
  const violations: string[] = [];
  const report: ReportViolation = (message) => violations.push(message);
  const validations = [policy.validateResource ?? []].flat();
  return run(policy.name, violations, async () => {
    for (const validate of validations) {
      await validate(args, report);
    }
  });
}

/** The links a stack resource has to others, as the engine records them. */
export interface StackLinks {
  /** Resources each input property was built from, e.g. `{ securityGroupId: [group] }`. */
  readonly propertyDependencies?: Record<string, PolicyResource[]>;
  readonly parent?: PolicyResource;
}

/**
 * Builds a resource as a stack policy receives it: outputs behind the unknown-checking proxy,
 * and dependencies (the union of the property dependencies) as resource objects.
 */
export function stackResource(resource: ResourceFixture, links: StackLinks = {}): PolicyResource {
  const name = resource.name ?? "test";
  const props = sdk.unknownCheckingProxy(resource.props);
  const isType = typeMatcher(resource.type);
  const propertyDependencies = links.propertyDependencies ?? {};
  return {
    type: resource.type,
    props,
    urn: urnOf(resource.type, name),
    name,
    opts: { ...options, parent: links.parent?.urn },
    parent: links.parent,
    dependencies: [...new Set(Object.values(propertyDependencies).flat())],
    propertyDependencies,
    isType,
    asType: ((resourceClass: unknown) =>
      isType(resourceClass) ? props : undefined) as PolicyResource["asType"],
  };
}

/** Runs a stack policy over `resources`. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: PolicyResource[],
  config: object = {},
): Promise<PolicyRun<StackViolation>> {
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  const violations: StackViolation[] = [];
  const report: ReportViolation = (message, urn) =>
    violations.push(urn === undefined ? { message } : { message, urn });
  return run(policy.name, violations, async () => {
    await policy.validateStack(args, report);
  });
}
