// K8S-1 and K8S-3: each tenant workspace is a namespace where Pod Security Admission enforces the
// `restricted` profile, and whose consumption is capped by a ResourceQuota (accelerators, CPU,
// memory) and defaulted by a LimitRange, so one tenant can neither escape its pods nor starve the
// others. Namespaces and the objects in them are linked by literal name or by dependency (POL-2).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  K8sType,
  NamespaceConfig,
  SYSTEM_NAMESPACES,
  inNamespace,
  isPatch,
  k8sLabel,
  literal,
  objectAt,
  readObject,
  readPathList,
  readPathString,
  systemNamespacesSchema,
  tenantNamespaces,
} from "./k8s-types";
import { Props, UNKNOWN, forTypes, readList, readString, readValue } from "./props";

/** The Pod Security Admission label that K8S-1 requires to be "restricted". */
export const PSA_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/**
 * K8S-1: every Namespace a stack declares, other than Kubernetes' own, enforces the `restricted`
 * Pod Security Standard. A NamespacePatch is checked only when it sets the label, as a patch that
 * leaves it out leaves the namespace as it was.
 */
export const k8sNamespaceRestrictedEnforced: ResourceValidationPolicy = {
  name: "k8s-namespace-restricted-enforced",
  description: `Checks that every Namespace other than the system ones carries the label ${PSA_ENFORCE_LABEL}: "restricted" (K8S-1).`,
  configSchema: { properties: { systemNamespaces: systemNamespacesSchema } },
  validateResource: forTypes([K8sType.namespace, K8sType.namespacePatch], (args, reportViolation) => {
    const system = args.getConfig<NamespaceConfig>().systemNamespaces ?? SYSTEM_NAMESPACES;
    const name = readPathString(args.props, "metadata", "name");
    if (typeof name === "string" && system.includes(name)) {
      return;
    }
    const label = k8sLabel(args.type, args.name);
    const labels = readObject(args.props, "metadata", "labels");
    const value = labels === UNKNOWN || labels === undefined ? labels : readString(labels, PSA_ENFORCE_LABEL);
    if (value === UNKNOWN) {
      reportViolation(literal(`metadata.labels["${PSA_ENFORCE_LABEL}"]`, label, "K8S-1"));
    } else if (value !== "restricted" && !(value === undefined && isPatch(args.type))) {
      const now = value === undefined ? "" : `, not "${value}"`;
      reportViolation(
        `Label ${label} with ${PSA_ENFORCE_LABEL}: "restricted"${now}: Pod Security Admission then refuses pods that run as root, escalate privileges or share the host's namespaces (K8S-1).`,
      );
    }
  }),
};

/** The extended resources K8S-3 caps by default: NVIDIA GPUs and AWS Neuron (Inferentia, Trainium). */
export const DEFAULT_ACCELERATORS: readonly string[] = ["nvidia.com/gpu", "aws.amazon.com/neuron"];

/** Settings of {@link k8sNamespaceQuotaLimited}. */
export interface QuotaConfig extends NamespaceConfig {
  /**
   * Extended resources every tenant quota caps, as `requests.<name>` (Kubernetes quotas accept
   * only the requests prefix for them).
   * @default ["nvidia.com/gpu", "aws.amazon.com/neuron"]
   */
  readonly acceleratorResources?: readonly string[];
}

// Any one key of a group caps that resource.
const CPU = ["requests.cpu", "limits.cpu", "cpu"];
const MEMORY = ["requests.memory", "limits.memory", "memory"];

/** The quota keys a namespace still lacks: one per group of interchangeable keys. */
function missingKeys(keys: ReadonlySet<string>, accelerators: readonly string[]): string[] {
  const groups = [CPU, MEMORY, ...accelerators.map((a) => [`requests.${a}`])];
  return groups.filter((g) => !g.some((k) => keys.has(k))).map((g) => g[0]);
}

