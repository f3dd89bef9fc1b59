// DAT mutations: the shared filesystem, the tenant key and any bucket or listener a user adds,
// changed so that data is unencrypted, readable without TLS, or lost on destroy.
import type { RecordedResource } from "../../plan/types";
import { declare, editUserData, setInput, setOptions } from "../edit";
import {
  T,
  TAG_ROLE,
  TAG_TIER,
  UNKNOWN,
  firstOf,
  idOf,
  nodesWithUserData,
  ofType,
  stackFacts,
  tagsOf,
  the,
} from "../resources";
import type { Mutation } from "../types";

/** The shared filesystem, EFS or FSx for Lustre. */
const filesystem = (rs: readonly RecordedResource[]) => firstOf(rs, T.lustre) ?? firstOf(rs, T.efs);

const hasEfs = (rs: readonly RecordedResource[]) => firstOf(rs, T.efs) !== undefined;

/** How the node bootstrap asks the EFS mount helper for TLS (`mount -t efs -o tls,iam,...`). */
const EFS_TLS_OPTION = "-o tls,";

const key = (rs: readonly RecordedResource[]) => firstOf(rs, T.kmsKey);

/** An EFS file system as the program declares one: encrypted under the tenant key, protected. */
function efsFileSystem(rs: readonly RecordedResource[], name: string): RecordedResource {
  const tenantKey = the(rs, T.kmsKey);
  return declare(rs, {
    type: T.efs,
    name,
    inputs: {
      creationToken: `moat-${name}`,
      encrypted: true,
      kmsKeyId: idOf(rs, tenantKey),
      tags: { Name: name, [TAG_ROLE]: "storage" },
    },
    from: { kmsKeyId: [tenantKey] },
    protect: true,
    retainOnDelete: true,
  });
}

