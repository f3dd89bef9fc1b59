import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  installRecordingMocks,
  mockArns,
  Recorded,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";
import { alertTopicPolicy, failedSshPattern } from "./alert-spec";
import { AUDIT_EVENT_RULES } from "./audit-events";
import { SecurityAlerts, SecurityAlertsArgs } from "./security-alerts";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
});

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
// The network's IDs as the cloud computes them: Outputs, as the program passes them.
const out = (id: string) => pulumi.output(id);
const args: SecurityAlertsArgs = {
  tenantId: "acme",
  accountId: pulumi.output("123456789012"),
  region: "us-east-1",
  kmsKeyArn: KEY,
  subscriptions: {
    emails: ["security@acme.example", "Oncall@acme.example"],
    httpsEndpoint: "https://events.pager.example/sns/abc123",
  },
  network: {
    vpcId: out("vpc-0a1"),
    subnetIds: [out("subnet-0b1"), out("subnet-0b2")],
    securityGroupIds: [out("sg-0c1"), out("sg-0c2")],
    networkAclIds: [out("acl-0d1")],
    routeTableIds: [out("rtb-0e1"), out("rtb-0e2")],
    internetGatewayIds: [out("igw-0f1")],
    natGatewayIds: [out("nat-0f2")],
  },
};

async function build(name: string, overrides: Partial<SecurityAlertsArgs> = {}) {
  const component = new SecurityAlerts(name, { ...args, ...overrides });
  await mocks.settle();
  const children = mocks.named(name).filter((r) => r.name !== name);
  const child = (role: string): Recorded => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };
  return { component, children, child };
}

const CLOUDTRAIL = { "detail-type": ["AWS API Call via CloudTrail"] };
const anyCase = (...names: string[]) => names.map((n) => ({ "equals-ignore-case": n }));

/** AUD-2: the exact pattern of each tenant rule with the network above, by rule key. */
const EXPECTED_PATTERNS: Record<string, object> = {
  "firewall-changes": {
    source: ["aws.ec2"],
    ...CLOUDTRAIL,
    detail: {
      eventSource: ["ec2.amazonaws.com"],
      $or: [
        {
          eventName: [
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "DeleteSecurityGroup",
          ],
          requestParameters: { groupId: ["sg-0c1", "sg-0c2"] },
        },
        {
          eventName: ["ModifySecurityGroupRules"],
          requestParameters: { ModifySecurityGroupRulesRequest: { GroupId: ["sg-0c1", "sg-0c2"] } },
        },
        { eventName: ["CreateSecurityGroup", "CreateNetworkAcl"], requestParameters: { vpcId: ["vpc-0a1"] } },
        {
          eventName: [
            "CreateNetworkAclEntry",
            "DeleteNetworkAcl",
            "DeleteNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "ReplaceNetworkAclAssociation",
          ],
          requestParameters: { networkAclId: ["acl-0d1"] },
        },
      ],
    },
  },
  "route-changes": {
    source: ["aws.ec2"],
    ...CLOUDTRAIL,
    detail: {
      eventSource: ["ec2.amazonaws.com"],
      $or: [
        {
          eventName: [
            "CreateRoute",
            "ReplaceRoute",
            "DeleteRoute",
            "DeleteRouteTable",
            "AssociateRouteTable",
            "ReplaceRouteTableAssociation",
          ],
          requestParameters: { routeTableId: ["rtb-0e1", "rtb-0e2"] },
        },
        { eventName: ["AssociateRouteTable"], requestParameters: { subnetId: ["subnet-0b1", "subnet-0b2"] } },
        { eventName: ["CreateRouteTable"], requestParameters: { vpcId: ["vpc-0a1"] } },
      ],
    },
  },
  "gateway-changes": {
    source: ["aws.ec2"],
    ...CLOUDTRAIL,
    detail: {
      eventSource: ["ec2.amazonaws.com"],
      $or: [
        {
          eventName: ["AttachInternetGateway", "DetachInternetGateway", "CreateVpcPeeringConnection"],
          requestParameters: { vpcId: ["vpc-0a1"] },
        },
        { eventName: ["CreateVpcPeeringConnection"], requestParameters: { peerVpcId: ["vpc-0a1"] } },
        { eventName: ["DeleteInternetGateway"], requestParameters: { internetGatewayId: ["igw-0f1"] } },
        {
          eventName: ["CreateNatGateway"],
          requestParameters: { CreateNatGatewayRequest: { SubnetId: ["subnet-0b1", "subnet-0b2"] } },
        },
        {
          eventName: ["DeleteNatGateway"],
          requestParameters: { DeleteNatGatewayRequest: { NatGatewayId: ["nat-0f2"] } },
        },
        { eventName: ["DeleteNatGateway"], requestParameters: { natGatewayId: ["nat-0f2"] } },
      ],
    },
  },
  "iam-changes": {
    source: ["aws.iam"],
    ...CLOUDTRAIL,
    detail: {
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
          requestParameters: {
            roleName: anyCase(
              "moat-acme-bastion",
              "moat-acme-head",
              "moat-acme-compute",
              "moat-acme-admin",
              "moat-acme-member",
              "moat-acme-flow-logs",
            ),
          },
        },
        {
          eventName: ["AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile"],
          requestParameters: {
            instanceProfileName: anyCase("moat-acme-bastion", "moat-acme-head", "moat-acme-compute"),
          },
        },
      ],
    },
  },
  "kms-changes": {
    source: ["aws.kms"],
    ...CLOUDTRAIL,
    detail: {
      eventSource: ["kms.amazonaws.com"],
      eventName: ["DisableKey", "ScheduleKeyDeletion"],
      resources: { ARN: [KEY] },
    },
  },
};

