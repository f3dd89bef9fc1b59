// K8S-6: the EKS control plane of a tenant cluster. Its API server is reachable privately from the
// VPC and publicly only from the allowlist, Kubernetes secrets are envelope-encrypted with a KMS
// key, and the audit and authenticator logs go to CloudWatch, so every API call and every sign-in
// is on record. The key's ARN may be unknown at preview (a key created in the same stack): only
// its presence is decidable then, and that is what is checked (POL-2).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { K8sType, k8sLabel, literal, readObject, readStrings } from "./k8s-types";
import { parseCidr, cidrContains, isWorld } from "./net-cidr";
import { UNKNOWN, forTypes, readBoolean, readList, readString } from "./props";

/** Control plane log types K8S-6 requires: every API request, and every IAM sign-in. */
export const REQUIRED_LOG_TYPES: readonly string[] = ["audit", "authenticator"];

/** Settings of {@link k8sEksEndpointPrivate}. */
export interface EksEndpointConfig {
  /**
   * Blocks the public endpoint may be opened to; each of publicAccessCidrs must lie in one. Empty
   * accepts any block but the whole internet.
   * @default []
   */
  readonly allowedPublicAccessCidrs?: readonly string[];
}

const CLUSTER = [K8sType.eksCluster];

/**
 * K8S-6: the API server endpoint is private, and a public one (on unless turned off) is open only
 * to listed blocks, never 0.0.0.0/0 or ::/0 (EKS opens it to 0.0.0.0/0 when none are listed).
 */
export const k8sEksEndpointPrivate: ResourceValidationPolicy = {
  name: "k8s-eks-endpoint-private",
  description:
    "Checks that every EKS cluster sets vpcConfig.endpointPrivateAccess true and either turns endpointPublicAccess off or lists publicAccessCidrs without 0.0.0.0/0 or ::/0, inside allowedPublicAccessCidrs when given (K8S-6).",
  configSchema: {
    properties: {
      allowedPublicAccessCidrs: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Blocks the public API endpoint may be opened to; empty accepts any but the world (K8S-6).",
      },
    },
  },
  validateResource: forTypes(CLUSTER, (args, reportViolation) => {
    const label = k8sLabel(args.type, args.name);
    const vpc = readObject(args.props, "vpcConfig") ?? {};
    if (vpc === UNKNOWN) {
      reportViolation(literal("vpcConfig", label, "K8S-6"));
      return;
    }
    const privateAccess = readBoolean(vpc, "endpointPrivateAccess");
    if (privateAccess === UNKNOWN) {
      reportViolation(literal("vpcConfig.endpointPrivateAccess", label, "K8S-6"));
    } else if (privateAccess !== true) {
      reportViolation(
        `Set vpcConfig.endpointPrivateAccess: true on ${label}: nodes and administrators in the VPC then reach the API server without leaving it (K8S-6).`,
      );
    }
    const publicAccess = readBoolean(vpc, "endpointPublicAccess");
    const cidrs = readStrings(readList(vpc, "publicAccessCidrs"));
    if (publicAccess === UNKNOWN || (publicAccess !== false && cidrs === UNKNOWN)) {
      const path = publicAccess === UNKNOWN ? "endpointPublicAccess" : "publicAccessCidrs";
      reportViolation(literal(`vpcConfig.${path}`, label, "K8S-6"));
      return;
    }
    if (publicAccess === false || cidrs === UNKNOWN) {
      return;
    }
    if ((cidrs?.length ?? 0) === 0) {
      reportViolation(
        `Set vpcConfig.endpointPublicAccess: false on ${label}, or list the allowlist in vpcConfig.publicAccessCidrs: EKS opens a public endpoint without them to 0.0.0.0/0 (K8S-6).`,
      );
      return;
    }
    const allowlist = (args.getConfig<EksEndpointConfig>().allowedPublicAccessCidrs ?? []).map(parseCidr);
    for (const text of cidrs ?? []) {
      const cidr = parseCidr(text);
      const why =
        cidr === undefined
          ? "it is not a CIDR block"
          : isWorld(cidr)
            ? "it opens the API server to the whole internet"
            : allowlist.length > 0 && !allowlist.some((a) => a !== undefined && cidrContains(a, cidr))
              ? "it lies outside allowedPublicAccessCidrs in this policy's config"
              : undefined;
      if (why) {
        reportViolation(
          `Remove "${text}" from vpcConfig.publicAccessCidrs of ${label}: ${why}; list only the allowlist's blocks, or set endpointPublicAccess: false (K8S-6).`,
        );
      }
    }
  }),
};

