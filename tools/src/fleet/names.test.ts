import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UNKNOWN } from "../plan/wire";
import { checkNames, NAMED_TYPES, physicalNames } from "./names";
import { placeStack } from "./placement";
import { registration, tenantStack, testStack, type TestStack } from "./testing";

/** Two stacks that each declare one resource of `type` with `inputs`, placed as `a` and `b` say. */
function pair(
  type: string,
  inputs: [Record<string, unknown>, Record<string, unknown>],
  a: Partial<TestStack>,
  b: Partial<TestStack>,
) {
  return [
    testStack({ stack: "one", ...a }, (s) => [registration(s, type, `${s}-thing`, inputs[0])]),
    testStack({ stack: "two", ...b }, (s) => [registration(s, type, `${s}-thing`, inputs[1])]),
  ].map(placeStack);
}

describe("physical-name collisions", () => {
  it("names the resource, both stacks with their files and resources, the scope, the rule and the fix", () => {
    const stacks = [
      tenantStack({ stack: "acme-dev", tenant: "acme", environment: "dev" }),
      tenantStack({ stack: "acme-prod", tenant: "acme", environment: "prod" }),
    ].map(placeStack);
    const findings = checkNames(stacks);
    const role = findings.find((f) => f.message.startsWith("IAM role "));
    assert.deepEqual(role, {
      level: "error",
      check: "physical-name",
      stacks: ["acme-dev", "acme-prod"],
      message:
        'IAM role "moat-acme-admin" is declared by acme-dev (stacks/Pulumi.acme-dev.yaml, resource acme-admin-role) and ' +
        "acme-prod (stacks/Pulumi.acme-prod.yaml, resource acme-admin-role) in account 111111111111; " +
        "IAM names are unique per account, in every region and ignoring case",
      fix: "give one of them another moat:tenant.id or moat:tenant.environment (Moat derives these names from both), or an account of its own in aws:allowedAccountIds",
      grouped: {
        heading:
          "acme-dev (stacks/Pulumi.acme-dev.yaml) and acme-prod (stacks/Pulumi.acme-prod.yaml) declare the same physical names",
        item:
          'IAM role "moat-acme-admin" in account 111111111111 (resource acme-admin-role in each): ' +
          "IAM names are unique per account, in every region and ignoring case",
      },
    });
    assert.deepEqual(
      findings.map((f) => f.message.split(" is declared")[0]),
      [
        'IAM role "moat-acme-admin"',
        'IAM instance profile "moat-acme-head"',
        'S3 bucket "moat-acme-audit-111111111111-us-east-1"',
        'CloudWatch log group "/moat/acme/cloudtrail"',
        'KMS alias "alias/moat-acme"',
        'EventBridge rule "moat-acme-iam-changes"',
        'CloudTrail trail "moat-acme"',
      ],
    );
  });

  it("passes the same tenant id in two accounts: every name is then in its own scope", () => {
    const stacks = [
      tenantStack({ stack: "acme-dev", tenant: "acme", environment: "dev", account: "222222222222" }),
      tenantStack({ stack: "acme-prod", tenant: "acme", environment: "prod" }),
    ].map(placeStack);
    assert.deepEqual(checkNames(stacks), []);
  });

  const cases: [
    string,
    string,
    [Record<string, unknown>, Record<string, unknown>],
    Partial<TestStack>,
    Partial<TestStack>,
    boolean,
  ][] = [
    [
      "IAM ignores case",
      "aws:iam/role:Role",
      [{ name: "moat-Acme-admin" }, { name: "moat-acme-admin" }],
      {},
      {},
      true,
    ],
    [
      "IAM is account-wide",
      "aws:iam/role:Role",
      [{ name: "r" }, { name: "r" }],
      { region: "eu-west-1" },
      {},
      true,
    ],
    [
      "log groups are per region",
      "aws:cloudwatch/logGroup:LogGroup",
      [{ name: "/l" }, { name: "/l" }],
      { region: "eu-west-1" },
      {},
      false,
    ],
    [
      "log groups collide in one region",
      "aws:cloudwatch/logGroup:LogGroup",
      [{ name: "/l" }, { name: "/l" }],
      {},
      {},
      true,
    ],
    [
      "other names compare case",
      "aws:cloudwatch/logGroup:LogGroup",
      [{ name: "/L" }, { name: "/l" }],
      {},
      {},
      false,
    ],
    [
      "buckets are global",
      "aws:s3/bucket:Bucket",
      [{ bucket: "b" }, { bucket: "b" }],
      { account: "222222222222", region: "eu-west-1" },
      {},
      true,
    ],
    [
      "a rule is per event bus",
      "aws:cloudwatch/eventRule:EventRule",
      [{ name: "r" }, { name: "r", eventBusName: "tenant" }],
      {},
      {},
      false,
    ],
    [
      "the default bus is the default",
      "aws:cloudwatch/eventRule:EventRule",
      [{ name: "r" }, { name: "r", eventBusName: "default" }],
      {},
      {},
      true,
    ],
    [
      "EFS creation tokens collide in one account and region",
      "aws:efs/fileSystem:FileSystem",
      [{ creationToken: "moat-acme-shared-filesystem" }, { creationToken: "moat-acme-shared-filesystem" }],
      {},
      {},
      true,
    ],
    [
      "EFS creation tokens of two environments of a tenant",
      "aws:efs/fileSystem:FileSystem",
      [
        { creationToken: "moat-acme-dev-shared-filesystem" },
        { creationToken: "moat-acme-prod-shared-filesystem" },
      ],
      {},
      {},
      false,
    ],
    [
      "an absent name is auto-named",
      "aws:iam/role:Role",
      [{ namePrefix: "r" }, { namePrefix: "r" }],
      {},
      {},
      false,
    ],
    [
      "a type without a physical name",
      "aws:ec2/vpc:Vpc",
      [{ cidrBlock: "10.0.0.0/16" }, { cidrBlock: "10.0.0.0/16" }],
      {},
      {},
      false,
    ],
  ];
  for (const [title, type, inputs, a, b, collides] of cases) {
    it(`${collides ? "fails" : "passes"}: ${title}`, () => {
      assert.equal(checkNames(pair(type, inputs, a, b)).length, collides ? 1 : 0);
    });
  }

  it("leaves names unknown at preview uncompared, and counts them", () => {
    const stacks = pair("aws:s3/bucket:Bucket", [{ bucket: UNKNOWN }, { bucket: UNKNOWN }], {}, {});
    assert.deepEqual(checkNames(stacks), []);
    assert.equal(physicalNames(stacks).unknown, 2);
  });

  it("keeps one table: every type names its input and a scope", () => {
    for (const [type, named] of Object.entries(NAMED_TYPES)) {
      assert.match(type, /^aws:[a-z0-9]+\/[a-zA-Z0-9]+:[A-Z][A-Za-z0-9]+$/);
      assert.ok(["global", "account", "region"].includes(named.scope), type);
      assert.ok(named.input.length > 0 && named.rule.length > 0, type);
    }
    assert.equal(NAMED_TYPES["aws:iam/role:Role"].scope, "account");
    assert.equal(NAMED_TYPES["aws:s3/bucket:Bucket"].scope, "global");
    assert.equal(NAMED_TYPES["aws:secretsmanager/secret:Secret"].scope, "region");
    assert.equal(NAMED_TYPES["aws:efs/fileSystem:FileSystem"].scope, "region");
  });
});
