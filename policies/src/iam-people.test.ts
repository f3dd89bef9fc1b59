// IAM-1: the pure checks on people roles' statements and tags (iam-people.ts). The policies that
// apply them are tested in iam-people.policies.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unknownCheckingProxy } from "@pulumi/policy";
import {
  TAG_ENVIRONMENT as PROGRAM_TAG_ENVIRONMENT,
  TAG_TENANT as PROGRAM_TAG_TENANT,
} from "../../components/tenant/tags";
import { tenantNameId } from "../../components/tenant-key/tenant-scope";
import { Statement, parsePolicyDocument } from "./iam-document";
import {
  SECURITY_GROUP_WRITES,
  TAG_ENVIRONMENT,
  TAG_TENANT,
  checkPeoplePermissions,
  environmentOf,
  nameIdOf,
  isTenantScoped,
  peopleRoleOf,
  requiresMfa,
  securityGroupWrites,
  tenantOf,
} from "./iam-people";
import { Props, UNKNOWN } from "./props";
import { unknown } from "./testing";

const preview = (props: Record<string, unknown>) => (unknownCheckingProxy as (p: object) => Props)(props);

const statement = (fields: object): Statement => {
  const read = parsePolicyDocument({ Statement: [{ Effect: "Allow", ...fields }] });
  assert.equal(read.kind, "document");
  return read.kind === "document" ? read.statements[0] : assert.fail();
};

describe("people role tags (IAM-1)", () => {
  it("uses the program's tenant and environment tag keys", () => {
    assert.equal(TAG_TENANT, PROGRAM_TAG_TENANT);
    assert.equal(TAG_ENVIRONMENT, PROGRAM_TAG_ENVIRONMENT);
  });

  it("builds name ids as the program does", () => {
    const cases: [string, string | undefined][] = [
      ["acme", "prod"],
      ["acme-labs", "staging"],
      ["acme", undefined],
    ];
    for (const [tenantId, environment] of cases) {
      assert.equal(nameIdOf(tenantId, environment), tenantNameId({ tenantId, environment }));
    }
  });

  it("reads the environment from the same sources as the tenant", () => {
    const provider = {
      props: preview({ defaultTags: JSON.stringify({ tags: { [TAG_ENVIRONMENT]: "prod" } }) }),
    };
    assert.equal(environmentOf(preview({ tags: { [TAG_ENVIRONMENT]: "dev" } }), provider), "dev");
    assert.equal(
      environmentOf(preview({ tags: {}, tagsAll: { [TAG_ENVIRONMENT]: "staging" } }), provider),
      "staging",
    );
    assert.equal(environmentOf(preview({ tags: {} }), provider), "prod");
    assert.equal(environmentOf(preview({ tags: unknown.object })), UNKNOWN);
    assert.equal(environmentOf(preview({ tags: { [TAG_TENANT]: "acme" } })), undefined);
  });

  it("reads the tenant from tags, then tagsAll, then the provider's JSON-encoded default tags", () => {
    const provider = { props: preview({ defaultTags: JSON.stringify({ tags: { [TAG_TENANT]: "acme" } }) }) };
    assert.equal(tenantOf(preview({ tags: { [TAG_TENANT]: "own" } }), provider), "own");
    assert.equal(tenantOf(preview({ tags: {}, tagsAll: { [TAG_TENANT]: "all" } }), provider), "all");
    assert.equal(tenantOf(preview({ tags: {}, tagsAll: unknown.object }), provider), "acme");
    assert.equal(
      tenantOf(preview({}), { props: preview({ defaultTags: { tags: { [TAG_TENANT]: "obj" } } }) }),
      "obj",
    );
  });

  it("reads an unknown tenant as UNKNOWN only when no source knows it (POL-2)", () => {
    assert.equal(tenantOf(preview({ tags: unknown.object })), UNKNOWN);
    assert.equal(tenantOf(preview({}), { props: preview({ defaultTags: unknown.string }) }), UNKNOWN);
    assert.equal(tenantOf(preview({ tags: { [TAG_TENANT]: "" } })), undefined);
    assert.equal(tenantOf(preview({}), { props: preview({ defaultTags: "{broken" }) }), undefined);
  });

  it("tells people roles from their own moat:role tag", () => {
    assert.equal(peopleRoleOf(preview({ tags: { "moat:role": "people-member" } })), "people-member");
    assert.equal(peopleRoleOf(preview({ tags: { "moat:role": "head" } })), undefined);
    assert.equal(peopleRoleOf(preview({})), undefined);
    assert.equal(peopleRoleOf(preview({ tags: { "moat:role": unknown.string } })), UNKNOWN);
  });
});

describe("requiresMfa (IAM-1)", () => {
  for (const [condition, expected] of [
    [{ Bool: { "aws:MultiFactorAuthPresent": "true" } }, true],
    [{ Bool: { "aws:multifactorauthpresent": true } }, true],
    [{ BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } }, false],
    [{ Bool: { "aws:MultiFactorAuthPresent": "false" } }, false],
    [{ Bool: { "aws:MultiFactorAuthPresent": ["true", "false"] } }, false],
    [{}, false],
  ] as const) {
    it(`${JSON.stringify(condition)} -> ${expected}`, () => {
      assert.equal(requiresMfa(statement({ Condition: condition })), expected);
    });
  }
});

