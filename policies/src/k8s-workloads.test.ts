// K8S-4 on every workload type: hardened pods pass wherever the type keeps its pod spec; each
// weakened field fails with its own message; device plugins are allowlisted; patches are judged
// on what they set; unknown values ask for literals (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WorkloadType, hardenedContainer, hardenedPodSpec } from "./k8s-fixtures";
import { POD_SPEC_PATHS, WORKLOAD_TYPES } from "./k8s-types";
import { DEFAULT_ALLOWED_DAEMONSETS, k8sWorkloadPodHardened } from "./k8s-workloads";
import { runResourcePolicy, unknown } from "./testing";

const policy = k8sWorkloadPodHardened;
const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

type PodSpec = Record<string, unknown>;

/** A resource of `type` carrying `podSpec` where that type keeps it. */
function workload(type: string, podSpec: PodSpec, metadata: object = { namespace: "team-a", name: "web" }) {
  const path = POD_SPEC_PATHS.get(type) ?? [];
  const props = path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), podSpec) as Record<
    string,
    unknown
  >;
  return { type, name: "web", props: { ...props, metadata } as Record<string, unknown> };
}

const deployment = (podSpec: PodSpec) => workload(WorkloadType.deployment, podSpec);
const withContainer = (change: (c: Record<string, unknown>) => void, list = "containers"): PodSpec => {
  const container: Record<string, unknown> = hardenedContainer();
  change(container);
  return { ...hardenedPodSpec(), [list]: [container] };
};
const context = (c: Record<string, unknown>) => c.securityContext as Record<string, unknown>;
const on = 'container "notebook" of Deployment "web"';

