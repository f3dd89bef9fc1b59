// DAT-2 for endpoints: any HTTPS or TLS endpoint a stack declares negotiates TLS 1.2 or later. The
// protocol and the security policy are literals the user writes, so they are known at preview; an
// unknown or absent one is a violation (POL-2), since AWS's defaults for several of these still
// accept TLS 1.0.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { Props, Read, UNKNOWN, forTypes, readString, readValue } from "./props";

/** Endpoint resource types that terminate TLS, with aliases. */
export const TLS_ENDPOINT_TYPES = {
  lbListener: "aws:lb/listener:Listener",
  albListener: "aws:alb/listener:Listener",
  restDomain: "aws:apigateway/domainName:DomainName",
  httpDomain: "aws:apigatewayv2/domainName:DomainName",
  distribution: "aws:cloudfront/distribution:Distribution",
} as const;

/**
 * Elastic Load Balancing security policies that accept only TLS 1.2 and later: the TLS13-1-2/1-3,
 * TLS-1-2 and FS-1-2 families (and their -Res, -Ext and post-quantum variants).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export function isTls12LoadBalancerPolicy(policy: string): boolean {
  return /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/.test(policy);
}

/** CloudFront minimum viewer protocols of TLS 1.2 and later (TLSv1.2_2018 ... TLSv1.3_2025). */
export function isTls12CloudFrontProtocol(version: string): boolean {
  return /^TLSv1\.[23]_\d{4}$/.test(version);
}

function nested(props: Props, key: string, inner: string): Read<string> {
  const outer = readValue(props, key);
  if (outer === UNKNOWN) {
    return UNKNOWN;
  }
  return typeof outer === "object" && outer !== null ? readString(outer as Props, inner) : undefined;
}

// What each endpoint type negotiates: the setting's name, its value, and whether it is TLS 1.2+.
// `undefined` when the resource terminates no TLS (a plain HTTP or TCP listener).
function tlsSetting(
  type: string,
  props: Props,
): { setting: string; value: Read<string>; ok: boolean } | undefined {
  switch (type) {
    case TLS_ENDPOINT_TYPES.lbListener:
    case TLS_ENDPOINT_TYPES.albListener: {
      const policy = readString(props, "sslPolicy");
      const ok = typeof policy === "string" && isTls12LoadBalancerPolicy(policy);
      const protocol = readString(props, "protocol");
      if (!ok && typeof protocol === "string" && !["HTTPS", "TLS"].includes(protocol.toUpperCase())) {
        return undefined;
      }
      // A TLS 1.2 policy settles it whatever the protocol; else an unknown protocol may be HTTPS.
      return { setting: "sslPolicy", value: protocol === UNKNOWN ? UNKNOWN : policy, ok };
    }
    case TLS_ENDPOINT_TYPES.restDomain: {
      const value = readString(props, "securityPolicy");
      return { setting: "securityPolicy", value, ok: typeof value === "string" && value !== "TLS_1_0" };
    }
    case TLS_ENDPOINT_TYPES.httpDomain: {
      const value = nested(props, "domainNameConfiguration", "securityPolicy");
      return {
        setting: "domainNameConfiguration.securityPolicy",
        value,
        ok: typeof value === "string" && value !== "TLS_1_0",
      };
    }
    default: {
      const value = nested(props, "viewerCertificate", "minimumProtocolVersion");
      return {
        setting: "viewerCertificate.minimumProtocolVersion",
        value,
        ok: typeof value === "string" && isTls12CloudFrontProtocol(value),
      };
    }
  }
}

/** DAT-2: every HTTPS/TLS endpoint negotiates TLS 1.2 or later. */
export const datHttpsEndpointTls12: ResourceValidationPolicy = {
  name: "dat-https-endpoint-tls12",
  description:
    "Checks that every HTTPS or TLS endpoint (load balancer listeners, API Gateway custom domains, CloudFront distributions) accepts only TLS 1.2 or later, through a literal security policy (DAT-2).",
  validateResource: forTypes(Object.values(TLS_ENDPOINT_TYPES), (args, reportViolation) => {
    const found = tlsSetting(args.type, args.props);
    if (found === undefined || found.ok) {
      return;
    }
    const label = `${args.type} "${args.name}"`;
    const { setting, value } = found;
    reportViolation(
      value === UNKNOWN
        ? `Set ${setting} (and the protocol) on ${label} to literal values accepting TLS 1.2 or later: they are unknown at preview, so this policy cannot verify them (DAT-2, POL-2).`
        : `Set ${setting} on ${label} to a policy accepting only TLS 1.2 or later (e.g. ${args.type === TLS_ENDPOINT_TYPES.distribution ? "TLSv1.2_2021" : args.type.includes("apigateway") ? "TLS_1_2" : "ELBSecurityPolicy-TLS13-1-2-2021-06"}): ${value === undefined ? "it is not set, and the default may accept TLS 1.0" : `"${value}" accepts older TLS`} (DAT-2).`,
    );
  }),
};
