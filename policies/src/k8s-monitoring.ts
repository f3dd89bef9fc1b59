// K8S-7: a stack that runs Kubernetes also runs what 2i2c runs on every hub: cryptnono, which kills
// crypto-mining processes, and Prometheus with Grafana, which show abnormal use per tenant. A stack
// runs Kubernetes when it declares an EKS cluster, a workload, a Helm chart or a manifest; a stack
// without any (every AWS-only example stack) is not asked for either. The services are recognised
// by chart name (Helm release or chart) or by the name of a DaemonSet, Deployment or StatefulSet.
// A stack policy sees outputs: a Helm Release's include its chart, but a helm.sh Chart is a
// component whose outputs list only what it rendered, so such a chart is recognised by the
// workloads it renders (`cryptnono`, `<release>-grafana`), which are resources of the stack.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  HELM_TYPES,
  K8sType,
  WORKLOAD_TYPES,
  isPatch,
  k8sLabel,
  literal,
  readChart,
  readPathString,
} from "./k8s-types";
import { UNKNOWN } from "./props";

/** Resources that mean the stack runs a Kubernetes cluster or something in one. */
export const CLUSTER_TRIGGER_TYPES: readonly string[] = [
  K8sType.eksCluster,
  ...WORKLOAD_TYPES,
  ...HELM_TYPES,
  "kubernetes:yaml:ConfigFile",
  "kubernetes:yaml:ConfigGroup",
  "kubernetes:yaml/v2:ConfigFile",
  "kubernetes:yaml/v2:ConfigGroup",
  "kubernetes:kustomize:Directory",
  "kubernetes:kustomize/v2:Directory",
];

/** Crypto-mining prevention recognised by default: 2i2c's cryptnono. */
export const DEFAULT_MINING_PREVENTION: readonly string[] = ["cryptnono"];

/** Usage monitoring recognised by default: any one set, every name of it present. */
export const DEFAULT_USAGE_MONITORING: readonly (readonly string[])[] = [
  ["kube-prometheus-stack"],
  ["prometheus", "grafana"],
];

/** Settings of {@link k8sClusterMiningPrevented} and {@link k8sClusterUsageMonitored}. */
export interface ClusterServicesConfig {
  /**
   * Chart or workload names that count as crypto-mining prevention; any one suffices.
   * @default ["cryptnono"]
   */
  readonly miningPrevention?: readonly string[];
  /**
   * Sets of chart or workload names that count as usage monitoring; one complete set suffices.
   * @default [["kube-prometheus-stack"], ["prometheus", "grafana"]]
   */
  readonly usageMonitoring?: readonly (readonly string[])[];
}

const NAMED_WORKLOADS = /:(DaemonSet|Deployment|StatefulSet)$/;

/**
 * True when `name` is `entry` or a Helm-style name built from it (`support-cryptnono`,
 * `prometheus-server`, `kube-prometheus-stack-grafana`): whole dash-separated words only.
 */
export function namedAfter(name: string, entry: string): boolean {
  return `-${name}-`.includes(`-${entry}-`);
}

/** What the stack installs, by name, and the Helm resources whose chart is not a literal. */
function installed(resources: readonly PolicyResource[]): { names: string[]; unknown: PolicyResource[] } {
  const names: string[] = [];
  const unknown: PolicyResource[] = [];
  for (const r of resources) {
    if (HELM_TYPES.includes(r.type)) {
      const chart = readChart(r);
      if (chart === UNKNOWN) {
        unknown.push(r);
      } else if (chart !== undefined) {
        names.push(chart);
      }
    } else if (NAMED_WORKLOADS.test(r.type) && !isPatch(r.type)) {
      const name = readPathString(r.props, "metadata", "name");
      names.push(typeof name === "string" ? name : r.name);
    }
  }
  return { names, unknown };
}

/** The resource a missing cluster service is reported on: the EKS cluster, else the first trigger. */
function clusterOf(resources: readonly PolicyResource[]): PolicyResource | undefined {
  return (
    resources.find((r) => r.type === K8sType.eksCluster) ??
    resources.find((r) => CLUSTER_TRIGGER_TYPES.includes(r.type))
  );
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(" and ");

/** Shared check: the stack runs Kubernetes, so one of `sets` must be installed in full. */
function requireService(
  resources: readonly PolicyResource[],
  sets: readonly (readonly string[])[],
  missing: (label: string) => string,
  report: (message: string, urn?: string) => void,
): void {
  const cluster = clusterOf(resources);
  if (cluster === undefined) {
    return;
  }
  const { names, unknown } = installed(resources);
  if (sets.some((set) => set.every((entry) => names.some((n) => namedAfter(n, entry))))) {
    return;
  }
  if (unknown.length > 0) {
    unknown.forEach((r) => report(literal("chart", k8sLabel(r.type, r.name), "K8S-7"), r.urn));
    return;
  }
  report(missing(k8sLabel(cluster.type, cluster.name)), cluster.urn);
}

const namesSchema = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 } as const;

/** K8S-7: a stack running Kubernetes installs crypto-mining prevention (cryptnono by default). */
export const k8sClusterMiningPrevented: StackValidationPolicy = {
  name: "k8s-cluster-mining-prevented",
  description:
    'Checks that a stack declaring an EKS cluster or any Kubernetes workload, chart or manifest also installs crypto-mining prevention: a Helm release or chart of "cryptnono", or a DaemonSet named after it (K8S-7).',
  configSchema: {
    properties: {
      miningPrevention: {
        ...namesSchema,
        default: [...DEFAULT_MINING_PREVENTION],
        description: "Chart or workload names that count as crypto-mining prevention (K8S-7).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const entries = args.getConfig<ClusterServicesConfig>().miningPrevention ?? DEFAULT_MINING_PREVENTION;
    requireService(
      args.resources,
      entries.map((e) => [e]),
      (label) =>
        `Add crypto-mining prevention to the stack of ${label}: a Helm release or chart of ${entries.map((e) => `"${e}"`).join(" or ")}, or a DaemonSet named after one (2i2c runs cryptnono: https://github.com/cryptnono/cryptnono); it kills mining processes before they burn the tenants' GPUs (K8S-7).`,
      reportViolation,
    );
  },
};

/** K8S-7: a stack running Kubernetes installs Prometheus and Grafana to watch usage. */
export const k8sClusterUsageMonitored: StackValidationPolicy = {
  name: "k8s-cluster-usage-monitored",
  description:
    'Checks that a stack declaring an EKS cluster or any Kubernetes workload, chart or manifest also installs usage monitoring: a Helm release or chart of "kube-prometheus-stack", or of both "prometheus" and "grafana" (K8S-7).',
  configSchema: {
    properties: {
      usageMonitoring: {
        type: "array",
        items: namesSchema,
        minItems: 1,
        default: DEFAULT_USAGE_MONITORING.map((s) => [...s]),
        description:
          "Sets of chart or workload names that count as usage monitoring; one full set suffices (K8S-7).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const sets = args.getConfig<ClusterServicesConfig>().usageMonitoring ?? DEFAULT_USAGE_MONITORING;
    requireService(
      args.resources,
      sets,
      (label) =>
        `Add usage monitoring to the stack of ${label}: a Helm release or chart of ${sets.map(quoted).join(", or of ")}; Prometheus and Grafana show each tenant's abnormal CPU, memory, GPU and network use (K8S-7).`,
      reportViolation,
    );
  },
};
