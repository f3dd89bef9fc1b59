import type { ClusterSecretsArgs } from "./cluster-secrets";
import { environmentProblem } from "../tenant-key/tenant-scope";

/** One invalid {@link ClusterSecretsArgs} property: where it is and what to do about it. */
export interface ClusterSecretsArgsProblem {
  /** Property path inside the args, e.g. `headNodeNames[1]`. */
  readonly propertyPath: string;
  /** What is wrong, why it matters and how to fix it. */
  readonly reason: string;
}

// Tenant ids and node names end up in secret names, IAM patterns and systemd paths: keep them to
// lower-case DNS-label characters so none of those needs escaping.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
// A key ARN or an alias ARN: Secrets Manager accepts both, and both name one customer-managed key.
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;

/**
 * Checks every {@link ClusterSecretsArgs} property and returns all problems at once; an empty
 * array means the args are usable. `kmsKeyArn` is checked only when it is a plain string: an
 * output (the tenant key's ARN) is not known until the key exists.
 */
export function validateClusterSecretsArgs(args: ClusterSecretsArgs): ClusterSecretsArgsProblem[] {
  const problems: ClusterSecretsArgsProblem[] = [];
  const problem = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });

  if (typeof args.tenantId !== "string" || !LABEL.test(args.tenantId)) {
    problem(
      "tenantId",
      `${JSON.stringify(args.tenantId)} is not a tenant id; use lower-case letters, digits and ` +
        "hyphens, e.g. acme (it becomes part of every secret name moat/<tenantId>-<environment>/...)",
    );
  }
  const environment = environmentProblem(args.environment);
  if (environment !== undefined) {
    problem("environment", environment);
  }
  if (typeof args.kmsKeyArn === "string" && !KMS_KEY_ARN.test(args.kmsKeyArn)) {
    problem(
      "kmsKeyArn",
      `${JSON.stringify(args.kmsKeyArn)} is not a KMS key or alias ARN; pass the tenant key's ARN ` +
        "so every secret is encrypted with the tenant's customer-managed key (CMP-6, DAT-3)",
    );
  }
  const epoch = args.rotationEpoch;
  if (epoch !== undefined && !(Number.isSafeInteger(epoch) && epoch >= 0)) {
    problem(
      "rotationEpoch",
      `${String(epoch)} is not a whole number from 0 up; raise it by one to rotate the cluster SSH key ` +
        "and the JupyterLab tokens (CMP-9)",
    );
  }

  const names = Array.isArray(args.headNodeNames) ? args.headNodeNames : [];
  if (!Array.isArray(args.headNodeNames) || names.length === 0) {
    problem(
      "headNodeNames",
      'list the head nodes, e.g. ["head-0"]; each gets its own JupyterLab token and certificate (CMP-6)',
    );
  }
  const seen = new Set<string>();
  names.forEach((node, i) => {
    if (typeof node !== "string" || !LABEL.test(node)) {
      problem(
        `headNodeNames[${i}]`,
        `${JSON.stringify(node)} is not a node name; use the stable form head-0, head-1, ...`,
      );
    } else if (seen.has(node)) {
      problem(`headNodeNames[${i}]`, `"${node}" is listed twice; node names must be unique`);
    }
    seen.add(node);
  });

  for (const [node, dnsNames] of Object.entries(args.headNodeDnsNames ?? {})) {
    if (!seen.has(node)) {
      problem(
        `headNodeDnsNames.${node}`,
        `"${node}" is not in headNodeNames; add it there or remove its DNS names`,
      );
    }
    (Array.isArray(dnsNames) ? dnsNames : [dnsNames]).forEach((dns, i) => {
      if (typeof dns !== "string" || !DNS_NAME.test(dns)) {
        problem(
          `headNodeDnsNames.${node}[${i}]`,
          `${JSON.stringify(dns)} is not a DNS name for the certificate, e.g. head-0.acme.internal`,
        );
      }
    });
  }
  return problems;
}
