// K8S-2 on a tenant namespace: default-deny ingress, an egress baseline, and no egress rule that
// reaches the instance metadata address or another namespace, in every ID mode (POL-2).
import { describe, it } from "node:test";
import { TENANT, assertClusterVerdict, dnsRule, internetRule } from "./k8s-fixtures";
import { k8sNamespaceNetworkIsolated } from "./k8s-network-policy";
import { K8sType } from "./k8s-types";
import { Spec, StackSpec, urnOf } from "./net-fixtures";
import { unknown } from "./testing";

const policy = k8sNamespaceNetworkIsolated;
const onNamespace = (message: string) => ({ message, urn: urnOf(K8sType.namespace, TENANT) });
const onPolicy = (message: string, name = "egress") => ({ message, urn: urnOf(K8sType.networkPolicy, name) });

const missingIngress = onNamespace(
  'Add a NetworkPolicy to Namespace "team-a" with podSelector {}, policyTypes ["Ingress"] and no ingress rules, its metadata.namespace taken from the namespace: without it any pod in the cluster can connect to the tenant\'s pods (K8S-2).',
);
const missingEgress = onNamespace(
  'Add a NetworkPolicy to Namespace "team-a" with podSelector {}, policyTypes ["Egress"] and one egress rule to ipBlock 0.0.0.0/0 except 169.254.169.254/32, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10: without it pods reach the instance metadata address and other namespaces (K8S-2).',
);
const except = (ranges: string, cidr = "0.0.0.0/0", at = "spec.egress[0].to[0]") =>
  onPolicy(
    `Add ${ranges} to the except list of ipBlock ${cidr} at ${at} on NetworkPolicy "egress": without them pods reach the instance metadata address (the node's credentials) and other namespaces (K8S-2).`,
  );

const spec = (s: StackSpec, name: string) => s[name].props.spec as Record<string, unknown>;
const egressRules = (s: StackSpec, rules: unknown) => (spec(s, "egress").egress = rules);
const block = (cidr: string, exceptList?: string[]) => ({
  to: [{ ipBlock: { cidr, ...(exceptList ? { except: exceptList } : {}) } }],
});

