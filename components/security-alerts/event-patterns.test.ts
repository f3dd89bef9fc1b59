import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALERT_SCOPE_TAG as PACK_SCOPE_TAG } from "../../policies/src/aud-events";
import { SCOPING_FIELDS } from "../../policies/src/aud-pattern";
import {
  ACCOUNT_EVENT_RULES,
  AUDIT_CATALOGUE,
  AUDIT_EVENT_RULES,
  AuditEventRule,
  GUARDDUTY_SCOPE,
  SCOPE_KINDS,
  ScopeKind,
} from "./audit-events";
import {
  accountEventPattern,
  ALERT_SCOPE_TAG,
  auditRuleProblems,
  cloudTrailPattern,
  guardDutyPattern,
  longestValues,
  MAX_PATTERN_LENGTH,
  noScopeValues,
  REFERENCE_COUNTS,
  scopeDeclaration,
  ScopeValues,
} from "./event-patterns";
import { matchesPattern } from "./pattern-match";

const byKey = (key: string) => {
  const found = AUDIT_EVENT_RULES.find((r) => r.key === key);
  assert.ok(found, `no rule ${key}`);
  return found;
};
const values = (given: Partial<Record<ScopeKind, string[]>>): ScopeValues => ({
  ...noScopeValues(),
  ...given,
});

const KMS_RULE: AuditEventRule = {
  key: "kms-changes",
  source: "aws.kms",
  eventSource: "kms.amazonaws.com",
  eventNames: ["DisableKey", "ScheduleKeyDeletion"],
  catalogue: [],
  why: "w",
  scopes: [{ eventNames: ["DisableKey", "ScheduleKeyDeletion"], field: "resources.ARN", kind: "keyArn" }],
};
const KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";

describe("cloudTrailPattern (AUD-2)", () => {
  it("names the tenant's resource in the scoping field: one scope is merged into detail", () => {
    assert.equal(
      JSON.stringify(cloudTrailPattern(KMS_RULE, values({ keyArn: [KEY] }))),
      `{"source":["aws.kms"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["kms.amazonaws.com"],"eventName":["DisableKey","ScheduleKeyDeletion"],"resources":{"ARN":["${KEY}"]}}}`,
    );
  });

  it("ORs one branch per scope, each with its events and field; IAM names in any case", () => {
    assert.deepEqual(
      cloudTrailPattern(
        byKey("iam-changes"),
        values({ roleName: ["moat-acme-head"], instanceProfileName: ["moat-acme-head"] }),
      ).detail,
      {
        eventSource: ["iam.amazonaws.com"],
        $or: [
          {
            eventName: [
              "CreateRole",
              "DeleteRole",
              "UpdateRole",
              "UpdateAssumeRolePolicy",
              "PutRolePolicy",
              "DeleteRolePolicy",
              "AttachRolePolicy",
              "DetachRolePolicy",
              "AddRoleToInstanceProfile",
              "RemoveRoleFromInstanceProfile",
            ],
            requestParameters: { roleName: [{ "equals-ignore-case": "moat-acme-head" }] },
          },
          {
            eventName: ["AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile"],
            requestParameters: { instanceProfileName: [{ "equals-ignore-case": "moat-acme-head" }] },
          },
        ],
      },
    );
  });

  it("nests dotted fields, and leaves out a scope without values instead of opening it", () => {
    const firewall = cloudTrailPattern(
      byKey("firewall-changes"),
      values({ securityGroupId: ["sg-1"], vpcId: ["vpc-1"] }),
    );
    assert.deepEqual(firewall.detail.$or, [
      {
        eventName: [
          "AuthorizeSecurityGroupIngress",
          "AuthorizeSecurityGroupEgress",
          "RevokeSecurityGroupIngress",
          "RevokeSecurityGroupEgress",
          "DeleteSecurityGroup",
        ],
        requestParameters: { groupId: ["sg-1"] },
      },
      {
        eventName: ["ModifySecurityGroupRules"],
        requestParameters: { ModifySecurityGroupRulesRequest: { GroupId: ["sg-1"] } },
      },
      { eventName: ["CreateSecurityGroup", "CreateNetworkAcl"], requestParameters: { vpcId: ["vpc-1"] } },
    ]);
    assert.throws(() => cloudTrailPattern(KMS_RULE, noScopeValues()), /would match the whole account/);
  });

  it("every tenant pattern matches only CloudTrail calls of its service, each branch scoped", () => {
    const large = longestValues(REFERENCE_COUNTS);
    for (const rule of AUDIT_EVENT_RULES) {
      const pattern = cloudTrailPattern(rule, large);
      assert.deepEqual(pattern["detail-type"], ["AWS API Call via CloudTrail"]);
      assert.deepEqual(pattern.source, [rule.source]);
      assert.deepEqual(pattern.detail.eventSource, [`${rule.source.slice("aws.".length)}.amazonaws.com`]);
      assert.ok(JSON.stringify(pattern).length <= MAX_PATTERN_LENGTH, `${rule.key} pattern is long`);
    }
  });
});

