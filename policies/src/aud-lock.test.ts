// AUD-1's audit bucket lock: Object Lock in compliance mode, access logging, and a guard bucket
// policy, each checked on the compliant audit stack in every ID mode (POL-2), failing one at a time.
import { describe, it } from "node:test";
import { assertAuditVerdict, AUDIT_BUCKET } from "./aud-fixtures";
import { audTrailBucketLocked } from "./aud-lock";
import { S3Type } from "./dat-buckets-s3";
import { urnOf } from "./net-fixtures";

const LABEL = 'S3 bucket "audit-bucket", which receives CloudTrail trail "audit-trail",';

describe("aud-trail-bucket-locked (AUD-1)", () => {
  it("passes the compliant audit stack", async () => {
    await assertAuditVerdict(audTrailBucketLocked, () => {}, []);
  });

  it("fails a bucket created without Object Lock", async () => {
    await assertAuditVerdict(audTrailBucketLocked, (s) => delete s["audit-bucket"].props.objectLockEnabled, [
      {
        message: `Create ${LABEL} with objectLockEnabled: true (a literal): Object Lock can only be turned on when a bucket is created, and without it a log can be deleted (AUD-1).`,
        urn: urnOf(S3Type.bucket, "audit-bucket"),
      },
    ]);
  });

  it("fails governance mode, a retention shorter than the minimum, and a missing configuration", async () => {
    const expected = (minimum: number, on = "audit-bucket-object-lock") => [
      {
        message: `Add an aws.s3.BucketObjectLockConfiguration to ${LABEL} with rule.defaultRetention { mode: "COMPLIANCE", days: ${minimum} or more }: governance mode or a shorter retention lets a log be deleted or shortened before then (AUD-1).`,
        urn: on === "audit-bucket" ? urnOf(S3Type.bucket, on) : urnOf(S3Type.objectLock, on),
      },
    ];
    const lock = (retention: object) => (s: Record<string, { props: Record<string, unknown> }>) =>
      (s["audit-bucket-object-lock"].props.rule = { defaultRetention: retention });
    await assertAuditVerdict(audTrailBucketLocked, lock({ mode: "GOVERNANCE", days: 365 }), expected(180));
    await assertAuditVerdict(audTrailBucketLocked, lock({ mode: "COMPLIANCE", days: 90 }), expected(180));
    await assertAuditVerdict(audTrailBucketLocked, () => {}, expected(400), { minimumRetentionDays: 400 });
    await assertAuditVerdict(audTrailBucketLocked, lock({ mode: "COMPLIANCE", years: 2 }), []);
    await assertAuditVerdict(
      audTrailBucketLocked,
      (s) => delete s["audit-bucket-object-lock"],
      expected(180, "audit-bucket"),
    );
  });

  it("fails a bucket without access logging, or logging to itself", async () => {
    const expected = [
      {
        message: `Add an aws.s3.BucketLogging to ${LABEL} with a targetBucket other than itself: every read and change of the audit logs must leave a record (AUD-1).`,
        urn: urnOf(S3Type.bucket, "audit-bucket"),
      },
    ];
    await assertAuditVerdict(audTrailBucketLocked, (s) => delete s["audit-bucket-logging"], expected);
    await assertAuditVerdict(
      audTrailBucketLocked,
      (s) => {
        s["audit-bucket-logging"].links = { bucket: ["audit-bucket"] };
        s["audit-bucket-logging"].props.targetBucket = AUDIT_BUCKET;
      },
      expected,
    );
  });

  it("fails a bucket policy that lets logs be deleted or the bucket be weakened", async () => {
    const policyOf = (statements: object[]) =>
      JSON.stringify({ Version: "2012-10-17", Statement: statements });
    const message = (gaps: string) =>
      `Make the bucket policy of ${LABEL} a guard: it ${gaps}. Add Deny statements for Principal "*" (sparing at most named administrator roles through aws:PrincipalArn) (AUD-1).`;
    const on = urnOf(S3Type.policy, "audit-bucket-policy");
    await assertAuditVerdict(
      audTrailBucketLocked,
      (s) => (s["audit-bucket-policy"].props.policy = policyOf([])),
      [
        {
          message: message(
            "does not deny s3:DeleteObject, s3:DeleteObjectVersion on its objects to everyone; does not deny s3:PutBucketPolicy, s3:DeleteBucketPolicy, s3:PutBucketObjectLockConfiguration, s3:PutLifecycleConfiguration, s3:PutBucketVersioning, s3:PutBucketLogging on the bucket to everyone but named administrators",
          ),
          urn: on,
        },
      ],
    );
    // A Deny that holds only under some other condition (here: without MFA) is no guard.
    const arn = `arn:aws:s3:::${AUDIT_BUCKET}`;
    await assertAuditVerdict(
      audTrailBucketLocked,
      (s) =>
        (s["audit-bucket-policy"].props.policy = policyOf([
          { Effect: "Deny", Principal: "*", Action: "s3:Delete*", Resource: `${arn}/*` },
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:Put*",
            Resource: arn,
            Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
          },
          { Effect: "Deny", Principal: "*", Action: "s3:DeleteBucketPolicy", Resource: arn },
        ])),
      [
        {
          message: message(
            "does not deny s3:PutBucketPolicy, s3:PutBucketObjectLockConfiguration, s3:PutLifecycleConfiguration, s3:PutBucketVersioning, s3:PutBucketLogging on the bucket to everyone but named administrators",
          ),
          urn: on,
        },
      ],
    );
  });
});
