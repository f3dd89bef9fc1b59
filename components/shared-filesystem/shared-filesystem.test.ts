import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, Recorded, RecordingMocks, valueOf } from "../testing/recording-mocks";
import { SharedFilesystem, SharedFilesystemArgs } from "./shared-filesystem";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({
    computed: (type, name) =>
      type === LUSTRE ? { dnsName: `${name}.fsx.us-east-1.amazonaws.com`, mountName: "abcdef01" } : {},
  });
});

const args = (overrides: Partial<SharedFilesystemArgs> = {}): SharedFilesystemArgs => ({
  tenantId: "acme",
  environment: "prod",
  accountId: pulumi.output("123456789012"),
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.42.0.0/16",
  subnetId: "subnet-0123456789abcdef0",
  kmsKeyArn: KEY,
  clientSecurityGroupIds: [
    { label: "head", id: "sg-0000000000000000a" },
    { label: "cluster", id: "sg-0000000000000000b" },
  ],
  spec: { type: "lustre" },
  ...overrides,
});

async function build(name: string, a: SharedFilesystemArgs) {
  const component = new SharedFilesystem(name, a);
  await mocks.settle();
  const all = mocks.named(name).filter((r) => r.name !== name);
  const one = (childName: string): Recorded => {
    const found = all.find((r) => r.name === `${name}-${childName}`);
    assert.ok(found, `no child ${name}-${childName}`);
    return found;
  };
  return { component, all, one };
}

// The rules on the storage group: ingress as `from <source> <ports>`, egress as `to <dest> <ports>`.
const ports = (i: Record<string, unknown>) =>
  i.ipProtocol === "-1" ? "all" : `${i.ipProtocol} ${i.fromPort}-${i.toPort}`;

/** The rules on the storage group itself (client-side rules are named `-client-`). */
function rulesOf(all: Recorded[]): string[] {
  return all
    .filter((r) => (r.type === INGRESS || r.type === EGRESS) && !r.name.includes("-client-"))
    .map((r) =>
      r.type === INGRESS
        ? `from ${r.inputs.referencedSecurityGroupId} ${ports(r.inputs)}`
        : `to ${r.inputs.referencedSecurityGroupId} ${ports(r.inputs)}`,
    )
    .sort();
}