describe("k8s-namespace-network-isolated (K8S-2)", () => {
  it("passes a namespace with default-deny ingress and internet-only egress plus DNS", () =>
    assertClusterVerdict(policy, () => {}, []));

  it("fails a namespace without a default-deny ingress policy", async () => {
    await assertClusterVerdict(policy, (s) => delete s["deny-ingress"], [missingIngress]);
    // A policy that admits traffic, or selects only some pods, denies nothing by default.
    await assertClusterVerdict(policy, (s) => (spec(s, "deny-ingress").ingress = [{}]), [missingIngress]);
    await assertClusterVerdict(
      policy,
      (s) => (spec(s, "deny-ingress").podSelector = { matchLabels: { app: "hub" } }),
      [missingIngress],
    );
  });

  it("accepts Kubernetes' default policyTypes and one policy serving as both baselines", async () => {
    await assertClusterVerdict(policy, (s) => delete spec(s, "deny-ingress").policyTypes, []);
    await assertClusterVerdict(
      policy,
      (s) => {
        delete s["deny-ingress"];
        spec(s, "egress").policyTypes = ["Ingress", "Egress"];
      },
      [],
    );
  });

  it("fails a namespace without an egress policy for all its pods, and accepts deny-all egress", async () => {
    await assertClusterVerdict(policy, (s) => delete s.egress, [missingEgress]);
    await assertClusterVerdict(policy, (s) => egressRules(s, []), []);
  });

  it("fails an ipBlock that does not except the metadata address and the internal ranges", async () => {
    await assertClusterVerdict(policy, (s) => egressRules(s, [block("0.0.0.0/0", ["10.0.0.0/8"])]), [
      except("169.254.169.254/32, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10"),
    ]);
    await assertClusterVerdict(policy, (s) => egressRules(s, [block("::/0")]), [
      except("fd00:ec2::254/128", "::/0"),
    ]);
    // A wider except covers a narrower forbidden range.
    const wide = ["169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
    await assertClusterVerdict(policy, (s) => egressRules(s, [block("0.0.0.0/0", wide)]), []);
  });

  it("fails an ipBlock inside an internal range, unless config narrows the internal ranges", async () => {
    const inside = onPolicy(
      'Remove ipBlock 10.1.0.0/16 at spec.egress[0].to[0] from NetworkPolicy "egress": it lies inside 10.0.0.0/8, the instance metadata address or an internal range where other namespaces\' pods live (K8S-2).',
    );
    await assertClusterVerdict(policy, (s) => egressRules(s, [block("10.1.0.0/16")]), [inside]);
    const config = { internalCidrs: ["100.64.0.0/16"] };
    await assertClusterVerdict(policy, (s) => egressRules(s, [block("10.1.0.0/16")]), [], config);
  });

  it("fails egress to other namespaces and rules without a destination; DNS on port 53 only", async () => {
    const open = onPolicy(
      'Give spec.egress[0] on NetworkPolicy "egress" a "to" list of ipBlock peers: a rule without one allows every destination, the instance metadata address and other namespaces included (K8S-2).',
    );
    await assertClusterVerdict(policy, (s) => egressRules(s, [{ ports: [{ port: 443 }] }]), [open]);
    const crossing = onPolicy(
      'Remove the namespaceSelector peer spec.egress[1].to[0] from NetworkPolicy "egress": it opens other namespaces; only cluster DNS (k8s-app: kube-dns in kube-system, port 53) may be reached across namespaces (K8S-2).',
    );
    await assertClusterVerdict(
      policy,
      (s) => egressRules(s, [internetRule(), { to: [{ namespaceSelector: {} }] }]),
      [crossing],
    );
    await assertClusterVerdict(
      policy,
      (s) => egressRules(s, [internetRule(), { ...dnsRule(), ports: [{ port: 80 }] }]),
      [crossing],
    );
    // A podSelector alone stays in the namespace.
    await assertClusterVerdict(policy, (s) => egressRules(s, [{ to: [{ podSelector: {} }] }]), []);
  });

  it("audits every policy outside the system namespaces, not only the baselines", async () => {
    const extra: Spec = {
      type: K8sType.networkPolicy,
      props: {
        metadata: { namespace: TENANT },
        spec: { podSelector: { matchLabels: { app: "hub" } }, policyTypes: ["Egress"], egress: [{}] },
      },
    };
    const message =
      'Give spec.egress[0] on NetworkPolicy "hub" a "to" list of ipBlock peers: a rule without one allows every destination, the instance metadata address and other namespaces included (K8S-2).';
    await assertClusterVerdict(policy, (s) => (s.hub = extra), [onPolicy(message, "hub")]);
    const system = { ...extra, props: { ...extra.props, metadata: { namespace: "kube-system" } } };
    await assertClusterVerdict(policy, (s) => (s.hub = system), []);
  });

  it("links policies to a generated namespace through their dependency on it (POL-2)", async () => {
    const generated = (s: StackSpec) => {
      s[TENANT].props.metadata = {};
      for (const name of ["deny-ingress", "egress"]) {
        s[name].props.metadata = { namespace: unknown.string };
        s[name].links = { metadata: [TENANT] };
      }
    };
    await assertClusterVerdict(policy, generated, []);
    await assertClusterVerdict(
      policy,
      (s) => {
        generated(s);
        delete s.egress.links;
      },
      [missingEgress],
    );
  });

  it("asks for literals where a policy's shape or a block is unknown at preview (POL-2)", async () => {
    const literal = (path: string, name = "egress") =>
      onPolicy(
        `Set ${path} on NetworkPolicy "${name}" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-2, POL-2).`,
        name,
      );
    await assertClusterVerdict(policy, (s) => (s.egress.props.spec = unknown.object), [literal("spec")]);
    await assertClusterVerdict(policy, (s) => (spec(s, "deny-ingress").podSelector = unknown.object), [
      literal("spec.podSelector", "deny-ingress"),
    ]);
    await assertClusterVerdict(
      policy,
      (s) => egressRules(s, [{ to: [{ ipBlock: { cidr: unknown.string } }] }]),
      [literal("spec.egress[0].to[0].ipBlock")],
    );
  });
});
