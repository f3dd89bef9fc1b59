// AUD-2: enabled EventBridge rules with SNS targets cover the CloudTrail events of EC2, IAM and KMS,
// tied to their targets by dependency or literal name, and outside an account baseline each names
// the tenant's own resources, from its tag while its pattern is unknown (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { audEventRulesPresent } from "./aud-events";
import { patternBranches } from "./aud-pattern";
import { assertAuditVerdict, auditStack, buildProtected } from "./aud-fixtures";
import { AudType } from "./aud-read";
import { StackSpec, urnOf } from "./net-fixtures";
import { runStackPolicy, unknown } from "./testing";

const policy = audEventRulesPresent;
const missing = (list: string) => ({
  message: `Add enabled aws.cloudwatch.EventRule resources on the "AWS API Call via CloudTrail" events of ${list}, each with an aws.cloudwatch.EventTarget sending to the alert topic (AUD-2).`,
});
const ALL =
  "aws.ec2 (security group, NACL, route and gateway changes); aws.iam (IAM role and instance profile changes); aws.kms (KMS key disabling and scheduled deletion)";
const pattern = (p: object) => (s: StackSpec) => (s["audit-events"].props.eventPattern = JSON.stringify(p));

describe("aud-event-rules-present: presence in a stack running nodes (AUD-2)", () => {
  it("passes one rule on every service, rules split per service by eventSource, and a target named by literal", async () => {
    await assertAuditVerdict(policy, () => {}, []);
    await assertAuditVerdict(
      policy,
      (s) => {
        pattern({ source: ["aws.ec2", "aws.iam"] })(s);
        s["kms-events"] = {
          type: AudType.eventRule,
          props: {
            name: "kms",
            state: "ENABLED",
            eventPattern: JSON.stringify({
              detail: { eventSource: ["kms.amazonaws.com", "cloudtrail.amazonaws.com"] },
            }),
          },
        };
        s["kms-events-alert"] = {
          type: AudType.eventTarget,
          props: { rule: "kms", arn: "arn:aws:sns:us-east-1:123456789012:moat-acme-alerts" },
        };
      },
      [],
    );
  });

  it("fails missing services, a disabled rule, a rule without target and a target that is not SNS", async () => {
    await assertAuditVerdict(policy, pattern({ source: ["aws.ec2", "aws.iam"] }), [
      missing("aws.kms (KMS key disabling and scheduled deletion)"),
    ]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.state = "DISABLED"), [missing(ALL)]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.isEnabled = false), [missing(ALL)]);
    await assertAuditVerdict(policy, (s) => delete s["audit-events-alert"], [missing(ALL)]);
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-events-alert"].links = { rule: ["audit-events"], arn: ["tenant-key"] }),
      [missing(ALL)],
    );
  });

  it("fails a pattern or state unknown at preview, and an invalid pattern (POL-2)", async () => {
    const onRule = (message: string) => ({ message, urn: urnOf(AudType.eventRule, "audit-events") });
    const literal = (p: string) =>
      onRule(
        `Set ${p} on EventBridge rule "audit-events" to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-2, POL-2).`,
      );
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.eventPattern = unknown.string), [
      literal("eventPattern"),
      missing(ALL),
    ]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.state = unknown.string), [
      literal("state"),
      missing(ALL),
    ]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.eventPattern = "{source:"), [
      onRule('Set eventPattern on EventBridge rule "audit-events" to a valid JSON event pattern (AUD-2).'),
      missing(ALL),
    ]);
  });
});

const CLOUDTRAIL = "AWS API Call via CloudTrail";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/tenant-key";
const PROFILE = "arn:aws:iam::123456789012:instance-profile/moat-acme-head";
const target = (rule: string) => ({
  type: AudType.eventTarget,
  props: {},
  links: { rule: [rule], arn: ["alerts"] },
});
const cloudTrail = (source: string, detail: object) =>
  JSON.stringify({
    source: [source],
    "detail-type": [CLOUDTRAIL],
    detail: { eventSource: [`${source.slice(4)}.amazonaws.com`], ...detail },
  });
const FIREWALL = cloudTrail("aws.ec2", {
  $or: [
    { eventName: ["AuthorizeSecurityGroupIngress"], requestParameters: { groupId: ["sg-1", "sg-2"] } },
    {
      eventName: ["ModifySecurityGroupRules"],
      requestParameters: { ModifySecurityGroupRulesRequest: { GroupId: ["sg-1"] } },
    },
    { eventName: ["CreateSecurityGroup"], requestParameters: { vpcId: ["vpc-1"] } },
  ],
});
const KMS = cloudTrail("aws.kms", { eventName: ["DisableKey"], resources: { ARN: [KEY_ARN] } });

/**
 * The fixture as a tenant stack (no account baseline) with scoped rules: EC2 by group and VPC, IAM
 * by role names in any case, KMS built from the key's ARN (unknown at preview, declared in its
 * tag), GuardDuty by instance profile; then `change`.
 */
