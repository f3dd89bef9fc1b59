import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, Recorded, RecordingMocks, valueOf } from "../testing/recording-mocks";
import { NodeLogs } from "./node-logs";
import { audNodeLogGroupsPresent } from "../../policies/src/aud-logs";
import { netLogGroupEncryptedRetained } from "../../policies/src/net-flow-logs";
import { runResourcePolicy, runStackPolicy, stackResource, unknown } from "../../policies/src/testing";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks();
});

const KEY = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const args = {
  tenantId: "acme",
  accountId: pulumi.output("123456789012"),
  region: "us-east-1",
  kmsKeyArn: KEY,
};

describe("NodeLogs (AUD-3, DAT-4)", () => {
  const name = "acme";
  let component: NodeLogs;
  let children: Recorded[];
  const child = (log: string) => {
    const found = children.find((c) => c.name === `${name}-${log}`);
    assert.ok(found, `no child ${name}-${log}`);
    return found;
  };

  before(async () => {
    component = new NodeLogs(name, args);
    await mocks.settle();
    children = mocks.named(name).filter((r) => r.name !== name);
  });

  it("registers itself with the moat:audit:NodeLogs type", () => {
    assert.equal(mocks.named(name).find((r) => r.name === name)?.type, "moat:audit:NodeLogs");
  });

  it("creates exactly the auth and syslog log groups, parented to the component", async () => {
    assert.deepEqual(children.map((c) => `${c.type} ${c.name}`).sort(), [
      `aws:cloudwatch/logGroup:LogGroup ${name}-auth`,
      `aws:cloudwatch/logGroup:LogGroup ${name}-syslog`,
    ]);
    const urn = await valueOf(component.urn);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to NodeLogs`);
    }
  });

  it("AUD-3: explicit /moat/<tenant>/nodes/ names, the tenant key, a year's retention, STANDARD class", () => {
    for (const log of ["auth", "syslog"]) {
      assert.deepEqual(child(log).inputs, {
        name: `/moat/acme/nodes/${log}`,
        kmsKeyId: KEY,
        retentionInDays: 365,
        logGroupClass: "STANDARD",
      });
    }
  });

  it("DAT-4: protects both groups and keeps them on destroy", () => {
    for (const log of ["auth", "syslog"]) {
      assert.equal(child(log).protect, true, log);
      assert.equal(child(log).retainOnDelete, true, log);
    }
  });

  it("POL-2: outputs the names and ARNs built from known values", async () => {
    assert.equal(await valueOf(component.authLogGroupName), "/moat/acme/nodes/auth");
    assert.equal(await valueOf(component.syslogLogGroupName), "/moat/acme/nodes/syslog");
    assert.equal(
      await valueOf(component.authLogGroupArn),
      "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/nodes/auth",
    );
    assert.equal(
      await valueOf(component.syslogLogGroupArn),
      "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/nodes/syslog",
    );
  });

  it("NET-10/AUD-3: net-log-group-encrypted-retained passes both groups, also with the key unknown at preview", async () => {
    for (const group of children) {
      for (const props of [group.inputs, { ...group.inputs, kmsKeyId: unknown.string }]) {
        const run = await runResourcePolicy(netLogGroupEncryptedRetained, {
          type: group.type,
          name: group.name,
          props,
        });
        assert.deepEqual(run, { violations: [] }, group.name);
      }
    }
  });

  it("AUD-3: aud-node-log-groups-present passes a stack with nodes and these groups, and fails one without", async () => {
    const node = stackResource({ type: "aws:ec2/launchTemplate:LaunchTemplate", name: "gpu", props: {} });
    const groups = children.map((c) => stackResource({ type: c.type, name: c.name, props: c.inputs }));
    assert.deepEqual(await runStackPolicy(audNodeLogGroupsPresent, [node, ...groups]), { violations: [] });
    const without = await runStackPolicy(audNodeLogGroupsPresent, [node]);
    assert.equal(without.violations.length, 1);
  });
});

describe("NodeLogs of one environment, for an account two environments share (AUD-3)", () => {
  it("names the groups /moat/<tenantId>-<environment>/nodes/<log>, which the pack still recognises", async () => {
    const component = new NodeLogs("acme-prod", { ...args, environment: "prod" });
    await mocks.settle();
    const groups = mocks.named("acme-prod").filter((r) => r.name !== "acme-prod");
    assert.deepEqual(groups.map((g) => g.inputs.name).sort(), [
      "/moat/acme-prod/nodes/auth",
      "/moat/acme-prod/nodes/syslog",
    ]);
    assert.equal(
      await valueOf(component.authLogGroupArn),
      "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme-prod/nodes/auth",
    );
    const node = stackResource({ type: "aws:ec2/launchTemplate:LaunchTemplate", name: "gpu", props: {} });
    const stack = [
      node,
      ...groups.map((c) => stackResource({ type: c.type, name: c.name, props: c.inputs })),
    ];
    assert.deepEqual(await runStackPolicy(audNodeLogGroupsPresent, stack), { violations: [] });
  });
});

describe("NodeLogs: retention (AUD-3)", () => {
  it("AUD-3: rounds a requested retention up to the next value CloudWatch accepts", async () => {
    new NodeLogs("longer", { ...args, tenantId: "longer", retentionDays: 200 });
    await mocks.settle();
    for (const group of mocks.named("longer").filter((r) => r.name !== "longer")) {
      assert.equal(group.inputs.retentionInDays, 365, group.name);
    }
  });
});

describe("NodeLogs: invalid args (AUD-3)", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new NodeLogs("bad-logs", {
          tenantId: "A",
          accountId: "1",
          region: "x",
          kmsKeyArn: "",
          retentionDays: 30,
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["tenantId", "accountId", "region", "kmsKeyArn", "retentionDays"],
        );
        assert.match(err.message, /^Invalid NodeLogs "bad-logs" args:\n {2}- tenantId: /);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad-logs"), []);
  });
});
