import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ed25519Key } from "../node-bootstrap/test-keys";
import {
  answerImageLookups,
  installRecordingMocks,
  mockArns,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";
import { ComputeFleet, ComputeFleetArgs } from "./compute-fleet";

/* eslint-disable @typescript-eslint/no-explicit-any */
let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns, call: answerImageLookups });
});

const args: ComputeFleetArgs = {
  tenantId: "acme",
  environment: "prod",
  owner: "ml-platform@acme.example",
  accountId: "123456789012",
  region: "us-east-1",
  vpcId: "vpc-1",
  subnetId: "subnet-compute",
  firewall: { headSecurityGroupId: "sg-head", endpointSecurityGroupId: "sg-endpoint", egress: "all" },
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  userKeys: [ed25519Key(7, "alice@acme")],
  groups: [
    { name: "train", instanceType: "p5.48xlarge", nodeCount: 4 },
    { name: "dev", instanceType: "g5.xlarge", nodeCount: 1 },
  ],
  scheduler: { kind: "slurm", controllerHost: "head-0.acme.moat.internal", clusterName: "acme" },
};

const role = (name: string) =>
  (mocks.named(name).find((r) => r.name === `${name}-sg`)?.inputs.tags as any)?.["moat:role"];

describe("ComputeFleet (NET-3, NET-8, NET-11)", () => {
  it("NET-3, CMP-1: puts each group in its own node group, joined to the head group, EFA groups also in an EFA group", async () => {
    const fleet = new ComputeFleet("f1", args);
    await mocks.settle();
    assert.equal(role("f1-train-efa"), "compute");
    assert.equal(role("f1-train-nodes"), "compute");
    assert.equal(role("f1-dev-nodes"), "compute");
    assert.equal(mocks.named("f1-dev-efa").length, 0, "a group without EFA has no EFA group");
    assert.equal(await valueOf(fleet.groups.train.efaSecurityGroupId!), "f1-train-efa-sg-id");
    const headFrom = mocks.all().filter((r) => /^f1-\w+-head-from-group-ingress$/.test(r.name));
    assert.deepEqual(
      headFrom.map((r) => [r.inputs.securityGroupId, r.inputs.referencedSecurityGroupId]),
      [
        ["sg-head", "f1-train-nodes-sg-id"],
        ["sg-head", "f1-dev-nodes-sg-id"],
      ],
    );
    const clients = await Promise.all(
      fleet.storageClients.map(async (c) => ({ ...c, id: await valueOf(pulumi.output(c.id)) })),
    );
    assert.deepEqual(clients, [
      { label: "compute-train", id: "f1-train-nodes-sg-id", quarantined: false },
      { label: "compute-dev", id: "f1-dev-nodes-sg-id", quarantined: false },
    ]);
  });

  it("NET-11: quarantines only the groups listed, passes head by, and marks the filesystem client", async () => {
    const fleet = new ComputeFleet("f2", { ...args, quarantine: ["head", "train"] });
    await mocks.settle();
    assert.equal(role("f2-train-efa"), "quarantine");
    assert.equal(role("f2-train-nodes"), "quarantine");
    assert.equal(role("f2-dev-nodes"), "compute");
    const asg = (group: string) => mocks.named(`f2-${group}-asg`)[0].inputs as any;
    assert.equal(asg("train").suspendedProcesses.length, 9);
    assert.deepEqual(asg("dev").suspendedProcesses, []);
    assert.deepEqual(
      fleet.storageClients.map((c) => [c.label, c.quarantined]),
      [
        ["compute-train", true],
        ["compute-dev", false],
      ],
    );
  });

  it("CMP-7: one compute role named after the tenant and environment, reading that environment's secrets", () => {
    const role = mocks.named("f1-role").find((r) => r.type === "aws:iam/role:Role");
    assert.equal(role?.inputs.name, "moat-acme-prod-compute");
    const policy = mocks.named("f1-role").find((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
    const read = JSON.parse(String(policy?.inputs.policy)).Statement.find(
      (s: { Sid: string }) => s.Sid === "ReadOwnSecrets",
    );
    assert.deepEqual(read.Resource, [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/cluster-ssh-key-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/munge-key-??????",
    ]);
    const userData = Buffer.from(
      String(mocks.named("f1-train-template")[0].inputs.userData),
      "base64",
    ).toString();
    assert.match(userData, /moat\/acme-prod\/cluster-ssh-key/);
    assert.match(userData, /moat\/acme-prod\/munge-key/);
  });

  it("boots groups without a scheduler too, naming no Slurm feature", async () => {
    new ComputeFleet("f4", { ...args, scheduler: undefined });
    await mocks.settle();
    const userData = Buffer.from(
      String(mocks.named("f4-dev-template")[0].inputs.userData),
      "base64",
    ).toString();
    assert.doesNotMatch(userData, /slurmd/);
    const slurm = Buffer.from(String(mocks.named("f1-dev-template")[0].inputs.userData), "base64").toString();
    assert.match(slurm, /slurmd/, "with a scheduler, the same group runs slurmd");
  });

  it("NET-11: refuses a quarantine of a group that does not exist, before creating anything", async () => {
    assert.throws(
      () => new ComputeFleet("f3", { ...args, quarantine: ["trian"] }),
      /quarantine\[0\]: "trian" is not a node group; use one of head, train, dev/,
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("f3"), []);
  });
});
