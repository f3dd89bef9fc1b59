// K8S-1 (restricted Pod Security Admission) and K8S-3 (quota and limit range) on tenant namespaces,
// linked to their objects by literal name or by dependency (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TENANT, assertClusterVerdict } from "./k8s-fixtures";
import {
  PSA_ENFORCE_LABEL,
  k8sNamespaceQuotaLimited,
  k8sNamespaceRestrictedEnforced,
} from "./k8s-namespaces";
import { K8sType } from "./k8s-types";
import { urnOf } from "./net-fixtures";
import { runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

describe("k8s-namespace-restricted-enforced (K8S-1)", () => {
  const policy = k8sNamespaceRestrictedEnforced;
  const namespace = (metadata: object, type: string = K8sType.namespace) => ({
    type,
    name: "team-a",
    props: { metadata },
  });
  const restricted = { labels: { [PSA_ENFORCE_LABEL]: "restricted" } };
  const label = (now = "", kind = "Namespace") =>
    `Label ${kind} "team-a" with ${PSA_ENFORCE_LABEL}: "restricted"${now}: Pod Security Admission then refuses pods that run as root, escalate privileges or share the host's namespaces (K8S-1).`;

  it("passes a namespace, named or generated, that enforces restricted", async () => {
    assert.deepEqual(await runResourcePolicy(policy, namespace({ name: "team-a", ...restricted })), passes);
    assert.deepEqual(await runResourcePolicy(policy, namespace(restricted)), passes);
  });

  it("fails a namespace without the label, or with a weaker profile", async () => {
    assert.deepEqual(await runResourcePolicy(policy, namespace({ name: "team-a" })), fails(label()));
    const baseline = namespace({ name: "team-a", labels: { [PSA_ENFORCE_LABEL]: "baseline" } });
    assert.deepEqual(await runResourcePolicy(policy, baseline), fails(label(', not "baseline"')));
  });

  it("exempts Kubernetes' own namespaces but not default, and takes the list from config", async () => {
    for (const name of ["kube-system", "kube-public", "kube-node-lease"]) {
      assert.deepEqual(await runResourcePolicy(policy, namespace({ name })), passes, name);
    }
    const patch = namespace(
      { name: "default", labels: { [PSA_ENFORCE_LABEL]: "privileged" } },
      K8sType.namespacePatch,
    );
    assert.deepEqual(
      await runResourcePolicy(policy, patch),
      fails(label(', not "privileged"', "NamespacePatch")),
    );
    const config = { systemNamespaces: ["team-a"] };
    assert.deepEqual(await runResourcePolicy(policy, namespace({ name: "team-a" }), config), passes);
  });

  it("passes a NamespacePatch that leaves the label alone", async () => {
    const patch = namespace({ name: "team-a", annotations: { owner: "acme" } }, K8sType.namespacePatch);
    assert.deepEqual(await runResourcePolicy(policy, patch), passes);
  });

  it("asks for a literal label when it is unknown at preview (POL-2)", async () => {
    const message = `Set metadata.labels["${PSA_ENFORCE_LABEL}"] on Namespace "team-a" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-1, POL-2).`;
    const value = namespace({ name: "team-a", labels: { [PSA_ENFORCE_LABEL]: unknown.string } });
    assert.deepEqual(await runResourcePolicy(policy, value), fails(message));
    const labels = namespace({ name: "team-a", labels: unknown.object });
    assert.deepEqual(await runResourcePolicy(policy, labels), fails(message));
  });

  it("does not apply to other types", async () => {
    const run = await runResourcePolicy(policy, { type: K8sType.service, props: {} });
    assert.match(run.notApplicable ?? "", /^Policy only applies/);
  });
});

describe("k8s-namespace-quota-limited (K8S-3)", () => {
  const policy = k8sNamespaceQuotaLimited;
  const onNamespace = (message: string) => ({ message, urn: urnOf(K8sType.namespace, TENANT) });
  const quota = (keys: string) =>
    onNamespace(
      `Add a ResourceQuota to Namespace "team-a" whose spec.hard sets ${keys}, without scopes: an uncapped tenant can take every GPU, CPU and byte of memory in the cluster (K8S-3).`,
    );
  const limitRange = onNamespace(
    'Add a LimitRange to Namespace "team-a" with a limit of type "Container" whose default sets cpu and memory: pods that declare no limits then get them, and count against the namespace\'s quota (K8S-3).',
  );
  const all = "requests.cpu, requests.memory, requests.nvidia.com/gpu, requests.aws.amazon.com/neuron";

  it("passes a namespace with a full quota and a limit range", () =>
    assertClusterVerdict(policy, () => {}, []));

  it("fails a namespace without a quota, or whose quota is in another namespace", async () => {
    await assertClusterVerdict(policy, (s) => delete s.quota, [quota(all)]);
    await assertClusterVerdict(
      policy,
      (s) => ((s.quota.props.metadata as { namespace: string }).namespace = "team-b"),
      [quota(all)],
    );
  });

  it("fails a quota that leaves the GPUs uncapped, and counts neither scoped quotas nor others", async () => {
    const hard = (s: Record<string, { props: Record<string, unknown> }>) =>
      (s.quota.props.spec as { hard: Record<string, string> }).hard;
    await assertClusterVerdict(policy, (s) => delete hard(s)["requests.nvidia.com/gpu"], [
      quota("requests.nvidia.com/gpu"),
    ]);
    await assertClusterVerdict(
      policy,
      (s) => ((s.quota.props.spec as Record<string, unknown>).scopes = ["BestEffort"]),
      [quota(all)],
    );
  });

  it("adds up several unscoped quotas and accepts limits.* and bare keys", async () => {
    await assertClusterVerdict(
      policy,
      (s) => {
        s.quota.props.spec = { hard: { "limits.cpu": "64", memory: "256Gi" } };
        s.gpus = {
          type: K8sType.resourceQuota,
          props: {
            metadata: { namespace: TENANT },
            spec: { hard: { "requests.nvidia.com/gpu": "8", "requests.aws.amazon.com/neuron": "0" } },
          },
        };
      },
      [],
    );
  });

  it("takes the accelerators to cap from config", async () => {
    const config = { acceleratorResources: ["nvidia.com/gpu", "vpc.amazonaws.com/efa"] };
    await assertClusterVerdict(policy, () => {}, [quota("requests.vpc.amazonaws.com/efa")], config);
  });

  it("fails a namespace without a limit range giving containers default cpu and memory", async () => {
    await assertClusterVerdict(policy, (s) => delete s.limits, [limitRange]);
    await assertClusterVerdict(
      policy,
      (s) => (s.limits.props.spec = { limits: [{ type: "Container", default: { cpu: "1" } }] }),
      [limitRange],
    );
  });

  it("links objects to a generated namespace through their dependency on it (POL-2)", async () => {
    const generated = (
      s: Record<string, { props: Record<string, unknown>; links?: Record<string, string[]> }>,
    ) => {
      s[TENANT].props.metadata = { labels: {} };
      for (const name of ["quota", "limits"]) {
        s[name].props.metadata = { namespace: unknown.string };
        s[name].links = { metadata: [TENANT] };
      }
    };
    await assertClusterVerdict(policy, generated, []);
    await assertClusterVerdict(
      policy,
      (s) => {
        generated(s);
        delete s.quota.links;
      },
      [quota(all)],
    );
  });

  it("asks for literals where the quota or limit range is unknown at preview (POL-2)", async () => {
    const literal = (kind: string, name: string, path: string) => ({
      message: `Set ${path} on ${kind} "${name}" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-3, POL-2).`,
      urn: urnOf(kind === "ResourceQuota" ? K8sType.resourceQuota : K8sType.limitRange, name),
    });
    await assertClusterVerdict(policy, (s) => (s.quota.props.spec = { hard: unknown.object }), [
      literal("ResourceQuota", "quota", "spec.hard"),
    ]);
    await assertClusterVerdict(policy, (s) => (s.limits.props.spec = { limits: unknown.array }), [
      literal("LimitRange", "limits", "spec.limits"),
    ]);
  });

  it("ignores system namespaces", async () => {
    await assertClusterVerdict(
      policy,
      (s) => {
        s[TENANT].props.metadata = { name: "kube-system" };
        delete s.quota;
        delete s.limits;
      },
      [],
    );
  });
});
