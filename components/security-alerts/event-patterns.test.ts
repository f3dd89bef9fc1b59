import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AUDIT_CATALOGUE, AUDIT_EVENT_RULES, AuditEventRule } from "./audit-events";
import { auditRuleProblems, cloudTrailPattern, guardDutyPattern, MAX_PATTERN_LENGTH } from "./event-patterns";

const byKey = (key: string) => {
  const found = AUDIT_EVENT_RULES.find((r) => r.key === key);
  assert.ok(found, `no rule ${key}`);
  return found;
};

describe("cloudTrailPattern (AUD-2)", () => {
  it("renders source, detail-type, detail.eventSource and detail.eventName", () => {
    const rule: AuditEventRule = {
      key: "kms-changes",
      source: "aws.kms",
      eventSource: "kms.amazonaws.com",
      eventNames: ["DisableKey", "ScheduleKeyDeletion"],
      catalogue: [],
      why: "w",
    };
    assert.equal(
      JSON.stringify(cloudTrailPattern(rule)),
      '{"source":["aws.kms"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["kms.amazonaws.com"],"eventName":["DisableKey","ScheduleKeyDeletion"]}}',
    );
  });

  it("AUD-2: covers security groups and NACLs, routes and gateways, key pairs, IAM, KMS and CloudTrail", () => {
    const names = (key: string) => cloudTrailPattern(byKey(key)).detail.eventName;
    for (const event of [
      "AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupEgress",
      "CreateNetworkAclEntry",
      "ReplaceNetworkAclEntry",
    ]) {
      assert.ok(names("firewall-changes").includes(event), event);
    }
    for (const event of ["CreateRoute", "ReplaceRoute", "AttachInternetGateway", "CreateNatGateway"]) {
      assert.ok(names("route-changes").includes(event), event);
    }
    assert.deepEqual(names("key-pair-changes"), ["CreateKeyPair", "ImportKeyPair", "DeleteKeyPair"]);
    for (const event of [
      "CreateUser",
      "CreateAccessKey",
      "CreateRole",
      "AttachRolePolicy",
      "PutRolePolicy",
    ]) {
      assert.ok(names("iam-changes").includes(event), event);
    }
    assert.deepEqual(names("kms-changes"), ["DisableKey", "ScheduleKeyDeletion"]);
    for (const event of ["StopLogging", "DeleteTrail", "UpdateTrail"]) {
      assert.ok(names("trail-changes").includes(event), event);
    }
  });

  it("every pattern matches only CloudTrail API calls of one service, by source and eventSource", () => {
    for (const rule of AUDIT_EVENT_RULES) {
      const pattern = cloudTrailPattern(rule);
      assert.deepEqual(pattern["detail-type"], ["AWS API Call via CloudTrail"]);
      assert.deepEqual(pattern.source, [rule.source]);
      assert.deepEqual(pattern.detail.eventSource, [`${rule.source.slice("aws.".length)}.amazonaws.com`]);
      assert.ok(JSON.stringify(pattern).length < MAX_PATTERN_LENGTH / 2, `${rule.key} pattern is long`);
    }
  });

  it("the data is consistent: unique keys, no duplicate or missing events", () => {
    assert.deepEqual(auditRuleProblems(AUDIT_EVENT_RULES), []);
  });

  it("maps every rule to seed 001's audit catalogue, or says why none applies", () => {
    for (const rule of AUDIT_EVENT_RULES) {
      for (const entry of rule.catalogue) {
        assert.ok(AUDIT_CATALOGUE.includes(entry), `${rule.key}: ${entry} is not in the catalogue`);
      }
      assert.ok(rule.catalogue.length > 0 || ["aws.kms", "aws.cloudtrail"].includes(rule.source), rule.key);
      assert.match(rule.why, /\((NET|CMP|IAM|DAT|AUD)-\d/);
    }
    // The firewall-ruleset and SSH-key entries, the ones AWS has direct counterparts for, are covered.
    const covered = AUDIT_EVENT_RULES.flatMap((r) => r.catalogue);
    for (const entry of AUDIT_CATALOGUE) {
      assert.ok(covered.includes(entry), `${entry} has no rule`);
    }
  });

  it("auditRuleProblems reports bad data, all problems at once", () => {
    const bad: AuditEventRule = {
      key: "Bad Key",
      source: "aws.ec2",
      eventSource: "iam.amazonaws.com",
      eventNames: [],
      catalogue: [],
      why: "",
    };
    const dup = { ...byKey("kms-changes"), eventNames: ["DisableKey", "DisableKey"] };
    const huge = {
      ...byKey("iam-changes"),
      key: "huge",
      eventNames: Array.from({ length: 500 }, (_, i) => `CreateSomething${i}`),
    };
    assert.deepEqual(auditRuleProblems([bad, dup, dup, huge]), [
      'rule key "Bad Key" must be lowercase letters, digits and hyphens',
      'rule "Bad Key": eventSource iam.amazonaws.com is not the one of source aws.ec2',
      'rule "Bad Key" lists no event names, so it would match every API call',
      'rule "kms-changes" lists DisableKey twice',
      'rule key "kms-changes" is used twice; keys name resources and must be unique',
      'rule "kms-changes" lists DisableKey twice',
      `rule "huge": its pattern has ${JSON.stringify(cloudTrailPattern(huge)).length} characters, over ${MAX_PATTERN_LENGTH}`,
    ]);
  });
});

describe("guardDutyPattern (AUD-4)", () => {
  it("matches crypto-mining findings by prefix and SSH brute force exactly", () => {
    assert.deepEqual(guardDutyPattern(), {
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: { type: [{ prefix: "CryptoCurrency:" }, "UnauthorizedAccess:EC2/SSHBruteForce"] },
    });
  });
});
