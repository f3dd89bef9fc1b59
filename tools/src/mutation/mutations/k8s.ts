// K8S mutations. No example stack runs Kubernetes yet, and users add their own workloads, so each
// mutation adds what a user would declare: a workspace (namespace, network policy, quota, limit
// range) missing one guard, a workload or Service that breaks isolation, or an EKS cluster.
import type { RecordedResource } from "../../plan/types";
import { declare } from "../edit";
import { T, TAG_TIER, UNKNOWN, firstOf, idOf, ofType, stackFacts, tagsOf } from "../resources";
import type { Mutation } from "../types";

const K = {
  namespace: "kubernetes:core/v1:Namespace",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  resourceQuota: "kubernetes:core/v1:ResourceQuota",
  limitRange: "kubernetes:core/v1:LimitRange",
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  eksCluster: "aws:eks/cluster:Cluster",
} as const;

const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";
/** The instance metadata address workspaces must not reach (K8S-2). */
const METADATA_CIDR = "169.254.169.254/32";

/** Pod, service and node ranges of other namespaces: egress to the internet must except them (K8S-2). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/** A guard of a workspace that a mutation leaves out. */
type Guard = "networkPolicy" | "resourceQuota" | "limitRange";

interface WorkspaceOptions {
  /** The Pod Security Admission level enforced on the namespace. */
  readonly psa?: string;
  readonly without?: readonly Guard[];
}

/** The resources of one workspace, as a user declares them through a Kubernetes provider. */
function workspace(rs: readonly RecordedResource[], options: WorkspaceOptions = {}): RecordedResource[] {
  const { tenant } = stackFacts(rs);
  const provider = declare(rs, {
    type: T.k8sProvider,
    name: `${tenant}-workspaces`,
    inputs: { kubeconfig: UNKNOWN, enableServerSideApply: "true" },
  });
  const name = `${tenant}-alice`;
  const namespace = declare(rs, {
    type: K.namespace,
    name,
    provider,
    inputs: {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: { [PSA_ENFORCE]: options.psa ?? "restricted", "moat:tenant": tenant } },
    },
  });
  const inNamespace = (kind: string, type: string, spec: Record<string, unknown>, apiVersion = "v1") =>
    declare(rs, {
      type,
      name: `${name}-${kind.toLowerCase()}`,
      provider,
      inputs: { apiVersion, kind, metadata: { name: kind.toLowerCase(), namespace: name }, spec },
      from: { metadata: [namespace] },
    });
  const guards: Record<Guard, RecordedResource> = {
    networkPolicy: inNamespace(
      "NetworkPolicy",
      K.networkPolicy,
      {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [METADATA_CIDR, ...PRIVATE_RANGES] } }] }],
      },
      "networking.k8s.io/v1",
    ),
    resourceQuota: inNamespace("ResourceQuota", K.resourceQuota, {
      hard: {
        "requests.cpu": "64",
        "requests.memory": "512Gi",
        "requests.nvidia.com/gpu": "8",
        "requests.aws.amazon.com/neuron": "0",
      },
    }),
    limitRange: inNamespace("LimitRange", K.limitRange, {
      limits: [
        {
          type: "Container",
          default: { cpu: "2", memory: "8Gi" },
          defaultRequest: { cpu: "1", memory: "4Gi" },
        },
      ],
    }),
  };
  const kept = (Object.keys(guards) as Guard[])
    .filter((g) => !options.without?.includes(g))
    .map((g) => guards[g]);
  return [provider, namespace, ...kept];
}

/** A resource in the workspace `added` declared, through its provider. */
function inWorkspace(
  rs: readonly RecordedResource[],
  added: readonly RecordedResource[],
  type: string,
  kind: string,
  apiVersion: string,
  spec: Record<string, unknown>,
): RecordedResource {
  const [provider, namespace] = added;
  const ns = (namespace.inputs.metadata as { name: string }).name;
  return declare([...rs, ...added], {
    type,
    name: `${ns}-${kind.toLowerCase()}`,
    provider,
    inputs: { apiVersion, kind, metadata: { name: kind.toLowerCase(), namespace: ns }, spec },
    from: { metadata: [namespace] },
  });
}