/**
 * K8S-6: Kubernetes secrets are envelope-encrypted with a customer KMS key: encryptionConfig with
 * resources ["secrets"] and a provider keyArn. An unknown keyArn passes: it is the ARN of a key the
 * stack creates, and the value is AWS's to compute.
 */
export const k8sEksSecretsEncrypted: ResourceValidationPolicy = {
  name: "k8s-eks-secrets-encrypted",
  description:
    'Checks that every EKS cluster sets encryptionConfig with resources ["secrets"] and a provider keyArn, so Kubernetes secrets are envelope-encrypted with the tenant\'s KMS key (K8S-6).',
  validateResource: forTypes(CLUSTER, (args, reportViolation) => {
    const label = k8sLabel(args.type, args.name);
    const config = readObject(args.props, "encryptionConfig");
    if (config === UNKNOWN) {
      reportViolation(literal("encryptionConfig", label, "K8S-6"));
      return;
    }
    if (config === undefined) {
      reportViolation(
        `Add encryptionConfig { resources: ["secrets"], provider: { keyArn: <the tenant key's arn> } } to ${label}: without it Kubernetes secrets are stored under an AWS-owned key only (K8S-6).`,
      );
      return;
    }
    const resources = readStrings(readList(config, "resources"));
    if (resources === UNKNOWN) {
      reportViolation(literal("encryptionConfig.resources", label, "K8S-6"));
    } else if (!resources?.includes("secrets")) {
      reportViolation(
        `Set encryptionConfig.resources on ${label} to ["secrets"]: only listed resources are envelope-encrypted (K8S-6).`,
      );
    }
    const provider = readObject(config, "provider");
    const keyArn = provider === UNKNOWN || provider === undefined ? provider : readString(provider, "keyArn");
    if (provider === UNKNOWN) {
      reportViolation(literal("encryptionConfig.provider", label, "K8S-6"));
    } else if (keyArn === undefined || keyArn === "") {
      reportViolation(
        `Set encryptionConfig.provider.keyArn on ${label} to the tenant's KMS key ARN: it is the key secrets are encrypted with (K8S-6).`,
      );
    } else if (keyArn !== UNKNOWN && !/^arn:[^:]+:kms:/.test(keyArn)) {
      reportViolation(
        `Set encryptionConfig.provider.keyArn on ${label} to a KMS key ARN (arn:<partition>:kms:...), not "${keyArn}" (K8S-6).`,
      );
    }
  }),
};

/** K8S-6: the control plane sends its audit and authenticator logs to CloudWatch Logs. */
export const k8sEksControlPlaneLogged: ResourceValidationPolicy = {
  name: "k8s-eks-control-plane-logged",
  description:
    "Checks that every EKS cluster lists audit and authenticator in enabledClusterLogTypes, so every API call and IAM sign-in to the cluster is logged (K8S-6).",
  validateResource: forTypes(CLUSTER, (args, reportViolation) => {
    const label = k8sLabel(args.type, args.name);
    const types = readStrings(readList(args.props, "enabledClusterLogTypes"));
    if (types === UNKNOWN) {
      reportViolation(literal("enabledClusterLogTypes", label, "K8S-6"));
      return;
    }
    const missing = REQUIRED_LOG_TYPES.filter((t) => !types?.includes(t));
    if (missing.length > 0) {
      reportViolation(
        `Add ${missing.map((t) => `"${t}"`).join(", ")} to enabledClusterLogTypes of ${label}: the audit log records every API request and the authenticator log every IAM sign-in (K8S-6).`,
      );
    }
  }),
};
