import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FAILED_SSH_MARKERS } from "../../policies/src/aud-alerts";
import { findWildcardGrants } from "../tenant-key/policy-document";
import { TenantScope } from "../tenant-key/tenant-scope";
import {
  alertTopicArn,
  alertTopicName,
  alertTopicPolicy,
  FAILED_SSH_PHRASES,
  failedSshPattern,
  instanceProfileArn,
  metricNamespace,
  nodeAuthLogGroupName,
  tenantInstanceProfileNames,
  tenantRoleNames,
} from "./alert-spec";

const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "eu-west-1",
  partition: "aws",
};

describe("alert names (AUD-2, POL-2)", () => {
  it("names the topic, its ARN, the metric namespace and the auth log group from known values", () => {
    assert.equal(alertTopicName("acme"), "moat-acme-security-alerts");
    assert.equal(alertTopicArn(scope), "arn:aws:sns:eu-west-1:123456789012:moat-acme-security-alerts");
    assert.equal(
      alertTopicArn({ ...scope, partition: "aws-us-gov", region: "us-gov-west-1" }),
      "arn:aws-us-gov:sns:us-gov-west-1:123456789012:moat-acme-security-alerts",
    );
    assert.equal(metricNamespace("acme"), "Moat/acme");
    assert.equal(nodeAuthLogGroupName("acme"), "/moat/acme/nodes/auth");
  });
});

describe("failedSshPattern (AUD-2)", () => {
  it("ORs sshd's failed-login phrases, each quoted whole", () => {
    assert.equal(
      failedSshPattern(),
      '?"Failed password" ?"Invalid user" ?"Connection closed by authenticating user" ?"authentication failure"',
    );
  });

  it("uses only phrases the policy pack recognises as failed logins", () => {
    for (const phrase of FAILED_SSH_PHRASES) {
      assert.ok(FAILED_SSH_MARKERS.includes(phrase.toLowerCase()), phrase);
    }
  });
});

describe("alertTopicPolicy (AUD-2, IAM-3)", () => {
  it("lets only EventBridge and CloudWatch of this account publish to this topic", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:moat-acme-security-alerts";
    const condition = { StringEquals: { "aws:SourceAccount": "123456789012" } };
    assert.deepEqual(alertTopicPolicy(scope), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EventBridgeRulesOfThisAccountPublish",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topic,
          Condition: condition,
        },
        {
          Sid: "CloudWatchAlarmsOfThisAccountPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topic,
          Condition: condition,
        },
      ],
    });
    assert.deepEqual(findWildcardGrants(alertTopicPolicy(scope)), []);
  });
});

describe("the tenant's IAM names (AUD-2)", () => {
  it("lists every role and node profile a tenant stack creates, from its name id", () => {
    assert.deepEqual(tenantRoleNames("acme-prod"), [
      "moat-acme-prod-bastion",
      "moat-acme-prod-head",
      "moat-acme-prod-compute",
      "moat-acme-prod-admin",
      "moat-acme-prod-member",
      "moat-acme-prod-flow-logs",
    ]);
    assert.deepEqual(tenantInstanceProfileNames("acme"), [
      "moat-acme-bastion",
      "moat-acme-head",
      "moat-acme-compute",
    ]);
    assert.equal(
      instanceProfileArn({ partition: "aws-us-gov", accountId: "123456789012" }, "moat-acme-head"),
      "arn:aws-us-gov:iam::123456789012:instance-profile/moat-acme-head",
    );
  });
});
