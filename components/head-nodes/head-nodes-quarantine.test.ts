import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  answerImageLookups,
  installRecordingMocks,
  mockArns,
  Recorded,
  RecordingMocks,
} from "../testing/recording-mocks";
import { HeadNodes } from "./head-nodes";
import { ACME_HEAD_ARGS } from "./test-args";

/* eslint-disable @typescript-eslint/no-explicit-any */
let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns, call: answerImageLookups });
});

const args = ACME_HEAD_ARGS;

const INSTANCE = "aws:ec2/instance:Instance";
const RULE = /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/;

async function build(name: string, quarantined: boolean | undefined) {
  new HeadNodes(name, { ...args, quarantined });
  await mocks.settle();
  const all = mocks.named(name).filter((r) => r.name !== name);
  const instances = all.filter((r) => r.type === INSTANCE);
  // A URN without the component's own name: parent chain, type and name suffix.
  const identity = (r: Recorded) =>
    `${r.parent.split(name).join("<name>")} ${r.type} ${r.name.split(name).join("<name>")}`;
  return { all, instances, identity, identities: new Set(all.map(identity)) };
}

describe("HeadNodes quarantine (NET-11)", () => {
  let open: Awaited<ReturnType<typeof build>>;
  let shut: Awaited<ReturnType<typeof build>>;
  before(async () => {
    open = await build("open", undefined);
    shut = await build("shut", true);
  });

  it("NET-11: outside quarantine there is no deny-all group, and nodes carry the head and cluster groups", () => {
    assert.equal(open.all.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup").length, 0);
    for (const instance of open.instances) {
      assert.deepEqual(instance.inputs.vpcSecurityGroupIds, ["sg-head", "sg-cluster"]);
      assert.equal((instance.inputs.rootBlockDevice as any).deleteOnTermination, true);
    }
  });

  it("NET-11: quarantined, every node's only group is one deny-all group, tagged quarantine, with no rule", () => {
    const groups = shut.all.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
    assert.deepEqual(
      groups.map((g) => g.name),
      ["shut-quarantine-sg"],
    );
    const sg = groups[0].inputs as any;
    assert.equal(sg.tags["moat:role"], "quarantine");
    assert.equal(sg.vpcId, "vpc-1");
    assert.equal("ingress" in sg || "egress" in sg, false);
    const id = "shut-quarantine-sg-id";
    const naming = mocks
      .all()
      .filter((r) => RULE.test(r.type))
      .filter((r) => r.inputs.securityGroupId === id || r.inputs.referencedSecurityGroupId === id);
    assert.deepEqual(naming, [], "no rule in or out, and none naming it");
    assert.equal(shut.instances.length, 2);
    for (const instance of shut.instances) {
      assert.deepEqual(instance.inputs.vpcSecurityGroupIds, [id]);
    }
  });

  it("NET-11: quarantined nodes keep their root volumes, still encrypted under the tenant key", () => {
    for (const instance of shut.instances) {
      const root = instance.inputs.rootBlockDevice as any;
      assert.equal(root.deleteOnTermination, false);
      assert.equal(root.encrypted, true);
      assert.equal(root.kmsKeyId, args.kmsKeyArn);
    }
  });

  it("NET-11: nothing else about the nodes changes, so the update is in place", () => {
    const rest = (r: Recorded) => {
      const { vpcSecurityGroupIds, rootBlockDevice, tags, volumeTags, ...inputs } = r.inputs as any;
      void vpcSecurityGroupIds;
      void rootBlockDevice;
      return JSON.stringify({ ...inputs, tags, volumeTags })
        .split("shut-")
        .join("open-");
    };
    assert.deepEqual(shut.instances.map(rest), open.instances.map(rest));
    assert.deepEqual(
      shut.instances.map((i) => i.ignoreChanges),
      open.instances.map((i) => i.ignoreChanges),
    );
  });

  it("NET-11: quarantine on and off keeps every URN; only the deny-all group comes and goes", () => {
    for (const r of open.all) {
      assert.ok(shut.identities.has(open.identity(r)), `${r.name} is not in the quarantined stack`);
    }
    const added = [...shut.identities].filter((id) => !open.identities.has(id));
    assert.deepEqual(added.map((id) => id.split(" ").pop()).sort(), [
      "<name>-quarantine",
      "<name>-quarantine-sg",
    ]);
  });

  it("refuses a quarantine flag that is not a boolean, before creating anything", async () => {
    assert.throws(
      () => new HeadNodes("bad", { ...args, quarantined: "yes" as unknown as boolean }),
      (err: pulumi.InputPropertiesError) =>
        pulumi.InputPropertiesError.isInstance(err) &&
        /quarantined: "yes" is not true or false/.test(err.message),
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad"), []);
  });
});