describe("SharedFilesystem: FSx for Lustre (DAT-1, DAT-4, NET-8)", () => {
  const name = "lus";
  let built: Awaited<ReturnType<typeof build>>;
  before(async () => {
    built = await build(name, args());
  });

  it("registers itself as moat:storage:SharedFilesystem with exactly its children", async () => {
    assert.equal(mocks.named(name).find((r) => r.name === name)?.type, "moat:storage:SharedFilesystem");
    const direct = built.all.filter(
      (r) => r.parent === `urn:pulumi:test::moat::moat:storage:SharedFilesystem::${name}`,
    );
    const kinds = direct.map((r) => `${r.type} ${r.name.slice(name.length + 1)}`);
    const expectedRules = [
      ...["self", "head", "cluster"].flatMap((peer) => [
        `moat:network:FirewallRule in-${peer}-tcp-988`,
        `moat:network:FirewallRule in-${peer}-tcp-1018-1023`,
        `${EGRESS} out-${peer}-tcp-988`,
        `${EGRESS} out-${peer}-tcp-1018-1023`,
      ]),
      ...["head", "cluster"].flatMap((client) => [
        `moat:network:FirewallRule client-${client}-in-tcp-988`,
        `moat:network:FirewallRule client-${client}-in-tcp-1018-1023`,
      ]),
    ];
    assert.deepEqual(
      kinds.sort(),
      [
        "moat:network:DefaultDenySecurityGroup storage",
        `${LUSTRE} fs`,
        "aws:ssm/parameter:Parameter location",
        ...expectedRules,
      ].sort(),
    );
    assert.equal(
      built.all.length,
      direct.length + 1 + 10,
      "only the group and the ten ingress rules are nested",
    );
  });

  it("NET-8: a storage security group with no egress of its own, tagged moat:role storage", () => {
    const group = built.one("storage-sg");
    assert.equal(group.inputs.vpcId, "vpc-0123456789abcdef0");
    assert.deepEqual(group.inputs.tags, { Name: `${name}-storage`, "moat:role": "storage" });
    assert.match(
      String(group.inputs.description),
      /its own ports from head and compute nodes only \(NET-8\)/,
    );
    assert.equal(built.all.filter((r) => r.name.startsWith(`${name}-storage-egress`)).length, 0);
  });

  it("NET-8: tcp 988 and 1018-1023 in and out, with itself and each client group, nothing else", () => {
    const self = `${name}-storage-sg-id`;
    const peers = [self, "sg-0000000000000000a", "sg-0000000000000000b"];
    const expected = peers.flatMap((p) => [
      `from ${p} tcp 988-988`,
      `from ${p} tcp 1018-1023`,
      `to ${p} tcp 988-988`,
      `to ${p} tcp 1018-1023`,
    ]);
    assert.deepEqual(rulesOf(built.all), expected.sort());
    for (const rule of built.all.filter(
      (r) => (r.type === INGRESS || r.type === EGRESS) && !r.name.includes("-client-"),
    )) {
      assert.equal(rule.inputs.securityGroupId, self, `${rule.name} is not on the storage group`);
      assert.equal(rule.inputs.cidrIpv4, undefined, `${rule.name} names a CIDR`);
      assert.match(String(rule.inputs.description), /^NET-8: /);
    }
  });

  it("NET-8: each client group accepts 988 and 1018-1023 from the storage group only, as Lustre servers call back", () => {
    const clientRules = built.all
      .filter((r) => r.type === INGRESS && r.name.includes("-client-"))
      .map((r) => `${r.inputs.securityGroupId} from ${r.inputs.referencedSecurityGroupId} ${ports(r.inputs)}`)
      .sort();
    const storage = `${name}-storage-sg-id`;
    assert.deepEqual(
      clientRules,
      ["sg-0000000000000000a", "sg-0000000000000000b"]
        .flatMap((client) => [
          `${client} from ${storage} tcp 988-988`,
          `${client} from ${storage} tcp 1018-1023`,
        ])
        .sort(),
    );
  });

  it("DAT-1: PERSISTENT_2 SSD on Lustre 2.15 under the tenant key, in the storage subnet and group", () => {
    const fs = built.one("fs").inputs;
    assert.equal(fs.deploymentType, "PERSISTENT_2");
    assert.equal(fs.storageType, "SSD");
    assert.equal(fs.fileSystemTypeVersion, "2.15");
    assert.equal(fs.kmsKeyId, KEY);
    assert.equal(fs.subnetIds, "subnet-0123456789abcdef0");
    assert.deepEqual(fs.securityGroupIds, [`${name}-storage-sg-id`]);
    assert.equal(fs.storageCapacity, 1200);
    assert.equal(fs.perUnitStorageThroughput, 250);
    assert.equal(fs.dataCompressionType, "LZ4");
    assert.equal(fs.efaEnabled, false);
    assert.equal(fs.metadataConfiguration, undefined);
    assert.deepEqual(fs.tags, { Name: `${name}-fs`, "moat:role": "storage" });
  });

  it("DAT-4: daily backups kept 7 days from 03:00, tags copied, a final backup on delete", () => {
    const fs = built.one("fs").inputs;
    assert.equal(fs.automaticBackupRetentionDays, 7);
    assert.equal(fs.dailyAutomaticBackupStartTime, "03:00");
    assert.equal(fs.copyTagsToBackups, true);
    assert.equal(fs.skipFinalBackup, false);
  });

  it("DAT-4: the file system alone is protected and kept on destroy", () => {
    for (const r of built.all) {
      const stateful = r.name === `${name}-fs`;
      assert.equal(r.protect, stateful, `${r.name} protect`);
      assert.equal(r.retainOnDelete, stateful, `${r.name} retainOnDelete`);
    }
  });

  it("publishes the location, not secret, as /moat/acme-prod/shared-filesystem", async () => {
    const parameter = built.one("location").inputs;
    assert.equal(parameter.name, "/moat/acme-prod/shared-filesystem");
    assert.equal(parameter.type, "String");
    assert.equal(parameter.value, undefined, "a value input would be stored as a secret");
    assert.deepEqual(JSON.parse(String(parameter.insecureValue)), {
      type: "lustre",
      dnsName: `${name}-fs.fsx.us-east-1.amazonaws.com`,
      mountName: "abcdef01",
      fileSystemId: `${name}-fs-id`,
    });
    const c = built.component;
    assert.equal(await valueOf(c.fileSystemId), `${name}-fs-id`);
    assert.equal(await valueOf(c.dnsName), `${name}-fs.fsx.us-east-1.amazonaws.com`);
    assert.equal(await valueOf(c.mountName), "abcdef01");
    assert.equal(await valueOf(c.securityGroupId), `${name}-storage-sg-id`);
    assert.equal(await valueOf(c.parameterName), "/moat/acme-prod/shared-filesystem");
    assert.equal(
      await valueOf(c.parameterArn),
      "arn:aws:ssm:us-east-1:123456789012:parameter/moat/acme-prod/shared-filesystem",
    );
  });
});

