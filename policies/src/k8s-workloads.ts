// K8S-4: a tenant's container cannot become the node. Every pod template, wherever a workload
// keeps it, runs its containers (init and ephemeral ones too) as non-root, without privilege
// escalation, with every capability dropped, unprivileged, and without the host's network, PID or
// IPC namespaces or its file system. Device plugins need the host and are allowlisted by
// `namespace/name`. A Patch variant changes only what it sets, so only the values it sets are
// judged: it cannot be required to repeat a setting it leaves alone.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
  POD_SPEC_PATHS,
  WORKLOAD_TYPES,
  isDaemonSet,
  isPatch,
  k8sLabel,
  literal,
  objectAt,
  qualifiedName,
  readObject,
  readStrings,
} from "./k8s-types";
import {
  Props,
  Read,
  UNKNOWN,
  forTypes,
  readBoolean,
  readList,
  readNumber,
  readString,
  readValue,
} from "./props";

/**
 * DaemonSets exempt from K8S-4 by default, as their upstream manifests name them: the NVIDIA and
 * AWS EFA device plugins, which mount the kubelet's device-plugin socket from the host.
 */
export const DEFAULT_ALLOWED_DAEMONSETS: readonly string[] = [
  "kube-system/nvidia-device-plugin-daemonset",
  "kube-system/aws-efa-k8s-device-plugin-daemonset",
];

/** Settings of {@link k8sWorkloadPodHardened}. */
export interface WorkloadConfig {
  /**
   * DaemonSets, as `namespace/name`, that may run privileged or use the host. Replacing the list
   * drops the defaults; repeat them to keep them.
   * @default ["kube-system/nvidia-device-plugin-daemonset", "kube-system/aws-efa-k8s-device-plugin-daemonset"]
   */
  readonly allowedDaemonSets?: readonly string[];
}

/** The one capability the `restricted` Pod Security Standard lets a container add back. */
const ADDABLE = ["NET_BIND_SERVICE"];

const HOST_NAMESPACES: Readonly<Record<string, string>> = {
  hostNetwork: "network stack",
  hostPID: "process table",
  hostIPC: "IPC namespace",
};

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"];

/** Where the checks stand in one pod spec: how to name things and what the pod itself sets. */
interface Scope {
  readonly label: string;
  readonly base: string;
  readonly patch: boolean;
  readonly podNonRoot: Read<boolean>;
  readonly podUser: Read<number>;
  readonly out: string[];
}

const fail = (scope: Scope, message: string) => scope.out.push(`${message} (K8S-4).`);
const unknownAt = (scope: Scope, path: string) =>
  scope.out.push(literal(`${scope.base}.${path}`, scope.label, "K8S-4"));

/** Checks one container's securityContext, falling back to the pod's for the user settings. */
function checkContainer(scope: Scope, container: Props, path: string): void {
  const name = readString(container, "name");
  const where = `container ${typeof name === "string" ? `"${name}"` : path} of ${scope.label}`;
  const context = readObject(container, "securityContext") ?? {};
  if (context === UNKNOWN) {
    unknownAt(scope, `${path}.securityContext`);
    return;
  }
  // A pod-level value the pod check already reported as unknown is not reported again here.
  const own = (key: string, read: (p: Props, k: string) => Read<unknown>, pod: Read<unknown>) => {
    const value = read(context, key);
    if (value === UNKNOWN) {
      unknownAt(scope, `${path}.securityContext.${key}`);
    }
    return value === undefined ? pod : value;
  };
  const missing = (value: unknown) => value === undefined && scope.patch;

  const nonRoot = own("runAsNonRoot", readBoolean, scope.podNonRoot);
  if (nonRoot !== UNKNOWN && nonRoot !== true && !missing(nonRoot)) {
    fail(
      scope,
      `Set securityContext.runAsNonRoot: true on ${where} (or on its pod): it must not run as root`,
    );
  }
  if (own("runAsUser", readNumber, scope.podUser) === 0) {
    fail(scope, `Set securityContext.runAsUser on ${where} to a non-zero UID, not 0: UID 0 is root`);
  }
  const escalation = own("allowPrivilegeEscalation", readBoolean, undefined);
  if (escalation !== UNKNOWN && escalation !== false && !missing(escalation)) {
    fail(
      scope,
      `Set securityContext.allowPrivilegeEscalation: false on ${where}: otherwise a setuid binary can gain the privileges the container was denied`,
    );
  }
  if (own("privileged", readBoolean, undefined) === true) {
    fail(
      scope,
      `Remove securityContext.privileged: true from ${where}: a privileged container has every device and capability of the node`,
    );
  }
  const capabilities = readObject(context, "capabilities") ?? {};
  const drop = capabilities === UNKNOWN ? UNKNOWN : readStrings(readList(capabilities, "drop"));
  const add = capabilities === UNKNOWN ? UNKNOWN : readStrings(readList(capabilities, "add"));
  if (drop === UNKNOWN || add === UNKNOWN) {
    unknownAt(scope, `${path}.securityContext.capabilities`);
    return;
  }
  if (!drop?.includes("ALL") && !missing(drop)) {
    fail(
      scope,
      `Set securityContext.capabilities.drop: ["ALL"] on ${where}: capabilities left in place let it act as root on parts of the node`,
    );
  }
  const added = (add ?? []).filter((c) => !ADDABLE.includes(c));
  if (added.length > 0) {
    fail(
      scope,
      `Remove ${added.join(", ")} from securityContext.capabilities.add on ${where}: only NET_BIND_SERVICE may be added back`,
    );
  }
}

