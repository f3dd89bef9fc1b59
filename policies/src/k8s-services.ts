// K8S-5: nothing in the cluster faces the outside except by choice. A Service of type LoadBalancer
// or NodePort opens the tenant's pods to the VPC or the internet, so it needs a named allowlist
// entry; an Ingress serves HTTP only behind TLS for every host it routes.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
  INGRESS_TYPES,
  K8sType,
  k8sLabel,
  literal,
  objectAt,
  qualifiedName,
  readPathList,
  readPathString,
  readStrings,
} from "./k8s-types";
import { Props, UNKNOWN, forTypes, readList, readString } from "./props";

/** Service types that expose pods beyond the cluster network. */
export const EXPOSED_SERVICE_TYPES: readonly string[] = ["LoadBalancer", "NodePort"];

/** Settings of {@link k8sServiceNotExposed}. */
export interface ServiceConfig {
  /**
   * Services, as `namespace/name`, that may be of type LoadBalancer or NodePort.
   * @default []
   */
  readonly allowedServices?: readonly string[];
}

/**
 * K8S-5: no Service is of type LoadBalancer or NodePort unless its `namespace/name` is listed in
 * this policy's config. A ServicePatch is judged on the type it sets.
 */
export const k8sServiceNotExposed: ResourceValidationPolicy = {
  name: "k8s-service-not-exposed",
  description:
    "Checks that no Service is of type LoadBalancer or NodePort unless its namespace/name is listed in allowedServices (K8S-5).",
  configSchema: {
    properties: {
      allowedServices: {
        type: "array",
        items: { type: "string", pattern: "^[^/]+/[^/]+$" },
        default: [],
        description: "Services, as namespace/name, allowed to be of type LoadBalancer or NodePort (K8S-5).",
      },
    },
  },
  validateResource: forTypes([K8sType.service, K8sType.servicePatch], (args, reportViolation) => {
    const label = k8sLabel(args.type, args.name);
    const type = readPathString(args.props, "spec", "type");
    if (type === UNKNOWN) {
      reportViolation(literal("spec.type", label, "K8S-5"));
      return;
    }
    if (type === undefined || !EXPOSED_SERVICE_TYPES.includes(type)) {
      return;
    }
    const allowed = args.getConfig<ServiceConfig>().allowedServices ?? [];
    const name = qualifiedName(args.props);
    if (typeof name === "string" && allowed.includes(name)) {
      return;
    }
    const entry =
      typeof name === "string"
        ? `add "${name}" to allowedServices`
        : "give it a literal metadata.name and metadata.namespace and add them as namespace/name to allowedServices";
    reportViolation(
      `Change spec.type of ${label} to ClusterIP, not ${type}, and reach it through a TLS Ingress: a ${type} Service opens the tenant's pods outside the cluster; if that is intended, ${entry} in this policy's config (K8S-5).`,
    );
  }),
};

/** True when a TLS entry's host list covers `host`; a wildcard covers exactly one label. */
function covers(tlsHosts: readonly string[], host: string): boolean {
  return tlsHosts.some(
    (t) =>
      t === host ||
      (t.startsWith("*.") && host.slice(host.indexOf(".")) === t.slice(1) && !host.startsWith("*")),
  );
}

/**
 * K8S-5: every Ingress has `spec.tls`, and each rule's host is named in a TLS entry's hosts (a
 * rule without a host, which matches every host, needs a TLS entry without hosts: the default
 * certificate).
 */
export const k8sIngressTlsRequired: ResourceValidationPolicy = {
  name: "k8s-ingress-tls-required",
  description:
    "Checks that every Ingress has spec.tls and that every host its rules route is listed in the hosts of a spec.tls entry (K8S-5).",
  validateResource: forTypes(INGRESS_TYPES, (args, reportViolation) => {
    const label = k8sLabel(args.type, args.name);
    const tls = readPathList(args.props, "spec", "tls");
    const rules = readPathList(args.props, "spec", "rules");
    if (tls === UNKNOWN || rules === UNKNOWN) {
      reportViolation(literal(tls === UNKNOWN ? "spec.tls" : "spec.rules", label, "K8S-5"));
      return;
    }
    if ((tls?.length ?? 0) === 0) {
      reportViolation(
        `Add spec.tls to ${label} with a certificate secret for each host it routes: without TLS the tenant's traffic and tokens cross the network in clear text (K8S-5).`,
      );
      return;
    }
    const hosts: string[] = [];
    let defaultCertificate = false;
    for (let i = 0; i < (tls?.length ?? 0); i++) {
      const entry = objectAt(tls ?? [], i);
      const listed = typeof entry === "object" ? readStrings(readList(entry, "hosts")) : entry;
      if (listed === UNKNOWN) {
        reportViolation(literal(`spec.tls[${i}].hosts`, label, "K8S-5"));
        return;
      }
      hosts.push(...(listed ?? []));
      defaultCertificate ||= (listed?.length ?? 0) === 0;
    }
    for (let i = 0; i < (rules?.length ?? 0); i++) {
      const rule = objectAt(rules ?? [], i);
      const host = typeof rule === "object" ? readString(rule as Props, "host") : rule;
      if (host === UNKNOWN) {
        reportViolation(literal(`spec.rules[${i}].host`, label, "K8S-5"));
      } else if (host === undefined ? !defaultCertificate : !covers(hosts, host)) {
        const what = host === undefined ? `rule spec.rules[${i}], which has no host,` : `host "${host}"`;
        const fix =
          host === undefined
            ? "a spec.tls entry without hosts (the default certificate)"
            : "the hosts of a spec.tls entry";
        reportViolation(`Cover ${what} on ${label} with ${fix}: otherwise it is served without TLS (K8S-5).`);
      }
    }
  }),
};
