// K8S-6 on aws.eks.Cluster: private endpoint, public one only from the allowlist, secrets under a
// KMS key whose ARN may be unknown, audit and authenticator logs on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compliantEks } from "./k8s-fixtures";
import { k8sEksControlPlaneLogged, k8sEksEndpointPrivate, k8sEksSecretsEncrypted } from "./k8s-eks";
import { K8sType } from "./k8s-types";
import { runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });
const cluster = (change: (p: ReturnType<typeof compliantEks>) => void = () => {}) => {
  const props = compliantEks();
  change(props);
  return { type: K8sType.eksCluster, name: "acme", props };
};
const vpc = (p: ReturnType<typeof compliantEks>) => p.vpcConfig as Record<string, unknown>;
const literal = (path: string) =>
  `Set ${path} on EKS cluster "acme" to a literal value: it is unknown at preview, so this policy cannot verify it (K8S-6, POL-2).`;

describe("k8s-eks-endpoint-private (K8S-6)", () => {
  const policy = k8sEksEndpointPrivate;
  const remove = (cidr: string, why: string) =>
    `Remove "${cidr}" from vpcConfig.publicAccessCidrs of EKS cluster "acme": ${why}; list only the allowlist's blocks, or set endpointPublicAccess: false (K8S-6).`;

  it("passes a private endpoint, alone or with a public one open to listed blocks", async () => {
    assert.deepEqual(await runResourcePolicy(policy, cluster()), passes);
    const listed = cluster((p) =>
      Object.assign(vpc(p), { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }),
    );
    assert.deepEqual(await runResourcePolicy(policy, listed), passes);
  });

  it("fails a cluster without private access", async () => {
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => delete vpc(p).endpointPrivateAccess),
      ),
      fails(
        'Set vpcConfig.endpointPrivateAccess: true on EKS cluster "acme": nodes and administrators in the VPC then reach the API server without leaving it (K8S-6).',
      ),
    );
  });

  it("fails a public endpoint left open by default or to the whole internet", async () => {
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => delete vpc(p).endpointPublicAccess),
      ),
      fails(
        'Set vpcConfig.endpointPublicAccess: false on EKS cluster "acme", or list the allowlist in vpcConfig.publicAccessCidrs: EKS opens a public endpoint without them to 0.0.0.0/0 (K8S-6).',
      ),
    );
    const world = cluster((p) =>
      Object.assign(vpc(p), {
        endpointPublicAccess: true,
        publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0", "::/0"],
      }),
    );
    const why = "it opens the API server to the whole internet";
    assert.deepEqual(
      await runResourcePolicy(policy, world),
      fails(remove("0.0.0.0/0", why), remove("::/0", why)),
    );
  });

  it("holds the public blocks to allowedPublicAccessCidrs when configured", async () => {
    const office = cluster((p) =>
      Object.assign(vpc(p), {
        endpointPublicAccess: true,
        publicAccessCidrs: ["203.0.113.0/28", "198.51.100.0/24"],
      }),
    );
    const config = { allowedPublicAccessCidrs: ["203.0.113.0/24"] };
    assert.deepEqual(
      await runResourcePolicy(policy, office, config),
      fails(remove("198.51.100.0/24", "it lies outside allowedPublicAccessCidrs in this policy's config")),
    );
  });

  it("asks for literals where the endpoint settings are unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => (p.vpcConfig = unknown.object as never)),
      ),
      fails(literal("vpcConfig")),
    );
    const cidrs = cluster((p) =>
      Object.assign(vpc(p), { endpointPublicAccess: true, publicAccessCidrs: unknown.array }),
    );
    assert.deepEqual(await runResourcePolicy(policy, cidrs), fails(literal("vpcConfig.publicAccessCidrs")));
  });
});

describe("k8s-eks-secrets-encrypted (K8S-6)", () => {
  const policy = k8sEksSecretsEncrypted;
  const encryption = (p: ReturnType<typeof compliantEks>) => p.encryptionConfig as Record<string, unknown>;

  it("passes secrets encrypted with a KMS key, its ARN literal or unknown at preview", async () => {
    assert.deepEqual(await runResourcePolicy(policy, cluster()), passes);
    const created = cluster((p) => (encryption(p).provider = { keyArn: unknown.string }));
    assert.deepEqual(await runResourcePolicy(policy, created), passes);
  });

  it("fails a cluster without envelope encryption of secrets", async () => {
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => delete (p as Record<string, unknown>).encryptionConfig),
      ),
      fails(
        'Add encryptionConfig { resources: ["secrets"], provider: { keyArn: <the tenant key\'s arn> } } to EKS cluster "acme": without it Kubernetes secrets are stored under an AWS-owned key only (K8S-6).',
      ),
    );
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => (encryption(p).resources = [])),
      ),
      fails(
        'Set encryptionConfig.resources on EKS cluster "acme" to ["secrets"]: only listed resources are envelope-encrypted (K8S-6).',
      ),
    );
  });

  it("fails a missing key, or one that is not a KMS key ARN", async () => {
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => (encryption(p).provider = {})),
      ),
      fails(
        'Set encryptionConfig.provider.keyArn on EKS cluster "acme" to the tenant\'s KMS key ARN: it is the key secrets are encrypted with (K8S-6).',
      ),
    );
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => (encryption(p).provider = { keyArn: "alias/aws/eks" })),
      ),
      fails(
        'Set encryptionConfig.provider.keyArn on EKS cluster "acme" to a KMS key ARN (arn:<partition>:kms:...), not "alias/aws/eks" (K8S-6).',
      ),
    );
  });

  it("asks for literals where the structure is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => (encryption(p).resources = unknown.array)),
      ),
      fails(literal("encryptionConfig.resources")),
    );
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => (encryption(p).provider = unknown.object)),
      ),
      fails(literal("encryptionConfig.provider")),
    );
  });
});

describe("k8s-eks-control-plane-logged (K8S-6)", () => {
  const policy = k8sEksControlPlaneLogged;

  it("passes a cluster logging audit and authenticator", async () => {
    assert.deepEqual(await runResourcePolicy(policy, cluster()), passes);
  });

  it("fails a cluster missing either log type", async () => {
    assert.deepEqual(
      await runResourcePolicy(
        policy,
        cluster((p) => (p.enabledClusterLogTypes = ["api"])),
      ),
      fails(
        'Add "audit", "authenticator" to enabledClusterLogTypes of EKS cluster "acme": the audit log records every API request and the authenticator log every IAM sign-in (K8S-6).',
      ),
    );
  });

  it("asks for a literal list when it is unknown at preview (POL-2), and ignores other types", async () => {
    const run = await runResourcePolicy(
      policy,
      cluster((p) => (p.enabledClusterLogTypes = unknown.array as never)),
    );
    assert.deepEqual(run, fails(literal("enabledClusterLogTypes")));
    const other = await runResourcePolicy(policy, { type: "aws:ec2/vpc:Vpc", props: {} });
    assert.match(other.notApplicable ?? "", /^Policy only applies/);
  });
});
