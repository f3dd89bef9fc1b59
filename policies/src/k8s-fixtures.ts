// A compliant Kubernetes tenant stack for the K8S tests, as plain data in the shape of
// net-fixtures.ts: an EKS cluster, one tenant namespace with its network policies, quota and limit
// range, a hardened workload, cryptnono and kube-prometheus-stack. Tests change one thing in a fresh
// copy. Test support only: nothing in the pack imports it.
import type { StackValidationPolicy } from "@pulumi/policy";
import { INTERNAL_CIDRS } from "./k8s-network-policy";
import { PSA_ENFORCE_LABEL } from "./k8s-namespaces";
import { K8sType } from "./k8s-types";
import { StackSpec, assertStackVerdict } from "./net-fixtures";
import type { StackViolation } from "./testing";

/** The tenant namespace of the fixture. */
export const TENANT = "team-a";

/** Type tokens the tests build beyond K8sType. */
export const WorkloadType = {
  pod: "kubernetes:core/v1:Pod",
  deployment: "kubernetes:apps/v1:Deployment",
  deploymentPatch: "kubernetes:apps/v1:DeploymentPatch",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  cronJob: "kubernetes:batch/v1:CronJob",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
} as const;

/** A container hardened as K8S-4 asks. */
export const hardenedContainer = (name = "notebook") => ({
  name,
  image: "quay.io/jupyter/base-notebook:2024-10-01",
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
  },
});

/** A pod spec hardened as K8S-4 asks. */
export const hardenedPodSpec = () => ({
  securityContext: { runAsNonRoot: true, runAsUser: 1000 },
  containers: [hardenedContainer()],
  volumes: [{ name: "scratch", emptyDir: {} }],
});

/** An EKS cluster as K8S-6 asks: private endpoint only, secrets under a KMS key, audit logs on. */
export const compliantEks = () => ({
  name: "acme",
  vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ["subnet-1"] },
  encryptionConfig: {
    resources: ["secrets"],
    provider: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  },
  enabledClusterLogTypes: ["api", "audit", "authenticator"],
});

const inTenant = (spec: object, name?: string) => ({
  metadata: { namespace: TENANT, ...(name ? { name } : {}) },
  spec,
});

/** The egress rule every tenant namespace gets: the internet, but not metadata or internal ranges. */
export const internetRule = () => ({
  to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", ...INTERNAL_CIDRS] } }],
});

/** The DNS rule: kube-dns in kube-system, port 53 only. */
export const dnsRule = () => ({
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
  ],
});

/** A fresh compliant cluster stack. */
export function compliantCluster(): StackSpec {
  return {
    cluster: { type: K8sType.eksCluster, props: compliantEks() },
    [TENANT]: {
      type: K8sType.namespace,
      props: { metadata: { name: TENANT, labels: { [PSA_ENFORCE_LABEL]: "restricted" } } },
    },
    "deny-ingress": {
      type: K8sType.networkPolicy,
      props: inTenant({ podSelector: {}, policyTypes: ["Ingress"] }),
    },
    egress: {
      type: K8sType.networkPolicy,
      props: inTenant({ podSelector: {}, policyTypes: ["Egress"], egress: [internetRule(), dnsRule()] }),
    },
    quota: {
      type: K8sType.resourceQuota,
      props: inTenant({
        hard: {
          "requests.cpu": "64",
          "requests.memory": "256Gi",
          "requests.nvidia.com/gpu": "8",
          "requests.aws.amazon.com/neuron": "0",
        },
      }),
    },
    limits: {
      type: K8sType.limitRange,
      props: inTenant({ limits: [{ type: "Container", default: { cpu: "1", memory: "2Gi" } }] }),
    },
    notebook: {
      type: WorkloadType.deployment,
      props: inTenant({ template: { spec: hardenedPodSpec() } }, "notebook"),
    },
    cryptnono: {
      type: K8sType.helmRelease,
      props: { chart: "cryptnono", repositoryOpts: { repo: "https://cryptnono.github.io/cryptnono/" } },
    },
    monitoring: {
      type: K8sType.helmRelease,
      props: {
        chart: "kube-prometheus-stack",
        repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
      },
    },
  };
}

/**
 * Runs a stack policy on the compliant cluster after `change`, in every ID mode, and asserts the
 * same violations in each (POL-2).
 */
export function assertClusterVerdict(
  policy: StackValidationPolicy,
  change: (specs: StackSpec) => void,
  expected: readonly StackViolation[],
  config: object = {},
): Promise<void> {
  return assertStackVerdict(policy, change, expected, config, compliantCluster);
}