describe("SharedFilesystem: EFA-enabled Lustre (DAT-1, NET-8)", () => {
  const name = "efa";
  let built: Awaited<ReturnType<typeof build>>;
  before(async () => {
    built = await build(
      name,
      args({
        spec: {
          type: "lustre",
          efa: true,
          throughputPerUnitMiB: 1000,
          storageCapacityGiB: 9600,
          backupRetentionDays: 30,
        },
      }),
    );
  });

  it("enables EFA with the metadata configuration AWS requires", () => {
    const fs = built.one("fs").inputs;
    assert.equal(fs.efaEnabled, true);
    assert.deepEqual(fs.metadataConfiguration, { mode: "AUTOMATIC" });
    assert.equal(fs.storageCapacity, 9600);
    assert.equal(fs.perUnitStorageThroughput, 1000);
    assert.equal(fs.automaticBackupRetentionDays, 30);
  });

  it("NET-8: all traffic both ways with itself and each client group, by group ID only", () => {
    const peers = [`${name}-storage-sg-id`, "sg-0000000000000000a", "sg-0000000000000000b"];
    assert.deepEqual(rulesOf(built.all), peers.flatMap((p) => [`from ${p} all`, `to ${p} all`]).sort());
  });
});

describe("SharedFilesystem: DAT-4 stability", () => {
  it("DAT-4: a Lustre file system and its group ignore client groups and environment; only the rules change", async () => {
    const before = await build("one", args({ spec: { type: "lustre", metadataIops: 12000 } }));
    const after = await build(
      "two",
      args({
        spec: { type: "lustre", metadataIops: 12000 },
        environment: "staging",
        clientSecurityGroupIds: [
          { label: "head", id: "sg-0000000000000000c" },
          { label: "cluster", id: "sg-0000000000000000d" },
          { label: "compute-b", id: "sg-0000000000000000e" },
        ],
      }),
    );
    const normalised = (b: typeof before, name: string, child: string) =>
      JSON.stringify(b.one(child).inputs).replaceAll(`${name}-`, "X-");
    for (const child of ["fs", "storage-sg"]) {
      assert.equal(normalised(before, "one", child), normalised(after, "two", child), child);
    }
    assert.deepEqual(before.one("fs").inputs.metadataConfiguration, {
      mode: "USER_PROVISIONED",
      iops: 12000,
    });
    assert.equal(rulesOf(before.all).length, 12);
    assert.equal(rulesOf(after.all).length, 16);
  });
});

describe("SharedFilesystem: invalid args", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new SharedFilesystem(
          "bad",
          args({
            clientSecurityGroupIds: [],
            spec: { type: "lustre", storageCapacityGiB: 3000, throughputPerUnitMiB: 300 as 250 },
          }),
        ),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["clientSecurityGroupIds", "spec.throughputPerUnitMiB", "spec.storageCapacityGiB"],
        );
        assert.match(err.message, /^Invalid SharedFilesystem "bad" args:\n {2}- clientSecurityGroupIds: /);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad"), []);
  });
});
