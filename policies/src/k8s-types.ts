// The Kubernetes resources the K8S policies look at, by the type tokens of @pulumi/kubernetes 4.x
// (plain strings: the pack never loads the provider SDK, see forTypes in props.ts), and readers for
// the nested inputs Kubernetes objects carry (`metadata.namespace`, `spec.template.spec`) that
// survive values unknown at preview (POL-2).
import type { PolicyResource } from "@pulumi/policy";
import { linked } from "./net-stack";
import { Props, Read, UNKNOWN, readList, readString, readValue } from "./props";

/** Type tokens the K8S policies read beyond the workloads (see WORKLOAD_TYPES). */
export const K8sType = {
  namespace: "kubernetes:core/v1:Namespace",
  namespacePatch: "kubernetes:core/v1:NamespacePatch",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  resourceQuota: "kubernetes:core/v1:ResourceQuota",
  limitRange: "kubernetes:core/v1:LimitRange",
  service: "kubernetes:core/v1:Service",
  servicePatch: "kubernetes:core/v1:ServicePatch",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  helmChartV3: "kubernetes:helm.sh/v3:Chart",
  helmChartV4: "kubernetes:helm.sh/v4:Chart",
  eksCluster: "aws:eks/cluster:Cluster",
} as const;

/** Every Ingress type still in the provider: each carries `spec.tls` and `spec.rules` (K8S-5). */
export const INGRESS_TYPES: readonly string[] = [
  "kubernetes:networking.k8s.io/v1:Ingress",
  "kubernetes:networking.k8s.io/v1beta1:Ingress",
  "kubernetes:extensions/v1beta1:Ingress",
];

/** Helm chart resources: a release installed by Helm, or a chart rendered into Pulumi resources. */
export const HELM_TYPES: readonly string[] = [K8sType.helmRelease, K8sType.helmChartV3, K8sType.helmChartV4];

// Where each workload kind keeps its pod spec, and the API versions the provider still offers.
const TEMPLATE = ["spec", "template", "spec"];
const WORKLOADS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [["core/v1:Pod"], ["spec"]],
  [["core/v1:PodTemplate"], ["template", "spec"]],
  [["core/v1:ReplicationController", "batch/v1:Job"], TEMPLATE],
  [["apps/v1", "apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"].map((v) => `${v}:Deployment`), TEMPLATE],
  [["apps/v1", "apps/v1beta1", "apps/v1beta2"].map((v) => `${v}:StatefulSet`), TEMPLATE],
  [["apps/v1", "apps/v1beta2", "extensions/v1beta1"].map((v) => `${v}:DaemonSet`), TEMPLATE],
  [["apps/v1", "apps/v1beta2", "extensions/v1beta1"].map((v) => `${v}:ReplicaSet`), TEMPLATE],
  [
    ["batch/v1", "batch/v1beta1", "batch/v2alpha1"].map((v) => `${v}:CronJob`),
    ["spec", "jobTemplate", "spec", "template", "spec"],
  ],
];

/** The path of the pod spec in each workload type's inputs, Patch variants included (K8S-4). */
export const POD_SPEC_PATHS: ReadonlyMap<string, readonly string[]> = new Map(
  WORKLOADS.flatMap(([kinds, path]) =>
    kinds.flatMap((kind) => [
      [`kubernetes:${kind}`, path] as const,
      [`kubernetes:${kind}Patch`, path] as const,
    ]),
  ),
);

/** Every type that runs pods: Pod, the controllers of pods, and their Patch variants. */
export const WORKLOAD_TYPES: readonly string[] = [...POD_SPEC_PATHS.keys()];

/** True for a `...Patch` type: it changes only the fields it sets on an existing object. */
export const isPatch = (type: string) => type.endsWith("Patch");

/** True for a DaemonSet of any API version, or a patch of one. */
export const isDaemonSet = (type: string) => /:DaemonSet(Patch)?$/.test(type);

/** How messages name a resource: `Deployment "web"`, `EKS cluster "main"`, `Helm release "x"`. */
export function k8sLabel(type: string, name: string): string {
  const kinds: Readonly<Record<string, string>> = {
    [K8sType.eksCluster]: "EKS cluster",
    [K8sType.helmRelease]: "Helm release",
    [K8sType.helmChartV3]: "Helm chart",
    [K8sType.helmChartV4]: "Helm chart",
  };
  return `${kinds[type] ?? type.slice(type.lastIndexOf(":") + 1)} "${name}"`;
}

/** Reads the object at `path`; UNKNOWN when any step is unknown, undefined when one is absent. */
export function readObject(props: Props, ...path: string[]): Read<Props> {
  let current: Props = props;
  for (const key of path) {
    const value = readValue(current, key);
    if (value === UNKNOWN) {
      return UNKNOWN;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      return undefined;
    }
    current = value as Props;
  }
  return current;
}

/** Reads a string at `path` (the last element is the key), e.g. `metadata`, `namespace`. */
export function readPathString(props: Props, ...path: string[]): Read<string> {
  const parent = readObject(props, ...path.slice(0, -1));
  return parent === UNKNOWN || parent === undefined ? parent : readString(parent, path[path.length - 1]);
}

