// NET-10: flow logs on every VPC, into encrypted log groups kept long enough. The flow log is
// linked to its VPC by dependency, to its group by dependency or by the ARN built from its name.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FLOW_LOG_GROUP, StackSpec, assertStackVerdict, compliantStack, urnIn } from "./net-fixtures";
import { netLogGroupEncryptedRetained, netVpcFlowLogsEnabled } from "./net-flow-logs";
import { NetType } from "./net-stack";
import { StackViolation, runResourcePolicy, unknown } from "./testing";

describe("net-log-group-encrypted-retained (NET-10)", () => {
  const policy = netLogGroupEncryptedRetained;
  const group = (props: Record<string, unknown>) => ({
    type: NetType.logGroup,
    name: "flow-logs",
    props: { name: FLOW_LOG_GROUP, kmsKeyId: unknown.string, retentionInDays: 365, ...props },
  });
  const retention = (why: string, days = 180) =>
    `Set retentionInDays on log group "flow-logs" to a literal of at least ${days} days: it ${why} (NET-10).`;

  it("passes a group encrypted with a key computed at preview and kept a year", async () => {
    assert.deepEqual(await runResourcePolicy(policy, group({})), { violations: [] });
    assert.deepEqual(await runResourcePolicy(policy, group({ retentionInDays: 180 })), { violations: [] });
  });

  it("fails a group without a KMS key", async () => {
    assert.deepEqual(await runResourcePolicy(policy, group({ kmsKeyId: undefined })), {
      violations: [
        'Set kmsKeyId on log group "flow-logs" to the tenant\'s KMS key: it has no kmsKeyId, and logs are encrypted with a customer-managed key (NET-10).',
      ],
    });
  });

  for (const [days, why] of [
    [90, "keeps events 90 days"],
    [undefined, "sets no retentionInDays"],
    [0, "sets retentionInDays 0 (never expire)"],
    [unknown.number, "has a retentionInDays that is unknown at preview"],
  ] as const) {
    it(`fails a group that ${why}`, async () => {
      assert.deepEqual(await runResourcePolicy(policy, group({ retentionInDays: days })), {
        violations: [retention(why)],
      });
    });
  }

  it("raises the minimum through config, never lowers it below 180", async () => {
    const raised = await runResourcePolicy(policy, group({}), { minimumRetentionDays: 400 });
    assert.deepEqual(raised.violations, [retention("keeps events 365 days", 400)]);
    const lowered = await runResourcePolicy(policy, group({ retentionInDays: 90 }), {
      minimumRetentionDays: 30,
    });
    assert.deepEqual(lowered.violations, [retention("keeps events 90 days")]);
    assert.deepEqual(policy.configSchema?.properties.minimumRetentionDays, {
      type: "integer",
      minimum: 180,
      default: 180,
    });
  });
});

describe("net-vpc-flow-logs-enabled (NET-10)", () => {
  const policy = netVpcFlowLogsEnabled;
  const verdict = (change: (s: StackSpec) => void, ...expected: StackViolation[]) =>
    assertStackVerdict(policy, change, expected);
  const onFlowLog = (message: string) => ({ message, urn: urnIn(compliantStack(), "vpc-flow-log") });

  it("passes a flow log of ALL traffic to the group named in its literal ARN", () => verdict(() => {}));

  it("passes a log destination built from the group's arn output", () =>
    verdict((s) => {
      delete s["vpc-flow-log"].props.logDestination;
      s["vpc-flow-log"].links = { vpcId: ["vpc"], logDestination: ["flow-logs"] };
    }));

  it("fails a VPC without a flow log", () =>
    verdict((s) => delete s["vpc-flow-log"], {
      message:
        'Add an aws.ec2.FlowLog to VPC "vpc" with vpcId set to the VPC\'s id and trafficType "ALL", sending to a KMS-encrypted log group kept at least 180 days (NET-10).',
      urn: urnIn(compliantStack(), "vpc"),
    }));

  it("fails a flow log whose vpcId is a literal, not linked to the stack's VPC", () =>
    verdict(
      (s) => {
        s["vpc-flow-log"].links = {};
        s["vpc-flow-log"].props.vpcId = "vpc-0other";
      },
      {
        message:
          'Add an aws.ec2.FlowLog to VPC "vpc" with vpcId set to the VPC\'s id and trafficType "ALL", sending to a KMS-encrypted log group kept at least 180 days (NET-10).',
        urn: urnIn(compliantStack(), "vpc"),
      },
    ));

  it("fails a flow log of rejected traffic only", () =>
    verdict(
      (s) => (s["vpc-flow-log"].props.trafficType = "REJECT"),
      onFlowLog(
        'Set trafficType of flow log "vpc-flow-log" to "ALL": it records REJECT traffic, so rejected as well as accepted traffic is recorded (NET-10).',
      ),
    ));

  it("fails a flow log to S3", () =>
    verdict(
      (s) =>
        Object.assign(s["vpc-flow-log"].props, {
          logDestinationType: "s3",
          logDestination: "arn:aws:s3:::logs",
        }),
      onFlowLog(
        'Set logDestinationType of flow log "vpc-flow-log" to "cloud-watch-logs": it sends to s3, so the flow log lands in an encrypted, retained log group (NET-10).',
      ),
    ));

  it("fails a destination that is no log group of the stack", () =>
    verdict(
      (s) => (s["vpc-flow-log"].props.logDestination = unknown.string),
      onFlowLog(
        'Send flow log "vpc-flow-log" to a log group of this stack: build logDestination from an aws.cloudwatch.LogGroup or from the ARN of one by its name, so its encryption and retention can be verified (NET-10).',
      ),
    ));

  it("fails a destination group without a key and with short retention", () =>
    verdict((s) => {
      s["flow-logs"].links = {};
      s["flow-logs"].props.retentionInDays = 30;
    }, onFlowLog('Send flow log "vpc-flow-log" to a log group encrypted with the tenant\'s KMS key and kept at least 180 days: log group "flow-logs" has no kmsKeyId and keeps events 30 days (NET-10).')));

  it("passes when one of several flow logs qualifies", () =>
    verdict((s) => {
      s["reject-log"] = {
        ...s["vpc-flow-log"],
        props: { ...s["vpc-flow-log"].props, trafficType: "REJECT" },
      };
    }));
});
