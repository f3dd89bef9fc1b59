// K8S-7: a stack running Kubernetes installs cryptnono and Prometheus with Grafana; a stack without
// Kubernetes is not asked for either.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WorkloadType, assertClusterVerdict, hardenedPodSpec } from "./k8s-fixtures";
import { k8sClusterMiningPrevented, k8sClusterUsageMonitored, namedAfter } from "./k8s-monitoring";
import { K8sType, chartName } from "./k8s-types";
import { StackSpec, urnOf } from "./net-fixtures";
import { runStackPolicy, stackResource, unknown } from "./testing";

const onCluster = (message: string) => ({ message, urn: urnOf(K8sType.eksCluster, "cluster") });
const noMiningPrevention = onCluster(
  'Add crypto-mining prevention to the stack of EKS cluster "cluster": a Helm release or chart of "cryptnono", or a DaemonSet named after one (2i2c runs cryptnono: https://github.com/cryptnono/cryptnono); it kills mining processes before they burn the tenants\' GPUs (K8S-7).',
);
const noMonitoring = onCluster(
  'Add usage monitoring to the stack of EKS cluster "cluster": a Helm release or chart of "kube-prometheus-stack", or of "prometheus" and "grafana"; Prometheus and Grafana show each tenant\'s abnormal CPU, memory, GPU and network use (K8S-7).',
);

describe("chart and workload names (K8S-7)", () => {
  it("reads a chart's name however it is referenced", () => {
    for (const reference of [
      "cryptnono",
      "cryptnono/cryptnono",
      "oci://ghcr.io/cryptnono/cryptnono",
      "./charts/cryptnono/",
      "https://cryptnono.github.io/cryptnono/cryptnono-0.3.1.tgz",
    ]) {
      assert.equal(chartName(reference), "cryptnono", reference);
    }
  });

  it("matches Helm-style names by whole words only", () => {
    assert.ok(namedAfter("support-cryptnono", "cryptnono"));
    assert.ok(namedAfter("prometheus-server", "prometheus"));
    assert.ok(!namedAfter("kube-prometheus-stack", "grafana"));
    assert.ok(!namedAfter("notcryptnono", "cryptnono"));
  });
});

describe("k8s-cluster-mining-prevented (K8S-7)", () => {
  const policy = k8sClusterMiningPrevented;

  it("passes a cluster stack with a cryptnono release", () => assertClusterVerdict(policy, () => {}, []));

  it("fails a cluster stack without it, reported on the EKS cluster", () =>
    assertClusterVerdict(policy, (s) => delete s.cryptnono, [noMiningPrevention]));

  it("accepts a release by OCI reference, or the DaemonSet a rendered chart creates", async () => {
    await assertClusterVerdict(
      policy,
      (s) => (s.cryptnono.props.chart = "oci://ghcr.io/cryptnono/cryptnono"),
      [],
    );
    await assertClusterVerdict(
      policy,
      (s) => {
        // A helm.sh/v4 Chart's outputs do not repeat its chart; what it renders names it.
        s.cryptnono = { type: K8sType.helmChartV4, props: { resources: [] } };
        s["support/cryptnono"] = {
          type: WorkloadType.daemonSet,
          props: { metadata: { namespace: "support", name: "support-cryptnono" }, spec: {} },
        };
      },
      [],
    );
  });

  it("is triggered by a workload alone, without an EKS cluster", async () => {
    const deployment = stackResource({
      type: WorkloadType.deployment,
      name: "web",
      props: { spec: { template: { spec: hardenedPodSpec() } } },
    });
    assert.deepEqual(await runStackPolicy(policy, [deployment]), {
      violations: [
        {
          message: noMiningPrevention.message.replace('EKS cluster "cluster"', 'Deployment "web"'),
          urn: deployment.urn,
        },
      ],
    });
  });

  it("takes the names that count from config", async () => {
    const message = noMiningPrevention.message.replace('of "cryptnono",', 'of "falco" or "tracee",');
    const config = { miningPrevention: ["falco", "tracee"] };
    await assertClusterVerdict(policy, () => {}, [{ ...noMiningPrevention, message }], config);
  });

  it("asks for a literal chart when an unknown one might be it (POL-2)", async () => {
    await assertClusterVerdict(policy, (s) => (s.cryptnono.props.chart = unknown.string), [
      {
        message:
          'Set chart on Helm release "cryptnono" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-7, POL-2).',
        urn: urnOf(K8sType.helmRelease, "cryptnono"),
      },
    ]);
  });
});

describe("k8s-cluster-usage-monitored (K8S-7)", () => {
  const policy = k8sClusterUsageMonitored;
  const release = (chart: string) => ({ type: K8sType.helmRelease, props: { chart } });

  it("passes a cluster stack with kube-prometheus-stack", () => assertClusterVerdict(policy, () => {}, []));

  it("fails a cluster stack without monitoring, or with Prometheus but no Grafana", async () => {
    await assertClusterVerdict(policy, (s) => delete s.monitoring, [noMonitoring]);
    await assertClusterVerdict(policy, (s) => (s.monitoring = release("prometheus-community/prometheus")), [
      noMonitoring,
    ]);
  });

  it("accepts Prometheus and Grafana as separate charts, rendered workloads, and sets from config", async () => {
    const separate = (s: StackSpec) => {
      s.monitoring = release("prometheus-community/prometheus");
      s.grafana = release("grafana/grafana");
    };
    await assertClusterVerdict(policy, separate, []);
    const rendered = (s: StackSpec) =>
      (s.monitoring = {
        type: WorkloadType.deployment,
        props: { metadata: { namespace: "monitoring", name: "kube-prometheus-stack-grafana" }, spec: {} },
      });
    await assertClusterVerdict(policy, rendered, []);
    await assertClusterVerdict(policy, (s) => (s.monitoring = release("victoria-metrics-k8s-stack")), [], {
      usageMonitoring: [["victoria-metrics-k8s-stack"]],
    });
  });

  it("reports nothing on a stack without Kubernetes", async () => {
    const vpc = stackResource({ type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.42.0.0/16" } });
    assert.deepEqual(await runStackPolicy(policy, [vpc]), { violations: [] });
  });
});
