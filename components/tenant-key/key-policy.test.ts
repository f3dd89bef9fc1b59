import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { autoScalingRoleArn, KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS, tenantKeyPolicy } from "./key-policy";
import { asList, findWildcardGrants, PolicyStatement } from "./policy-document";
import { TenantScope } from "./tenant-scope";

const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};
const policy = tenantKeyPolicy(scope);
const bySid = (sid: string): PolicyStatement => {
  const found = policy.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
};
const principalsOf = (s: PolicyStatement): string[] =>
  Object.values(s.Principal ?? {}).flatMap((p: string | readonly string[]) => [...asList(p)]);

describe("tenantKeyPolicy (DAT-3, CMP-3)", () => {
  it("uses the current policy language and unique statement IDs", () => {
    assert.equal(policy.Version, "2012-10-17");
    const sids = policy.Statement.map((s) => s.Sid);
    assert.equal(new Set(sids).size, sids.length);
  });

  it("IAM-3: has no * principal and no * or service-wide action", () => {
    assert.deepEqual(findWildcardGrants(policy), []);
  });

  it("DAT-3: names no other account and only allows", () => {
    for (const s of policy.Statement) {
      assert.equal(s.Effect, "Allow", s.Sid);
      for (const principal of principalsOf(s)) {
        assert.match(principal, /^arn:aws:iam::123456789012:|^logs\.us-east-1\.amazonaws\.com$/, s.Sid);
      }
    }
  });

  it("DAT-3: lets the account root administer but not use the key", () => {
    const admin = bySid("AccountAdministersKey");
    assert.deepEqual(admin.Principal, { AWS: "arn:aws:iam::123456789012:root" });
    assert.deepEqual(admin.Action, KEY_ADMIN_ACTIONS);
    assert.equal(admin.Condition, undefined);
    for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:*"]) {
      assert.ok(!asList(admin.Action).includes(action), action);
    }
    assert.ok(
      asList(admin.Action).includes("kms:PutKeyPolicy"),
      "the account must keep control of the policy",
    );
  });

  it("DAT-3: lets exactly the tenant's roles use the key, by name, before they exist", () => {
    const use = bySid("TenantRolesUseKey");
    assert.deepEqual(use.Principal, { AWS: "arn:aws:iam::123456789012:root" });
    assert.deepEqual(use.Action, KEY_USE_ACTIONS);
    assert.deepEqual(use.Condition, {
      ArnEquals: {
        "aws:PrincipalArn": ["bastion", "head", "compute", "admin", "member"].map(
          (role) => `arn:aws:iam::123456789012:role/moat-acme-${role}`,
        ),
      },
    });
  });

  it("DAT-3: the tenant condition does not reach a tenant whose id extends this one (acme-labs)", () => {
    const roles = asList(bySid("TenantRolesUseKey").Condition?.ArnEquals["aws:PrincipalArn"]);
    assert.ok(
      roles.every((arn) => !arn.includes("*")),
      "a prefix pattern would match moat-acme-labs-head",
    );
  });

  it("CMP-3: allows grants only for AWS resources, for every principal that may use the key", () => {
    for (const sid of ["TenantRoles", "AutoScaling", "AccountViaServices"]) {
      const grant = bySid(`${sid}GrantToAwsServices`);
      assert.equal(grant.Action, "kms:CreateGrant");
      assert.deepEqual(grant.Condition?.Bool, { "kms:GrantIsForAWSResource": "true" });
      assert.deepEqual(grant.Principal, bySid(`${sid}UseKey`).Principal);
    }
    const tenantGrant = bySid("TenantRolesGrantToAwsServices").Condition;
    assert.deepEqual(tenantGrant?.ArnEquals, bySid("TenantRolesUseKey").Condition?.ArnEquals);
  });

  it("CMP-3: names the EC2 Auto Scaling service-linked role itself (its permissions cannot be extended)", () => {
    const use = bySid("AutoScalingUseKey");
    assert.deepEqual(use.Principal, {
      AWS: "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
    });
    assert.equal(use.Condition, undefined);
    assert.equal(autoScalingRoleArn(scope), (use.Principal as { AWS: string }).AWS);
  });

  it("CMP-3/CMP-6/DAT-1: lets the account's principals use the key only through EC2, EFS, FSx, Secrets Manager", () => {
    assert.deepEqual(bySid("AccountViaServicesUseKey").Condition, {
      StringEquals: {
        "kms:CallerAccount": "123456789012",
        "kms:ViaService": [
          "ec2.us-east-1.amazonaws.com",
          "elasticfilesystem.us-east-1.amazonaws.com",
          "fsx.us-east-1.amazonaws.com",
          "secretsmanager.us-east-1.amazonaws.com",
        ],
      },
    });
  });

  it("NET-10/AUD-3: lets CloudWatch Logs use the key for the tenant's log groups only", () => {
    const logs = bySid("CloudWatchLogsTenantGroups");
    assert.deepEqual(logs.Principal, { Service: "logs.us-east-1.amazonaws.com" });
    assert.deepEqual(logs.Condition, {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/*",
      },
    });
  });

  it("every statement is for this key only, and every use of it is conditioned or names one role", () => {
    for (const s of policy.Statement) {
      assert.equal(s.Resource, "*", `${s.Sid}: in a key policy * means this key`);
      const rootPrincipal = principalsOf(s).includes("arn:aws:iam::123456789012:root");
      if (rootPrincipal && s.Sid !== "AccountAdministersKey") {
        assert.ok(s.Condition, `${s.Sid} grants use to the whole account`);
      }
    }
  });

  it("builds partition- and region-specific names (aws-cn)", () => {
    const cn = tenantKeyPolicy({ ...scope, partition: "aws-cn", region: "cn-north-1" });
    const text = JSON.stringify(cn);
    assert.match(text, /"logs\.cn-north-1\.amazonaws\.com\.cn"/);
    assert.match(text, /arn:aws-cn:iam::123456789012:root/);
    assert.doesNotMatch(text, /arn:aws:/);
  });

  it("appends extra statements (the SNS/CloudTrail extension point) after its own", () => {
    const extra: PolicyStatement = {
      Sid: "CloudTrailEncryptsLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
    };
    const extended = tenantKeyPolicy(scope, [extra]);
    assert.deepEqual(extended.Statement.slice(0, -1), policy.Statement);
    assert.deepEqual(extended.Statement.at(-1), extra);
  });
});
