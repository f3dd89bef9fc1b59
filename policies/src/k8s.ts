// K8S: Kubernetes workload isolation (REQUIREMENTS.md, K8S-1 to K8S-7), as one explicit list in
// requirement order for pack.ts. The program creates no Kubernetes resources yet; these policies
// judge the @pulumi/kubernetes and EKS resources users add to a stack, by type token, and report
// nothing on a stack without any. Each lives in the file of its concern: k8s-namespaces.ts
// (K8S-1, K8S-3), k8s-network-policy.ts (K8S-2), k8s-workloads.ts (K8S-4), k8s-services.ts
// (K8S-5), k8s-eks.ts (K8S-6) and k8s-monitoring.ts (K8S-7).
import type { Policies } from "@pulumi/policy";
import { k8sEksControlPlaneLogged, k8sEksEndpointPrivate, k8sEksSecretsEncrypted } from "./k8s-eks";
import { k8sClusterMiningPrevented, k8sClusterUsageMonitored } from "./k8s-monitoring";
import { k8sNamespaceQuotaLimited, k8sNamespaceRestrictedEnforced } from "./k8s-namespaces";
import { k8sNamespaceNetworkIsolated } from "./k8s-network-policy";
import { k8sIngressTlsRequired, k8sServiceNotExposed } from "./k8s-services";
import { k8sWorkloadPodHardened } from "./k8s-workloads";

/** Every K8S policy, each mandatory by the pack's default. */
export const k8sPolicies: Policies = [
  k8sNamespaceRestrictedEnforced,
  k8sNamespaceNetworkIsolated,
  k8sNamespaceQuotaLimited,
  k8sWorkloadPodHardened,
  k8sServiceNotExposed,
  k8sIngressTlsRequired,
  k8sEksEndpointPrivate,
  k8sEksSecretsEncrypted,
  k8sEksControlPlaneLogged,
  k8sClusterMiningPrevented,
  k8sClusterUsageMonitored,
];