const tenant =
  (change: (s: StackSpec) => void = () => {}) =>
  (s: StackSpec) => {
    delete s.baseline;
    s["audit-events"].props.eventPattern = FIREWALL;
    s["iam-events"] = {
      type: AudType.eventRule,
      props: {
        name: "moat-acme-iam",
        eventPattern: cloudTrail("aws.iam", {
          eventName: ["PutRolePolicy"],
          requestParameters: { roleName: [{ "equals-ignore-case": "moat-acme-head" }] },
        }),
      },
    };
    s["iam-events-alert"] = target("iam-events");
    s["kms-events"] = {
      type: AudType.eventRule,
      props: { name: "moat-acme-kms", tags: { "moat:alert-scope": "aws.kms resources.ARN" } },
      links: { eventPattern: ["tenant-key"] },
      computed: { eventPattern: KMS },
    };
    s["kms-events-alert"] = target("kms-events");
    s["guardduty-findings"].props.eventPattern = JSON.stringify({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: {
        type: [{ prefix: "CryptoCurrency:" }],
        resource: { instanceDetails: { iamInstanceProfile: { arn: [PROFILE] } } },
      },
    });
    change(s);
  };

const onRule = (name: string, message: string) => ({ message, urn: urnOf(AudType.eventRule, name) });
const EC2_FIELDS =
  "detail.requestParameters.groupId, detail.requestParameters.ModifySecurityGroupRulesRequest.GroupId, detail.requestParameters.vpcId, detail.requestParameters.peerVpcId, detail.requestParameters.subnetId, detail.requestParameters.networkAclId, detail.requestParameters.routeTableId, detail.requestParameters.internetGatewayId, detail.requestParameters.natGatewayId, detail.requestParameters.CreateNatGatewayRequest.SubnetId, detail.requestParameters.DeleteNatGatewayRequest.NatGatewayId, detail.requestParameters.keyName";
const unscoped = (name: string, source: string, fields: string) =>
  onRule(
    name,
    `Scope eventPattern on EventBridge rule "${name}" to the tenant's own resources: for ${source} events it names none, so it matches every one in the account and tenants sharing the account receive each other's events; match one of ${fields} against the tenant's own IDs or names, exactly (AUD-2).`,
  );
const setFirewall = (detail: object) =>
  tenant((s) => (s["audit-events"].props.eventPattern = cloudTrail("aws.ec2", detail)));

