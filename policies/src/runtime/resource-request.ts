// What a policy receives about one resource, built from an Analyze request or from one resource of
// an AnalyzeStack request, field for field as the SDK's server builds it.
import type { PolicyProviderResource, PolicyResource, PolicyResourceOptions } from "@pulumi/policy";
import { deserializeProperties, unknownCheckingProxy, type ProtoStruct } from "./sdk-internals";

/** The fields of AnalyzeRequest and AnalyzerResource the runtime reads. */
export interface ResourceMessage {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getProperties(): ProtoStruct | undefined;
  getOptions(): OptionsMessage | undefined;
  getProvider(): ProviderMessage | undefined;
}

interface OptionsMessage {
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getAliasesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplacedefined(): boolean;
  getDeletebeforereplace(): boolean;
  getParent(): string;
  getCustomtimeouts(): { getCreate(): number; getUpdate(): number; getDelete(): number } | undefined;
}

interface ProviderMessage {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getProperties(): ProtoStruct | undefined;
}

/** What every policy argument about one resource carries, properties freshly copied. */
export type DescribedResource = Pick<
  PolicyResource,
  "type" | "props" | "urn" | "name" | "opts" | "provider" | "isType" | "asType"
>;

/**
 * One resource as a policy sees it: a fresh copy of its properties, its options and provider, with
 * `extra` fields (a stack policy's parent and dependencies, a resource policy's config) set on the
 * same object. The properties are deserialized when the policy first reads them, once: most stack
 * policies look at a few resource types only, and the SDK's server deserializes every resource for
 * every policy, which made AnalyzeStack the slowest step of a plan. What a policy reads is the same.
 */
export function describeResource<Extra extends object>(
  message: ResourceMessage,
  extra: Extra,
): DescribedResource & Extra {
  const type = message.getType();
  let props: Record<string, unknown> | undefined;
  const described = {
    type,
    // An accessor of the object itself, enumerable like the SDK's plain field, so a policy that
    // spreads or lists the resource still finds its properties.
    get props() {
      return (props ??= policyProps(message));
    },
    set props(value: Record<string, unknown>) {
      props = value;
    },
    urn: message.getUrn(),
    name: message.getName(),
    opts: resourceOptions(message),
    isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
    asType: (resourceClass: unknown) => (isTypeOf(type, resourceClass) ? described.props : undefined),
    ...extra,
  };
  const provider = message.getProvider();
  if (provider) {
    (described as { provider?: PolicyProviderResource }).provider = providerResource(provider);
  }
  return described as unknown as DescribedResource & Extra;
}

/** The resource's properties behind the unknown-checking proxy: a fresh copy for each policy. */
export function policyProps(message: { getProperties(): ProtoStruct | undefined }): Record<string, unknown> {
  return unknownCheckingProxy(
    deserializeProperties(message.getProperties(), false) as Record<string, unknown>,
  );
}

/** The resource options as a policy sees them. */
export function resourceOptions(message: ResourceMessage): PolicyResourceOptions {
  const opts = message.getOptions();
  if (!opts) {
    throw new Error(
      "A more recent version of the Pulumi CLI is required. To upgrade, see https://www.pulumi.com/docs/get-started/install/",
    );
  }
  const timeouts = opts.getCustomtimeouts();
  const result: { -readonly [K in keyof PolicyResourceOptions]: PolicyResourceOptions[K] } = {
    protect: opts.getProtect(),
    ignoreChanges: opts.getIgnorechangesList(),
    aliases: opts.getAliasesList(),
    customTimeouts: {
      createSeconds: timeouts?.getCreate() ?? 0,
      updateSeconds: timeouts?.getUpdate() ?? 0,
      deleteSeconds: timeouts?.getDelete() ?? 0,
    },
    additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
  };
  if (opts.getDeletebeforereplacedefined()) {
    result.deleteBeforeReplace = opts.getDeletebeforereplace();
  }
  if (opts.getParent()) {
    result.parent = opts.getParent();
  }
  return result;
}

/** The resource's provider, as a policy sees it, its properties read when first asked for. */
function providerResource(provider: ProviderMessage): PolicyProviderResource {
  let props: Record<string, unknown> | undefined;
  return {
    type: provider.getType(),
    get props() {
      return (props ??= policyProps(provider));
    },
    set props(value: Record<string, unknown>) {
      props = value;
    },
    urn: provider.getUrn(),
    name: provider.getName(),
  };
}

/** A non-empty `__pulumiType` mark: on a resource class, or on a validation function. */
export function pulumiTypeOf(value: unknown): string | undefined {
  const pulumiType = (value as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof pulumiType === "string" && pulumiType.length > 0 ? pulumiType : undefined;
}

/** Whether `type` is the type of `resourceClass`: its `__pulumiType`, else its `isInstance`. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = pulumiTypeOf(resourceClass);
  if (pulumiType) {
    return type === pulumiType;
  }
  const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}