/** The `spec.hard` keys of a quota that applies to every pod, or why it cannot count. */
function quotaKeys(quota: PolicyResource): string[] | "scoped" | { unknown: string } {
  const spec = readObject(quota.props, "spec");
  if (spec === UNKNOWN || spec === undefined) {
    return spec === UNKNOWN ? { unknown: "spec" } : [];
  }
  const scopes = readList(spec, "scopes");
  const selector = readValue(spec, "scopeSelector");
  if (scopes === UNKNOWN || selector === UNKNOWN) {
    return { unknown: scopes === UNKNOWN ? "spec.scopes" : "spec.scopeSelector" };
  }
  if ((scopes?.length ?? 0) > 0 || selector !== undefined) {
    return "scoped";
  }
  const hard = readObject(spec, "hard");
  if (hard === UNKNOWN) {
    return { unknown: "spec.hard" };
  }
  return hard === undefined ? [] : Object.keys(hard);
}

/** True when a LimitRange gives containers default cpu and memory limits; UNKNOWN if unreadable. */
function defaultsContainers(range: PolicyResource): boolean | typeof UNKNOWN {
  const limits = readPathList(range.props, "spec", "limits");
  if (limits === UNKNOWN) {
    return UNKNOWN;
  }
  for (let i = 0; i < (limits?.length ?? 0); i++) {
    const item = objectAt(limits ?? [], i);
    const type = item === UNKNOWN || item === undefined ? item : readString(item, "type");
    const defaults = item === UNKNOWN || item === undefined ? item : readObject(item, "default");
    if (type === UNKNOWN || defaults === UNKNOWN) {
      return UNKNOWN;
    }
    if (type === "Container" && defaults !== undefined && hasKeys(defaults, ["cpu", "memory"])) {
      return true;
    }
  }
  return false;
}

const hasKeys = (object: Props, keys: readonly string[]) =>
  keys.every((k) => Object.keys(object).includes(k));

/**
 * K8S-3: every tenant namespace has unscoped ResourceQuotas that together cap CPU, memory and
 * each accelerator, and a LimitRange giving containers default limits, so pods that name none
 * still count against the quota. A scoped quota covers only some pods and does not count.
 */
export const k8sNamespaceQuotaLimited: StackValidationPolicy = {
  name: "k8s-namespace-quota-limited",
  description:
    "Checks that every tenant Namespace has an unscoped ResourceQuota whose spec.hard caps cpu, memory and each accelerator (requests.nvidia.com/gpu, requests.aws.amazon.com/neuron), and a LimitRange with Container default cpu and memory limits (K8S-3).",
  configSchema: {
    properties: {
      systemNamespaces: systemNamespacesSchema,
      acceleratorResources: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_ACCELERATORS],
        description: "Extended resources each tenant quota caps as requests.<name> (K8S-3).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<QuotaConfig>();
    const accelerators = config.acceleratorResources ?? DEFAULT_ACCELERATORS;
    const quotas = args.resources.filter((r) => r.type === K8sType.resourceQuota);
    const ranges = args.resources.filter((r) => r.type === K8sType.limitRange);
    for (const namespace of tenantNamespaces(args.resources, config)) {
      const label = k8sLabel(namespace.type, namespace.name);
      const keys = new Set<string>();
      const unreadable: PolicyResource[] = [];
      for (const quota of quotas.filter((q) => inNamespace(q, namespace))) {
        const read = quotaKeys(quota);
        if (Array.isArray(read)) {
          read.forEach((k) => keys.add(k));
        } else if (read !== "scoped") {
          unreadable.push(quota);
          reportViolation(literal(read.unknown, k8sLabel(quota.type, quota.name), "K8S-3"), quota.urn);
        }
      }
      const missing = missingKeys(keys, accelerators);
      if (missing.length > 0 && unreadable.length === 0) {
        reportViolation(
          `Add a ResourceQuota to ${label} whose spec.hard sets ${missing.join(", ")}, without scopes: an uncapped tenant can take every GPU, CPU and byte of memory in the cluster (K8S-3).`,
          namespace.urn,
        );
      }
      const own = ranges.filter((r) => inNamespace(r, namespace));
      const verdicts = own.map(defaultsContainers);
      if (verdicts.includes(true)) {
        continue;
      }
      own
        .filter((_, i) => verdicts[i] === UNKNOWN)
        .forEach((r) => reportViolation(literal("spec.limits", k8sLabel(r.type, r.name), "K8S-3"), r.urn));
      if (!verdicts.includes(UNKNOWN)) {
        reportViolation(
          `Add a LimitRange to ${label} with a limit of type "Container" whose default sets cpu and memory: pods that declare no limits then get them, and count against the namespace's quota (K8S-3).`,
          namespace.urn,
        );
      }
    }
  },
};