/** Mutations that break DAT-1 to DAT-5. */
export const datMutations: readonly Mutation[] = [
  {
    id: "DAT-1",
    title: "drop the KMS key from the shared filesystem",
    applies: (rs) => filesystem(rs) !== undefined,
    mutate: (rs) => setInput(rs, filesystem(rs)!, "kmsKeyId", undefined),
  },
  {
    id: "DAT-1",
    title: "switch FSx for Lustre to a SCRATCH_2 deployment",
    applies: (rs) => firstOf(rs, T.lustre) !== undefined,
    mutate: (rs) => setInput(rs, the(rs, T.lustre), "deploymentType", "SCRATCH_2"),
  },
  {
    id: "DAT-2",
    title: "remove the EFS file-system policy that denies non-TLS access",
    applies: (rs) => firstOf(rs, T.efsPolicy) !== undefined,
    mutate: (rs) => {
      const policy = the(rs, T.efsPolicy);
      return rs.filter((r) => r.urn !== policy.urn);
    },
  },
  {
    id: "DAT-2",
    title: "mount EFS without the tls option",
    applies: (rs) => hasEfs(rs) && nodesWithUserData(rs, EFS_TLS_OPTION).length > 0,
    mutate: (rs) =>
      editUserData(rs, nodesWithUserData(rs, EFS_TLS_OPTION)[0], (text) =>
        text.replaceAll(EFS_TLS_OPTION, "-o "),
      ),
  },
  {
    id: "DAT-2",
    title: "add an EFS file system whose policy allows access without TLS",
    applies: (rs) => !hasEfs(rs),
    mutate: (rs) => {
      const fs = efsFileSystem(rs, `${stackFacts(rs).tenant}-scratch-fs`);
      const withFs = [...rs, fs];
      const policy = declare(withFs, {
        type: T.efsPolicy,
        name: `${stackFacts(rs).tenant}-scratch-fs-policy`,
        inputs: {
          fileSystemId: idOf(withFs, fs),
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "ClientsOfThisAccount",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${stackFacts(rs).account}:root` },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: "*",
              },
            ],
          }),
        },
        from: { fileSystemId: [fs] },
      });
      return [...withFs, policy];
    },
  },
  {
    id: "DAT-2",
    title: "add an internal HTTPS listener with a TLS 1.0 security policy",
    applies: (rs) => !hasEfs(rs) && ofType(rs, T.subnet).some((s) => tagsOf(s)[TAG_TIER] === "management"),
    mutate: (rs) => {
      const { tenant } = stackFacts(rs);
      const subnet = ofType(rs, T.subnet).find((s) => tagsOf(s)[TAG_TIER] === "management")!;
      const lb = declare(rs, {
        type: "aws:lb/loadBalancer:LoadBalancer",
        name: `${tenant}-dashboards`,
        inputs: { internal: true, loadBalancerType: "application", subnets: [idOf(rs, subnet)] },
        from: { subnets: [subnet] },
      });
      const withLb = [...rs, lb];
      const listener = declare(withLb, {
        type: "aws:lb/listener:Listener",
        name: `${tenant}-dashboards-https`,
        inputs: {
          loadBalancerArn: UNKNOWN,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: "ELBSecurityPolicy-TLS-1-0-2015-04",
          certificateArn: `arn:aws:acm:${stackFacts(rs).region}:${stackFacts(rs).account}:certificate/dashboards`,
          defaultActions: [
            { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
          ],
        },
        from: { loadBalancerArn: [lb] },
      });
      return [...withLb, listener];
    },
  },
  {
    id: "DAT-3",
    title: "turn off automatic rotation of the tenant key",
    applies: (rs) => key(rs) !== undefined,
    mutate: (rs) => setInput(rs, key(rs)!, "enableKeyRotation", false),
  },
  {
    id: "DAT-3",
    title: "shorten the tenant key's deletion window to 7 days",
    applies: (rs) => key(rs) !== undefined,
    mutate: (rs) => setInput(rs, key(rs)!, "deletionWindowInDays", 7),
  },
  {
    id: "DAT-3",
    unknown: true,
    title: "take the tenant key's enableKeyRotation from a computed value",
    applies: (rs) => key(rs) !== undefined,
    mutate: (rs) => setInput(rs, key(rs)!, "enableKeyRotation", UNKNOWN),
  },
  {
    id: "DAT-4",
    title: "create the shared filesystem without the protect option",
    applies: (rs) => filesystem(rs) !== undefined,
    mutate: (rs) => setOptions(rs, filesystem(rs)!, { protect: false }),
  },
  {
    id: "DAT-4",
    title: "create the tenant key without the protect option",
    applies: (rs) => key(rs) !== undefined,
    mutate: (rs) => setOptions(rs, key(rs)!, { protect: false }),
  },
  {
    id: "DAT-4",
    title: "turn off automatic backups of FSx for Lustre",
    applies: (rs) => firstOf(rs, T.lustre) !== undefined,
    mutate: (rs) => setInput(rs, the(rs, T.lustre), "automaticBackupRetentionDays", 0),
  },
  {
    id: "DAT-4",
    title: "disable the EFS backup policy",
    applies: (rs) => firstOf(rs, T.efsBackupPolicy) !== undefined,
    mutate: (rs) => setInput(rs, the(rs, T.efsBackupPolicy), "backupPolicy", { status: "DISABLED" }),
  },
  {
    id: "DAT-5",
    title: "add an S3 bucket without versioning",
    applies: () => true,
    mutate: (rs) => {
      const { tenant } = stackFacts(rs);
      const tenantKey = key(rs);
      const bucket = declare(rs, {
        type: "aws:s3/bucket:Bucket",
        name: `${tenant}-exports`,
        inputs: { bucket: `moat-${tenant}-exports`, tags: { Name: `${tenant}-exports` } },
      });
      const withBucket = [...rs, bucket];
      const bucketRef = { bucket: idOf(withBucket, bucket) };
      const from = { bucket: [bucket] };
      const block = declare(withBucket, {
        type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        name: `${tenant}-exports-public-access`,
        inputs: {
          ...bucketRef,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        from,
      });
      const encryption = declare(withBucket, {
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        name: `${tenant}-exports-encryption`,
        inputs: {
          ...bucketRef,
          rules: [
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: tenantKey ? idOf(rs, tenantKey) : UNKNOWN,
              },
              bucketKeyEnabled: true,
            },
          ],
        },
        from: { ...from, rules: tenantKey ? [tenantKey] : [] },
      });
      const tlsOnly = declare(withBucket, {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        name: `${tenant}-exports-tls-only`,
        inputs: {
          ...bucketRef,
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyWithoutTls",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [`arn:aws:s3:::moat-${tenant}-exports`, `arn:aws:s3:::moat-${tenant}-exports/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        },
        from,
      });
      return [...withBucket, block, encryption, tlsOnly];
    },
  },
];
