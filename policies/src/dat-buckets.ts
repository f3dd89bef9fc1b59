// DAT-5: every S3 bucket blocks public access, is versioned, is encrypted with a KMS key and
// refuses requests without TLS. Each setting lives in its own standalone resource tied to the
// bucket by the `bucket` dependency (dat-buckets-s3.ts); the deprecated inline arguments are
// refused, as the provider computes them and a stack policy cannot read them at preview (POL-2).
import type {
  Policies,
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { literalMessage, readItems, readObject, readPath } from "./aud-read";
import { BUCKET_TYPES, S3Type, bucketParts, s3Label, stackBuckets } from "./dat-buckets-s3";
import { deniesInsecureTransport } from "./dat-transit";
import { Statement, readPolicyDocument, unreadableDocument } from "./iam-document";
import { Props, Read, UNKNOWN, forTypes, readBoolean, readString, readValue } from "./props";

/** The four flags of a public-access block, all of which DAT-5 wants true. */
export const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

/** Server-side encryption algorithms that use a KMS key: SSE-KMS and dual-layer DSSE-KMS. */
export const KMS_ALGORITHMS: readonly string[] = ["aws:kms", "aws:kms:dsse"];

const IDS = "DAT-5";

/** The flags of a public-access block that are not literally true, or UNKNOWN-flag names. */
function publicAccessGaps(block: PolicyResource): { unset: string[]; unknown: string[] } {
  const unset: string[] = [];
  const unknown: string[] = [];
  for (const flag of PUBLIC_ACCESS_FLAGS) {
    const value = readBoolean(block.props, flag);
    if (value === UNKNOWN) {
      unknown.push(flag);
    } else if (value !== true) {
      unset.push(flag);
    }
  }
  return { unset, unknown };
}

function publicAccessProblems(bucket: PolicyResource, blocks: readonly PolicyResource[]): string[] {
  const label = s3Label(bucket);
  if (blocks.length === 0) {
    return [
      `Add an aws.s3.BucketPublicAccessBlock to ${label} with bucket set to its id and ${PUBLIC_ACCESS_FLAGS.join(", ")} all true: without it a bucket policy or ACL can make its objects public (${IDS}).`,
    ];
  }
  return blocks.flatMap((block) => {
    const { unset, unknown } = publicAccessGaps(block);
    return [
      ...unknown.map((flag) => literalMessage(flag, s3Label(block), IDS)),
      ...(unset.length === 0
        ? []
        : [
            `Set ${unset.join(", ")} to true on ${s3Label(block)} of ${label}: each flag left false lets one way of making the bucket public through (${IDS}).`,
          ]),
    ];
  });
}

function versioningProblems(bucket: PolicyResource, versionings: readonly PolicyResource[]): string[] {
  const label = s3Label(bucket);
  if (versionings.length === 0) {
    return [
      `Add an aws.s3.BucketVersioning to ${label} with versioningConfiguration { status: "Enabled" }: without versions an overwrite or delete loses the object for good (${IDS}).`,
    ];
  }
  return versionings.flatMap((v) => {
    const status = readPath(v.props, "versioningConfiguration", "status");
    if (status === UNKNOWN) {
      return [literalMessage("versioningConfiguration.status", s3Label(v), IDS)];
    }
    return status === "Enabled"
      ? []
      : [
          `Set versioningConfiguration.status on ${s3Label(v)} to "Enabled", not ${typeof status === "string" ? `"${status}"` : "unset"}: ${label} must keep every version of its objects (${IDS}).`,
        ];
  });
}

// The problem with one encryption resource, or undefined when every rule uses a KMS key.
function encryptionProblem(bucket: PolicyResource, encryption: PolicyResource): string | undefined {
  const label = s3Label(encryption);
  const fix = `Set rules[].applyServerSideEncryptionByDefault on ${label} to { sseAlgorithm: "aws:kms", kmsMasterKeyId: <the tenant key> }`;
  const rules = readItems(encryption.props, "rules");
  if (rules === UNKNOWN || (rules ?? []).includes(UNKNOWN)) {
    return literalMessage("rules", label, IDS);
  }
  const defaults = (rules ?? []).map((rule) =>
    rule === undefined || rule === UNKNOWN
      ? undefined
      : readObject(rule, "applyServerSideEncryptionByDefault"),
  );
  if (defaults.length === 0 || defaults.some((d) => d === undefined)) {
    return `${fix}: ${s3Label(bucket)} would otherwise fall back to S3-managed keys (${IDS}).`;
  }
  for (const d of defaults as Read<Props>[]) {
    if (d === UNKNOWN) {
      return literalMessage("rules[].applyServerSideEncryptionByDefault", label, IDS);
    }
    const algorithm = readString(d as Props, "sseAlgorithm");
    if (algorithm === UNKNOWN) {
      return literalMessage("sseAlgorithm", label, IDS);
    }
    if (algorithm === undefined || !KMS_ALGORITHMS.includes(algorithm)) {
      return `${fix}, not sseAlgorithm ${algorithm ?? "unset"}: ${s3Label(bucket)} is encrypted with the tenant's KMS key (${IDS}).`;
    }
    // A computed key (the tenant key's ARN) is declared, so it counts.
    if (readValue(d as Props, "kmsMasterKeyId") === undefined) {
      return `${fix}: without kmsMasterKeyId S3 uses the AWS-managed aws/s3 key, which the tenant's key policy does not govern (${IDS}).`;
    }
  }
  return undefined;
}

function encryptionProblems(bucket: PolicyResource, encryptions: readonly PolicyResource[]): string[] {
  if (encryptions.length === 0) {
    return [
      `Add an aws.s3.BucketServerSideEncryptionConfiguration to ${s3Label(bucket)} with a rule applying sseAlgorithm "aws:kms" and kmsMasterKeyId set to the tenant's key (${IDS}).`,
    ];
  }
  return encryptions.map((e) => encryptionProblem(bucket, e)).filter((p): p is string => p !== undefined);
}

/**
 * True for a statement that denies every S3 action to everyone without TLS, objects included.
 * dat-transit's check accepts "*" and the EFS wildcard; S3's own wildcard is the same denial.
 */
export function deniesInsecureS3Transport(statement: Statement): boolean {
  const actions = statement.actions?.map((a) => (a.toLowerCase() === "s3:*" ? "*" : a));
  const coversObjects = (statement.resources ?? []).some((r) => r === "*" || r.endsWith("/*"));
  return coversObjects && deniesInsecureTransport({ ...statement, actions });
}

const DENY_SHAPE =
  'Effect "Deny", Principal "*", Action "s3:*", Resource the bucket\'s ARN and "<ARN>/*", and Condition {"Bool": {"aws:SecureTransport": "false"}}';

function tlsProblems(bucket: PolicyResource, policies: readonly PolicyResource[]): string[] {
  if (policies.length === 0) {
    return [
      `Add an aws.s3.BucketPolicy to ${s3Label(bucket)} with a statement of ${DENY_SHAPE}, built from the bucket's literal name so it is known at preview: without it S3 serves plain-HTTP requests (${IDS}).`,
    ];
  }
  return policies.flatMap((policy) => {
    const subject = `the policy of ${s3Label(policy)}`;
    const read = readPolicyDocument(policy.props, "policy");
    const unreadable = unreadableDocument(read, subject, IDS);
    if (unreadable !== undefined) {
      return [unreadable];
    }
    if (read.kind === "document" && read.statements.some(deniesInsecureS3Transport)) {
      return [];
    }
    return [
      `Add a statement of ${DENY_SHAPE} to ${subject}, with no other condition: without it ${s3Label(bucket)} serves plain-HTTP requests (${IDS}).`,
    ];
  });
}

/**
 * DAT-5: each bucket's public-access block, versioning, encryption and policy. A setting present
 * more than once must hold in every copy, as the copies overwrite each other in AWS. An account
 * public-access block with every flag true stands in for the bucket's own.
 */
export const datS3BucketSecured: StackValidationPolicy = {
  name: "dat-s3-bucket-secured",
  description:
    'Checks that every S3 bucket has a public-access block with all four flags true (or an account-wide one), versioning "Enabled", SSE-KMS with a key, and a bucket policy denying requests without TLS (DAT-5).',
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const accountBlocked = resources
      .filter((r) => r.type === S3Type.accountPublicAccessBlock)
      .map(publicAccessGaps)
      .some((gaps) => gaps.unset.length === 0 && gaps.unknown.length === 0);
    for (const bucket of stackBuckets(resources)) {
      const parts = bucketParts(bucket, resources);
      const problems = [
        ...(accountBlocked && parts.publicAccessBlocks.length === 0
          ? []
          : publicAccessProblems(bucket, parts.publicAccessBlocks)),
        ...versioningProblems(bucket, parts.versionings),
        ...encryptionProblems(bucket, parts.encryptions),
        ...tlsProblems(bucket, parts.policies),
      ];
      problems.forEach((p) => reportViolation(p, bucket.urn));
    }
  },
};

