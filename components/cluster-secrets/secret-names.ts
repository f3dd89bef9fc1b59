// Secret names are the contract between the secrets (this folder), the node bootstrap that fetches
// them and the IAM policies that grant reading them. They are built from known values only (the
// name id `<tenantId>-<environment>`, `tenantNameId`, and node names), so policies can read them at
// the first preview (POL-2).
import { tenantSecretPrefix } from "../tenant-key/tenant-scope";

/** Purpose of the cluster-internal SSH key's secret (CMP-4). */
export const CLUSTER_KEY_PURPOSE = "cluster-ssh-key";

/** Purpose prefix of a head node's JupyterLab token secret; the node name follows (CMP-6). */
export const JUPYTER_TOKEN_PURPOSE = "jupyter-token";

/** Purpose prefix of a head node's JupyterLab TLS certificate and key secret (DAT-2). */
export const JUPYTER_TLS_PURPOSE = "jupyter-tls";

/** Purpose of the cluster's MUNGE key secret, which authenticates Slurm's daemons (CMP-8). */
export const MUNGE_KEY_PURPOSE = "munge-key";

/** Secrets Manager name of one tenant secret: `moat/<nameId>/<purpose>`, e.g. `moat/acme-prod/munge-key`. */
export function secretName(nameId: string, purpose: string): string {
  return `${tenantSecretPrefix(nameId)}${purpose}`;
}

/** The Secrets Manager names of every secret one cluster holds. */
export interface ClusterSecretNames {
  /** `moat/<nameId>/cluster-ssh-key`: the cluster-internal private key (CMP-4). */
  readonly clusterKey: string;
  /** Per head node, `moat/<nameId>/jupyter-token/<node>` (CMP-6). */
  readonly jupyterTokens: Readonly<Record<string, string>>;
  /** Per head node, `moat/<nameId>/jupyter-tls/<node>`: JSON `{cert, key}` (DAT-2). */
  readonly jupyterTls: Readonly<Record<string, string>>;
  /** `moat/<nameId>/munge-key`: Slurm's MUNGE key, base64 (CMP-8). */
  readonly mungeKey: string;
}

/**
 * Names every secret of a cluster with the given head nodes (CMP-4, CMP-6, CMP-8, DAT-2), for the
 * name id `<tenantId>-<environment>` (`tenantNameId`).
 */
export function clusterSecretNames(nameId: string, headNodeNames: readonly string[]): ClusterSecretNames {
  const perNode = (purpose: string) =>
    Object.fromEntries(headNodeNames.map((node) => [node, secretName(nameId, `${purpose}/${node}`)]));
  return {
    clusterKey: secretName(nameId, CLUSTER_KEY_PURPOSE),
    jupyterTokens: perNode(JUPYTER_TOKEN_PURPOSE),
    jupyterTls: perNode(JUPYTER_TLS_PURPOSE),
    mungeKey: secretName(nameId, MUNGE_KEY_PURPOSE),
  };
}

// arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 chars>
const SECRET_ARN =
  /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]+)-[A-Za-z0-9]{6}$/;

/** The parts of a Secrets Manager secret ARN, or `undefined` when the text is not one. */
export interface ParsedSecretArn {
  /** AWS partition, e.g. `aws`. */
  readonly partition: string;
  /** Region the secret lives in. */
  readonly region: string;
  /** Owning account ID. */
  readonly accountId: string;
  /** The secret's name, without the random six-character suffix. */
  readonly name: string;
}

/** Splits a Secrets Manager secret ARN into its parts; `undefined` when the text is not one. */
export function parseSecretArn(arn: string): ParsedSecretArn | undefined {
  const match = SECRET_ARN.exec(arn);
  if (match === null) {
    return undefined;
  }
  const [, partition, region, accountId, name] = match;
  return { partition, region, accountId, name };
}