/** An EKS control plane in the tenant's management subnet; `secure` adds K8S-6's settings. */
function eksCluster(rs: readonly RecordedResource[], secure: boolean): RecordedResource {
  const { tenant, account } = stackFacts(rs);
  const subnet =
    ofType(rs, T.subnet).find((s) => tagsOf(s)[TAG_TIER] === "management") ?? firstOf(rs, T.subnet);
  const key = firstOf(rs, T.kmsKey);
  const endpoint = secure
    ? { endpointPrivateAccess: true, endpointPublicAccess: false }
    : { endpointPrivateAccess: false, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] };
  return declare(rs, {
    type: K.eksCluster,
    name: `${tenant}-eks`,
    inputs: {
      name: `moat-${tenant}`,
      roleArn: `arn:aws:iam::${account}:role/moat-${tenant}-eks`,
      vpcConfig: { subnetIds: subnet ? [idOf(rs, subnet)] : [], ...endpoint },
      ...(secure
        ? {
            encryptionConfig: { provider: { keyArn: key ? idOf(rs, key) : UNKNOWN }, resources: ["secrets"] },
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
          }
        : {}),
    },
    from: { vpcConfig: subnet ? [subnet] : [], ...(secure && key ? { encryptionConfig: [key] } : {}) },
  });
}

/** Mutations that break K8S-1 to K8S-7. */
export const k8sMutations: readonly Mutation[] = [
  {
    id: "K8S-1",
    title: 'add a workspace namespace that enforces Pod Security "baseline", not "restricted"',
    applies: () => true,
    mutate: (rs) => [...rs, ...workspace(rs, { psa: "baseline" })],
  },
  {
    id: "K8S-2",
    title: "add a workspace namespace without a default-deny NetworkPolicy",
    applies: () => true,
    mutate: (rs) => [...rs, ...workspace(rs, { without: ["networkPolicy"] })],
  },
  {
    id: "K8S-3",
    title: "add a workspace namespace without a ResourceQuota",
    applies: () => true,
    mutate: (rs) => [...rs, ...workspace(rs, { without: ["resourceQuota"] })],
  },
  {
    id: "K8S-4",
    title: "run a privileged root container with hostNetwork in a workspace",
    applies: () => true,
    mutate: (rs) => {
      const added = workspace(rs);
      const deployment = inWorkspace(rs, added, K.deployment, "Deployment", "apps/v1", {
        replicas: 1,
        selector: { matchLabels: { app: "miner" } },
        template: {
          metadata: { labels: { app: "miner" } },
          spec: {
            hostNetwork: true,
            containers: [
              {
                name: "worker",
                image: "docker.io/library/ubuntu:24.04",
                securityContext: { privileged: true, runAsUser: 0, allowPrivilegeEscalation: true },
              },
            ],
          },
        },
      });
      return [...rs, ...added, deployment];
    },
  },
  {
    id: "K8S-5",
    title: "expose a workspace through a Service of type LoadBalancer",
    applies: () => true,
    mutate: (rs) => {
      const added = workspace(rs);
      const service = inWorkspace(rs, added, K.service, "Service", "v1", {
        type: "LoadBalancer",
        selector: { app: "jupyter" },
        ports: [{ port: 443, targetPort: 8888 }],
      });
      return [...rs, ...added, service];
    },
  },
  {
    id: "K8S-6",
    title: "add an EKS cluster with a world-open public endpoint, no secrets encryption, no audit logs",
    applies: () => true,
    mutate: (rs) => [...rs, eksCluster(rs, false)],
  },
  {
    id: "K8S-7",
    title: "add an EKS cluster without crypto-mining prevention or usage monitoring",
    applies: () => true,
    mutate: (rs) => [...rs, eksCluster(rs, true)],
  },
];
