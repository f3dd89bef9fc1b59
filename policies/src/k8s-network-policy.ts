// K8S-2: a tenant namespace is closed to the rest of the cluster. A default-deny ingress policy
// keeps other namespaces out; an egress policy selecting every pod keeps the pods in, and since
// NetworkPolicies add up, no policy in a tenant namespace may let a pod reach the instance metadata
// address (node credentials) or another namespace. The internet stays reachable.
//
// Accepted shapes (policyTypes absent means what Kubernetes makes of it: Ingress, plus Egress when
// egress rules are given):
// - default-deny ingress: podSelector {} (or no labels/expressions), Ingress in policyTypes, no
//   ingress rules;
// - egress baseline: podSelector {}, Egress in policyTypes; no egress rules (deny all) is stricter
//   and accepted;
// - every egress rule of every policy outside the system namespaces: a `to` list (none means every
//   destination) whose peers are podSelector-only (same namespace), ipBlocks that except each
//   metadata address and internal range they contain (and lie inside none), or the DNS peer
//   (namespaceSelector kubernetes.io/metadata.name=kube-system with podSelector k8s-app=kube-dns,
//   every port 53).
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Cidr, cidrContains, parseCidr } from "./net-cidr";
import {
  K8sType,
  NamespaceConfig,
  SYSTEM_NAMESPACES,
  inNamespace,
  k8sLabel,
  literal,
  namespaceOf,
  objectAt,
  readObject,
  readStrings,
  systemNamespacesSchema,
  tenantNamespaces,
} from "./k8s-types";
import { Props, UNKNOWN, readList, readString, readValue } from "./props";

/** The instance metadata service, IPv4 and IPv6 (Nitro): it serves the node role's credentials. */
export const METADATA_CIDRS: readonly string[] = ["169.254.169.254/32", "fd00:ec2::254/128"];

/**
 * Where other namespaces' pods and the cluster's services live by default: the private ranges
 * (the VPC CNI gives pods VPC addresses) and 100.64.0.0/10 (EKS custom networking).
 */
export const INTERNAL_CIDRS: readonly string[] = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
];

/** Settings of {@link k8sNamespaceNetworkIsolated}. */
export interface NetworkPolicyConfig extends NamespaceConfig {
  /**
   * Ranges egress ipBlocks must except: the pod and service ranges. Replace it to allow egress to
   * other VPC addresses; an IPv6 cluster adds its VPC's IPv6 block.
   * @default ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]
   */
  readonly internalCidrs?: readonly string[];
}

interface Forbidden {
  readonly text: string;
  readonly cidr: Cidr;
}

const parsed = (texts: readonly string[]): Forbidden[] =>
  texts.flatMap((text) => {
    const cidr = parseCidr(text);
    return cidr ? [{ text, cidr }] : [];
  });

const isEmpty = (object: Props | undefined) => object === undefined || Object.keys(object).length === 0;

/** True when a spec's podSelector selects every pod of the namespace. */
function selectsAll(spec: Props): boolean | typeof UNKNOWN {
  const selector = readObject(spec, "podSelector");
  if (selector === UNKNOWN || selector === undefined) {
    return selector === undefined ? true : UNKNOWN;
  }
  const labels = readObject(selector, "matchLabels");
  const expressions = readList(selector, "matchExpressions");
  if (labels === UNKNOWN || expressions === UNKNOWN) {
    return UNKNOWN;
  }
  return isEmpty(labels) && (expressions?.length ?? 0) === 0;
}

