// AUD-1 and DAT-4 for the CloudTrail trail: its own settings, and its bucket's protection and
// retention, checked in every ID mode (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertAuditVerdict, onProtected } from "./aud-fixtures";
import { AudType } from "./aud-read";
import { audTrailBucketRetained, audTrailPresent, audTrailSecured, lifecycleShortfalls } from "./aud-trail";
import { S3Type } from "./dat-buckets-s3";
import { urnOf } from "./net-fixtures";
import { runResourcePolicy, runStackPolicy, stackResource, unknown } from "./testing";

const LABEL = 'CloudTrail trail "audit"';
const trail = (props: Record<string, unknown> = {}) => ({
  type: AudType.trail,
  name: "audit",
  props: {
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    s3BucketName: unknown.string,
    kmsKeyId: unknown.string,
    cloudWatchLogsGroupArn: unknown.string,
    ...props,
  },
});

describe("aud-trail-secured (AUD-1, DAT-4)", () => {
  const policy = onProtected(audTrailSecured);

  it("passes a protected multi-region trail with validation, key and log group, unknown ARNs included", async () => {
    assert.deepEqual(await runResourcePolicy(policy, trail()), { violations: [] });
    const literal = await runResourcePolicy(
      policy,
      trail({ kmsKeyId: "alias/moat-acme", enableLogging: true }),
    );
    assert.deepEqual(literal, { violations: [] });
  });

  it("fails a single-region trail without validation, key or log group", async () => {
    const run = await runResourcePolicy(
      policy,
      trail({
        isMultiRegionTrail: false,
        enableLogFileValidation: undefined,
        kmsKeyId: undefined,
        cloudWatchLogsGroupArn: undefined,
      }),
    );
    assert.deepEqual(run.violations, [
      `Set isMultiRegionTrail: true on ${LABEL}: a trail of one region misses API calls made in every other region (AUD-1).`,
      `Set enableLogFileValidation: true on ${LABEL}: digest files are what prove a log file was not altered or deleted (AUD-1).`,
      `Set kmsKeyId on ${LABEL} to the tenant's KMS key: without it the log files are encrypted only with S3-managed keys (AUD-1).`,
      `Set cloudWatchLogsGroupArn (and cloudWatchLogsRoleArn) on ${LABEL} to a KMS-encrypted log group: the alerts of AUD-2 are built on the trail's events in CloudWatch Logs (AUD-1).`,
    ]);
  });

  it("fails a stopped trail and an unprotected one", async () => {
    assert.deepEqual((await runResourcePolicy(policy, trail({ enableLogging: false }))).violations, [
      `Remove enableLogging: false from ${LABEL}: a stopped trail records nothing (AUD-1).`,
    ]);
    assert.deepEqual((await runResourcePolicy(audTrailSecured, trail())).violations, [
      `Create ${LABEL} with the resource option protect: true: a destroy or replacement would stop the audit trail (AUD-1, DAT-4).`,
    ]);
  });

  it("fails flags unknown at preview, never reading them raw (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      trail({
        isMultiRegionTrail: unknown.boolean,
        enableLogFileValidation: unknown.boolean,
        enableLogging: unknown.boolean,
      }),
    );
    assert.equal(run.previewError, undefined);
    assert.deepEqual(
      run.violations,
      ["isMultiRegionTrail", "enableLogFileValidation", "enableLogging"].map(
        (p) =>
          `Set ${p} on ${LABEL} to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-1, POL-2).`,
      ),
    );
  });
});

