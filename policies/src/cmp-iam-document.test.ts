// The pure least-privilege analysis of IAM policy documents (CMP-7).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as policySdk from "@pulumi/policy";
import {
  isUnparsable,
  policyDocumentProblems,
  readPolicyDocument,
  touchesSecrets,
  wildcardCoversWrite,
} from "./cmp-iam-document";
import { UNKNOWN } from "./props";
import { unknown } from "./testing";

const proxy = (props: object) =>
  (policySdk as unknown as { unknownCheckingProxy<T>(p: T): T }).unknownCheckingProxy(props) as Record<
    string,
    unknown
  >;

const allow = (Action: unknown, Resource: unknown = "arn:aws:s3:::moat-acme-data/*") => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action, Resource }],
});

describe("wildcardCoversWrite (CMP-7)", () => {
  it("flags wildcards that can expand to a write verb", () => {
    for (const name of ["Put*", "*Delete*", "*Object", "P*", "PutObject*", "Create*", "*"]) {
      assert.equal(wildcardCoversWrite(name), true, name);
    }
  });

  it("accepts read-only wildcards and exact names", () => {
    for (const name of ["Get*", "List*", "Describe*", "GetObject*", "PutObject"]) {
      assert.equal(wildcardCoversWrite(name), false, name);
    }
  });
});

describe("touchesSecrets (CMP-7)", () => {
  it("covers Secrets Manager, KMS and SSM parameter reads and writes", () => {
    for (const action of [
      "secretsmanager:GetSecretValue",
      "kms:Decrypt",
      "ssm:GetParameter*",
      "ssm:PutParameter",
      "*",
    ]) {
      assert.equal(touchesSecrets(action), true, action);
    }
  });

  it("leaves other SSM and service actions alone", () => {
    for (const action of ["ssm:UpdateInstanceInformation", "ec2:DescribeInstances", "logs:PutLogEvents"]) {
      assert.equal(touchesSecrets(action), false, action);
    }
  });
});

describe("policyDocumentProblems (CMP-7)", () => {
  it("passes scoped reads and listed writes", () => {
    const doc = {
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/*" },
        { Effect: "Allow", Action: "ec2:Describe*", Resource: "*" },
        {
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:moat/acme/*",
        },
        { Effect: "Deny", Action: "*", Resource: "*" },
      ],
    };
    assert.deepEqual(policyDocumentProblems(doc), []);
  });

  it("names every problem by statement index or Sid", () => {
    assert.deepEqual(policyDocumentProblems(allow("*")), ['statement 0 allows every action ("*")']);
    assert.deepEqual(policyDocumentProblems(allow("s3:*")), ['statement 0 allows every s3 action ("s3:*")']);
    assert.deepEqual(policyDocumentProblems(allow("ec2:*Delete*")), [
      'statement 0 uses a wildcard that covers write actions ("ec2:*Delete*"); list them one by one',
    ]);
    const sid = { Statement: { Sid: "Tokens", Effect: "Allow", Action: "ssm:GetParameter", Resource: "*" } };
    assert.deepEqual(policyDocumentProblems(sid), [
      `statement "Tokens" allows "ssm:GetParameter" on Resource "*"; name the tenant's own secret, parameter and key ARNs`,
    ]);
  });

  it("refuses NotAction and NotResource on Allow", () => {
    const doc = {
      Statement: [
        { Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:kms:*:*:key/x", Action: "kms:Decrypt" },
      ],
    };
    assert.deepEqual(policyDocumentProblems(doc), [
      "statement 0 uses NotAction, which allows every action it does not name; list the actions instead",
      'statement 0 allows "kms:Decrypt" with NotResource; name the tenant\'s own secret, parameter and key ARNs',
    ]);
  });

  it("refuses a document without statements", () => {
    assert.deepEqual(policyDocumentProblems({ Version: "2012-10-17" }), ["has no Statement"]);
  });
});

describe("readPolicyDocument", () => {
  it("parses a JSON string and copies an object out of the proxy", () => {
    const doc = allow("s3:GetObject");
    assert.deepEqual(readPolicyDocument(proxy({ policy: JSON.stringify(doc) }), "policy"), doc);
    assert.deepEqual(readPolicyDocument(proxy({ policy: doc }), "policy"), doc);
  });

  it("returns UNKNOWN when the string or any part of an object is computed (POL-2)", () => {
    assert.equal(readPolicyDocument(proxy({ policy: unknown.string }), "policy"), UNKNOWN);
    assert.equal(
      readPolicyDocument(proxy({ policy: allow("kms:Decrypt", [unknown.string]) }), "policy"),
      UNKNOWN,
    );
  });

  it("marks text that is not JSON", () => {
    const read = readPolicyDocument(proxy({ policy: "{not json" }), "policy");
    assert.equal(isUnparsable(read), true);
  });
});