describe("aud-event-rules-present: a tenant's rules match only its own resources (AUD-2)", () => {
  it("passes scoped rules: exact IDs, names in any case, every $or branch scoped, and a pattern built from IDs its tag declares, in every ID mode", async () => {
    await assertAuditVerdict(policy, tenant(), []);
  });

  it("fails a rule matching every resource of the account for its events", async () => {
    await assertAuditVerdict(policy, setFirewall({ eventName: ["AuthorizeSecurityGroupIngress"] }), [
      unscoped("audit-events", "aws.ec2", EC2_FIELDS),
    ]);
    await assertAuditVerdict(
      policy,
      tenant(
        (s) =>
          (s["iam-events"].props.eventPattern = JSON.stringify({
            source: ["aws.iam"],
            "detail-type": [CLOUDTRAIL],
          })),
      ),
      [
        unscoped(
          "iam-events",
          "aws.iam",
          "detail.requestParameters.roleName, detail.requestParameters.instanceProfileName, detail.requestParameters.userName, detail.requestParameters.groupName",
        ),
      ],
    );
  });

  it("fails a scope that a prefix, an empty list, an empty string or one open $or branch leaves open", async () => {
    for (const groupId of [[{ prefix: "sg-" }], [], [""], ["sg-1", { "anything-but": "sg-2" }]]) {
      await assertAuditVerdict(
        policy,
        setFirewall({ eventName: ["AuthorizeSecurityGroupIngress"], requestParameters: { groupId } }),
        [unscoped("audit-events", "aws.ec2", EC2_FIELDS)],
      );
    }
    await assertAuditVerdict(
      policy,
      setFirewall({
        $or: [
          { eventName: ["AuthorizeSecurityGroupIngress"], requestParameters: { groupId: ["sg-1"] } },
          { eventName: ["CreateSecurityGroup"] },
        ],
      }),
      [unscoped("audit-events", "aws.ec2", EC2_FIELDS)],
    );
    // A field that names who acted, not what changed, scopes nothing.
    await assertAuditVerdict(
      policy,
      setFirewall({ userIdentity: { arn: ["arn:aws:iam::123456789012:role/x"] } }),
      [unscoped("audit-events", "aws.ec2", EC2_FIELDS)],
    );
  });

  it("fails a rule on CloudTrail events that names no service, and an unscoped GuardDuty findings rule", async () => {
    await assertAuditVerdict(
      policy,
      tenant(
        (s) =>
          (s["iam-events"].props.eventPattern = JSON.stringify({
            "detail-type": [CLOUDTRAIL],
            detail: { requestParameters: { roleName: ["moat-acme-head"] } },
          })),
      ),
      [
        unscoped("iam-events", "aws.ec2", EC2_FIELDS),
        unscoped("iam-events", "aws.kms", "detail.resources.ARN, detail.requestParameters.keyId"),
        unscoped(
          "iam-events",
          "aws.cloudtrail",
          "detail.requestParameters.name, detail.requestParameters.trailName",
        ),
        // Naming no source, it counts for none, so IAM has no rule.
        missing("aws.iam (IAM role and instance profile changes)"),
      ],
    );
    await assertAuditVerdict(
      policy,
      tenant(
        (s) =>
          (s["guardduty-findings"].props.eventPattern =
            auditStack()["guardduty-findings"].props.eventPattern),
      ),
      [
        unscoped(
          "guardduty-findings",
          "aws.guardduty",
          "detail.resource.instanceDetails.iamInstanceProfile.arn, detail.resource.instanceDetails.instanceId, detail.resource.instanceDetails.networkInterfaces.vpcId",
        ),
      ],
    );
  });

  it("fails a pattern unknown at preview without a sound declaration, or not built from other resources (POL-2)", async () => {
    const undeclared = onRule(
      "kms-events",
      'Set eventPattern on EventBridge rule "kms-events" to a literal value, or build it from the tenant\'s resources and declare it in a moat:alert-scope tag ("<source> <field>...", e.g. "aws.ec2 requestParameters.groupId"): it is unknown at preview, so this policy cannot verify that it matches only the tenant\'s resources (AUD-2, POL-2).',
    );
    await assertAuditVerdict(
      policy,
      tenant((s) => {
        delete s["kms-events"].links;
        delete s["kms-events"].computed;
        s["kms-events"].props.eventPattern = unknown.string;
      }),
      [undeclared, missing("aws.kms (KMS key disabling and scheduled deletion)")],
    );
    await assertAuditVerdict(
      policy,
      tenant((s) => {
        delete s["kms-events"].computed;
        s["kms-events"].props.eventPattern = unknown.string;
        s["kms-events"].props.tags = { "moat:alert-scope": "aws.kms requestParameters.grantee" };
      }),
      [
        onRule(
          "kms-events",
          'Fix the moat:alert-scope tag of EventBridge rule "kms-events": "aws.kms requestParameters.grantee" names requestParameters.grantee, not one of the fields that name a resource of aws.kms events (resources.ARN, requestParameters.keyId) (AUD-2).',
        ),
        missing("aws.kms (KMS key disabling and scheduled deletion)"),
      ],
    );
  });

  it("trusts the tag only while the pattern is unknown: once the IDs are known, a tag that misdescribes the pattern fails (POL-2)", async () => {
    // Declared as scoped on the key ID the caller typed, built to match the key's ARN instead: a
    // string property is one unknown at a first preview, so only its declaration is judged then.
    const wrong = tenant((s) => {
      s["kms-events"].props.tags = { "moat:alert-scope": "aws.kms requestParameters.keyId" };
    });
    const specs = auditStack();
    wrong(specs);
    assert.deepEqual((await runStackPolicy(policy, buildProtected(specs, "unknown"))).violations, []);
    assert.deepEqual((await runStackPolicy(policy, buildProtected(specs, "known"))).violations, [
      onRule(
        "kms-events",
        'Make the moat:alert-scope tag of EventBridge rule "kms-events" describe its pattern: it declares "aws.kms requestParameters.keyId", but an alternative of the pattern names the resources in resources.ARN instead; the tag stands for the pattern while it is unknown at preview (AUD-2, POL-2).',
      ),
    ]);
  });

  it("leaves an account baseline's rules alone (its operator alerts are account-wide on purpose), not a tenant's", async () => {
    // The fixture holds a baseline, and its rules name no resource.
    await assertAuditVerdict(policy, (s) => delete s["head-0"], []);
    await assertAuditVerdict(policy, setFirewall({ eventName: ["AuthorizeSecurityGroupIngress"] }), [
      unscoped("audit-events", "aws.ec2", EC2_FIELDS),
    ]);
  });
});

describe("patternBranches", () => {
  it("expands $or at any depth into the alternatives an event must match", () => {
    const branches = patternBranches({
      source: ["aws.ec2"],
      detail: { $or: [{ a: ["1"] }, { b: { c: ["2"] } }], d: ["3"] },
      $or: [{ e: ["4"] }, { f: ["5"] }],
    }).map((b) => Object.fromEntries(b));
    assert.deepEqual(branches, [
      { source: ["aws.ec2"], "detail.a": ["1"], "detail.d": ["3"], e: ["4"] },
      { source: ["aws.ec2"], "detail.a": ["1"], "detail.d": ["3"], f: ["5"] },
      { source: ["aws.ec2"], "detail.b.c": ["2"], "detail.d": ["3"], e: ["4"] },
      { source: ["aws.ec2"], "detail.b.c": ["2"], "detail.d": ["3"], f: ["5"] },
    ]);
    // One object in $or, or matchers that are objects, are fields, not alternatives.
    assert.deepEqual(
      patternBranches({ $or: [{ a: ["1"] }], g: [{ prefix: "x" }, { prefix: "y" }] }).map((b) =>
        Object.fromEntries(b),
      ),
      [{ $or: [{ a: ["1"] }], g: [{ prefix: "x" }, { prefix: "y" }] }],
    );
  });
});
