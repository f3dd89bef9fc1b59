// The entry point `moat plan --reachability` loads from the compiled pack (bin/net-reach-records.js):
// it turns the resources the offline preview recorded into the resources a stack policy receives,
// builds the reachability model (net-reach-graph.ts) and returns its rows. The CLI therefore draws
// exactly the model the policies judge, with no copy of it (NET-4 to NET-8, POL-2).
import * as policySdk from "@pulumi/policy";
import type { PolicyResource } from "@pulumi/policy";
import { ReachOptions, reachGraph } from "./net-reach-graph";
import { ReachRow, reachRows } from "./net-reach-rows";

/**
 * A resource as the CLI hands it over: properties in analyzer form (resource references replaced by
 * IDs or URNs, unknowns as the engine's sentinel, secrets replaced by that sentinel too), and the
 * property dependencies as URNs.
 */
export interface ReachRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

// The SDK exports this at runtime but strips it from its typings as internal (as props.ts notes).
const sdk = policySdk as unknown as { unknownCheckingProxy<T extends object>(props: T): T };

const options = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/**
 * Builds resources as the policy SDK hands them to a stack policy: properties behind its
 * unknown-checking proxy, property dependencies resolved to resource objects. A dependency on a
 * URN the records do not hold (a provider, say) is dropped.
 */
export function policyResources(records: readonly ReachRecord[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = records.map((record): PolicyResource => {
    const props = sdk.unknownCheckingProxy(record.props);
    const isType = (resourceClass: unknown) =>
      (resourceClass as { __pulumiType?: string }).__pulumiType === record.type;
    const resource: PolicyResource = {
      type: record.type,
      props,
      urn: record.urn,
      name: record.name,
      opts: options,
      dependencies: [],
      propertyDependencies: {},
      isType,
      asType: ((resourceClass: unknown) =>
        isType(resourceClass) ? props : undefined) as PolicyResource["asType"],
    };
    byUrn.set(record.urn, resource);
    return resource;
  });
  records.forEach((record, i) => {
    const deps = Object.fromEntries(
      Object.entries(record.propertyDependencies).map(([key, urns]) => [
        key,
        urns.map((u) => byUrn.get(u)).filter((r): r is PolicyResource => r !== undefined),
      ]),
    );
    Object.assign(resources[i], {
      propertyDependencies: deps,
      dependencies: [...new Set(Object.values(deps).flat())],
    });
  });
  return resources;
}

/** The allowed flows of the recorded stack, as rows for a table and a diagram. */
export function reachabilityOfRecords(records: readonly ReachRecord[], reach: ReachOptions = {}): ReachRow[] {
  return reachRows(reachGraph(policyResources(records), reach));
}
