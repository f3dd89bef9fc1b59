// Editing a planned stack: change inputs and options, remove resources without leaving dangling
// links, and declare new resources that look like the program's or a user's own registrations
// (URN, parent, explicit provider, property dependencies). Every edit returns a new list.
import type { RecordedResource } from "../plan/types";
import { T, UNKNOWN, stackFacts, userDataOf } from "./resources";

type Inputs = Record<string, unknown>;

/** Replaces `target` (matched by URN) with what `change` makes of it. */
export function update(
  resources: readonly RecordedResource[],
  target: RecordedResource,
  change: (r: RecordedResource) => RecordedResource,
): RecordedResource[] {
  return resources.map((r) => (r.urn === target.urn ? change(r) : r));
}

/**
 * Sets (or, with `undefined`, removes) one input of `target`. Its property dependencies stay as
 * they were unless `from` says which resources the new value is built from.
 */
export function setInput(
  resources: readonly RecordedResource[],
  target: RecordedResource,
  key: string,
  value: unknown,
  from?: readonly RecordedResource[],
): RecordedResource[] {
  return update(resources, target, (r) => {
    const inputs = { ...r.inputs, [key]: value };
    const propertyDependencies = { ...r.propertyDependencies };
    delete propertyDependencies[key];
    const deps =
      value === undefined ? [] : from ? from.map((f) => f.urn) : (r.propertyDependencies[key] ?? []);
    if (value === undefined) {
      delete inputs[key];
    } else {
      propertyDependencies[key] = deps;
    }
    // A dependency only the old value needed goes with it; explicit dependsOn entries stay.
    const stillUsed = new Set(Object.values(propertyDependencies).flat());
    const dropped = (r.propertyDependencies[key] ?? []).filter((u) => !stillUsed.has(u));
    const dependencies = [...new Set([...r.dependencies.filter((u) => !dropped.includes(u)), ...deps])];
    return { ...r, inputs, propertyDependencies, dependencies };
  });
}

/** Changes resource options (protect, retainOnDelete, ...) of `target`. */
export function setOptions(
  resources: readonly RecordedResource[],
  target: RecordedResource,
  options: Partial<Pick<RecordedResource, "protect" | "retainOnDelete" | "ignoreChanges">>,
): RecordedResource[] {
  return update(resources, target, (r) => ({ ...r, ...options }));
}

/**
 * Removes resources and every link to them, as if the program had never declared them: the engine
 * never sends a dependency on a resource that is not registered.
 */
export function remove(
  resources: readonly RecordedResource[],
  ...targets: RecordedResource[]
): RecordedResource[] {
  const gone = new Set(targets.map((t) => t.urn));
  const keep = (urns: string[]) => urns.filter((u) => !gone.has(u));
  return resources
    .filter((r) => !gone.has(r.urn))
    .map((r) => ({
      ...r,
      dependencies: keep(r.dependencies),
      propertyDependencies: Object.fromEntries(
        Object.entries(r.propertyDependencies).map(([k, urns]) => [k, keep(urns)]),
      ),
    }));
}

/** A resource a mutation adds. */
export interface Declaration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Inputs;
  /** Parent; the stack's root resource, as for a resource a user declares at top level. */
  readonly parent?: RecordedResource;
  /** Explicit provider; the tenant's AWS provider for `aws:` types, none for components. */
  readonly provider?: RecordedResource;
  /** The resources each input was built from (its property dependencies). */
  readonly from?: Readonly<Record<string, readonly RecordedResource[]>>;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

/**
 * Builds the registration the engine would record for `d`: the URN qualifies the type with the
 * parent's type (as for every child of a component), an `aws:` resource gets the tenant's provider,
 * and every input has a property-dependency entry. Not yet part of the plan: append it.
 */
export function declare(resources: readonly RecordedResource[], d: Declaration): RecordedResource {
  const facts = stackFacts(resources);
  const parent = d.parent ?? facts.root;
  const qualified = parent.type === T.stack ? d.type : `${parent.type}$${d.type}`;
  // Provider resources' tokens have a module path (`aws:ec2/vpc:Vpc`); components' do not.
  const custom = d.type.includes("/") || d.type.startsWith("pulumi:providers:");
  const provider = d.provider ?? (d.type.startsWith("aws:") ? facts.aws : undefined);
  const propertyDependencies = Object.fromEntries(
    Object.keys(d.inputs).map((k) => [k, (d.from?.[k] ?? []).map((r) => r.urn)]),
  );
  return {
    urn: `urn:pulumi:${facts.stack}::${facts.project}::${qualified}::${d.name}`,
    type: d.type,
    name: d.name,
    custom,
    parent: parent.urn,
    provider: provider?.urn,
    providerRef: provider ? `${provider.urn}::${providerId(resources, provider)}` : undefined,
    inputs: d.inputs,
    dependencies: [...new Set(Object.values(propertyDependencies).flat())],
    propertyDependencies,
    protect: d.protect ?? false,
    retainOnDelete: d.retainOnDelete ?? false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    aliases: [],
    additionalSecretOutputs: [],
  };
}

/** The ID other registrations give a provider (from their provider reference), else unknown. */
function providerId(resources: readonly RecordedResource[], provider: RecordedResource): string {
  const ref = resources.find((r) => r.provider === provider.urn && r.providerRef)?.providerRef;
  return ref ? ref.slice(provider.urn.length + 2) : UNKNOWN;
}

/** Rewrites the user data of `target` with `edit`, re-encoding it for a launch template. */
export function editUserData(
  resources: readonly RecordedResource[],
  target: RecordedResource,
  edit: (text: string) => string,
): RecordedResource[] {
  const text = edit(userDataOf(target) ?? "");
  const encoded = target.type === T.launchTemplate ? Buffer.from(text, "utf8").toString("base64") : text;
  return setInput(resources, target, "userData", encoded);
}