describe("isTenantScoped (IAM-1)", () => {
  const cases: [string, object, boolean][] = [
    [
      "a tenant-tag condition",
      {
        Action: "ssm:StartSession",
        Resource: "*",
        Condition: { StringEquals: { "ssm:resourceTag/moat:tenant": "acme" } },
      },
      true,
    ],
    [
      "a StringLike tenant-tag condition with the exact tenant",
      {
        Action: "ec2:StopInstances",
        Resource: "*",
        Condition: { StringLike: { "aws:ResourceTag/moat:tenant": "acme" } },
      },
      true,
    ],
    [
      "secrets under moat/<tenant>/",
      {
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme/jupyter-token/*",
      },
      true,
    ],
    [
      "roles named moat-<tenant>-",
      { Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/moat-acme-head" },
      true,
    ],
    [
      "log groups under /moat/<tenant>/",
      {
        Action: "logs:GetLogEvents",
        Resource: "arn:aws:logs:us-east-1:111122223333:log-group:/moat/acme/auth:*",
      },
      true,
    ],
    [
      "named Describe/List actions",
      { Action: ["ec2:DescribeInstances", "ssm:ListCommands"], Resource: "*" },
      true,
    ],
    [
      "named AWS-owned session documents",
      { Action: "ssm:StartSession", Resource: ["arn:aws:ssm:us-east-1::document/AWS-StartSSHSession"] },
      true,
    ],
    [
      "sessions held to the caller",
      {
        Action: ["ssm:ResumeSession", "ssm:TerminateSession"],
        Resource: "arn:aws:ssm:us-east-1:111122223333:session/*",
        Condition: { StringLike: { "ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}" } },
      },
      true,
    ],
    [
      "any AWS-owned document",
      { Action: "ssm:StartSession", Resource: "arn:aws:ssm:us-east-1::document/AWS-*" },
      false,
    ],
    [
      "a customer document",
      { Action: "ssm:StartSession", Resource: "arn:aws:ssm:us-east-1:111122223333:document/AWS-X" },
      false,
    ],
    [
      "a caller condition that is not the caller alone",
      {
        Action: "ssm:TerminateSession",
        Resource: "*",
        Condition: { StringLike: { "ssm:resourceTag/owner": ["${aws:userid}", "*"] } },
      },
      false,
    ],
    ["a Deny statement", { Effect: "Deny", Action: "*", Resource: "*" }, true],
    ["no scope at all", { Action: "s3:GetObject", Resource: "*" }, false],
    [
      "another tenant's tag",
      {
        Action: "ssm:StartSession",
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceTag/moat:tenant": ["acme", "other"] } },
      },
      false,
    ],
    [
      "a negated tenant condition",
      {
        Action: "ssm:StartSession",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:ResourceTag/moat:tenant": "other" } },
      },
      false,
    ],
    [
      "an IfExists tenant condition",
      {
        Action: "ssm:StartSession",
        Resource: "*",
        Condition: { StringEqualsIfExists: { "aws:ResourceTag/moat:tenant": "acme" } },
      },
      false,
    ],
    [
      "a StringLike wildcard tenant",
      {
        Action: "ssm:StartSession",
        Resource: "*",
        Condition: { StringLike: { "aws:ResourceTag/moat:tenant": "*" } },
      },
      false,
    ],
    [
      "a wildcard before the tenant path",
      { Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:*:*:secret:*moat/acme/*" },
      false,
    ],
    [
      "one resource outside the tenant",
      {
        Action: "secretsmanager:GetSecretValue",
        Resource: [
          "arn:aws:secretsmanager:*:*:secret:moat/acme/x",
          "arn:aws:secretsmanager:*:*:secret:moat/other/x",
        ],
      },
      false,
    ],
    [
      "NotResource",
      {
        Action: "secretsmanager:GetSecretValue",
        NotResource: "arn:aws:secretsmanager:*:*:secret:moat/acme/x",
      },
      false,
    ],
    ["wildcard Describe actions", { Action: "ec2:Describe*", Resource: "*" }, false],
    ["Get actions", { Action: "ec2:GetConsoleOutput", Resource: "*" }, false],
  ];
  for (const [name, fields, expected] of cases) {
    it(`${expected ? "accepts" : "refuses"} ${name}`, () => {
      assert.equal(isTenantScoped(statement(fields), "acme"), expected);
    });
  }
});

describe("isTenantScoped with the role's environment (IAM-1)", () => {
  const cases: [string, object, boolean][] = [
    [
      "the environment's secrets, moat/<tenant>-<environment>/",
      {
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme-prod/jupyter-token/*",
      },
      true,
    ],
    [
      "the environment's roles, moat-<tenant>-<environment>-",
      { Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/moat-acme-prod-head" },
      true,
    ],
    [
      "the environment's log groups",
      {
        Action: "logs:GetLogEvents",
        Resource: "arn:aws:logs:us-east-1:111122223333:log-group:/moat/acme-prod/nodes/auth:*",
      },
      true,
    ],
    [
      "a tenant-tag condition, as without an environment",
      {
        Action: "ssm:StartSession",
        Resource: "*",
        Condition: {
          StringEquals: { "ssm:resourceTag/moat:tenant": "acme", "ssm:resourceTag/moat:environment": "prod" },
        },
      },
      true,
    ],
    [
      "another environment's secrets",
      {
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme-dev/jupyter-token/*",
      },
      false,
    ],
    [
      "another environment's roles, which moat-<tenant>- alone would match",
      { Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/moat-acme-dev-head" },
      false,
    ],
    [
      "names of the tenant without the environment",
      {
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme/jupyter-token/*",
      },
      false,
    ],
    [
      "a hyphenated tenant's names (the gap the environment narrows)",
      { Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/moat-acme-labs-prod-head" },
      false,
    ],
  ];
  for (const [name, fields, expected] of cases) {
    it(`${expected ? "accepts" : "refuses"} ${name}`, () => {
      assert.equal(isTenantScoped(statement(fields), "acme", "prod"), expected);
    });
  }

  it("without an environment, keeps accepting the tenant's names and every environment's", () => {
    const dev = statement({
      Action: "iam:PassRole",
      Resource: "arn:aws:iam::111122223333:role/moat-acme-dev-head",
    });
    assert.equal(isTenantScoped(dev, "acme"), true);
  });
});

describe("securityGroupWrites (IAM-1)", () => {
  it("finds named and wildcard security-group writes", () => {
    assert.deepEqual(securityGroupWrites(statement({ Action: "ec2:AuthorizeSecurityGroupIngress" })), [
      "ec2:AuthorizeSecurityGroupIngress",
    ]);
    assert.deepEqual(securityGroupWrites(statement({ Action: "ec2:*" })), SECURITY_GROUP_WRITES);
    assert.deepEqual(securityGroupWrites(statement({ Action: "*" })), SECURITY_GROUP_WRITES);
    assert.deepEqual(securityGroupWrites(statement({ Action: "ec2:Revoke*" })), [
      "ec2:RevokeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupEgress",
    ]);
  });

  it("counts what a NotAction leaves allowed, and nothing in a Deny", () => {
    const notAction = statement({ NotAction: ["ec2:*SecurityGroup*"] });
    assert.deepEqual(securityGroupWrites(notAction), [
      "ec2:ModifyInstanceAttribute",
      "ec2:ModifyNetworkInterfaceAttribute",
    ]);
    assert.deepEqual(securityGroupWrites(statement({ Effect: "Deny", Action: "ec2:*" })), []);
    assert.deepEqual(securityGroupWrites(statement({ Action: "ec2:DescribeSecurityGroups" })), []);
  });
});

describe("checkPeoplePermissions (IAM-1)", () => {
  const sgWrite = statement({
    Action: "ec2:AuthorizeSecurityGroupIngress",
    Resource: "*",
    Condition: { StringEquals: { "aws:ResourceTag/moat:tenant": "acme" } },
  });

  it("lets an admin change its tenant's firewall rules", () => {
    const role = { label: 'people role "admin"', kind: "people-admin", tenant: "acme" } as const;
    assert.deepEqual(checkPeoplePermissions([sgWrite], role, 'inline policy "firewall"'), []);
  });

  it("names the environment's segments in the fix when the role has an environment", () => {
    const role = {
      label: 'people role "member"',
      kind: "people-member",
      tenant: "acme",
      environment: "prod",
    } as const;
    const other = statement({
      Action: "secretsmanager:GetSecretValue",
      Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme-dev/jupyter-token/*",
    });
    assert.deepEqual(checkPeoplePermissions([other], role, 'inline policy "p"'), [
      'Scope Statement[0] of inline policy "p" of people role "member" to tenant "acme": add a StringEquals condition on aws:ResourceTag/moat:tenant = "acme" and aws:ResourceTag/moat:environment = "prod", name only resources under moat/acme-prod/ or moat-acme-prod-, or grant only named Describe/List actions (IAM-1).',
    ]);
  });

  it("refuses a member security-group writes and unscoped statements, naming each", () => {
    const role = { label: 'people role "member"', kind: "people-member", tenant: "acme" } as const;
    const unscoped = statement({ Action: "s3:GetObject", Resource: "*" });
    assert.deepEqual(checkPeoplePermissions([sgWrite, unscoped], role, 'inline policy "p"'), [
      'Remove the security-group writes (ec2:AuthorizeSecurityGroupIngress) from Statement[0] of inline policy "p" of people role "member": only the tenant\'s admin role may change firewall rules (IAM-1).',
      'Scope Statement[0] of inline policy "p" of people role "member" to tenant "acme": add a StringEquals condition on aws:ResourceTag/moat:tenant = "acme", name only resources under moat/acme/ or moat-acme-, or grant only named Describe/List actions (IAM-1).',
    ]);
  });
});
