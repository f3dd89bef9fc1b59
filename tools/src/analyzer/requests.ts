import type { RecordedResource } from "../plan/types";
import { forAnalyzer } from "../plan/wire";

/* eslint-disable @typescript-eslint/no-require-imports -- generated protobuf modules ship as untyped CommonJS */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Builds the analyzer requests the Pulumi CLI sends for a set of registrations: properties in wire
 * form, the resource options (the policy SDK refuses requests without them, as from a CLI that is too
 * old), and the provider with its own properties.
 */
export class RequestBuilder {
  private readonly byUrn: Map<string, RecordedResource>;
  /**
   * Each resource's properties in wire form, by URN, made once: a resource's Analyze request, its
   * entry in AnalyzeStack and every resource it provides for share one message. A URN names one
   * registration of a stack (the engine refuses a second), and a builder serves one stack.
   */
  private readonly properties = new Map<string, unknown>();

  constructor(private readonly resources: readonly RecordedResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
  }

  /**
   * Makes a resource known as a provider for later requests, for registrations that arrive one at a
   * time (a provider is always registered before the resources that use it).
   */
  know(resource: RecordedResource): void {
    this.byUrn.set(resource.urn, resource);
  }

  /** AnalyzeRequest for one resource. */
  analyzeRequest(resource: RecordedResource): unknown {
    return this.describe(new analyzerPb.AnalyzeRequest(), resource);
  }

  /** AnalyzeStackRequest with every resource (by default, the builder's), parents and dependencies filled in. */
  analyzeStackRequest(resources: readonly RecordedResource[] = this.resources): unknown {
    const req = new analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((resource) => {
        const r = this.describe(new analyzerPb.AnalyzerResource(), resource);
        r.setParent(resource.parent ?? "");
        r.setDependenciesList(resource.dependencies);
        const deps = r.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(resource.propertyDependencies)) {
          const pd = new analyzerPb.AnalyzerPropertyDependencies();
          pd.setUrnsList(urns);
          deps.set(key, pd);
        }
        return r;
      }),
    );
    return req;
  }

  /** Fills the fields AnalyzeRequest and AnalyzerResource share. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated protobuf message
  private describe(message: any, resource: RecordedResource): any {
    message.setType(resource.type);
    message.setProperties(this.propertiesOf(resource));
    message.setUrn(resource.urn);
    message.setName(resource.name);
    message.setOptions(this.options(resource));
    const provider = this.provider(resource);
    if (provider) {
      message.setProvider(provider);
    }
    return message;
  }

  private options(resource: RecordedResource): unknown {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(resource.protect);
    o.setIgnorechangesList(resource.ignoreChanges);
    o.setDeletebeforereplace(resource.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(resource.deleteBeforeReplace);
    o.setAdditionalsecretoutputsList(resource.additionalSecretOutputs);
    o.setAliasesList(resource.aliases);
    o.setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts());
    o.setParent(resource.parent ?? "");
    return o;
  }

  private provider(resource: RecordedResource): unknown {
    const provider = resource.provider ? this.byUrn.get(resource.provider) : undefined;
    if (!provider) {
      return undefined;
    }
    const p = new analyzerPb.AnalyzerProviderResource();
    p.setType(provider.type);
    p.setProperties(this.propertiesOf(provider));
    p.setUrn(provider.urn);
    p.setName(provider.name);
    return p;
  }

  private propertiesOf(resource: RecordedResource): unknown {
    let struct = this.properties.get(resource.urn);
    if (struct === undefined) {
      struct = Struct.fromJavaScript(forAnalyzer(resource.inputs));
      this.properties.set(resource.urn, struct);
    }
    return struct;
  }
}
