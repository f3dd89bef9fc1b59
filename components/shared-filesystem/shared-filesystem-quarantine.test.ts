import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, Recorded, RecordingMocks } from "../testing/recording-mocks";
import { ClientSecurityGroup, SharedFilesystem, SharedFilesystemArgs } from "./shared-filesystem";

const RULE = /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/;
const HEAD = "sg-0000000000000000a";
const TRAIN = "sg-0000000000000000b";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks();
});

const args = (
  train: Partial<ClientSecurityGroup>,
  spec: SharedFilesystemArgs["spec"],
): SharedFilesystemArgs => ({
  tenantId: "acme",
  environment: "prod",
  accountId: pulumi.output("123456789012"),
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.42.0.0/16",
  subnetId: "subnet-0123456789abcdef0",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  clientSecurityGroupIds: [
    { label: "head", id: HEAD },
    { label: "compute-train", id: TRAIN, ...train },
  ],
  spec,
});

async function rules(name: string, a: SharedFilesystemArgs): Promise<Recorded[]> {
  new SharedFilesystem(name, a);
  await mocks.settle();
  return mocks.named(name).filter((r) => RULE.test(r.type));
}

const naming = (all: Recorded[], id: string) =>
  all.filter((r) => r.inputs.securityGroupId === id || r.inputs.referencedSecurityGroupId === id);

describe("SharedFilesystem: a quarantined client group (NET-8, NET-11)", () => {
  for (const spec of [
    { type: "lustre" },
    { type: "lustre", efa: true, storageCapacityGiB: 19200 },
    { type: "efs" },
  ] as const) {
    const kind = `${spec.type}${"efa" in spec ? " with EFA" : ""}`;
    it(`NET-11: ${kind}: no rule names the quarantined group; the head group keeps its rules`, async () => {
      const tag = kind.replace(/\W+/g, "-");
      const open = await rules(`open-${tag}`, args({}, spec));
      const shut = await rules(`shut-${tag}`, args({ quarantined: true }, spec));
      assert.ok(naming(open, TRAIN).length > 0, "the open group mounts the filesystem");
      assert.deepEqual(naming(shut, TRAIN), []);
      const names = (all: Recorded[], prefix: string) => all.map((r) => r.name.slice(prefix.length)).sort();
      assert.deepEqual(
        names(naming(shut, HEAD), `shut-${tag}`),
        names(naming(open, HEAD), `open-${tag}`),
        "the head group's rules do not change",
      );
      const lifted = names(open, `open-${tag}`);
      assert.ok(
        names(shut, `shut-${tag}`).every((n) => lifted.includes(n)),
        "lifting restores the same rule names",
      );
    });
  }

  it("refuses a quarantine flag that is not a boolean", () => {
    assert.throws(
      () => new SharedFilesystem("bad", args({ quarantined: "yes" as unknown as boolean }, { type: "efs" })),
      /clientSecurityGroupIds\[1\]\.quarantined: "yes" is not true or false \(NET-11\)/,
    );
  });
});