describe("k8s-workload-pod-hardened (K8S-4)", () => {
  it("passes a hardened pod in every workload type and its Patch variant", async () => {
    assert.ok(WORKLOAD_TYPES.length >= 30, "every workload type and API version is covered");
    for (const type of WORKLOAD_TYPES) {
      assert.deepEqual(await runResourcePolicy(policy, workload(type, hardenedPodSpec())), passes, type);
    }
  });

  it("finds the pod spec where each kind keeps it (Pod, CronJob)", async () => {
    const bad = { containers: [{ name: "x" }] };
    for (const type of [WorkloadType.pod, WorkloadType.cronJob]) {
      const run = await runResourcePolicy(policy, workload(type, bad));
      assert.equal(run.violations.length, 3, type);
    }
  });

  it("lets the pod's securityContext satisfy runAsNonRoot, and a container override it", async () => {
    const podLevel = withContainer((c) => delete context(c).runAsNonRoot);
    assert.deepEqual(await runResourcePolicy(policy, deployment(podLevel)), passes);
    const overridden = withContainer((c) => (context(c).runAsNonRoot = false));
    assert.deepEqual(
      await runResourcePolicy(policy, deployment(overridden)),
      fails(
        `Set securityContext.runAsNonRoot: true on ${on} (or on its pod): it must not run as root (K8S-4).`,
      ),
    );
  });

  it("fails each weakened container setting with its own message", async () => {
    const cases: [(c: Record<string, unknown>) => void, string][] = [
      [
        (c) => delete c.securityContext,
        `Set securityContext.allowPrivilegeEscalation: false on ${on}: otherwise a setuid binary can gain the privileges the container was denied (K8S-4).`,
      ],
      [
        (c) => (context(c).privileged = true),
        `Remove securityContext.privileged: true from ${on}: a privileged container has every device and capability of the node (K8S-4).`,
      ],
      [
        (c) => (context(c).capabilities = { drop: ["NET_RAW"], add: ["SYS_ADMIN", "NET_BIND_SERVICE"] }),
        `Set securityContext.capabilities.drop: ["ALL"] on ${on}: capabilities left in place let it act as root on parts of the node (K8S-4).`,
      ],
      [
        (c) => (context(c).runAsUser = 0),
        `Set securityContext.runAsUser on ${on} to a non-zero UID, not 0: UID 0 is root (K8S-4).`,
      ],
    ];
    for (const [change, message] of cases) {
      const run = await runResourcePolicy(policy, deployment(withContainer(change)));
      assert.ok(run.violations.includes(message), `${message}\nnot in\n${run.violations.join("\n")}`);
    }
    const added = withContainer((c) => (context(c).capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] }));
    assert.deepEqual(
      await runResourcePolicy(policy, deployment(added)),
      fails(
        `Remove SYS_ADMIN from securityContext.capabilities.add on ${on}: only NET_BIND_SERVICE may be added back (K8S-4).`,
      ),
    );
  });

  it("checks init and ephemeral containers too", async () => {
    for (const list of ["initContainers", "ephemeralContainers"]) {
      const spec = {
        ...hardenedPodSpec(),
        [list]: [{ name: "setup", securityContext: { allowPrivilegeEscalation: false } }],
      };
      const run = await runResourcePolicy(policy, deployment(spec));
      assert.equal(run.violations.length, 1, list);
      assert.match(run.violations[0], /capabilities\.drop: \["ALL"\] on container "setup"/);
    }
  });

  it("fails host namespaces and hostPath volumes", async () => {
    const spec = {
      ...hardenedPodSpec(),
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
    };
    assert.deepEqual(
      await runResourcePolicy(policy, deployment(spec)),
      fails(
        'Remove hostNetwork: true from the pod spec of Deployment "web": it gives the pod the node\'s network stack (K8S-4).',
        'Remove hostPID: true from the pod spec of Deployment "web": it gives the pod the node\'s process table (K8S-4).',
        'Remove hostIPC: true from the pod spec of Deployment "web": it gives the pod the node\'s IPC namespace (K8S-4).',
        'Replace hostPath volume "docker" of Deployment "web" with a persistentVolumeClaim, configMap or emptyDir volume: a hostPath mounts the node\'s file system into the pod (K8S-4).',
      ),
    );
  });

  it("exempts the device plugin DaemonSets by namespace/name, and only those", async () => {
    const privileged = {
      hostNetwork: true,
      containers: [{ name: "plugin", securityContext: { privileged: true } }],
    };
    for (const entry of DEFAULT_ALLOWED_DAEMONSETS) {
      const [namespace, name] = entry.split("/");
      const plugin = workload(WorkloadType.daemonSet, privileged, { namespace, name });
      assert.deepEqual(await runResourcePolicy(policy, plugin), passes, entry);
    }
    const elsewhere = workload(WorkloadType.daemonSet, privileged, {
      name: "nvidia-device-plugin-daemonset",
    });
    assert.ok((await runResourcePolicy(policy, elsewhere)).violations.length > 0, "default namespace");
    const asDeployment = workload(WorkloadType.deployment, privileged, {
      namespace: "kube-system",
      name: "nvidia-device-plugin-daemonset",
    });
    assert.ok((await runResourcePolicy(policy, asDeployment)).violations.length > 0, "not a DaemonSet");
    const config = { allowedDaemonSets: ["support/cryptnono"] };
    const cryptnono = workload(WorkloadType.daemonSet, privileged, {
      namespace: "support",
      name: "cryptnono",
    });
    assert.deepEqual(await runResourcePolicy(policy, cryptnono, config), passes);
  });

  it("judges a Patch only on the values it sets", async () => {
    const partial = workload(WorkloadType.deploymentPatch, {
      containers: [{ name: "notebook", image: "v2" }],
    });
    assert.deepEqual(await runResourcePolicy(policy, partial), passes);
    const weakening = workload(WorkloadType.deploymentPatch, {
      containers: [{ name: "notebook", securityContext: { allowPrivilegeEscalation: true } }],
    });
    assert.deepEqual(
      await runResourcePolicy(policy, weakening),
      fails(
        'Set securityContext.allowPrivilegeEscalation: false on container "notebook" of DeploymentPatch "web": otherwise a setuid binary can gain the privileges the container was denied (K8S-4).',
      ),
    );
  });

  it("asks for literals where the pod spec or a security setting is unknown at preview (POL-2)", async () => {
    const literal = (path: string) =>
      `Set ${path} on Deployment "web" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-4, POL-2).`;
    const whole = workload(WorkloadType.deployment, {});
    (whole.props.spec as Record<string, unknown>).template = unknown.object;
    assert.deepEqual(await runResourcePolicy(policy, whole), fails(literal("spec.template.spec")));
    const escalation = withContainer((c) => (context(c).allowPrivilegeEscalation = unknown.boolean));
    assert.deepEqual(
      await runResourcePolicy(policy, deployment(escalation)),
      fails(literal("spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation")),
    );
    const podRoot = {
      ...withContainer((c) => delete context(c).runAsNonRoot),
      securityContext: unknown.object,
    };
    assert.deepEqual(
      await runResourcePolicy(policy, deployment(podRoot)),
      fails(literal("spec.template.spec.securityContext")),
    );
    const volumes = { ...hardenedPodSpec(), volumes: unknown.array };
    assert.deepEqual(
      await runResourcePolicy(policy, deployment(volumes)),
      fails(literal("spec.template.spec.volumes")),
    );
  });
});
