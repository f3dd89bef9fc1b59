// S3 buckets as the DAT-5 and AUD-1 policies see them: a bucket and the standalone resources that
// configure it (public-access block, versioning, encryption, policy, lifecycle), each tied to its
// bucket through the `bucket` property dependency, or by the bucket's literal name. Both the
// current type names and the deprecated V2 aliases of @pulumi/aws 7 are recognised.
import type { PolicyResource } from "@pulumi/policy";
import { referenced } from "./aud-read";

/** Type tokens of S3 buckets and their configuration resources, v7 names and V2 aliases. */
export const S3Type = {
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  accountPublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  versioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  encryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  lifecycleV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  objectLockV2: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
  logging: "aws:s3/bucketLogging:BucketLogging",
  loggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
} as const;

/** Both bucket types: `aws.s3.Bucket` and its deprecated alias `aws.s3.BucketV2`. */
export const BUCKET_TYPES: readonly string[] = [S3Type.bucket, S3Type.bucketV2];

/** The configuration resources of one bucket, by concern, each list holding every alias. */
export interface BucketParts {
  readonly publicAccessBlocks: readonly PolicyResource[];
  readonly versionings: readonly PolicyResource[];
  readonly encryptions: readonly PolicyResource[];
  readonly policies: readonly PolicyResource[];
  readonly lifecycles: readonly PolicyResource[];
  readonly objectLocks: readonly PolicyResource[];
  readonly loggings: readonly PolicyResource[];
}

const PART_TYPES: Readonly<Record<keyof BucketParts, readonly string[]>> = {
  publicAccessBlocks: [S3Type.publicAccessBlock],
  versionings: [S3Type.versioning, S3Type.versioningV2],
  encryptions: [S3Type.encryption, S3Type.encryptionV2],
  policies: [S3Type.policy],
  lifecycles: [S3Type.lifecycle, S3Type.lifecycleV2],
  objectLocks: [S3Type.objectLock, S3Type.objectLockV2],
  loggings: [S3Type.logging, S3Type.loggingV2],
};

const LABELS: Readonly<Record<string, string>> = {
  [S3Type.bucket]: "S3 bucket",
  [S3Type.bucketV2]: "S3 bucket",
  [S3Type.publicAccessBlock]: "public-access block",
  [S3Type.accountPublicAccessBlock]: "account public-access block",
  [S3Type.versioning]: "bucket versioning",
  [S3Type.versioningV2]: "bucket versioning",
  [S3Type.encryption]: "bucket encryption",
  [S3Type.encryptionV2]: "bucket encryption",
  [S3Type.policy]: "bucket policy",
  [S3Type.lifecycle]: "bucket lifecycle",
  [S3Type.lifecycleV2]: "bucket lifecycle",
  [S3Type.objectLock]: "bucket Object Lock configuration",
  [S3Type.objectLockV2]: "bucket Object Lock configuration",
  [S3Type.logging]: "bucket access logging",
  [S3Type.loggingV2]: "bucket access logging",
};

/** How messages name an S3 resource, e.g. `S3 bucket "audit"`, `bucket lifecycle "audit-expiry"`. */
export function s3Label(resource: Pick<PolicyResource, "type" | "name">): string {
  return `${LABELS[resource.type] ?? resource.type} "${resource.name}"`;
}

/** Every bucket of the stack, either alias. */
export const stackBuckets = (resources: readonly PolicyResource[]) =>
  resources.filter((r) => BUCKET_TYPES.includes(r.type));

/**
 * The configuration resources that name `bucket` in their `bucket` property: built from one of
 * its outputs, or the bucket's literal name. A resource naming a bucket outside the stack
 * configures none of the stack's buckets.
 */
export function bucketParts(bucket: PolicyResource, resources: readonly PolicyResource[]): BucketParts {
  const buckets = stackBuckets(resources);
  const of = (types: readonly string[]) =>
    resources.filter(
      (r) =>
        types.includes(r.type) &&
        referenced(r, "bucket", buckets, "bucket").some((b) => b.urn === bucket.urn),
    );
  return {
    publicAccessBlocks: of(PART_TYPES.publicAccessBlocks),
    versionings: of(PART_TYPES.versionings),
    encryptions: of(PART_TYPES.encryptions),
    policies: of(PART_TYPES.policies),
    lifecycles: of(PART_TYPES.lifecycles),
    objectLocks: of(PART_TYPES.objectLocks),
    loggings: of(PART_TYPES.loggings),
  };
}

/**
 * The bucket a reference names, e.g. a trail's `s3BucketName`: a bucket of the stack directly, or
 * through a configuration resource it was built from (`s3BucketName: bucketPolicy.bucket`, a
 * common way to order the trail after its policy), or by the bucket's literal name.
 */
export function bucketNamedBy(
  resource: PolicyResource,
  property: string,
  resources: readonly PolicyResource[],
): PolicyResource | undefined {
  const buckets = stackBuckets(resources);
  const [direct] = referenced(resource, property, buckets, "bucket");
  if (direct) {
    return direct;
  }
  const partTypes = Object.values(PART_TYPES).flat();
  for (const part of (resource.propertyDependencies[property] ?? []).filter((r) =>
    partTypes.includes(r.type),
  )) {
    const [viaPart] = referenced(part, "bucket", buckets, "bucket");
    if (viaPart) {
      return viaPart;
    }
  }
  return undefined;
}