/** The policy types in effect, with Kubernetes' defaults when policyTypes is absent. */
function policyTypes(spec: Props): string[] | typeof UNKNOWN {
  const listed = readStrings(readList(spec, "policyTypes"));
  const egress = readList(spec, "egress");
  if (listed !== undefined || egress === UNKNOWN) {
    return listed ?? UNKNOWN;
  }
  return (egress?.length ?? 0) > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** What a NetworkPolicy provides: its policy types and the baselines it is. */
interface Shape {
  readonly types: readonly string[];
  readonly denyIngress: boolean;
  readonly egress: boolean;
}

/** A NetworkPolicy's shape, or the path that is not a literal. */
function shapeOf(policy: PolicyResource): Shape | { unknown: string } {
  const spec = readObject(policy.props, "spec") ?? {};
  if (spec === UNKNOWN) {
    return { unknown: "spec" };
  }
  const all = selectsAll(spec);
  const types = policyTypes(spec);
  const ingress = readList(spec, "ingress");
  if (all === UNKNOWN || types === UNKNOWN || ingress === UNKNOWN) {
    const path = all === UNKNOWN ? "podSelector" : types === UNKNOWN ? "policyTypes" : "ingress";
    return { unknown: `spec.${path}` };
  }
  return {
    types,
    denyIngress: all && types.includes("Ingress") && (ingress?.length ?? 0) === 0,
    egress: all && types.includes("Egress"),
  };
}

const isShape = (read: Shape | { unknown: string }): read is Shape => !("unknown" in read);

/** True for the one peer allowed across namespaces: cluster DNS, on port 53 only. */
function isDnsPeer(peer: Props, rule: Props): boolean {
  const namespaces = readObject(peer, "namespaceSelector", "matchLabels");
  const pods = readObject(peer, "podSelector", "matchLabels");
  const ports = readList(rule, "ports");
  if (typeof namespaces !== "object" || typeof pods !== "object" || typeof ports !== "object") {
    return false;
  }
  const onlyDns =
    ports.length > 0 &&
    // Indexed reads: iterating the proxied list would read an unknown element raw.
    Array.from({ length: ports.length }, (_, i) => objectAt(ports, i)).every(
      (port) => typeof port === "object" && String(readValue(port, "port")) === "53",
    );
  return (
    onlyDns &&
    readString(namespaces, "kubernetes.io/metadata.name") === "kube-system" &&
    readString(pods, "k8s-app") === "kube-dns"
  );
}

/** The findings for one ipBlock peer: the ranges it must except, or that it lies inside. */
function ipBlockFindings(block: Props, at: string, label: string, forbidden: readonly Forbidden[]): string[] {
  const text = readString(block, "cidr");
  const excepts = readStrings(readList(block, "except"));
  if (text === UNKNOWN || excepts === UNKNOWN) {
    return [literal(`${at}.ipBlock`, label, "K8S-2")];
  }
  const cidr = text === undefined ? undefined : parseCidr(text);
  if (cidr === undefined) {
    return [
      `Set ${at}.ipBlock.cidr on ${label} to a valid CIDR, not ${JSON.stringify(text ?? null)} (K8S-2).`,
    ];
  }
  const inside = forbidden.find((f) => cidrContains(f.cidr, cidr));
  if (inside) {
    return [
      `Remove ipBlock ${text} at ${at} from ${label}: it lies inside ${inside.text}, the instance metadata address or an internal range where other namespaces' pods live (K8S-2).`,
    ];
  }
  const exceptCidrs = (excepts ?? []).map(parseCidr).filter((c): c is Cidr => c !== undefined);
  const missing = forbidden.filter(
    (f) => cidrContains(cidr, f.cidr) && !exceptCidrs.some((e) => cidrContains(e, f.cidr)),
  );
  return missing.length === 0
    ? []
    : [
        `Add ${missing.map((f) => f.text).join(", ")} to the except list of ipBlock ${text} at ${at} on ${label}: without them pods reach the instance metadata address (the node's credentials) and other namespaces (K8S-2).`,
      ];
}

/** Every finding on the egress rules of one NetworkPolicy. */
function egressFindings(policy: PolicyResource, forbidden: readonly Forbidden[]): string[] {
  const label = k8sLabel(policy.type, policy.name);
  const spec = readObject(policy.props, "spec");
  const rules = spec === UNKNOWN || spec === undefined ? spec : readList(spec, "egress");
  if (rules === UNKNOWN) {
    return [literal("spec.egress", label, "K8S-2")];
  }
  const findings: string[] = [];
  for (let i = 0; i < (rules?.length ?? 0); i++) {
    const rule = objectAt(rules ?? [], i);
    const peers = rule === UNKNOWN || rule === undefined ? rule : readList(rule, "to");
    if (rule === UNKNOWN || peers === UNKNOWN) {
      findings.push(literal(`spec.egress[${i}]`, label, "K8S-2"));
      continue;
    }
    if (rule === undefined || peers === undefined || peers.length === 0) {
      findings.push(
        `Give spec.egress[${i}] on ${label} a "to" list of ipBlock peers: a rule without one allows every destination, the instance metadata address and other namespaces included (K8S-2).`,
      );
      continue;
    }
    for (let j = 0; j < peers.length; j++) {
      const at = `spec.egress[${i}].to[${j}]`;
      const peer = objectAt(peers, j);
      if (peer === undefined) {
        continue;
      }
      const block = peer === UNKNOWN ? peer : readObject(peer, "ipBlock");
      const namespaces = peer === UNKNOWN ? peer : readValue(peer, "namespaceSelector");
      if (peer === UNKNOWN || block === UNKNOWN || namespaces === UNKNOWN) {
        findings.push(literal(at, label, "K8S-2"));
      } else if (block !== undefined) {
        findings.push(...ipBlockFindings(block, at, label, forbidden));
      } else if (namespaces !== undefined && !isDnsPeer(peer, rule)) {
        findings.push(
          `Remove the namespaceSelector peer ${at} from ${label}: it opens other namespaces; only cluster DNS (k8s-app: kube-dns in kube-system, port 53) may be reached across namespaces (K8S-2).`,
        );
      }
    }
  }
  return findings;
}

/**
 * K8S-2: every tenant namespace has a default-deny ingress policy and an egress policy selecting
 * every pod, and no NetworkPolicy outside the system namespaces lets pods reach the instance
 * metadata address or another namespace.
 */
export const k8sNamespaceNetworkIsolated: StackValidationPolicy = {
  name: "k8s-namespace-network-isolated",
  description:
    "Checks that every tenant Namespace has a default-deny ingress NetworkPolicy and an egress NetworkPolicy for all its pods, and that no egress rule reaches the instance metadata address (169.254.169.254) or other namespaces, while the internet may stay open (K8S-2).",
  configSchema: {
    properties: {
      systemNamespaces: systemNamespacesSchema,
      internalCidrs: {
        type: "array",
        items: { type: "string" },
        default: [...INTERNAL_CIDRS],
        description: "Pod and service ranges every egress ipBlock must except (K8S-2).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<NetworkPolicyConfig>();
    const system = config.systemNamespaces ?? SYSTEM_NAMESPACES;
    const forbidden = parsed([...METADATA_CIDRS, ...(config.internalCidrs ?? INTERNAL_CIDRS)]);
    const policies = args.resources.filter((r) => r.type === K8sType.networkPolicy);
    for (const namespace of tenantNamespaces(args.resources, config)) {
      const label = k8sLabel(namespace.type, namespace.name);
      const own = policies.filter((p) => inNamespace(p, namespace)).map(shapeOf);
      if (!own.every(isShape)) {
        continue; // The unreadable policy is reported below; it may be the missing one.
      }
      if (!own.some((r) => r.denyIngress)) {
        reportViolation(
          `Add a NetworkPolicy to ${label} with podSelector {}, policyTypes ["Ingress"] and no ingress rules, its metadata.namespace taken from the namespace: without it any pod in the cluster can connect to the tenant's pods (K8S-2).`,
          namespace.urn,
        );
      }
      if (!own.some((r) => r.egress)) {
        const excepts = [METADATA_CIDRS[0], ...(config.internalCidrs ?? INTERNAL_CIDRS)];
        reportViolation(
          `Add a NetworkPolicy to ${label} with podSelector {}, policyTypes ["Egress"] and one egress rule to ipBlock 0.0.0.0/0 except ${excepts.join(", ")}: without it pods reach the instance metadata address and other namespaces (K8S-2).`,
          namespace.urn,
        );
      }
    }
    for (const policy of policies) {
      const namespace = namespaceOf(policy.props);
      if (typeof namespace === "string" && system.includes(namespace)) {
        continue;
      }
      const shape = shapeOf(policy);
      if (!isShape(shape)) {
        reportViolation(literal(shape.unknown, k8sLabel(policy.type, policy.name), "K8S-2"), policy.urn);
      } else if (shape.types.includes("Egress")) {
        egressFindings(policy, forbidden).forEach((m) => reportViolation(m, policy.urn));
      }
    }
  },
};
