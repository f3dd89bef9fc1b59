// K8S-5: Services stay inside the cluster unless allowlisted; Ingresses serve every host over TLS.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WorkloadType } from "./k8s-fixtures";
import { k8sIngressTlsRequired, k8sServiceNotExposed } from "./k8s-services";
import { INGRESS_TYPES, K8sType } from "./k8s-types";
import { runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

describe("k8s-service-not-exposed (K8S-5)", () => {
  const policy = k8sServiceNotExposed;
  const service = (
    spec: object,
    metadata: object = { namespace: "team-a", name: "hub" },
    type: string = K8sType.service,
  ) => ({
    type,
    name: "hub",
    props: { metadata, spec: { ports: [{ port: 80 }], ...spec } },
  });
  const exposed = (type: string, entry = 'add "team-a/hub" to allowedServices', kind = "Service") =>
    `Change spec.type of ${kind} "hub" to ClusterIP, not ${type}, and reach it through a TLS Ingress: a ${type} Service opens the tenant's pods outside the cluster; if that is intended, ${entry} in this policy's config (K8S-5).`;

  it("passes ClusterIP and headless services, typed or not", async () => {
    assert.deepEqual(await runResourcePolicy(policy, service({})), passes);
    assert.deepEqual(
      await runResourcePolicy(policy, service({ type: "ClusterIP", clusterIP: "None" })),
      passes,
    );
  });

  it("fails LoadBalancer and NodePort services, and a patch that sets either", async () => {
    for (const type of ["LoadBalancer", "NodePort"]) {
      assert.deepEqual(await runResourcePolicy(policy, service({ type })), fails(exposed(type)), type);
    }
    const patch = service({ type: "LoadBalancer" }, undefined, K8sType.servicePatch);
    assert.deepEqual(
      await runResourcePolicy(policy, patch),
      fails(exposed("LoadBalancer", undefined, "ServicePatch")),
    );
  });

  it("passes an exposed service allowlisted by namespace/name, and only that one", async () => {
    const config = { allowedServices: ["team-a/hub"] };
    assert.deepEqual(await runResourcePolicy(policy, service({ type: "LoadBalancer" }), config), passes);
    const other = service({ type: "LoadBalancer" }, { namespace: "team-b", name: "hub" });
    assert.equal((await runResourcePolicy(policy, other, config)).violations.length, 1);
  });

  it("asks a generated name to become literal before it can be allowlisted", async () => {
    const generated = service({ type: "NodePort" }, { namespace: "team-a" });
    assert.deepEqual(
      await runResourcePolicy(policy, generated),
      fails(
        exposed(
          "NodePort",
          "give it a literal metadata.name and metadata.namespace and add them as namespace/name to allowedServices",
        ),
      ),
    );
  });

  it("asks for a literal type when it is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, service({ type: unknown.string })),
      fails(
        'Set spec.type on Service "hub" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-5, POL-2).',
      ),
    );
  });
});

describe("k8s-ingress-tls-required (K8S-5)", () => {
  const policy = k8sIngressTlsRequired;
  const rule = (host?: string) => ({
    ...(host ? { host } : {}),
    http: {
      paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "hub", port: { number: 80 } } } }],
    },
  });
  const ingress = (spec: object, type: string = WorkloadType.ingress) => ({
    type,
    name: "hub",
    props: { spec },
  });
  const tls = [{ hosts: ["hub.acme.example", "*.users.acme.example"], secretName: "hub-tls" }];

  it("passes an Ingress whose every host has TLS, wildcards included, in every API version", async () => {
    for (const type of INGRESS_TYPES) {
      const spec = { tls, rules: [rule("hub.acme.example"), rule("alice.users.acme.example")] };
      assert.deepEqual(await runResourcePolicy(policy, ingress(spec, type)), passes, type);
    }
  });

  it("fails an Ingress without TLS", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, ingress({ rules: [rule("hub.acme.example")] })),
      fails(
        'Add spec.tls to Ingress "hub" with a certificate secret for each host it routes: without TLS the tenant\'s traffic and tokens cross the network in clear text (K8S-5).',
      ),
    );
  });

  it("fails a host no TLS entry covers; a wildcard covers one label only", async () => {
    const spec = { tls, rules: [rule("grafana.acme.example"), rule("a.b.users.acme.example")] };
    assert.deepEqual(
      await runResourcePolicy(policy, ingress(spec)),
      fails(
        'Cover host "grafana.acme.example" on Ingress "hub" with the hosts of a spec.tls entry: otherwise it is served without TLS (K8S-5).',
        'Cover host "a.b.users.acme.example" on Ingress "hub" with the hosts of a spec.tls entry: otherwise it is served without TLS (K8S-5).',
      ),
    );
  });

  it("needs a default certificate for a rule without a host", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, ingress({ tls, rules: [rule()] })),
      fails(
        'Cover rule spec.rules[0], which has no host, on Ingress "hub" with a spec.tls entry without hosts (the default certificate): otherwise it is served without TLS (K8S-5).',
      ),
    );
    const defaulted = { tls: [...tls, { secretName: "default-tls" }], rules: [rule()] };
    assert.deepEqual(await runResourcePolicy(policy, ingress(defaulted)), passes);
  });

  it("asks for literals where TLS or a host is unknown at preview (POL-2)", async () => {
    const literal = (path: string) =>
      `Set ${path} on Ingress "hub" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-5, POL-2).`;
    assert.deepEqual(
      await runResourcePolicy(policy, ingress({ tls: unknown.array })),
      fails(literal("spec.tls")),
    );
    assert.deepEqual(
      await runResourcePolicy(policy, ingress({ tls, rules: [{ host: unknown.string }] })),
      fails(literal("spec.rules[0].host")),
    );
  });
});
