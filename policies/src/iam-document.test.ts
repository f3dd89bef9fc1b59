// The IAM document reader, without a policy around it: shapes, unknowns, and the helpers the IAM
// and KMS policies judge statements with.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { unknownCheckingProxy } from "@pulumi/policy";
import {
  DocumentRead,
  Statement,
  accountOf,
  allowStatements,
  conditionValues,
  isAccountRoot,
  isWildcardPrincipal,
  parsePolicyDocument,
  readPolicyDocument,
  restrictsToAccounts,
  unreadableDocument,
  wildcardMatches,
} from "./iam-document";
import { Props } from "./props";
import { unknown } from "./testing";

const preview = (props: Record<string, unknown>) => (unknownCheckingProxy as (p: object) => Props)(props);

const statements = (read: DocumentRead): readonly Statement[] => {
  assert.equal(read.kind, "document");
  return read.kind === "document" ? read.statements : [];
};

const trust = {
  Version: "2012-10-17",
  Statement: {
    Sid: "People",
    Effect: "Allow",
    Principal: { AWS: ["arn:aws:iam::111122223333:root"] },
    Action: "sts:AssumeRole",
    Condition: { Bool: { "aws:MultiFactorAuthPresent": true } },
  },
};

describe("parsePolicyDocument (IAM-1, IAM-3, DAT-3)", () => {
  it("reads a JSON string and an object alike, one statement or a list", () => {
    const expected: Statement = {
      label: 'Statement[0] ("People")',
      effect: "Allow",
      principals: [{ type: "AWS", value: "arn:aws:iam::111122223333:root" }],
      notPrincipals: undefined,
      actions: ["sts:AssumeRole"],
      notActions: undefined,
      resources: undefined,
      notResources: undefined,
      conditions: [{ operator: "Bool", key: "aws:MultiFactorAuthPresent", values: ["true"] }],
    };
    assert.deepEqual(statements(parsePolicyDocument(JSON.stringify(trust))), [expected]);
    assert.deepEqual(statements(parsePolicyDocument(trust)), [expected]);
    const listed = { ...trust, Statement: [trust.Statement] };
    assert.deepEqual(statements(parsePolicyDocument(preview({ d: listed })["d"])), [expected]);
  });

  it('reads Principal "*" as the wildcard principal', () => {
    const [s] = statements(parsePolicyDocument({ Statement: [{ Effect: "Allow", Principal: "*" }] }));
    assert.deepEqual(s.principals, [{ type: "*", value: "*" }]);
    assert.ok(isWildcardPrincipal(s.principals![0]));
    assert.ok(isWildcardPrincipal({ type: "AWS", value: "*" }));
    assert.ok(!isWildcardPrincipal({ type: "Service", value: "logs.amazonaws.com" }));
  });

  it("reports absent, unknown and nested-unknown documents without throwing (POL-2)", () => {
    assert.deepEqual(parsePolicyDocument(undefined), { kind: "absent" });
    const props = preview({
      computed: unknown.string,
      nested: { Statement: [{ Effect: "Allow", Resource: unknown.string }] },
    });
    assert.deepEqual(readPolicyDocument(props, "computed"), { kind: "unknown" });
    assert.deepEqual(readPolicyDocument(props, "nested"), { kind: "unknown" });
    assert.deepEqual(readPolicyDocument(props, "missing"), { kind: "absent" });
  });

  for (const [value, reason] of [
    ["{not json", "it is not valid JSON"],
    ["[]", "it is not a JSON object"],
    ["", "it is not valid JSON"],
    [{ Statement: ["x"] }, "Statement[0] is not an object"],
    [{ Statement: { Effect: "allow" } }, 'Statement[0] has Effect "allow", not "Allow" or "Deny"'],
    [{ Statement: { Effect: "Allow", Action: 3 } }, "Action must be a string or a list of strings"],
    [
      { Statement: { Effect: "Allow", Principal: "arn" } },
      'Principal must be "*" or an object such as {"AWS": "..."}',
    ],
    [
      { Statement: { Effect: "Allow", Condition: { Bool: "x" } } },
      "Condition.Bool must be an object of condition keys",
    ],
  ] as const) {
    it(`refuses ${JSON.stringify(value)}: ${reason}`, () => {
      assert.deepEqual(parsePolicyDocument(value), { kind: "invalid", reason });
    });
  }

  it("reads any document the same from its JSON text as from the object", () => {
    const text = fc.string({ maxLength: 12 });
    const stringOrList = fc.oneof(text, fc.array(text, { maxLength: 3 }));
    const statement = fc.record(
      {
        Sid: text,
        Effect: fc.constantFrom("Allow", "Deny"),
        Principal: fc.oneof(fc.constant("*"), fc.dictionary(fc.constantFrom("AWS", "Service"), stringOrList)),
        Action: stringOrList,
        Resource: stringOrList,
        Condition: fc.dictionary(text, fc.dictionary(text, fc.oneof(stringOrList, fc.boolean()))),
      },
      { requiredKeys: ["Effect"] },
    );
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), (list) => {
        const document = { Version: "2012-10-17", Statement: list };
        assert.deepEqual(parsePolicyDocument(JSON.stringify(document)), parsePolicyDocument(document));
      }),
    );
  });
});