/** Reads a list at `path`. */
export function readPathList(props: Props, ...path: string[]): Read<readonly unknown[]> {
  const parent = readObject(props, ...path.slice(0, -1));
  return parent === UNKNOWN || parent === undefined ? parent : readList(parent, path[path.length - 1]);
}

/** Element `i` of a list read through the SDK's proxy, as an object when it is one. */
export function objectAt(list: readonly unknown[], i: number): Read<Props> {
  const value = readValue(list as unknown as Props, String(i));
  if (value === UNKNOWN) {
    return UNKNOWN;
  }
  return typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

/** The string elements of a list, or UNKNOWN when the list or any element is unknown. */
export function readStrings(list: Read<readonly unknown[]>): Read<string[]> {
  if (list === UNKNOWN || list === undefined) {
    return list;
  }
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const value = readString(list as unknown as Props, String(i));
    if (value === UNKNOWN) {
      return UNKNOWN;
    }
    if (value !== undefined) {
      out.push(value);
    }
  }
  return out;
}

/** The namespace an object is created in: `metadata.namespace`, or "default" when it is absent. */
export function namespaceOf(props: Props): Read<string> {
  const namespace = readPathString(props, "metadata", "namespace");
  return namespace === undefined ? "default" : namespace;
}

/**
 * `namespace/name` of an object for allowlists; undefined when the provider generates the name
 * (no `metadata.name`), UNKNOWN when either part is computed.
 */
export function qualifiedName(props: Props): Read<string> {
  const namespace = namespaceOf(props);
  const name = readPathString(props, "metadata", "name");
  if (namespace === UNKNOWN || name === UNKNOWN) {
    return UNKNOWN;
  }
  return name === undefined ? undefined : `${namespace}/${name}`;
}

/** Kubernetes' own namespaces: never a tenant's (K8S-1..3). "default" is not one of them. */
export const SYSTEM_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease"];

/** The `systemNamespaces` setting shared by the namespace policies. */
export const systemNamespacesSchema = {
  type: "array",
  items: { type: "string" },
  default: [...SYSTEM_NAMESPACES],
  description:
    'Namespaces that are not tenant workspaces (K8S-1..3). Kubernetes\' own by default; "default" is deliberately not one, as workloads without a namespace land there.',
} as const;

/** Settings of the namespace policies. */
export interface NamespaceConfig {
  /**
   * Namespaces exempt from the tenant workspace checks.
   * @default ["kube-system", "kube-public", "kube-node-lease"]
   */
  readonly systemNamespaces?: readonly string[];
}

/**
 * The stack's tenant namespaces: every Namespace whose literal name is not a system namespace. A
 * generated or computed name is never a system one, whose names are fixed.
 */
export function tenantNamespaces(
  resources: readonly PolicyResource[],
  config: NamespaceConfig,
): PolicyResource[] {
  const system = config.systemNamespaces ?? SYSTEM_NAMESPACES;
  return resources.filter((r) => {
    if (r.type !== K8sType.namespace) {
      return false;
    }
    const name = readPathString(r.props, "metadata", "name");
    return typeof name !== "string" || !system.includes(name);
  });
}

/**
 * True when `resource` is created in `namespace`: by equal literal names, or, when either name
 * is not a literal (a generated name read from the Namespace's output), by the engine's record that
 * the object's metadata (or the object) depends on that Namespace (POL-2).
 */
export function inNamespace(resource: PolicyResource, namespace: PolicyResource): boolean {
  const target = namespaceOf(resource.props);
  const name = readPathString(namespace.props, "metadata", "name");
  if (typeof target === "string" && typeof name === "string") {
    return target === name;
  }
  const links = [...linked(resource, "metadata", K8sType.namespace), ...resource.dependencies];
  return links.some((r) => r.urn === namespace.urn);
}

/**
 * A chart's own name from however it was given: `cryptnono`, `repo/cryptnono`,
 * `oci://ghcr.io/org/cryptnono`, a path to `cryptnono-0.3.1.tgz` or to a chart folder.
 */
export function chartName(reference: string): string {
  const last =
    reference
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, "")
      .split("/")
      .pop() ?? "";
  return last.replace(/\.(tgz|tar\.gz)$/, "").replace(/-v?\d+\.\d+\.\d+([-+][\w.-]*)?$/, "");
}

/** The chart a Helm resource installs: `chart`, or for a v3 Chart from a folder, `path`. */
export function readChart(resource: Pick<PolicyResource, "props">): Read<string> {
  const chart = readString(resource.props, "chart");
  const reference = chart === undefined ? readString(resource.props, "path") : chart;
  return typeof reference === "string" ? chartName(reference) : reference;
}

/** The message asking for a literal where a policy found a value unknown at preview (POL-2). */
export function literal(path: string, label: string, id: string): string {
  return `Set ${path} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify it (${id}, POL-2).`;
}