describe("the tenant catalogue as events see it (AUD-2, pattern-match.ts)", () => {
  // An event of `rule` whose `field` holds `value`, as CloudTrail shapes it: request parameters
  // nested as the path says, KMS's key in the `resources` array.
  const event = (rule: AuditEventRule, eventName: string, field: string, value: string) => {
    const detail: Record<string, unknown> = { eventSource: rule.eventSource, eventName };
    if (field === "resources.ARN") {
      detail.resources = [{ accountId: "123456789012", type: "AWS::KMS::Key", ARN: value }];
    } else {
      const keys = field.split(".");
      let at = detail;
      for (const key of keys.slice(0, -1)) {
        at = (at[key] ??= {}) as Record<string, unknown>;
      }
      at[keys[keys.length - 1]] = value;
    }
    return { source: rule.source, "detail-type": "AWS API Call via CloudTrail", detail };
  };

  it("alerts on each event naming the tenant's resource, and on none naming another's", () => {
    const mine = values(Object.fromEntries(SCOPE_KINDS.map((kind) => [kind, [`${kind}-mine`]])));
    for (const rule of AUDIT_EVENT_RULES) {
      const pattern = cloudTrailPattern(rule, mine);
      for (const scope of rule.scopes) {
        for (const name of scope.eventNames) {
          assert.ok(
            matchesPattern(pattern, event(rule, name, scope.field, `${scope.kind}-mine`)),
            `${rule.key} ${name}`,
          );
          assert.ok(
            !matchesPattern(pattern, event(rule, name, scope.field, `${scope.kind}-other`)),
            `${rule.key} ${name}`,
          );
        }
      }
      const [first] = rule.scopes;
      assert.ok(
        !matchesPattern(pattern, event(rule, "DescribeEverything", first.field, `${first.kind}-mine`)),
        rule.key,
      );
    }
  });

  it("matches a role named in another case, as IAM does not distinguish them", () => {
    const pattern = cloudTrailPattern(byKey("iam-changes"), values({ roleName: ["moat-acme-head"] }));
    assert.ok(
      matchesPattern(
        pattern,
        event(byKey("iam-changes"), "PutRolePolicy", "requestParameters.roleName", "MOAT-ACME-HEAD"),
      ),
    );
    assert.ok(
      !matchesPattern(
        pattern,
        event(byKey("iam-changes"), "PutRolePolicy", "requestParameters.roleName", "moat-acme-head2"),
      ),
    );
  });
});