describe("statement helpers", () => {
  const [statement] = statements(
    parsePolicyDocument({
      Statement: {
        Effect: "Allow",
        Condition: {
          StringEquals: { "AWS:ResourceTag/moat:tenant": ["acme"] },
          StringNotEquals: { "aws:ResourceTag/moat:tenant": "other" },
        },
      },
    }),
  );

  it("finds condition values by operator, with keys case-insensitive", () => {
    assert.deepEqual(conditionValues(statement, ["StringEquals"], "aws:resourcetag/moat:tenant"), ["acme"]);
    assert.equal(conditionValues(statement, ["StringLike"], "aws:ResourceTag/moat:tenant"), undefined);
  });

  it("keeps only Allow statements of readable documents", () => {
    const read = parsePolicyDocument({ Statement: [{ Effect: "Deny" }, { Effect: "Allow", Sid: "A" }] });
    assert.deepEqual(
      allowStatements(read).map((s) => s.label),
      ['Statement[1] ("A")'],
    );
    assert.deepEqual(allowStatements({ kind: "unknown" }), []);
  });

  for (const [pattern, value, expected] of [
    ["ec2:*", "ec2:AuthorizeSecurityGroupIngress", true],
    ["EC2:authorize*", "ec2:AuthorizeSecurityGroupIngress", true],
    ["ec2:?uthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress", true],
    ["ec2:Describe*", "ec2:AuthorizeSecurityGroupIngress", false],
    ["ec2:Run.Instances", "ec2:RunXInstances", false],
  ] as const) {
    it(`matches ${pattern} against ${value}: ${expected}`, () => {
      assert.equal(wildcardMatches(pattern, value), expected);
    });
  }

  it("reads the account of account IDs and IAM/STS ARNs only", () => {
    assert.equal(accountOf("111122223333"), "111122223333");
    assert.equal(accountOf("arn:aws:iam::111122223333:role/moat-acme-head"), "111122223333");
    assert.equal(accountOf("arn:aws-us-gov:sts::111122223333:assumed-role/x/y"), "111122223333");
    assert.equal(accountOf("arn:aws:iam::*:root"), undefined);
    assert.equal(accountOf("AROAEXAMPLEID"), undefined);
    assert.ok(isAccountRoot("arn:aws:iam::111122223333:root"));
    assert.ok(!isAccountRoot("arn:aws:iam::111122223333:role/root"));
  });

  const withCondition = (Condition: object) =>
    statements(parsePolicyDocument({ Statement: { Effect: "Allow", Principal: "*", Condition } }))[0];

  it("accepts a * principal pinned to a named account by a positive condition (IAM-3)", () => {
    assert.ok(restrictsToAccounts(withCondition({ StringEquals: { "aws:SourceAccount": "111122223333" } })));
    assert.ok(
      restrictsToAccounts(withCondition({ StringEquals: { "aws:PrincipalAccount": ["111122223333"] } })),
    );
    assert.ok(
      restrictsToAccounts(
        withCondition({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" } }),
      ),
    );
  });

  for (const [name, condition] of [
    ["no condition", {}],
    ["a negated operator", { StringNotEquals: { "aws:SourceAccount": "111122223333" } }],
    ["an IfExists operator", { StringEqualsIfExists: { "aws:SourceAccount": "111122223333" } }],
    ["a wildcard account", { StringLike: { "aws:PrincipalAccount": "*" } }],
    ["a wildcard ARN account", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/x" } }],
    ["another key", { StringEquals: { "aws:SourceVpc": "vpc-1" } }],
  ] as const) {
    it(`does not accept a * principal with ${name} (IAM-3)`, () => {
      assert.equal(restrictsToAccounts(withCondition(condition)), false);
    });
  }

  it("words unreadable documents as fixes, and says nothing of readable ones (POL-2)", () => {
    assert.equal(
      unreadableDocument({ kind: "unknown" }, 'the policy of role "r"', "IAM-3"),
      'Build the policy of role "r" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (IAM-3, POL-2).',
    );
    assert.equal(
      unreadableDocument(
        { kind: "invalid", reason: "it is not valid JSON" },
        'the policy of role "r"',
        "IAM-3",
      ),
      'Fix the policy of role "r": it is not a valid IAM policy document, as it is not valid JSON (IAM-3).',
    );
    assert.equal(unreadableDocument({ kind: "absent" }, "x", "IAM-3"), undefined);
    assert.equal(unreadableDocument({ kind: "document", statements: [] }, "x", "IAM-3"), undefined);
  });
});
