import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  answerImageLookups,
  installRecordingMocks,
  MOCK_IMAGES,
  mockArns,
  RecordingMocks,
} from "../testing/recording-mocks";
import { HeadNodes } from "./head-nodes";
import { ACME_HEAD_ARGS } from "./test-args";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({
    computed: mockArns,
    call: answerImageLookups,
  });
});

const args = ACME_HEAD_ARGS;

describe("HeadNodes (CMP-2 to CMP-8, NET-6)", () => {
  it("creates one role and one hardened instance per node name", async () => {
    new HeadNodes("acme", args);
    await mocks.settle();
    const instances = mocks.named("acme").filter((r) => r.type === "aws:ec2/instance:Instance");
    assert.deepEqual(
      instances.map((i) => i.name),
      ["acme-head-0", "acme-head-1"],
    );
    const roles = mocks.named("acme").filter((r) => r.type === "moat:security:NodeRole");
    assert.deepEqual(
      roles.map((r) => r.name),
      ["acme-role"],
    );
    for (const instance of instances) {
      const inputs = instance.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(instance.parent, "urn:pulumi:test::moat::moat:access:HeadNodes::acme");
      assert.equal(inputs.ami, MOCK_IMAGES.slurm, "with a scheduler, the default image carries Slurm");
      assert.deepEqual(inputs.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 2,
        instanceMetadataTags: "disabled",
      });
      assert.equal(inputs.rootBlockDevice.encrypted, true);
      assert.equal(inputs.rootBlockDevice.kmsKeyId, args.kmsKeyArn);
      assert.equal(inputs.associatePublicIpAddress, false);
      assert.deepEqual(inputs.vpcSecurityGroupIds, ["sg-head", "sg-cluster"]);
      assert.equal(inputs.iamInstanceProfile, "moat-acme-prod-head");
      assert.deepEqual(instance.ignoreChanges, ["ami"]);
    }
  });

  it("fetches only its own secrets, by name, and carries no secret value in user data (CMP-6, CMP-8)", () => {
    const userData = String(mocks.named("acme-head-1")[0].inputs.userData);
    assert.match(userData, /^#cloud-config/);
    assert.match(userData, /moat\/acme-prod\/jupyter-token\/head-1/);
    assert.match(userData, /moat\/acme-prod\/jupyter-tls\/head-1/);
    assert.match(userData, /moat\/acme-prod\/cluster-ssh-key/);
    assert.doesNotMatch(userData, /jupyter-token\/head-0/);
    assert.doesNotMatch(userData, /PRIVATE KEY/);
    assert.match(userData, /PasswordAuthentication no/);
  });

  it("ships logs to its tenant environment's node log groups and mounts nothing outside its names (AUD-3)", () => {
    const userData = String(mocks.named("acme-head-0")[0].inputs.userData);
    assert.match(userData, /"log_group_name":"\/moat\/acme-prod\/nodes\/auth"/);
    assert.match(userData, /"log_group_name":"\/moat\/acme-prod\/nodes\/syslog"/);
    assert.doesNotMatch(userData, /moat\/acme\//);
  });

  it("lets the head role read exactly the cluster key and the head nodes' JupyterLab secrets (CMP-7)", () => {
    const policy = mocks.named("acme-role").find((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
    assert.ok(policy);
    const secretArns = JSON.parse(String(policy.inputs.policy))
      .Statement.filter((s: { Action: string[] }) =>
        [s.Action].flat().includes("secretsmanager:GetSecretValue"),
      )
      .flatMap((s: { Resource: string | string[] }) => [s.Resource].flat());
    assert.deepEqual(secretArns.sort(), [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/cluster-ssh-key-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/jupyter-tls/head-0-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/jupyter-tls/head-1-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/jupyter-token/head-0-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/jupyter-token/head-1-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/munge-key-??????",
    ]);
  });

  it("names every head node in a private zone of the VPC, so compute nodes find the Slurm controller", () => {
    const zone = mocks.named("acme-zone")[0];
    assert.equal(zone.inputs.name, "acme.moat.internal");
    assert.deepEqual(zone.inputs.vpcs, [{ vpcId: "vpc-1" }]);
    const records = mocks.all().filter((r) => r.type === "aws:route53/record:Record");
    assert.deepEqual(
      records.map((r) => [r.inputs.name, r.inputs.type]),
      [
        ["head-0.acme.moat.internal", "A"],
        ["head-1.acme.moat.internal", "A"],
      ],
    );
    const userData = String(mocks.named("acme-head-0")[0].inputs.userData);
    assert.match(userData, /slurmctld/);
    assert.match(userData, /moat\/acme-prod\/munge-key/);
  });
});
