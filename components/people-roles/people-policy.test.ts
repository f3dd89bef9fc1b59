import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { asList, findWildcardGrants, PolicyDocument, PolicyStatement } from "../tenant-key/policy-document";
import { TenantScope } from "../tenant-key/tenant-scope";
import {
  adminPolicy,
  memberPolicy,
  peopleTrustPolicy,
  SESSION_DOCUMENTS,
  validatePeopleRolesArgs,
} from "./people-policy";
import type { PeopleRolesArgs } from "./people-roles";

const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};
const member = memberPolicy(scope);
const admin = adminPolicy(scope);
const bySid = (doc: PolicyDocument, sid: string): PolicyStatement => {
  const found = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
};
const conditionValues = (s: PolicyStatement): string[] =>
  Object.values(s.Condition ?? {}).flatMap((block) => Object.values(block).flatMap((v) => [...asList(v)]));

describe("peopleTrustPolicy (IAM-1, IAM-3)", () => {
  const principals = [
    "arn:aws:iam::123456789012:role/acme-sso-admins",
    "arn:aws:iam::210987654321:user/alice",
  ];
  const trust = peopleTrustPolicy(principals);

  it("IAM-1: trusts exactly the listed principals, only with MFA", () => {
    assert.deepEqual(trust.Statement, [
      {
        Sid: "ListedPeopleAssumeWithMfa",
        Effect: "Allow",
        Principal: { AWS: principals },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
    ]);
  });

  it("IAM-3: has no * principal", () => {
    assert.deepEqual(findWildcardGrants(trust), []);
  });
});

describe("memberPolicy and adminPolicy (IAM-1, IAM-3)", () => {
  for (const [label, doc] of [
    ["member", member],
    ["admin", admin],
  ] as const) {
    it(`IAM-3 (${label}): no * principal, no * or service-wide action, only allows`, () => {
      assert.deepEqual(findWildcardGrants(doc), []);
      assert.ok(doc.Statement.every((s) => s.Effect === "Allow" && s.Principal === undefined));
    });

    it(`IAM-1 (${label}): every statement with a resource pattern is held to the tenant (or the caller)`, () => {
      for (const s of doc.Statement) {
        const patterns = asList(s.Resource).filter((r) => r.includes("*"));
        if (patterns.length === 0) {
          continue;
        }
        if (asList(s.Resource).every((r) => r === "*")) {
          // IAM-3: `*` only for named reads, which have no resource-level permissions.
          assert.ok(
            asList(s.Action).every((a) => /^ec2:Describe/.test(a)),
            s.Sid,
          );
          continue;
        }
        const values = conditionValues(s);
        const heldToTenant = values.includes("acme") || values.includes("alias/moat-acme");
        const heldToCaller = values.includes("${aws:userid}");
        assert.ok(heldToTenant || heldToCaller, `${s.Sid} grants ${patterns.join(", ")} across tenants`);
      }
    });
  }

  it("IAM-1: members open sessions only on nodes tagged with their tenant, and only with granted documents", () => {
    assert.deepEqual(bySid(member, "StartSessionsOnTenantNodes"), {
      Sid: "StartSessionsOnTenantNodes",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*",
      Condition: {
        StringEquals: { "ssm:resourceTag/moat:tenant": "acme" },
        BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" },
      },
    });
    assert.deepEqual(bySid(member, "StartSshAndPortForwardingSessions").Resource, [
      "arn:aws:ssm:us-east-1::document/AWS-StartSSHSession",
      "arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSession",
      "arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSessionToRemoteHost",
    ]);
    assert.equal(SESSION_DOCUMENTS.length, 3);
    assert.doesNotMatch(JSON.stringify(member), /SSM-SessionManagerRunShell/);
  });

  it("IAM-1: members end and resume only the sessions they started", () => {
    const own = bySid(member, "EndAndResumeOwnSessions");
    assert.deepEqual(own.Action, ["ssm:ResumeSession", "ssm:TerminateSession"]);
    assert.equal(own.Resource, "arn:aws:ssm:us-east-1:123456789012:session/*");
    assert.deepEqual(own.Condition, {
      StringLike: { "ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}" },
    });
  });

  it("CMP-6/IAM-1: members read only their tenant's JupyterLab tokens and decrypt them with its key", () => {
    assert.deepEqual(bySid(member, "ReadTenantJupyterTokens"), {
      Sid: "ReadTenantJupyterTokens",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme/jupyter-token/*",
      Condition: { StringEquals: { "secretsmanager:ResourceTag/moat:tenant": "acme" } },
    });
    assert.deepEqual(bySid(member, "DecryptTokensWithTenantKey").Condition, {
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/moat-acme" },
      StringEquals: {
        "aws:ResourceTag/moat:tenant": "acme",
        "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
      },
    });
  });

  it("IAM-1: members cannot change firewall rules", () => {
    assert.doesNotMatch(JSON.stringify(member), /SecurityGroupIngress|ModifySecurityGroupRules/);
  });

  it("IAM-1: admins have every member statement plus the tenant's firewall rules", () => {
    assert.deepEqual(admin.Statement.slice(0, member.Statement.length), member.Statement);
    assert.deepEqual(bySid(admin, "ChangeTenantFirewallRules"), {
      Sid: "ChangeTenantFirewallRules",
      Effect: "Allow",
      Action: [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:ModifySecurityGroupRules",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
      ],
      Resource: "arn:aws:ec2:us-east-1:123456789012:security-group/*",
      Condition: { StringEquals: { "aws:ResourceTag/moat:tenant": "acme" } },
    });
  });

  it("IAM-2: grants no IAM action at all (no users, no access keys)", () => {
    for (const doc of [member, admin]) {
      assert.ok(doc.Statement.flatMap((s) => [...asList(s.Action)]).every((a) => !a.startsWith("iam:")));
    }
  });
});

describe("people's policies of one environment in an account two environments share (IAM-1)", () => {
  const prod: TenantScope = { ...scope, environment: "prod" };
  const prodMember = memberPolicy(prod);
  const prodAdmin = adminPolicy(prod);

  it("requires the environment tag wherever the tenant tag is required", () => {
    for (const doc of [prodMember, prodAdmin]) {
      for (const s of doc.Statement) {
        for (const [operator, block] of Object.entries(s.Condition ?? {})) {
          for (const key of Object.keys(block).filter((k) => k.endsWith("/moat:tenant"))) {
            const environmentKey = key.replace(/moat:tenant$/, "moat:environment");
            assert.equal(block[environmentKey], "prod", `${s.Sid}: ${operator} ${environmentKey}`);
          }
        }
      }
    }
  });

  it("opens sessions only on the environment's nodes", () => {
    assert.deepEqual(bySid(prodMember, "StartSessionsOnTenantNodes").Condition, {
      StringEquals: { "ssm:resourceTag/moat:tenant": "acme", "ssm:resourceTag/moat:environment": "prod" },
      BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" },
    });
  });

  it("reads only the environment's JupyterLab tokens, decrypted with the environment's key", () => {
    assert.deepEqual(bySid(prodMember, "ReadTenantJupyterTokens"), {
      Sid: "ReadTenantJupyterTokens",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/jupyter-token/*",
      Condition: {
        StringEquals: {
          "secretsmanager:ResourceTag/moat:tenant": "acme",
          "secretsmanager:ResourceTag/moat:environment": "prod",
        },
      },
    });
    assert.deepEqual(bySid(prodMember, "DecryptTokensWithTenantKey").Condition, {
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/moat-acme-prod" },
      StringEquals: {
        "aws:ResourceTag/moat:tenant": "acme",
        "aws:ResourceTag/moat:environment": "prod",
        "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
      },
    });
  });

  it("changes the firewall rules of the environment's security groups only", () => {
    assert.deepEqual(bySid(prodAdmin, "ChangeTenantFirewallRules").Condition, {
      StringEquals: { "aws:ResourceTag/moat:tenant": "acme", "aws:ResourceTag/moat:environment": "prod" },
    });
    assert.deepEqual(findWildcardGrants(prodAdmin), []);
  });

  it("refuses an environment that is not one of the stack schema's", () => {
    const problems = validatePeopleRolesArgs({
      tenantId: "acme",
      environment: "qa",
      accountId: "123456789012",
      region: "us-east-1",
      admins: [],
      members: [],
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["environment"],
    );
    assert.match(problems[0].reason, /^"qa" is not an environment; use one of dev, staging, prod/);
  });
});

describe("validatePeopleRolesArgs (IAM-1, IAM-3)", () => {
  const happy: PeopleRolesArgs = {
    tenantId: "acme",
    accountId: "123456789012",
    region: "us-east-1",
    admins: ["arn:aws:iam::123456789012:role/acme-sso-admins"],
    members: [
      "arn:aws:iam::123456789012:user/alice",
      "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Dev/bob@acme.example",
      "arn:aws-us-gov:iam::123456789012:root",
    ],
  };

  it("accepts roles, users, assumed-role sessions and account roots, and empty lists", () => {
    assert.deepEqual(validatePeopleRolesArgs(happy), []);
    assert.deepEqual(validatePeopleRolesArgs({ ...happy, admins: [], members: [] }), []);
  });

  const broken: Array<[Partial<PeopleRolesArgs>, string, RegExp]> = [
    [
      { admins: ["*"] },
      "admins[0]",
      /^"\*" is not an IAM principal ARN; .*acme-sso-admins \(IAM-3 forbids \*\)$/,
    ],
    [{ members: ["arn:aws:iam::123456789012:role/*"] }, "members[0]", /not an IAM principal ARN/],
    [{ members: ["123456789012"] }, "members[0]", /not an IAM principal ARN/],
    [{ members: ["arn:aws:iam::12345:user/alice"] }, "members[0]", /not an IAM principal ARN/],
    [{ admins: [happy.admins[0], happy.admins[0]] }, "admins[1]", /listed twice; list it once/],
    [{ members: undefined as unknown as string[] }, "members", /\[\] for none/],
  ];
  for (const [change, path, reason] of broken) {
    it(`rejects ${JSON.stringify(change)} at ${path} with a fix`, () => {
      const problems = validatePeopleRolesArgs({ ...happy, ...change });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }
});
