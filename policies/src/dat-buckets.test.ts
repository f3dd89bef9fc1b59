// DAT-5 on S3 buckets: public access blocked, versioned, SSE-KMS and TLS-only, each a standalone
// resource tied to its bucket, checked in every ID mode (POL-2); inline settings refused.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertAuditVerdict, securedBucket } from "./aud-fixtures";
import { S3Type } from "./dat-buckets-s3";
import { datS3BucketSecured, datS3BucketStandaloneSettings } from "./dat-buckets";
import { urnOf } from "./net-fixtures";
import { runResourcePolicy, unknown } from "./testing";

const policy = datS3BucketSecured;
const AUDIT = 'S3 bucket "audit-bucket"';
const onBucket = (...messages: string[]) =>
  messages.map((message) => ({ message, urn: urnOf(S3Type.bucket, "audit-bucket") }));
const literal = (property: string, label: string) =>
  `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify it (DAT-5, POL-2).`;
const DENY =
  'Effect "Deny", Principal "*", Action "s3:*", Resource the bucket\'s ARN and "<ARN>/*", and Condition {"Bool": {"aws:SecureTransport": "false"}}';

describe("dat-s3-bucket-secured (DAT-5)", () => {
  it("passes secured buckets of both aliases, linked by id or by literal name", async () => {
    await assertAuditVerdict(policy, () => {}, []);
    await assertAuditVerdict(policy, (s) => Object.assign(s, securedBucket("scratch")), []);
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket"] = { type: S3Type.bucketV2, props: { bucket: "moat-acme-audit" } }),
      [],
    );
    await assertAuditVerdict(
      policy,
      (s) => {
        const { props } = s["audit-bucket-versioning"];
        s["audit-bucket-versioning"] = {
          type: S3Type.versioningV2,
          props: { ...props, bucket: "moat-acme-audit" },
        };
      },
      [],
    );
  });

  it("fails a bucket with none of its settings, naming each resource to add", async () => {
    await assertAuditVerdict(
      policy,
      (s) => (s["lonely"] = { type: S3Type.bucket, props: {} }),
      [
        `Add an aws.s3.BucketPublicAccessBlock to S3 bucket "lonely" with bucket set to its id and blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true: without it a bucket policy or ACL can make its objects public (DAT-5).`,
        `Add an aws.s3.BucketVersioning to S3 bucket "lonely" with versioningConfiguration { status: "Enabled" }: without versions an overwrite or delete loses the object for good (DAT-5).`,
        `Add an aws.s3.BucketServerSideEncryptionConfiguration to S3 bucket "lonely" with a rule applying sseAlgorithm "aws:kms" and kmsMasterKeyId set to the tenant's key (DAT-5).`,
        `Add an aws.s3.BucketPolicy to S3 bucket "lonely" with a statement of ${DENY}, built from the bucket's literal name so it is known at preview: without it S3 serves plain-HTTP requests (DAT-5).`,
      ].map((message) => ({ message, urn: urnOf(S3Type.bucket, "lonely") })),
    );
  });

  it("fails a public-access block with a flag left false, unless an account-wide block covers the bucket", async () => {
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket-pab"].props.restrictPublicBuckets = false),
      onBucket(
        `Set restrictPublicBuckets to true on public-access block "audit-bucket-pab" of ${AUDIT}: each flag left false lets one way of making the bucket public through (DAT-5).`,
      ),
    );
    const account = {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    };
    await assertAuditVerdict(
      policy,
      (s) => {
        delete s["audit-bucket-pab"];
        s["account-pab"] = { type: S3Type.accountPublicAccessBlock, props: account };
      },
      [],
    );
    await assertAuditVerdict(
      policy,
      (s) => {
        delete s["audit-bucket-pab"];
        s["account-pab"] = {
          type: S3Type.accountPublicAccessBlock,
          props: { ...account, blockPublicPolicy: false },
        };
      },
      onBucket(
        `Add an aws.s3.BucketPublicAccessBlock to ${AUDIT} with bucket set to its id and blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true: without it a bucket policy or ACL can make its objects public (DAT-5).`,
      ),
    );
  });

  it("fails suspended versioning, and one of two versionings suspended", async () => {
    const suspended = onBucket(
      `Set versioningConfiguration.status on bucket versioning "audit-bucket-versioning" to "Enabled", not "Suspended": ${AUDIT} must keep every version of its objects (DAT-5).`,
    );
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket-versioning"].props.versioningConfiguration = { status: "Suspended" }),
      suspended,
    );
    await assertAuditVerdict(
      policy,
      (s) =>
        (s["audit-bucket-versioning-2"] = {
          ...s["audit-bucket-versioning"],
          props: { versioningConfiguration: { status: "Suspended" } },
        }),
      onBucket(
        `Set versioningConfiguration.status on bucket versioning "audit-bucket-versioning-2" to "Enabled", not "Suspended": ${AUDIT} must keep every version of its objects (DAT-5).`,
      ),
    );
  });

  it("fails S3-managed keys, a missing KMS key, and no default encryption", async () => {
    const fix =
      'Set rules[].applyServerSideEncryptionByDefault on bucket encryption "audit-bucket-encryption" to { sseAlgorithm: "aws:kms", kmsMasterKeyId: <the tenant key> }';
    const rules =
      (d: Record<string, unknown> | undefined) =>
      (s: Parameters<Parameters<typeof assertAuditVerdict>[1]>[0]) =>
        (s["audit-bucket-encryption"].props.rules = [
          d === undefined ? {} : { applyServerSideEncryptionByDefault: d },
        ]);
    await assertAuditVerdict(
      policy,
      rules({ sseAlgorithm: "AES256" }),
      onBucket(`${fix}, not sseAlgorithm AES256: ${AUDIT} is encrypted with the tenant's KMS key (DAT-5).`),
    );
    await assertAuditVerdict(
      policy,
      rules({ sseAlgorithm: "aws:kms" }),
      onBucket(
        `${fix}: without kmsMasterKeyId S3 uses the AWS-managed aws/s3 key, which the tenant's key policy does not govern (DAT-5).`,
      ),
    );
    await assertAuditVerdict(
      policy,
      rules(undefined),
      onBucket(`${fix}: ${AUDIT} would otherwise fall back to S3-managed keys (DAT-5).`),
    );
    await assertAuditVerdict(
      policy,
      rules({ sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: unknown.string }),
      [],
    );
  });

  it("fails a policy without the TLS denial, or one denying only the bucket, not its objects", async () => {
    const missing = onBucket(
      `Add a statement of ${DENY} to the policy of bucket policy "audit-bucket-policy", with no other condition: without it ${AUDIT} serves plain-HTTP requests (DAT-5).`,
    );
    const deny = {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    const document = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket-policy"].props.policy = document({ ...deny, Effect: "Allow" })),
      missing,
    );
    await assertAuditVerdict(
      policy,
      (s) =>
        (s["audit-bucket-policy"].props.policy = document({
          ...deny,
          Resource: "arn:aws:s3:::moat-acme-audit",
        })),
      missing,
    );
    await assertAuditVerdict(
      policy,
      (s) =>
        (s["audit-bucket-policy"].props.policy = document({
          ...deny,
          Resource: "arn:aws:s3:::moat-acme-audit/*",
        })),
      [],
    );
  });

  it("fails settings unknown at preview, and a policy built from the bucket's ARN output (POL-2)", async () => {
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket-pab"].props.blockPublicAcls = unknown.boolean),
      onBucket(literal("blockPublicAcls", 'public-access block "audit-bucket-pab"')),
    );
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket-versioning"].props.versioningConfiguration = unknown.object),
      onBucket(literal("versioningConfiguration.status", 'bucket versioning "audit-bucket-versioning"')),
    );
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket-encryption"].props.rules = [unknown.object]),
      onBucket(literal("rules", 'bucket encryption "audit-bucket-encryption"')),
    );
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-bucket-policy"].props.policy = unknown.string),
      onBucket(
        'Build the policy of bucket policy "audit-bucket-policy" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (DAT-5, POL-2).',
      ),
    );
  });
});