/** Every K8S-4 violation in one pod spec found at `base` in the inputs of the resource `label`. */
export function podSpecViolations(spec: Props, base: string, label: string, patch: boolean): string[] {
  const podContext = readObject(spec, "securityContext") ?? {};
  const out: string[] = [];
  const pod = (key: string, read: (p: Props, k: string) => Read<unknown>) =>
    podContext === UNKNOWN ? UNKNOWN : read(podContext, key);
  const scope: Scope = {
    label,
    base,
    patch,
    podNonRoot: pod("runAsNonRoot", readBoolean) as Read<boolean>,
    podUser: pod("runAsUser", readNumber) as Read<number>,
    out,
  };
  if (podContext === UNKNOWN) {
    unknownAt(scope, "securityContext");
  } else {
    for (const key of ["runAsNonRoot", "runAsUser"].filter((k) => readValue(podContext, k) === UNKNOWN)) {
      unknownAt(scope, `securityContext.${key}`);
    }
  }
  for (const [key, what] of Object.entries(HOST_NAMESPACES)) {
    const value = readBoolean(spec, key);
    if (value === UNKNOWN) {
      unknownAt(scope, key);
    } else if (value === true) {
      fail(scope, `Remove ${key}: true from the pod spec of ${label}: it gives the pod the node's ${what}`);
    }
  }
  const volumes = readList(spec, "volumes");
  if (volumes === UNKNOWN) {
    unknownAt(scope, "volumes");
  }
  for (let i = 0; volumes !== UNKNOWN && i < (volumes?.length ?? 0); i++) {
    const volume = objectAt(volumes ?? [], i);
    const hostPath = volume === UNKNOWN || volume === undefined ? volume : readValue(volume, "hostPath");
    const name = typeof volume === "object" ? readString(volume, "name") : undefined;
    if (hostPath === UNKNOWN) {
      unknownAt(scope, `volumes[${i}]`);
    } else if (hostPath !== undefined) {
      const which = typeof name === "string" ? `"${name}"` : `volumes[${i}]`;
      fail(
        scope,
        `Replace hostPath volume ${which} of ${label} with a persistentVolumeClaim, configMap or emptyDir volume: a hostPath mounts the node's file system into the pod`,
      );
    }
  }
  for (const list of CONTAINER_LISTS) {
    const containers = readList(spec, list);
    if (containers === UNKNOWN) {
      unknownAt(scope, list);
      continue;
    }
    for (let i = 0; i < (containers?.length ?? 0); i++) {
      const container = objectAt(containers ?? [], i);
      if (container === UNKNOWN) {
        unknownAt(scope, `${list}[${i}]`);
      } else if (container !== undefined) {
        checkContainer(scope, container, `${list}[${i}]`);
      }
    }
  }
  return out;
}

/**
 * K8S-4: every workload's pods are hardened as the `restricted` Pod Security Standard asks, so a
 * mistake is caught at preview rather than by admission at deploy time, and also where a namespace
 * does not enforce it (K8S-1). Allowlisted DaemonSets are exempt.
 */
export const k8sWorkloadPodHardened: ResourceValidationPolicy = {
  name: "k8s-workload-pod-hardened",
  description:
    "Checks that every pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate and their Patch variants) runs each container as non-root, without privilege escalation, with capabilities dropped to ALL, unprivileged, and without hostNetwork, hostPID, hostIPC or hostPath volumes, except allowlisted DaemonSets (K8S-4).",
  configSchema: {
    properties: {
      allowedDaemonSets: {
        type: "array",
        items: { type: "string", pattern: "^[^/]+/[^/]+$" },
        default: [...DEFAULT_ALLOWED_DAEMONSETS],
        description: "DaemonSets, as namespace/name, exempt from K8S-4 (device plugins).",
      },
    },
  },
  validateResource: forTypes(WORKLOAD_TYPES, (args, reportViolation) => {
    if (isDaemonSet(args.type)) {
      const allowed = args.getConfig<WorkloadConfig>().allowedDaemonSets ?? DEFAULT_ALLOWED_DAEMONSETS;
      const name = qualifiedName(args.props);
      if (typeof name === "string" && allowed.includes(name)) {
        return;
      }
    }
    const path = POD_SPEC_PATHS.get(args.type) ?? [];
    const label = k8sLabel(args.type, args.name);
    const spec = readObject(args.props, ...path);
    if (spec === UNKNOWN) {
      reportViolation(literal(path.join("."), label, "K8S-4"));
    } else if (spec !== undefined) {
      podSpecViolations(spec, path.join("."), label, isPatch(args.type)).forEach((m) => reportViolation(m));
    }
  }),
};
