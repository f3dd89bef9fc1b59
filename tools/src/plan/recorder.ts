import type { RecordedResource } from "./types";

/* eslint-disable @typescript-eslint/no-explicit-any -- the mock monitor speaks untyped protobuf messages */

/** Type of the root resource every Pulumi program registers first. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Wraps the SDK's mock monitor so that every registration is recorded with the resource options the
 * engine would see. `MockResourceArgs` carries only type, name, inputs and provider
 * (pulumi/pulumi#14421), so the options are read from the RegisterResourceRequest itself, before the
 * mock answers it.
 */
export class RegistrationRecorder {
  readonly resources: RecordedResource[] = [];

  /** @param onRecord called with each registration as it is recorded */
  constructor(private readonly onRecord: (resource: RecordedResource) => void = () => undefined) {}
  /** Stack outputs as registered on the root stack resource, in wire form. */
  outputs: Record<string, unknown> = {};

  /** Installs the recorder on a MockMonitor instance. */
  attach(monitor: any): void {
    // The engine leaves the root stack's type out of its children's URNs; the mock monitor does not.
    const newUrn = monitor.newUrn.bind(monitor);
    monitor.newUrn = (parent: string, type: string, name: string) =>
      newUrn(parent && parent.split("::")[2] === ROOT_STACK_TYPE ? "" : parent, type, name);
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp?: any) => void) => {
      registerResource(req, (err: unknown, resp?: any) => {
        if (!err && resp) {
          const resource = recordRequest(req, resp.getUrn());
          this.resources.push(resource);
          this.onRecord(resource);
        }
        callback(err, resp);
      });
    };
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp?: any) => void) => {
      if (req.getUrn() === this.resources.find((r) => r.type === ROOT_STACK_TYPE)?.urn) {
        this.outputs = req.getOutputs()?.toJavaScript() ?? {};
      }
      registerResourceOutputs(req, callback);
    };
  }
}

function recordRequest(req: any, urn: string): RecordedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  const providerRef: string = req.getProvider();
  const aliases = [
    ...req.getAliasurnsList(),
    ...req
      .getAliasesList()
      .map((alias: any) => (alias.hasUrn() ? alias.getUrn() : JSON.stringify(alias.getSpec()?.toObject()))),
  ];
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent() || undefined,
    provider: providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : undefined,
    providerRef: providerRef || undefined,
    inputs: req.getObject()?.toJavaScript() ?? {},
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    protect: req.getProtect() ?? false,
    retainOnDelete: req.getRetainondelete() ?? false,
    deleteBeforeReplace: req.getDeletebeforereplace(),
    ignoreChanges: req.getIgnorechangesList(),
    aliases,
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
  };
}
