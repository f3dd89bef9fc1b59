import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import type { SecurityAlertsArgs } from "./security-alerts";
import { emailProblem, httpsEndpointProblem, validateSecurityAlertsArgs } from "./security-alerts-args";

const good: SecurityAlertsArgs = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  subscriptions: { emails: ["security@acme.example"], httpsEndpoint: "https://events.pager.example/sns/abc" },
  network: {
    vpcId: "vpc-0a1",
    subnetIds: ["subnet-0b1"],
    securityGroupIds: ["sg-0c1", pulumi.output("sg-0c2")],
    networkAclIds: [],
    routeTableIds: ["rtb-0e1"],
    internetGatewayIds: ["igw-0f1"],
    natGatewayIds: [],
  },
};

const paths = (args: SecurityAlertsArgs) => validateSecurityAlertsArgs(args).map((p) => p.propertyPath);

describe("validateSecurityAlertsArgs (AUD-2)", () => {
  it("accepts compliant args, an Output account and key, and a node log group name", () => {
    assert.deepEqual(validateSecurityAlertsArgs(good), []);
    assert.deepEqual(
      validateSecurityAlertsArgs({
        ...good,
        accountId: pulumi.output("123456789012"),
        kmsKeyArn: pulumi.output("arn"),
        nodeAuthLogGroupName: "/moat/acme/nodes/auth",
        subscriptions: { emails: [], httpsEndpoint: "https://pager.example/x?token=1" },
      }),
      [],
    );
  });

  it("lists every problem at once, each naming its property", () => {
    const problems = validateSecurityAlertsArgs({
      ...good,
      tenantId: "Acme",
      kmsKeyArn: "alias/aws/sns",
      subscriptions: {
        emails: ["ops", "Security Team <sec@acme.example>", "a@acme.example", "A@acme.example"],
        httpsEndpoint: "http://pager.example/x",
      },
      nodeAuthLogGroupName: "/var/log/secure",
      network: { ...good.network, vpcId: "vpc_1", securityGroupIds: [], routeTableIds: ["", "acl-1"] },
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      [
        "tenantId",
        "kmsKeyArn",
        "subscriptions.emails[0]",
        "subscriptions.emails[1]",
        "subscriptions.emails[3]",
        "subscriptions.httpsEndpoint",
        "nodeAuthLogGroupName",
        "network.vpcId",
        "network.securityGroupIds",
        "network.routeTableIds[0]",
        "network.routeTableIds[1]",
      ],
    );
    assert.match(problems[2].reason, /^"ops" is not an email address; write it bare/);
    assert.match(problems[4].reason, /A@acme.example is listed twice/);
    assert.match(problems[5].reason, /uses http; .* only https:\/\/ is accepted/);
    assert.match(problems[6].reason, /use \/moat\/Acme\/nodes\/auth/);
    assert.match(problems[7].reason, /"vpc_1" is not an ID of the form vpc-<hex>/);
    assert.match(problems[8].reason, /list at least one: .* changes to one left out alert no one \(AUD-2\)/);
    assert.match(problems[9].reason, /is missing; pass the resource's id output/);
    assert.match(problems[10].reason, /"acl-1" is not an ID of the form rtb-<hex>/);
  });

  it("refuses a missing network, and a list that is not one (AUD-2)", () => {
    assert.deepEqual(paths({ ...good, network: undefined as unknown as SecurityAlertsArgs["network"] }), [
      "network",
    ]);
    assert.deepEqual(
      paths({ ...good, network: { ...good.network, natGatewayIds: undefined as unknown as string[] } }),
      ["network.natGatewayIds"],
    );
  });

  it("refuses more resources than EventBridge's pattern size allows, sizing unknown IDs at their longest", () => {
    const many = Array.from({ length: 40 }, () => pulumi.output("sg-0"));
    const problems = validateSecurityAlertsArgs({
      ...good,
      network: { ...good.network, securityGroupIds: many },
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["network"],
    );
    assert.match(
      problems[0].reason,
      /the firewall-changes rule's pattern may reach \d+ characters, over EventBridge's 2048/,
    );
    const fine = Array.from({ length: 16 }, () => pulumi.output("sg-0"));
    assert.deepEqual(
      validateSecurityAlertsArgs({ ...good, network: { ...good.network, securityGroupIds: fine } }),
      [],
    );
  });

  it("refuses a missing key and a topic nobody subscribes to", () => {
    assert.deepEqual(paths({ ...good, kmsKeyArn: "", subscriptions: { emails: [] } }), [
      "kmsKeyArn",
      "subscriptions",
    ]);
  });

  it("refuses a log group of another tenant or outside nodes/ (AUD-3)", () => {
    assert.deepEqual(paths({ ...good, nodeAuthLogGroupName: "/moat/globex/nodes/auth" }), [
      "nodeAuthLogGroupName",
    ]);
    assert.deepEqual(paths({ ...good, nodeAuthLogGroupName: "/moat/acme/nodes/" }), ["nodeAuthLogGroupName"]);
  });
});

describe("httpsEndpointProblem", () => {
  it("accepts https URLs and refuses other schemes, non-URLs and embedded credentials", () => {
    assert.equal(httpsEndpointProblem("https://events.pagerduty.com/integration/abc/enqueue"), undefined);
    assert.match(httpsEndpointProblem("ftp://x.example") ?? "", /uses ftp/);
    assert.match(httpsEndpointProblem("pager.example/hook") ?? "", /is not a URL/);
    assert.match(httpsEndpointProblem("https://user:pw@pager.example/") ?? "", /carries credentials/);
  });
});

describe("emailProblem", () => {
  it("accepts plain addresses and refuses display names, spaces and missing domains", () => {
    for (const ok of ["a@b.example", "first.last+alerts@sub.acme.example"]) {
      assert.equal(emailProblem(ok), undefined, ok);
    }
    for (const bad of ["a@b", "a b@c.example", "<a@b.example>", "@b.example", "a@-b.example", ""]) {
      assert.ok(emailProblem(bad), bad);
    }
  });

  it("never accepts a string with whitespace or without exactly one @", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const ats = s.split("@").length - 1;
        if (/\s/.test(s) || ats !== 1) {
          assert.ok(emailProblem(s));
        }
      }),
    );
  });
});
