import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { validateClusterSecretsArgs } from "./cluster-secrets-args";
import { TAG_NODE, TAG_ROLE } from "../tenant/tags";
import { clusterSecretNames } from "./secret-names";
import { tenantNameId } from "../tenant-key/tenant-scope";

/**
 * Inputs of a cluster's {@link ClusterSecrets}. Tenant, environment and owner tags (AUD-5) come from
 * the tenant provider passed in the resource options.
 */
export interface ClusterSecretsArgs {
  /**
   * Tenant identifier, e.g. `acme`. Every secret is named `moat/<tenantId>-<environment>/<purpose>`,
   * the prefix the instance roles are scoped to (CMP-7). No default. Changing this replaces every
   * secret.
   */
  readonly tenantId: string;
  /**
   * The tenant environment: `dev`, `staging` or `prod`; part of every secret's name, so two
   * environments of a tenant can share an account and region. Changing this replaces every secret
   * (the old names stay taken for their 7-day recovery window).
   * @default none: secrets are named `moat/<tenantId>/<purpose>`
   */
  readonly environment?: string;
  /**
   * ARN of the tenant's customer-managed KMS key (or an alias ARN of it). Every secret is encrypted
   * with it (CMP-6, DAT-3); there is no fallback to the AWS-managed `aws/secretsmanager` key, whose
   * policy cannot be scoped to the tenant. No default.
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Rotation epoch (CMP-9). Raising it generates a new cluster-internal SSH key, new JupyterLab
   * tokens and a new MUNGE key and stores them as new secret versions under the same ARNs; nodes
   * pick them up through their refresh timer without being replaced. Until every node has fetched
   * the new MUNGE key (within the nodes' refresh interval), Slurm traffic between nodes holding
   * different keys is refused, so rotate between jobs. The CA and the TLS certificates do not rotate with
   * it: they renew themselves before expiry.
   * @default 0
   */
  readonly rotationEpoch?: number;
  /**
   * Stable names of the cluster's head nodes, e.g. `["head-0"]`. Each gets its own JupyterLab token
   * and TLS certificate (CMP-6). Removing a name deletes that node's secrets.
   */
  readonly headNodeNames: readonly string[];
  /**
   * Extra DNS names per head node for its JupyterLab certificate, e.g.
   * `{ "head-0": ["head-0.acme.internal"] }`. `localhost` and `127.0.0.1` are always included, as
   * JupyterLab listens on loopback and is reached through a tunnel (NET-6). Changing these reissues
   * that node's certificate.
   * @default {}
   */
  readonly headNodeDnsNames?: Readonly<Record<string, readonly string[]>>;
}

// AWS allows 7 to 30 days (or an immediate, unrecoverable delete). Seven is the shortest window that
// still undoes an accidental destroy; these credentials are regenerated rather than restored, so a
// longer window only keeps dead keys around and blocks re-creating the same names for longer.
const RECOVERY_WINDOW_DAYS = 7;
// A leaf lives one year and is reissued 30 days before it expires (DAT-2). The CA lives five years
// and is renewed a year early, so a leaf never outlives the CA that signed it.
const LEAF_VALIDITY_HOURS = 365 * 24;
const LEAF_EARLY_RENEWAL_HOURS = 30 * 24;
const CA_VALIDITY_HOURS = 5 * 365 * 24;
const CA_EARLY_RENEWAL_HOURS = 365 * 24;
const MUNGE_KEY_BYTES = 1024;

/**
 * The secrets of one cluster, each in Secrets Manager under the tenant's KMS key and passed to
 * nodes by ARN only (CMP-8), named under the name id `<tenantId>-<environment>` (`<tenantId>` without
 * an environment):
 * - the cluster-internal ED25519 SSH key (CMP-4) in `moat/<nameId>/cluster-ssh-key`;
 * - per head node a 48-character JupyterLab token (CMP-6) in `moat/<nameId>/jupyter-token/<node>`;
 * - a per-cluster CA and per head node a certificate it signs, as JSON `{cert, key}` in
 *   `moat/<nameId>/jupyter-tls/<node>` (DAT-2: JupyterLab over TLS);
 * - the MUNGE key Slurm's daemons authenticate each other with, 1,024 random bytes stored base64
 *   in `moat/<nameId>/munge-key` (CMP-8: delivered like every other secret, never in user data).
 *
 * Raising `rotationEpoch` rotates the SSH key, the tokens and the MUNGE key in place (CMP-9). No output carries a
 * secret value: only ARNs, the public key and the CA certificate leave the component.
 */
