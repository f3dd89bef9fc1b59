import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { iamResourcePolicyNoWildcardPrincipal } from "../../policies/src/iam-privilege";
import { kmsKeyPolicySingleAccount } from "../../policies/src/kms";
import { runResourcePolicy } from "../../policies/src/testing";
import { auditServiceStatements, servicePrincipal } from "./audit-statements";
import { tenantKeyPolicy } from "./key-policy";
import { findWildcardGrants, PolicyStatement } from "./policy-document";
import { tenantTrailArn, tenantTrailName, TenantScope } from "./tenant-scope";

const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};
const TRAIL = "arn:aws:cloudtrail:us-east-1:123456789012:trail/moat-acme";
const statements = auditServiceStatements(scope);
const bySid = (sid: string): PolicyStatement => {
  const found = statements.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
};

describe("tenantTrailName/tenantTrailArn (AUD-1)", () => {
  it("names the tenant's trail moat-<tenantId> and builds its ARN from known values", () => {
    assert.equal(tenantTrailName("acme"), "moat-acme");
    assert.equal(tenantTrailArn(scope), TRAIL);
    assert.equal(
      tenantTrailArn({ ...scope, partition: "aws-us-gov", region: "us-gov-west-1" }),
      "arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/moat-acme",
    );
  });
});

describe("auditServiceStatements (AUD-1, AUD-2, DAT-3)", () => {
  it("AUD-1: CloudTrail generates data keys for the tenant's trail only", () => {
    assert.deepEqual(bySid("CloudTrailEncryptsTenantTrail"), {
      Sid: "CloudTrailEncryptsTenantTrail",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: ["kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": TRAIL },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*",
        },
      },
    });
  });

  it("AUD-1: CloudTrail describes the key, for the same trail only", () => {
    const describe = bySid("CloudTrailDescribesKey");
    assert.deepEqual(describe.Principal, { Service: "cloudtrail.amazonaws.com" });
    assert.equal(describe.Action, "kms:DescribeKey");
    assert.deepEqual(describe.Condition, { StringEquals: { "aws:SourceArn": TRAIL } });
  });

  it("AUD-1: the account may decrypt this trail's log files and nothing else through this statement", () => {
    const read = bySid("AccountReadsTenantTrailLogs");
    assert.deepEqual(read.Principal, { AWS: "arn:aws:iam::123456789012:root" });
    assert.equal(read.Action, "kms:Decrypt");
    assert.deepEqual(read.Condition, {
      StringEquals: {
        "kms:CallerAccount": "123456789012",
        "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL,
      },
    });
  });

  it("AUD-2: EventBridge and CloudWatch alarms use the key only through SNS of the region", () => {
    const events = bySid("EventBridgePublishesToTenantTopic");
    const alarms = bySid("CloudWatchAlarmsPublishToTenantTopic");
    assert.deepEqual(events.Principal, { Service: "events.amazonaws.com" });
    assert.deepEqual(alarms.Principal, { Service: "cloudwatch.amazonaws.com" });
    for (const s of [events, alarms]) {
      assert.deepEqual(s.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
    }
    assert.deepEqual(events.Condition, { StringEquals: { "kms:ViaService": "sns.us-east-1.amazonaws.com" } });
    assert.deepEqual(alarms.Condition, {
      StringEquals: { "kms:ViaService": "sns.us-east-1.amazonaws.com", "aws:SourceAccount": "123456789012" },
    });
  });

  it("IAM-3: no * principal, no wildcard action, every statement conditioned", () => {
    const document = tenantKeyPolicy(scope, statements);
    assert.deepEqual(findWildcardGrants(document), []);
    for (const s of statements) {
      assert.ok(s.Condition, `${s.Sid} is unconditioned`);
      assert.equal(s.Effect, "Allow");
      assert.equal(s.Resource, "*", `${s.Sid}: in a key policy * means this key`);
    }
  });

  it("keeps statement IDs unique next to the base policy's", () => {
    const sids = tenantKeyPolicy(scope, statements).Statement.map((s) => s.Sid);
    assert.equal(new Set(sids).size, sids.length);
  });

  it("builds partition-specific ARNs and SNS host, and global service principals (aws-cn)", () => {
    const cn = JSON.stringify(
      auditServiceStatements({ ...scope, partition: "aws-cn", region: "cn-north-1" }),
    );
    assert.match(cn, /arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail\/moat-acme/);
    assert.match(cn, /"sns\.cn-north-1\.amazonaws\.com\.cn"/);
    assert.doesNotMatch(cn, /arn:aws:/);
    assert.equal(servicePrincipal("cloudtrail"), "cloudtrail.amazonaws.com");
  });

  it("DAT-3, IAM-3: the extended key policy passes kms-key-policy-single-account and the wildcard-principal check", async () => {
    const key = {
      type: "aws:kms/key:Key",
      name: "tenant",
      props: { policy: JSON.stringify(tenantKeyPolicy(scope, statements)) },
    };
    for (const policy of [kmsKeyPolicySingleAccount, iamResourcePolicyNoWildcardPrincipal]) {
      const run = await runResourcePolicy(policy, key);
      assert.deepEqual(run, { violations: [] }, policy.name);
    }
  });
});