describe("aud-trail-bucket-retained (AUD-1, DAT-4)", () => {
  const policy = audTrailBucketRetained;
  const onLifecycle = (shortfall: string, minimum = 180) => ({
    message: `Keep the audit logs of CloudTrail trail "audit-trail" at least ${minimum} days: bucket lifecycle "audit-bucket-lifecycle" ${shortfall}; use literal expiration days of ${minimum} or more (AUD-1).`,
    urn: urnOf(S3Type.lifecycle, "audit-bucket-lifecycle"),
  });
  const rule = (r: Record<string, unknown>) => (s: Parameters<Parameters<typeof assertAuditVerdict>[1]>[0]) =>
    (s["audit-bucket-lifecycle"].props.rules = [{ id: "expire", status: "Enabled", ...r }]);

  it("passes a protected bucket kept 365 days, and one with no lifecycle at all", async () => {
    await assertAuditVerdict(policy, () => {}, []);
    await assertAuditVerdict(policy, (s) => delete s["audit-bucket-lifecycle"], []);
  });

  it("passes a bucket named by literal, or through its policy resource", async () => {
    await assertAuditVerdict(
      policy,
      (s) => {
        s["audit-trail"].links = { kmsKeyId: ["tenant-key"] };
        s["audit-trail"].props.s3BucketName = "moat-acme-audit";
      },
      [],
    );
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-trail"].links!.s3BucketName = ["audit-bucket-policy"]),
      [],
    );
  });

  it("fails 30-day retention, early noncurrent expiry and a fixed expiry date", async () => {
    await assertAuditVerdict(policy, rule({ expiration: { days: 30 } }), [
      onLifecycle('expires objects after 30 days in rule "expire"'),
    ]);
    await assertAuditVerdict(policy, rule({ noncurrentVersionExpiration: { noncurrentDays: 7 } }), [
      onLifecycle('deletes noncurrent versions after 7 days in rule "expire"'),
    ]);
    await assertAuditVerdict(policy, rule({ expiration: { date: "2030-01-01" } }), [
      onLifecycle('expires every object on a fixed date in rule "expire"'),
    ]);
  });

  it("ignores disabled rules; raises the minimum through config, never below 180", async () => {
    await assertAuditVerdict(policy, rule({ status: "Disabled", expiration: { days: 1 } }), []);
    await assertAuditVerdict(
      policy,
      () => {},
      [
        onLifecycle('expires objects after 365 days in rule "expire-after-retention"', 400),
        onLifecycle('deletes noncurrent versions after 365 days in rule "expire-after-retention"', 400),
      ],
      {
        minimumRetentionDays: 400,
      },
    );
    await assertAuditVerdict(
      policy,
      rule({ expiration: { days: 90 } }),
      [onLifecycle('expires objects after 90 days in rule "expire"')],
      {
        minimumRetentionDays: 30,
      },
    );
    assert.deepEqual(policy.configSchema?.properties.minimumRetentionDays, {
      type: "integer",
      minimum: 180,
      default: 180,
    });
  });

  it("fails an unprotected bucket and a bucket outside the stack", async () => {
    await assertAuditVerdict(
      policy,
      () => {},
      [
        {
          message:
            'Create S3 bucket "audit-bucket", which receives CloudTrail trail "audit-trail", with the resource option protect: true: a destroy or replacement would delete the audit logs (AUD-1, DAT-4).',
          urn: urnOf(S3Type.bucket, "audit-bucket"),
        },
      ],
      {},
      ["audit-trail"],
    );
    await assertAuditVerdict(
      policy,
      (s) => {
        s["audit-trail"].links = { kmsKeyId: ["tenant-key"] };
        s["audit-trail"].props.s3BucketName = "someone-elses-bucket";
      },
      [
        {
          message:
            'Build s3BucketName of CloudTrail trail "audit-trail" from an aws.s3.Bucket of this stack (its id or literal name), so the bucket\'s protection and retention can be verified (AUD-1).',
          urn: urnOf(AudType.trail, "audit-trail"),
        },
      ],
    );
  });

  it("fails lifecycle values unknown at preview (POL-2)", async () => {
    await assertAuditVerdict(policy, rule({ expiration: { days: unknown.number } }), [
      onLifecycle('has a rule "expire" whose expiration.days is unknown at preview'),
    ]);
    await assertAuditVerdict(policy, rule({ noncurrentVersionExpiration: unknown.object }), [
      onLifecycle(
        'has a rule "expire" whose noncurrentVersionExpiration.noncurrentDays is unknown at preview',
      ),
    ]);
    await assertAuditVerdict(policy, (s) => (s["audit-bucket-lifecycle"].props.rules = unknown.array), [
      onLifecycle("has rules that are unknown at preview"),
    ]);
    const computedRule = stackResource({ type: S3Type.lifecycle, props: { rules: [unknown.object] } });
    assert.deepEqual(lifecycleShortfalls(computedRule, 180), ["has rules[0] unknown at preview"]);
  });
});

describe("aud-trail-present (AUD-1)", () => {
  const home = stackResource({
    type: "moat:account:AccountBaseline",
    name: "account",
    props: { region: "us-east-1", home: true },
  });

  it("counts a trail whose every setting is unknown at preview: its settings are aud-trail-secured's (POL-2)", async () => {
    const computed = stackResource({
      type: AudType.trail,
      name: "t",
      props: { isMultiRegionTrail: unknown.boolean, s3BucketName: unknown.string },
    });
    assert.deepEqual(await runStackPolicy(audTrailPresent, [home, computed]), { violations: [] });
  });

  it("passes a home baseline with a trail and fails one without", async () => {
    await assertAuditVerdict(audTrailPresent, () => {}, []);
    const run = await runStackPolicy(audTrailPresent, [home]);
    assert.deepEqual(run.violations, [
      {
        message:
          "Add an aws.cloudtrail.Trail to the home baseline: multi-region, with log-file validation, kmsKeyId, cloudWatchLogsGroupArn and a protected, retained, object-locked bucket, so every API call in the account is recorded (AUD-1).",
        urn: home.urn,
      },
    ]);
  });

  it("asks nothing of a tenant stack or a baseline of another region: they hold no trail", async () => {
    const regional = stackResource({
      type: "moat:account:AccountBaseline",
      name: "account",
      props: { region: "eu-west-1", home: false },
    });
    const node = stackResource({ type: AudType.instance, name: "head-0", props: {} });
    assert.deepEqual(await runStackPolicy(audTrailPresent, [regional]), { violations: [] });
    assert.deepEqual(await runStackPolicy(audTrailPresent, [node]), { violations: [] });
  });
});