export class ClusterSecrets extends pulumi.ComponentResource {
  /** The cluster key's public half in OpenSSH format; public, so head and compute nodes can trust it. */
  public readonly clusterPublicKey: pulumi.Output<string>;
  /** PEM certificate of the cluster CA; users add it to their trust store for JupyterLab (DAT-2). */
  public readonly caCertPem: pulumi.Output<string>;
  /** ARN of `moat/<nameId>/cluster-ssh-key`. */
  public readonly clusterKeySecretArn: pulumi.Output<string>;
  /** Per head node, ARN of its JupyterLab token secret. */
  public readonly jupyterTokenSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Per head node, ARN of its JupyterLab TLS secret (JSON `{cert, key}`). */
  public readonly jupyterTlsSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** ARN of `moat/<nameId>/munge-key`, Slurm's MUNGE key in base64 (CMP-8). */
  public readonly mungeKeySecretArn: pulumi.Output<string>;
  /** Every secret ARN of the cluster, for the instance role's least-privilege read policy (CMP-7). */
  public readonly allSecretArns: pulumi.Output<string[]>;

  constructor(name: string, args: ClusterSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    const problems = validateClusterSecretsArgs(args);
    if (problems.length > 0) {
      throw new pulumi.InputPropertiesError({
        message:
          `Invalid ClusterSecrets "${name}" args:\n` +
          problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n"),
        errors: problems.map((p) => ({ propertyPath: p.propertyPath, reason: p.reason })),
      });
    }
    super("moat:security:ClusterSecrets", name, {}, opts);

    const parent = { parent: this };
    const epoch = args.rotationEpoch ?? 0;
    const names = clusterSecretNames(tenantNameId(args), args.headNodeNames);

    const storeSecret = (
      role: string,
      secretId: string,
      description: string,
      tags: Record<string, string>,
      value: pulumi.Output<string>,
    ) => {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${role}-secret`,
        {
          name: secretId,
          description,
          kmsKeyId: args.kmsKeyArn,
          recoveryWindowInDays: RECOVERY_WINDOW_DAYS,
          tags,
        },
        parent,
      );
      // pulumi.secret although the provider marks these values secret too: the marking must not
      // depend on every upstream resource's schema (CMP-8).
      new aws.secretsmanager.SecretVersion(
        `${name}-${role}-version`,
        { secretId: secret.id, secretString: pulumi.secret(value) },
        parent,
      );
      return secret;
    };

    // tls.PrivateKey has no keepers and no input that could carry the epoch, so the epoch goes into
    // the child's name: a new epoch is a new resource (created, then the old one deleted), which
    // every Pulumi engine honours. The `replacementTrigger` option would keep the name, but engines
    // that predate it ignore it silently, and a rotation that silently does nothing is the failure
    // CMP-9 exists to prevent. No alias on purpose: the old key must not carry over.
    const clusterKey = new tls.PrivateKey(`${name}-ssh-key-e${epoch}`, { algorithm: "ED25519" }, parent);
    const clusterKeySecret = storeSecret(
      "ssh-key",
      names.clusterKey,
      "Cluster-internal SSH private key (OpenSSH); nodes fetch it by ARN (CMP-4, CMP-9).",
      { [TAG_ROLE]: "cluster" },
      clusterKey.privateKeyOpenssh,
    );

    // 1,024 bytes: the size of key MUNGE's own documentation generates. RandomBytes takes keepers,
    // so the epoch rotates it in place (CMP-9). Stored base64 as a secret string holds text only.
    const mungeKey = new random.RandomBytes(
      `${name}-munge-key`,
      { length: MUNGE_KEY_BYTES, keepers: { rotationEpoch: String(epoch) } },
      parent,
    );
    const mungeKeySecret = storeSecret(
      "munge-key",
      names.mungeKey,
      "Slurm MUNGE key, base64; nodes fetch it by ARN into /etc/munge/munge.key (CMP-8, CMP-9).",
      { [TAG_ROLE]: "cluster" },
      mungeKey.base64,
    );

    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, parent);
    const caCert = new tls.SelfSignedCert(
      `${name}-ca-cert`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: `moat-${args.tenantId} cluster CA`, organization: "Moat" },
        validityPeriodHours: CA_VALIDITY_HOURS,
        earlyRenewalHours: CA_EARLY_RENEWAL_HOURS,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      },
      parent,
    );

    const tokenArns: Record<string, pulumi.Output<string>> = {};
    const tlsArns: Record<string, pulumi.Output<string>> = {};
    for (const node of args.headNodeNames) {
      const nodeTags = { [TAG_ROLE]: "head", [TAG_NODE]: node };

      // Letters and digits only: the token travels in URLs and environment files unescaped.
      const token = new random.RandomPassword(
        `${name}-jupyter-token-${node}`,
        { length: 48, special: false, keepers: { rotationEpoch: String(epoch) } },
        parent,
      );
      tokenArns[node] = storeSecret(
        `jupyter-token-${node}`,
        names.jupyterTokens[node],
        `JupyterLab token of ${node} (CMP-6, CMP-9).`,
        nodeTags,
        token.result,
      ).arn;

      const key = new tls.PrivateKey(
        `${name}-jupyter-tls-${node}-key`,
        { algorithm: "ECDSA", ecdsaCurve: "P256" },
        parent,
      );
      const request = new tls.CertRequest(
        `${name}-jupyter-tls-${node}-csr`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName: node, organization: "Moat" },
          dnsNames: ["localhost", ...(args.headNodeDnsNames?.[node] ?? [])],
          ipAddresses: ["127.0.0.1"],
        },
        parent,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-jupyter-tls-${node}-cert`,
        {
          certRequestPem: request.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: caCert.certPem,
          validityPeriodHours: LEAF_VALIDITY_HOURS,
          earlyRenewalHours: LEAF_EARLY_RENEWAL_HOURS,
          allowedUses: ["digital_signature", "server_auth"],
        },
        parent,
      );
      tlsArns[node] = storeSecret(
        `jupyter-tls-${node}`,
        names.jupyterTls[node],
        `JupyterLab TLS certificate and key of ${node}, JSON {cert, key} (DAT-2).`,
        nodeTags,
        pulumi
          .all([cert.certPem, key.privateKeyPem])
          .apply(([certPem, keyPem]) => JSON.stringify({ cert: certPem, key: keyPem })),
      ).arn;
    }

    this.clusterPublicKey = clusterKey.publicKeyOpenssh;
    this.caCertPem = caCert.certPem;
    this.clusterKeySecretArn = clusterKeySecret.arn;
    this.jupyterTokenSecretArns = tokenArns;
    this.jupyterTlsSecretArns = tlsArns;
    this.mungeKeySecretArn = mungeKeySecret.arn;
    this.allSecretArns = pulumi.all([
      clusterKeySecret.arn,
      mungeKeySecret.arn,
      ...Object.values(tokenArns),
      ...Object.values(tlsArns),
    ]);
    this.registerOutputs({
      clusterPublicKey: this.clusterPublicKey,
      caCertPem: this.caCertPem,
      clusterKeySecretArn: this.clusterKeySecretArn,
      jupyterTokenSecretArns: this.jupyterTokenSecretArns,
      jupyterTlsSecretArns: this.jupyterTlsSecretArns,
      mungeKeySecretArn: this.mungeKeySecretArn,
      allSecretArns: this.allSecretArns,
    });
  }
}