describe("dat-s3-bucket-standalone-settings (DAT-5, AUD-1)", () => {
  const standalone = datS3BucketStandaloneSettings;
  const move = (property: string, replacement: string) =>
    `Move the inline ${property} of S3 bucket "audit" into a standalone ${replacement} with bucket set to the bucket's id: inline settings are deprecated and cannot be verified at preview (DAT-5, AUD-1, POL-2).`;

  it("passes a bucket with no inline settings", async () => {
    const run = await runResourcePolicy(standalone, {
      type: S3Type.bucket,
      name: "audit",
      props: { bucket: "moat-acme-audit", tags: {} },
    });
    assert.deepEqual(run, { violations: [] });
  });

  it("fails inline versioning, encryption, lifecycle and policy on both aliases, unknown values included", async () => {
    const v1 = await runResourcePolicy(standalone, {
      type: S3Type.bucket,
      name: "audit",
      props: {
        versioning: { enabled: true },
        serverSideEncryptionConfiguration: unknown.object,
        lifecycleRules: [],
        policy: "{}",
      },
    });
    assert.deepEqual(v1.violations, [
      move("versioning", "aws.s3.BucketVersioning"),
      move("serverSideEncryptionConfiguration", "aws.s3.BucketServerSideEncryptionConfiguration"),
      move("lifecycleRules", "aws.s3.BucketLifecycleConfiguration"),
      move("policy", "aws.s3.BucketPolicy"),
    ]);
    const v2 = await runResourcePolicy(standalone, {
      type: S3Type.bucketV2,
      name: "audit",
      props: {
        versionings: [{ enabled: true }],
        lifecycleRules: [{ enabled: true, expirations: [{ days: 30 }] }],
      },
    });
    assert.deepEqual(v2.violations, [
      move("versionings", "aws.s3.BucketVersioning"),
      move("lifecycleRules", "aws.s3.BucketLifecycleConfiguration"),
    ]);
  });
});
