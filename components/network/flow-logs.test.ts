import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  AccountScope,
  CLOUDWATCH_RETENTION_DAYS,
  DEFAULT_FLOW_LOG_RETENTION_DAYS,
  flowLogGroupArn,
  flowLogGroupName,
  flowLogPermissionsPolicy,
  flowLogRoleArn,
  flowLogRoleName,
  flowLogTrustPolicy,
  MIN_FLOW_LOG_RETENTION_DAYS,
} from "./flow-logs";

const commercial: AccountScope = { partition: "aws", region: "us-east-1", accountId: "123456789012" };
const govCloud: AccountScope = {
  partition: "aws-us-gov",
  region: "us-gov-west-1",
  accountId: "210987654321",
};

describe("flow-log names and ARNs (NET-10, POL-2)", () => {
  it("names the group and role after the tenant", () => {
    assert.equal(flowLogGroupName("acme"), "/moat/acme/vpc-flow-logs");
    assert.equal(flowLogRoleName("acme"), "moat-acme-flow-logs");
  });

  it("builds the ARNs from the partition, region and account alone", () => {
    assert.equal(
      flowLogGroupArn(commercial, "acme"),
      "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/vpc-flow-logs",
    );
    assert.equal(
      flowLogGroupArn(govCloud, "globex"),
      "arn:aws-us-gov:logs:us-gov-west-1:210987654321:log-group:/moat/globex/vpc-flow-logs",
    );
    assert.equal(flowLogRoleArn(commercial, "acme"), "arn:aws:iam::123456789012:role/moat-acme-flow-logs");
    assert.equal(
      flowLogRoleArn(govCloud, "globex"),
      "arn:aws-us-gov:iam::210987654321:role/moat-globex-flow-logs",
    );
  });
});

describe("flowLogTrustPolicy (NET-10, IAM-3)", () => {
  it("trusts only the flow-logs service acting for this account's flow logs", () => {
    assert.deepEqual(flowLogTrustPolicy(govCloud), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "VpcFlowLogsOfThisAccountOnly",
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "210987654321" },
            ArnLike: { "aws:SourceArn": "arn:aws-us-gov:ec2:us-gov-west-1:210987654321:vpc-flow-log/*" },
          },
        },
      ],
    });
  });
});

describe("flowLogPermissionsPolicy (NET-10, CMP-7, IAM-3)", () => {
  const tenant = fc.stringMatching(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/);

  it("allows exactly the three stream-writing actions", () => {
    const [statement] = flowLogPermissionsPolicy(commercial, "acme").Statement;
    assert.deepEqual(statement.Action, [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]);
    assert.equal(statement.Effect, "Allow");
  });

  it("never grants a * resource or action, and only on the tenant's own group, for any tenant", () => {
    fc.assert(
      fc.property(tenant, (tenantId) => {
        const document = flowLogPermissionsPolicy(commercial, tenantId);
        assert.equal(document.Statement.length, 1);
        const [statement] = document.Statement;
        const group = flowLogGroupArn(commercial, tenantId);
        assert.deepEqual(statement.Resource, [group, `${group}:*`]);
        for (const action of statement.Action as string[]) {
          assert.ok(!action.includes("*"), action);
        }
      }),
    );
  });
});

describe("flow-log retention (NET-10)", () => {
  it("defaults to a retention CloudWatch accepts and NET-10 allows", () => {
    assert.ok(CLOUDWATCH_RETENTION_DAYS.includes(DEFAULT_FLOW_LOG_RETENTION_DAYS));
    assert.ok(DEFAULT_FLOW_LOG_RETENTION_DAYS >= MIN_FLOW_LOG_RETENTION_DAYS);
    assert.equal(MIN_FLOW_LOG_RETENTION_DAYS, 180);
  });
});