describe("the catalogue data (AUD-2)", () => {
  it("is consistent: unique keys, every event scoped or account-wide, small enough for EventBridge", () => {
    assert.deepEqual(auditRuleProblems(AUDIT_EVENT_RULES, ACCOUNT_EVENT_RULES), []);
  });

  it("covers security groups, NACLs, routes, gateways, IAM roles and KMS for tenants; key pairs, users, the trail and GuardDuty account-wide", () => {
    const tenant = (key: string) => byKey(key).eventNames;
    const account = (key: string) => ACCOUNT_EVENT_RULES.find((r) => r.key === key)?.eventNames ?? [];
    for (const name of [
      "AuthorizeSecurityGroupIngress",
      "ModifySecurityGroupRules",
      "CreateNetworkAclEntry",
    ]) {
      assert.ok(tenant("firewall-changes").includes(name), name);
    }
    for (const name of ["CreateRoute", "ReplaceRoute", "AssociateRouteTable"]) {
      assert.ok(tenant("route-changes").includes(name), name);
    }
    for (const name of ["AttachInternetGateway", "CreateNatGateway", "CreateVpcPeeringConnection"]) {
      assert.ok(tenant("gateway-changes").includes(name), name);
    }
    for (const name of ["CreateRole", "PutRolePolicy", "AttachRolePolicy", "UpdateAssumeRolePolicy"]) {
      assert.ok(tenant("iam-changes").includes(name), name);
    }
    assert.deepEqual(tenant("kms-changes"), ["DisableKey", "ScheduleKeyDeletion"]);
    assert.deepEqual(account("key-pair-changes"), ["CreateKeyPair", "ImportKeyPair", "DeleteKeyPair"]);
    for (const name of ["CreateUser", "CreateAccessKey", "CreatePolicyVersion"]) {
      assert.ok(account("iam-account-changes").includes(name), name);
    }
    assert.deepEqual(account("trail-changes"), [
      "StopLogging",
      "DeleteTrail",
      "UpdateTrail",
      "PutEventSelectors",
      "PutInsightSelectors",
    ]);
    for (const name of ["DeleteDetector", "UpdateDetector", "CreateFilter"]) {
      assert.ok(account("guardduty-changes").includes(name), name);
    }
  });

  it("maps every rule to seed 001's audit catalogue, or says why none applies, and covers the whole catalogue", () => {
    const all = [...AUDIT_EVENT_RULES, ...ACCOUNT_EVENT_RULES];
    for (const rule of all) {
      for (const entry of rule.catalogue) {
        assert.ok(AUDIT_CATALOGUE.includes(entry), `${rule.key}: ${entry} is not in the catalogue`);
      }
      // KMS, CloudTrail and GuardDuty protect the data and the audit itself: no catalogue entry.
      assert.ok(
        rule.catalogue.length > 0 || ["aws.kms", "aws.cloudtrail", "aws.guardduty"].includes(rule.source),
        rule.key,
      );
      assert.match(rule.why, /\((NET|CMP|IAM|DAT|AUD)-\d/);
    }
    const covered = all.flatMap((r) => r.catalogue);
    for (const entry of AUDIT_CATALOGUE) {
      assert.ok(covered.includes(entry), `${entry} has no rule`);
    }
  });

  it("scopes only on fields the pack knows to name a resource of the rule's source", () => {
    for (const rule of AUDIT_EVENT_RULES) {
      const known = SCOPING_FIELDS.find((e) => e.source === rule.source)?.fields ?? [];
      for (const scope of rule.scopes) {
        assert.ok(known.includes(scope.field), `${rule.key}: ${scope.field}`);
      }
    }
    const guardduty = SCOPING_FIELDS.find((e) => e.source === "aws.guardduty")?.fields ?? [];
    assert.ok(guardduty.includes(GUARDDUTY_SCOPE.field));
  });

  it("auditRuleProblems reports bad data, all problems at once", () => {
    const bad: AuditEventRule = {
      key: "Bad Key",
      source: "aws.ec2",
      eventSource: "iam.amazonaws.com",
      eventNames: [],
      catalogue: [],
      why: "",
      scopes: [{ eventNames: ["Stray"], field: "userIdentity.arn", kind: "vpcId" }],
    };
    const dup = { ...KMS_RULE, eventNames: ["DisableKey", "DisableKey", "EnableKey"] };
    const huge: AuditEventRule = {
      ...byKey("firewall-changes"),
      key: "huge",
      eventNames: Array.from({ length: 120 }, (_, i) => `CreateSomething${i}`),
      scopes: [
        {
          eventNames: Array.from({ length: 120 }, (_, i) => `CreateSomething${i}`),
          field: "requestParameters.groupId",
          kind: "securityGroupId",
        },
      ],
    };
    const account = {
      ...ACCOUNT_EVENT_RULES[0],
      key: "keys",
      eventNames: ["DisableKey"],
      source: "aws.kms",
      eventSource: "kms.amazonaws.com",
    };
    assert.deepEqual(auditRuleProblems([bad, dup, huge], [account]), [
      'rule key "Bad Key" must be lowercase letters, digits and hyphens',
      'rule "Bad Key": eventSource iam.amazonaws.com is not the one of source aws.ec2',
      'rule "Bad Key" lists no event names, so it would match every API call',
      'rule "Bad Key": the scope on userIdentity.arn names events the rule does not list: Stray',
      'rule "Bad Key": userIdentity.arn is not a field below requestParameters or resources',
      'rule "kms-changes" lists DisableKey twice',
      'rule "kms-changes": the scope on resources.ARN names events the rule does not list: ScheduleKeyDeletion',
      'rule "kms-changes": no scope names the tenant resource of EnableKey; give each a scope, or move it to ACCOUNT_EVENT_RULES',
      `rule "huge": its pattern has ${JSON.stringify(cloudTrailPattern(huge, longestValues(REFERENCE_COUNTS))).length} characters for a large tenant, over ${MAX_PATTERN_LENGTH}`,
      'account rule "keys" lists DisableKey, which a tenant rule scopes already',
    ]);
  });
});

describe("accountEventPattern (AUD-2, for the account baseline)", () => {
  it("matches every event of the rule, whatever resource it names", () => {
    const keyPairs = ACCOUNT_EVENT_RULES.find((r) => r.key === "key-pair-changes")!;
    assert.deepEqual(accountEventPattern(keyPairs), {
      source: ["aws.ec2"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["ec2.amazonaws.com"],
        eventName: ["CreateKeyPair", "ImportKeyPair", "DeleteKeyPair"],
      },
    });
    for (const rule of ACCOUNT_EVENT_RULES) {
      assert.ok(rule.unattributable.length > 0, rule.key);
    }
  });
});

describe("guardDutyPattern (AUD-4, AUD-2)", () => {
  const profile = "arn:aws:iam::123456789012:instance-profile/moat-acme-head";

  it("matches crypto-mining findings by prefix and SSH brute force exactly, on the tenant's instances", () => {
    assert.deepEqual(guardDutyPattern([profile]), {
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: {
        type: [{ prefix: "CryptoCurrency:" }, "UnauthorizedAccess:EC2/SSHBruteForce"],
        resource: { instanceDetails: { iamInstanceProfile: { arn: [profile] } } },
      },
    });
    assert.throws(() => guardDutyPattern([]), /matches every finding/);
  });

  it("matches a finding on a tenant instance, not on another tenant's", () => {
    const finding = (type: string, arn: string) => ({
      source: "aws.guardduty",
      "detail-type": "GuardDuty Finding",
      detail: {
        type,
        resource: {
          resourceType: "Instance",
          instanceDetails: {
            instanceId: "i-1",
            iamInstanceProfile: { arn, id: "AIPA1" },
            networkInterfaces: [{ vpcId: "vpc-1" }],
          },
        },
      },
    });
    const pattern = guardDutyPattern([profile]);
    assert.ok(matchesPattern(pattern, finding("CryptoCurrency:EC2/BitcoinTool.B!DNS", profile)));
    assert.ok(matchesPattern(pattern, finding("UnauthorizedAccess:EC2/SSHBruteForce", profile)));
    assert.ok(
      !matchesPattern(
        pattern,
        finding("CryptoCurrency:EC2/BitcoinTool.B", profile.replace("acme", "globex")),
      ),
    );
    assert.ok(!matchesPattern(pattern, finding("Recon:EC2/PortProbeUnprotectedPort", profile)));
  });
});

describe("scopeDeclaration (AUD-2, POL-2)", () => {
  it("declares the source and each scoping field once, under the tag the pack reads", () => {
    assert.equal(ALERT_SCOPE_TAG, PACK_SCOPE_TAG);
    assert.equal(
      scopeDeclaration("aws.ec2", byKey("route-changes").scopes),
      "aws.ec2 requestParameters.routeTableId requestParameters.subnetId requestParameters.vpcId",
    );
  });
});
