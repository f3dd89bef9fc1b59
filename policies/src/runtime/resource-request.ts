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

/** One resource as a policy sees it: a fresh copy of its properties, its options and provider. */
export function describeResource(message: ResourceMessage): DescribedResource {
  const type = message.getType();
  const props = policyProps(message);
  const described: DescribedResource = {
    type,
    props,
    urn: message.getUrn(),
    name: message.getName(),
    opts: resourceOptions(message),
    isType: (resourceClass) => isTypeOf(type, resourceClass),
    asType: ((resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props : undefined)) as never,
  };
  const provider = providerResource(message);
  if (provider) {
    (described as { provider?: PolicyProviderResource }).provider = provider;
  }
  return described;
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

/** The resource's provider, when the request names one. */
export function providerResource(message: ResourceMessage): PolicyProviderResource | undefined {
  const provider = message.getProvider();
  if (!provider) {
    return undefined;
  }
  return {
    type: provider.getType(),
    props: policyProps(provider),
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
