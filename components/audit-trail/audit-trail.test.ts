import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  installRecordingMocks,
  mockArns,
  Recorded,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";
import { TenantScope } from "../tenant-key/tenant-scope";
import {
  auditBucketPolicy,
  auditLifecycleRules,
  trailLogsPermissionsPolicy,
  trailLogsTrustPolicy,
} from "./audit-documents";
import { AuditTrail } from "./audit-trail";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
});

const KEY = "arn:aws:kms:us-east-1:123456789012:key/tenant";
const BUCKET = "moat-acme-audit-123456789012-us-east-1";
const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};
const COMPONENT_URN = "urn:pulumi:test::moat::moat:audit:AuditTrail::acme-audit";
const urnOf = (r: Recorded) => `urn:pulumi:test::moat::moat:audit:AuditTrail$${r.type}::${r.name}`;

describe("AuditTrail (AUD-1, DAT-4, DAT-5)", () => {
  const name = "acme-audit";
  let component: AuditTrail;
  let children: Recorded[];
  const child = (role: string): Recorded => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };
  const inputs = (role: string) => child(role).inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    component = new AuditTrail(name, {
      tenantId: "acme",
      accountId: pulumi.output("123456789012"),
      region: "us-east-1",
      kmsKeyArn: KEY,
      accessLogBucketName: "moat-account-access-logs-123456789012-us-east-1",
    });
    await mocks.settle();
    children = mocks.named(name).filter((r) => r.name !== name);
  });

  it("registers itself as moat:audit:AuditTrail with exactly its children, all parented to it", async () => {
    assert.equal(mocks.named(name).find((r) => r.name === name)?.type, "moat:audit:AuditTrail");
    assert.deepEqual(children.map((c) => `${c.type} ${c.name}`).sort(), [
      `aws:cloudtrail/trail:Trail ${name}-trail`,
      `aws:cloudwatch/logGroup:LogGroup ${name}-logs`,
      `aws:iam/role:Role ${name}-logs-role`,
      `aws:iam/rolePolicy:RolePolicy ${name}-logs-policy`,
      `aws:s3/bucket:Bucket ${name}-bucket`,
      `aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration ${name}-bucket-lifecycle`,
      `aws:s3/bucketLogging:BucketLogging ${name}-bucket-access-logging`,
      `aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration ${name}-bucket-object-lock`,
      `aws:s3/bucketOwnershipControls:BucketOwnershipControls ${name}-bucket-ownership`,
      `aws:s3/bucketPolicy:BucketPolicy ${name}-bucket-policy`,
      `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock ${name}-bucket-public-access`,
      `aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration ${name}-bucket-encryption`,
      `aws:s3/bucketVersioning:BucketVersioning ${name}-bucket-versioning`,
    ]);
    const urn = await valueOf(component.urn);
    assert.equal(urn, COMPONENT_URN);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the AuditTrail`);
    }
  });

  it("DAT-4: protects and retains the bucket, its settings, the log group and the trail", () => {
    const kept = children.filter((c) => c.protect && c.retainOnDelete).map((c) => c.name);
    assert.deepEqual(kept.sort(), [
      `${name}-bucket`,
      `${name}-bucket-access-logging`,
      `${name}-bucket-encryption`,
      `${name}-bucket-lifecycle`,
      `${name}-bucket-object-lock`,
      `${name}-bucket-ownership`,
      `${name}-bucket-policy`,
      `${name}-bucket-public-access`,
      `${name}-bucket-versioning`,
      `${name}-logs`,
      `${name}-trail`,
    ]);
    for (const role of ["logs-role", "logs-policy"]) {
      assert.equal(child(role).protect, false, `${role}: a role is recreated without loss`);
    }
  });

  it("POL-2, DAT-5: a bucket with a literal name, no inline settings and no force-destroy", () => {
    assert.deepEqual(inputs("bucket"), { bucket: BUCKET, forceDestroy: false, objectLockEnabled: true });
  });

  it("AUD-1: Object Lock in compliance mode for the retention, and access logged to the named bucket", () => {
    assert.deepEqual(inputs("bucket-object-lock"), {
      bucket: `${name}-bucket-id`,
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } },
    });
    assert.deepEqual(inputs("bucket-access-logging"), {
      bucket: `${name}-bucket-id`,
      targetBucket: "moat-account-access-logs-123456789012-us-east-1",
      targetPrefix: `access-logs/${BUCKET}/`,
    });
  });

  it("DAT-5: public access blocked, versioned, SSE-KMS with the tenant key, owner-enforced, all on the bucket", () => {
    const bucketId = `${name}-bucket-id`;
    assert.deepEqual(inputs("bucket-public-access"), {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    assert.deepEqual(inputs("bucket-versioning"), {
      bucket: bucketId,
      versioningConfiguration: { status: "Enabled" },
    });
    assert.deepEqual(inputs("bucket-encryption"), {
      bucket: bucketId,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
          bucketKeyEnabled: true,
        },
      ],
    });
    assert.deepEqual(inputs("bucket-ownership"), {
      bucket: bucketId,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
  });

  it("AUD-1: the lifecycle keeps logs and their noncurrent versions the default 365 days", () => {
    assert.deepEqual(inputs("bucket-lifecycle"), {
      bucket: `${name}-bucket-id`,
      rules: auditLifecycleRules(365),
    });
  });

  it("DAT-5, AUD-1: the bucket policy is the document built from the literal bucket name", () => {
    assert.equal(inputs("bucket-policy").bucket, `${name}-bucket-id`);
    assert.deepEqual(JSON.parse(inputs("bucket-policy").policy), auditBucketPolicy(scope, BUCKET));
  });

  it("AUD-1, NET-10: the log group is /moat/acme/cloudtrail, KMS-encrypted, kept 365 days", () => {
    assert.deepEqual(inputs("logs"), { name: "/moat/acme/cloudtrail", kmsKeyId: KEY, retentionInDays: 365 });
  });

  it("AUD-1, CMP-7: the delivery role is moat-acme-cloudtrail with the trust and write-only documents", () => {
    assert.equal(inputs("logs-role").name, "moat-acme-cloudtrail");
    assert.deepEqual(JSON.parse(inputs("logs-role").assumeRolePolicy), trailLogsTrustPolicy(scope));
    assert.equal(inputs("logs-policy").role, "moat-acme-cloudtrail");
    assert.deepEqual(JSON.parse(inputs("logs-policy").policy), trailLogsPermissionsPolicy(scope));
  });

  it("AUD-1: the trail is multi-region, validated, encrypted and delivers to the bucket and the log group", () => {
    assert.deepEqual(inputs("trail"), {
      name: "moat-acme",
      s3BucketName: BUCKET,
      kmsKeyId: KEY,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      cloudWatchLogsGroupArn: `arn:mock:${name}-logs:*`,
      cloudWatchLogsRoleArn: `arn:mock:${name}-logs-role`,
    });
  });

  it("orders the trail after the bucket policy and role policy, and each setting after what it needs", () => {
    const dependsOn = (role: string, ...on: string[]) => {
      const deps = child(role).dependencies;
      for (const other of on) {
        assert.ok(deps.includes(urnOf(child(other))), `${role} does not wait for ${other}`);
      }
    };
    dependsOn("trail", "bucket", "bucket-policy", "logs", "logs-role", "logs-policy");
    // The policy comes last: it denies changing the settings made before it (AUD-1).
    dependsOn(
      "bucket-policy",
      "bucket",
      "bucket-public-access",
      "bucket-ownership",
      "bucket-encryption",
      "bucket-object-lock",
      "bucket-access-logging",
      "bucket-lifecycle",
    );
    dependsOn("bucket-lifecycle", "bucket", "bucket-versioning");
    for (const setting of ["public-access", "versioning", "encryption", "ownership"]) {
      dependsOn(`bucket-${setting}`, "bucket");
    }
  });

  it("exposes the trail ARN, the bucket name and the log group name", async () => {
    assert.equal(await valueOf(component.trailArn), `arn:mock:${name}-trail`);
    assert.equal(await valueOf(component.bucketName), BUCKET);
    assert.equal(await valueOf(component.logGroupName), "/moat/acme/cloudtrail");
  });
});

describe("AuditTrail: retention (AUD-1)", () => {
  it("keeps bucket objects exactly retentionDays and rounds the log group up to what CloudWatch accepts", async () => {
    new AuditTrail("long-audit", {
      tenantId: "long",
      accountId: "123456789012",
      region: "eu-west-1",
      kmsKeyArn: KEY,
      retentionDays: 200,
      accessLogBucketName: "moat-long-access-logs",
    });
    await mocks.settle();
    const recorded = (role: string) => mocks.named("long-audit").find((r) => r.name === `long-audit-${role}`);
    assert.deepEqual(recorded("bucket-lifecycle")?.inputs.rules, auditLifecycleRules(200));
    assert.equal(recorded("logs")?.inputs.retentionInDays, 365);
    assert.equal(recorded("bucket")?.inputs.bucket, "moat-long-audit-123456789012-eu-west-1");
  });
});

describe("AuditTrail: invalid args (AUD-1)", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new AuditTrail("bad-audit", {
          tenantId: "A",
          accountId: "1",
          region: "us-east-1",
          kmsKeyArn: "",
          accessLogBucketName: "logs",
          retentionDays: 30,
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["tenantId", "accountId", "kmsKeyArn", "retentionDays"],
        );
        assert.match(err.message, /^Invalid AuditTrail "bad-audit" args:\n {2}- tenantId: /);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad-audit"), []);
  });
});
