import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ed25519Key } from "../node-bootstrap/test-keys";
import { installRecordingMocks, mockArns, RecordingMocks } from "../testing/recording-mocks";
import { Bastion } from "./bastion";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({
    computed: mockArns,
    call: (token, inputs) =>
      token === "aws:ssm/getParameter:getParameter" ? { insecureValue: "ami-0f1e2d3c4b5a69788" } : inputs,
  });
});

describe("Bastion (NET-7, CMP-2, CMP-3, CMP-7)", () => {
  it("is one small hardened instance with an Elastic IP and a role that reads no secret", async () => {
    new Bastion("acme-bastion", {
      tenantId: "acme",
      environment: "prod",
      accountId: "123456789012",
      region: "us-east-1",
      subnetId: "subnet-public",
      securityGroupId: "sg-bastion",
      kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
      userKeys: [ed25519Key(7, "alice@acme")],
      instanceType: "t4g.small",
    });
    await mocks.settle();
    const children = mocks.named("acme-bastion").filter((r) => r.name !== "acme-bastion");
    const types = children
      .filter((c) => c.parent.endsWith("::acme-bastion"))
      .map((c) => `${c.type} ${c.name}`);
    assert.deepEqual(types.sort(), [
      "aws:ec2/eip:Eip acme-bastion-eip",
      "aws:ec2/instance:Instance acme-bastion-instance",
      "moat:security:NodeRole acme-bastion-role",
    ]);
    const instance = children.find((c) => c.type === "aws:ec2/instance:Instance")!;
    const inputs = instance.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(inputs.instanceType, "t4g.small");
    assert.equal(inputs.ami, "ami-0f1e2d3c4b5a69788");
    assert.equal(inputs.metadataOptions.httpPutResponseHopLimit, 1);
    assert.equal(inputs.metadataOptions.httpTokens, "required");
    assert.equal(inputs.associatePublicIpAddress, false);
    assert.deepEqual(inputs.vpcSecurityGroupIds, ["sg-bastion"]);
    assert.match(String(inputs.userData), /fail2ban/);
    assert.match(String(inputs.userData), /PasswordAuthentication no/);
    assert.doesNotMatch(String(inputs.userData), /secretsmanager get-secret-value/);
    const eip = children.find((c) => c.type === "aws:ec2/eip:Eip")!;
    assert.equal(eip.inputs.instance, "acme-bastion-instance-id");
    const policy = children.find((c) => c.type === "aws:iam/rolePolicy:RolePolicy");
    assert.doesNotMatch(String(policy?.inputs.policy ?? ""), /secretsmanager:GetSecretValue/);
  });

  it("names its role after the tenant and environment and ships logs to the environment's groups", () => {
    const role = mocks.named("acme-bastion-role").find((r) => r.type === "aws:iam/role:Role");
    assert.equal(role?.inputs.name, "moat-acme-prod-bastion");
    const profile = mocks
      .named("acme-bastion-role")
      .find((r) => r.type === "aws:iam/instanceProfile:InstanceProfile");
    assert.equal(profile?.inputs.name, "moat-acme-prod-bastion");
    const userData = String(mocks.named("acme-bastion-instance")[0].inputs.userData);
    assert.match(userData, /"log_group_name":"\/moat\/acme-prod\/nodes\/auth"/);
  });
});