/** AUD-2: what each rule's tag declares. */
const EXPECTED_DECLARATIONS: Record<string, string> = {
  "firewall-changes":
    "aws.ec2 requestParameters.groupId requestParameters.ModifySecurityGroupRulesRequest.GroupId requestParameters.vpcId requestParameters.networkAclId",
  "route-changes":
    "aws.ec2 requestParameters.routeTableId requestParameters.subnetId requestParameters.vpcId",
  "gateway-changes":
    "aws.ec2 requestParameters.vpcId requestParameters.peerVpcId requestParameters.internetGatewayId requestParameters.CreateNatGatewayRequest.SubnetId requestParameters.DeleteNatGatewayRequest.NatGatewayId requestParameters.natGatewayId",
  "iam-changes": "aws.iam requestParameters.roleName requestParameters.instanceProfileName",
  "kms-changes": "aws.kms resources.ARN",
  "guardduty-findings": "aws.guardduty resource.instanceDetails.iamInstanceProfile.arn",
};

describe("SecurityAlerts (AUD-2, AUD-3, AUD-4)", () => {
  const name = "acme";
  let built: Awaited<ReturnType<typeof build>>;
  before(async () => {
    built = await build(name);
  });

  it("registers itself as moat:audit:SecurityAlerts and parents every child to itself", async () => {
    assert.equal(mocks.all().find((r) => r.name === name)?.type, "moat:audit:SecurityAlerts");
    const urn = await valueOf(built.component.urn);
    for (const c of built.children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the component`);
    }
  });

  it("creates exactly the topic, its policy and subscriptions, the SSH filter and alarm, and the rules: no detector (AUD-4 is the baseline's)", () => {
    const ruleChildren = [...AUDIT_EVENT_RULES.map((r) => r.key), "guardduty-findings"].flatMap((key) => [
      `aws:cloudwatch/eventRule:EventRule ${name}-${key}`,
      `aws:cloudwatch/eventTarget:EventTarget ${name}-${key}-target`,
    ]);
    assert.deepEqual(
      built.children.map((c) => `${c.type} ${c.name}`).sort(),
      [
        `aws:sns/topic:Topic ${name}-topic`,
        `aws:sns/topicPolicy:TopicPolicy ${name}-topic-policy`,
        `aws:sns/topicSubscription:TopicSubscription ${name}-email-security@acme.example`,
        `aws:sns/topicSubscription:TopicSubscription ${name}-email-oncall@acme.example`,
        `aws:sns/topicSubscription:TopicSubscription ${name}-https`,
        `aws:cloudwatch/logMetricFilter:LogMetricFilter ${name}-failed-ssh`,
        `aws:cloudwatch/metricAlarm:MetricAlarm ${name}-failed-ssh-alarm`,
        ...ruleChildren,
      ].sort(),
    );
    assert.equal(built.children.filter((c) => c.type === "aws:guardduty/detector:Detector").length, 0);
    assert.deepEqual(
      [...AUDIT_EVENT_RULES.map((r) => r.key), "guardduty-findings"].sort(),
      Object.keys(EXPECTED_DECLARATIONS).sort(),
    );
  });

  it("AUD-2: the topic is named for the tenant and encrypted with the tenant key", () => {
    assert.deepEqual(built.child("topic").inputs, { name: "moat-acme-security-alerts", kmsMasterKeyId: KEY });
  });

  it("AUD-2: the topic policy lets EventBridge and CloudWatch of this account publish, built from known values", () => {
    const policy = built.child("topic-policy").inputs;
    assert.equal(policy.arn, `arn:mock:${name}-topic`);
    assert.deepEqual(
      JSON.parse(policy.policy as string),
      alertTopicPolicy({
        tenantId: "acme",
        accountId: "123456789012",
        region: "us-east-1",
        partition: "aws",
      }),
    );
  });

  it("AUD-2: subscribes each email and the https endpoint, the endpoint kept secret (CMP-8)", () => {
    assert.deepEqual(built.child("email-oncall@acme.example").inputs, {
      topic: `arn:mock:${name}-topic`,
      protocol: "email",
      endpoint: "Oncall@acme.example",
    });
    const https = built.child("https").inputs;
    assert.equal(https.protocol, "https");
    // The engine's secret envelope: the URL reaches the provider but is encrypted in state.
    assert.deepEqual(https.endpoint, {
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: "https://events.pager.example/sns/abc123",
    });
  });

  it("AUD-2, AUD-3: counts failed SSH logins in the nodes' auth log as Moat/<tenant> FailedSshLogins", () => {
    assert.deepEqual(built.child("failed-ssh").inputs, {
      name: "moat-acme-failed-ssh",
      logGroupName: "/moat/acme/nodes/auth",
      pattern: failedSshPattern(),
      metricTransformation: { name: "FailedSshLogins", namespace: "Moat/acme", value: "1", unit: "Count" },
    });
  });

  it("AUD-2: alarms on a Sum above 5 over 300 s in one period, notifying the topic on alarm and OK", () => {
    const { alarmDescription, ...alarm } = built.child("failed-ssh-alarm").inputs;
    assert.match(String(alarmDescription), /More than 5 failed SSH logins in 5 minutes/);
    assert.deepEqual(alarm, {
      name: "moat-acme-failed-ssh-logins",
      namespace: "Moat/acme",
      metricName: "FailedSshLogins",
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
      treatMissingData: "notBreaching",
      alarmActions: [`arn:mock:${name}-topic`],
      okActions: [`arn:mock:${name}-topic`],
    });
  });

  it("AUD-2: one enabled rule per audit event entry, scoped to the tenant's own resources, declared in its tag, targeting the topic", () => {
    for (const entry of AUDIT_EVENT_RULES) {
      const { description, eventPattern, ...rule } = built.child(entry.key).inputs;
      assert.deepEqual(rule, {
        name: `moat-acme-${entry.key}`,
        state: "ENABLED",
        tags: { "moat:alert-scope": EXPECTED_DECLARATIONS[entry.key] },
      });
      assert.deepEqual(JSON.parse(eventPattern as string), EXPECTED_PATTERNS[entry.key], entry.key);
      assert.match(String(description), /\(AUD-2\)$/);
      assert.deepEqual(built.child(`${entry.key}-target`).inputs, {
        rule: `moat-acme-${entry.key}`,
        arn: `arn:mock:${name}-topic`,
        targetId: "security-alerts-topic",
      });
    }
  });

  it("AUD-4: a findings rule on crypto-mining and SSH brute force on the tenant's instances, targeting the topic", () => {
    const rule = built.child("guardduty-findings").inputs;
    const profile = (role: string) => `arn:aws:iam::123456789012:instance-profile/moat-acme-${role}`;
    assert.deepEqual(JSON.parse(rule.eventPattern as string), {
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: {
        type: [{ prefix: "CryptoCurrency:" }, "UnauthorizedAccess:EC2/SSHBruteForce"],
        resource: {
          instanceDetails: {
            iamInstanceProfile: { arn: [profile("bastion"), profile("head"), profile("compute")] },
          },
        },
      },
    });
    assert.deepEqual(rule.tags, { "moat:alert-scope": EXPECTED_DECLARATIONS["guardduty-findings"] });
    assert.equal(built.child("guardduty-findings-target").inputs.arn, `arn:mock:${name}-topic`);
  });

  it("exposes the topic, alarm and rule names", async () => {
    const { component } = built;
    assert.equal(await valueOf(component.topicArn), `arn:mock:${name}-topic`);
    assert.equal(await valueOf(component.topicName), "moat-acme-security-alerts");
    assert.equal(await valueOf(component.failedSshAlarmName), "moat-acme-failed-ssh-logins");
    const rules = await valueOf(component.ruleNames);
    assert.equal(rules["iam-changes"], "moat-acme-iam-changes");
    assert.equal(rules["guardduty-findings"], "moat-acme-guardduty-findings");
    assert.equal("detectorId" in component, false);
  });
});

describe("SecurityAlerts of one environment of a tenant (AUD-2)", () => {
  it("names the roles and profiles of the tenant environment, as NodeRole and PeopleRoles name them", async () => {
    const { child } = await build("initech", {
      tenantId: "initech",
      environment: "prod",
      subscriptions: { emails: ["sec@initech.example"] },
    });
    const iam = JSON.parse(child("iam-changes").inputs.eventPattern as string);
    assert.deepEqual(
      iam.detail.$or.map((b: { requestParameters: Record<string, { "equals-ignore-case": string }[]> }) =>
        Object.values(b.requestParameters)[0].map((m) => m["equals-ignore-case"]),
      ),
      [
        [
          "moat-initech-prod-bastion",
          "moat-initech-prod-head",
          "moat-initech-prod-compute",
          "moat-initech-prod-admin",
          "moat-initech-prod-member",
          "moat-initech-prod-flow-logs",
        ],
        ["moat-initech-prod-bastion", "moat-initech-prod-head", "moat-initech-prod-compute"],
      ],
    );
    const findings = JSON.parse(child("guardduty-findings").inputs.eventPattern as string);
    assert.deepEqual(findings.detail.resource.instanceDetails.iamInstanceProfile.arn, [
      "arn:aws:iam::123456789012:instance-profile/moat-initech-prod-bastion",
      "arn:aws:iam::123456789012:instance-profile/moat-initech-prod-head",
      "arn:aws:iam::123456789012:instance-profile/moat-initech-prod-compute",
    ]);
  });
});

describe("SecurityAlerts with lists left empty (AUD-2)", () => {
  it("leaves the ACL and gateway branches out rather than opening them, and takes the given log group name", async () => {
    const name = "globex";
    const { children, child } = await build(name, {
      tenantId: "globex",
      subscriptions: { emails: ["sec@globex.example"] },
      nodeAuthLogGroupName: pulumi.output("/moat/globex/nodes/auth"),
      network: { ...args.network, networkAclIds: [], internetGatewayIds: [], natGatewayIds: [] },
    });
    const firewall = JSON.parse(child("firewall-changes").inputs.eventPattern as string);
    assert.deepEqual(
      firewall.detail.$or.map((b: { eventName: string[] }) => b.eventName[0]),
      ["AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules", "CreateSecurityGroup"],
    );
    assert.deepEqual(child("firewall-changes").inputs.tags, {
      "moat:alert-scope":
        "aws.ec2 requestParameters.groupId requestParameters.ModifySecurityGroupRulesRequest.GroupId requestParameters.vpcId",
    });
    const gateways = JSON.parse(child("gateway-changes").inputs.eventPattern as string);
    assert.deepEqual(
      gateways.detail.$or.map((b: { eventName: string[] }) => b.eventName[0]),
      ["AttachInternetGateway", "CreateVpcPeeringConnection", "CreateNatGateway"],
    );
    assert.equal(children.filter((c) => c.type === "aws:sns/topicSubscription:TopicSubscription").length, 1);
    assert.equal(child("failed-ssh").inputs.logGroupName, "/moat/globex/nodes/auth");
  });
});

describe("SecurityAlerts: invalid args", () => {
  it("lists every problem at once, naming each argument, and registers nothing", async () => {
    assert.throws(
      () =>
        new SecurityAlerts("bad", {
          ...args,
          kmsKeyArn: "alias/aws/sns",
          subscriptions: { emails: ["not-an-email"], httpsEndpoint: "http://pager.example" },
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["kmsKeyArn", "subscriptions.emails[0]", "subscriptions.httpsEndpoint"],
        );
        assert.match(err.message, /^Invalid SecurityAlerts "bad" args:\n {2}- kmsKeyArn: /);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad"), []);
  });
});
