import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { installRecordingMocks, Recorded, RecordingMocks, valueOf } from "../testing/recording-mocks";
import { SharedFilesystem } from "./shared-filesystem";
import { efsTlsOnlyPolicy } from "./shared-filesystem-args";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const EFS = "aws:efs/fileSystem:FileSystem";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({
    computed: (type, _name, id) => (type === EFS ? { dnsName: `${id}.efs.eu-west-1.amazonaws.com` } : {}),
  });
});

describe("SharedFilesystem: EFS (DAT-1, DAT-2, DAT-4, NET-8)", () => {
  const name = "nfs";
  let component: SharedFilesystem;
  let all: Recorded[];
  const one = (childName: string): Recorded => {
    const found = all.find((r) => r.name === `${name}-${childName}`);
    assert.ok(found, `no child ${name}-${childName}`);
    return found;
  };

  before(async () => {
    component = new SharedFilesystem(name, {
      tenantId: "acme",
      environment: "dev",
      accountId: "123456789012",
      region: "eu-west-1",
      vpcId: "vpc-0123456789abcdef0",
      vpcCidr: "10.7.0.0/16",
      subnetId: "subnet-0123456789abcdef0",
      kmsKeyArn: KEY,
      clientSecurityGroupIds: [
        { label: "head", id: "sg-0000000000000000a" },
        { label: "cluster", id: "sg-0000000000000000b" },
      ],
      spec: { type: "efs" },
    });
    await mocks.settle();
    all = mocks.named(name).filter((r) => r.name !== name);
  });

  it("creates exactly the group, the NFS rules, the file system, its policies, one mount target and the parameter", () => {
    const parent = `urn:pulumi:test::moat::moat:storage:SharedFilesystem::${name}`;
    const direct = all.filter((r) => r.parent === parent).map((r) => `${r.type} ${r.name}`);
    assert.deepEqual(
      direct.sort(),
      [
        `moat:network:DefaultDenySecurityGroup ${name}-storage`,
        `moat:network:FirewallRule ${name}-in-head-tcp-2049`,
        `moat:network:FirewallRule ${name}-in-cluster-tcp-2049`,
        `${EFS} ${name}-fs`,
        `aws:efs/fileSystemPolicy:FileSystemPolicy ${name}-tls-policy`,
        `aws:efs/backupPolicy:BackupPolicy ${name}-backup-policy`,
        `aws:efs/mountTarget:MountTarget ${name}-mount-target`,
        `aws:ssm/parameter:Parameter ${name}-location`,
      ].sort(),
    );
  });

  it("NET-8: NFS 2049 in from each client group only; the mount target sends nothing", () => {
    const rules = all.filter((r) => r.type === INGRESS || r.type === EGRESS);
    assert.deepEqual(
      rules
        .map((r) => [r.type, r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])
        .sort(),
      [
        [INGRESS, "sg-0000000000000000a", 2049, 2049],
        [INGRESS, "sg-0000000000000000b", 2049, 2049],
      ],
    );
    for (const rule of rules) {
      assert.equal(rule.inputs.securityGroupId, `${name}-storage-sg-id`);
      assert.equal(rule.inputs.ipProtocol, "tcp");
    }
  });

  it("DAT-1: encrypted under the tenant key, elastic throughput, general purpose", () => {
    const fs = one("fs").inputs;
    assert.equal(fs.encrypted, true);
    assert.equal(fs.kmsKeyId, KEY);
    assert.equal(fs.throughputMode, "elastic");
    assert.equal(fs.performanceMode, "generalPurpose");
    assert.equal(fs.creationToken, "moat-acme-dev-shared-filesystem");
    assert.deepEqual(fs.tags, { Name: `${name}-fs`, "moat:role": "storage" });
  });

  it("DAT-2: the file-system policy denies every action without TLS, readable as plain JSON", () => {
    const policy = one("tls-policy").inputs;
    assert.equal(policy.fileSystemId, `${name}-fs-id`);
    assert.deepEqual(JSON.parse(String(policy.policy)), efsTlsOnlyPolicy());
    assert.equal(policy.bypassPolicyLockoutSafetyCheck, undefined);
  });

  it("DAT-4: AWS Backup's daily plan is on", () => {
    assert.deepEqual(one("backup-policy").inputs, {
      fileSystemId: `${name}-fs-id`,
      backupPolicy: { status: "ENABLED" },
    });
  });

  it("NET-8: one mount target, in the storage subnet, behind the storage group", () => {
    assert.deepEqual(one("mount-target").inputs, {
      fileSystemId: `${name}-fs-id`,
      subnetId: "subnet-0123456789abcdef0",
      securityGroups: [`${name}-storage-sg-id`],
    });
  });

  it("DAT-4: the file system and its policy alone are protected and kept on destroy", () => {
    const kept = [`${name}-fs`, `${name}-tls-policy`];
    for (const r of all) {
      assert.equal(r.protect, kept.includes(r.name), `${r.name} protect`);
      assert.equal(r.retainOnDelete, kept.includes(r.name), `${r.name} retainOnDelete`);
    }
  });

  it("publishes type, DNS name and ID, without a mount name", async () => {
    const parameter = one("location").inputs;
    assert.equal(parameter.name, "/moat/acme-dev/shared-filesystem");
    assert.deepEqual(JSON.parse(String(parameter.insecureValue)), {
      type: "efs",
      dnsName: `${name}-fs-id.efs.eu-west-1.amazonaws.com`,
      fileSystemId: `${name}-fs-id`,
    });
    assert.equal(await valueOf(component.mountName), undefined);
    assert.equal(await valueOf(component.dnsName), `${name}-fs-id.efs.eu-west-1.amazonaws.com`);
    assert.equal(
      await valueOf(component.parameterArn),
      "arn:aws:ssm:eu-west-1:123456789012:parameter/moat/acme-dev/shared-filesystem",
    );
  });

  it("keeps bursting throughput when asked", async () => {
    new SharedFilesystem("burst", {
      tenantId: "burst",
      environment: "dev",
      accountId: "123456789012",
      region: "eu-west-1",
      vpcId: "vpc-0123456789abcdef0",
      vpcCidr: "10.7.0.0/16",
      subnetId: "subnet-0123456789abcdef0",
      kmsKeyArn: KEY,
      clientSecurityGroupIds: [{ label: "head", id: "sg-0000000000000000a" }],
      spec: { type: "efs", throughputMode: "bursting" },
    });
    await mocks.settle();
    assert.equal(mocks.named("burst-fs").find((r) => r.type === EFS)?.inputs.throughputMode, "bursting");
  });
});