/** Inline bucket arguments, per alias, and the standalone resource that replaces each. */
const INLINE: readonly (readonly [type: string, property: string, replacement: string])[] = [
  [S3Type.bucket, "versioning", "aws.s3.BucketVersioning"],
  [S3Type.bucket, "serverSideEncryptionConfiguration", "aws.s3.BucketServerSideEncryptionConfiguration"],
  [S3Type.bucket, "lifecycleRules", "aws.s3.BucketLifecycleConfiguration"],
  [S3Type.bucket, "policy", "aws.s3.BucketPolicy"],
  [S3Type.bucketV2, "versionings", "aws.s3.BucketVersioning"],
  [S3Type.bucketV2, "serverSideEncryptionConfigurations", "aws.s3.BucketServerSideEncryptionConfiguration"],
  [S3Type.bucketV2, "lifecycleRules", "aws.s3.BucketLifecycleConfiguration"],
  [S3Type.bucketV2, "policy", "aws.s3.BucketPolicy"],
];

/**
 * DAT-5, AUD-1: a bucket's versioning, encryption, lifecycle and policy are standalone resources.
 * The inline forms are deprecated in @pulumi/aws 7, and the provider computes them, so at preview
 * a stack policy cannot tell a declared inline lifecycle (one that expires audit logs early) from
 * the provider's echo of the standalone one. Judged on inputs, where only declared values appear.
 */
export const datS3BucketStandaloneSettings: ResourceValidationPolicy = {
  name: "dat-s3-bucket-standalone-settings",
  description:
    "Checks that no S3 bucket declares the deprecated inline versioning, server-side encryption, lifecycle rules or policy, so the standalone resources that DAT-5 and AUD-1 verify are the only source of those settings (DAT-5, AUD-1).",
  validateResource: forTypes(BUCKET_TYPES, (args, reportViolation) => {
    for (const [type, property, replacement] of INLINE) {
      if (type === args.type && readValue(args.props, property) !== undefined) {
        reportViolation(
          `Move the inline ${property} of S3 bucket "${args.name}" into a standalone ${replacement} with bucket set to the bucket's id: inline settings are deprecated and cannot be verified at preview (DAT-5, AUD-1, POL-2).`,
        );
      }
    }
  }),
};

/** The S3 bucket policies, in report order (DAT-5). */
export const datBucketPolicies: Policies = [datS3BucketSecured, datS3BucketStandaloneSettings];
