import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
  DEFAULT_NODE_LOG_RETENTION_DAYS,
  logGroupArn,
  MAX_NODE_LOG_RETENTION_DAYS,
  MIN_NODE_LOG_RETENTION_DAYS,
  nodeLogGroupNames,
  nodeLogRetentionDays,
} from "./node-log-groups";
import { validateNodeLogsArgs } from "./node-logs-args";
import { CLOUDWATCH_RETENTION_DAYS } from "../network/flow-logs";
import { nodeRolePolicy } from "../node-role/node-role-policy";
import { NODE_LOG_GROUP } from "../../policies/src/aud-logs";

const scope = { tenantId: "acme", accountId: "123456789012", region: "eu-west-1", partition: "aws" } as const;

// IAM's ARN matching: `*` spans any characters (colons included), `?` exactly one.
const iamMatches = (pattern: string, arn: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(arn);

describe("nodeLogGroupNames (AUD-3)", () => {
  it("AUD-3: names the groups /moat/<tenant>/nodes/auth and /moat/<tenant>/nodes/syslog", () => {
    assert.deepEqual(nodeLogGroupNames("acme"), {
      auth: "/moat/acme/nodes/auth",
      syslog: "/moat/acme/nodes/syslog",
    });
  });

  it("AUD-3: every tenant's names are the node log groups the policy pack looks for", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/), (tenantId) => {
        for (const name of Object.values(nodeLogGroupNames(tenantId))) {
          assert.match(name, NODE_LOG_GROUP);
          assert.ok(name.startsWith(`/moat/${tenantId}/`));
        }
      }),
    );
  });

  it("POL-2: builds the ARN from known values, as CloudWatch reports it", () => {
    assert.equal(
      logGroupArn(scope, "/moat/acme/nodes/auth"),
      "arn:aws:logs:eu-west-1:123456789012:log-group:/moat/acme/nodes/auth",
    );
  });

  it("CMP-7, AUD-1: the node role's log grant covers both groups' streams, no other tenant's and no flow log", () => {
    const statement = nodeRolePolicy(scope, []).Statement.find((s) => s.Sid === "WriteNodeLogs");
    assert.deepEqual(statement?.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
    const resource = statement?.Resource as string;
    for (const name of Object.values(nodeLogGroupNames("acme"))) {
      const group = logGroupArn(scope, name);
      // CreateLogStream is authorised on the group, PutLogEvents on the stream.
      assert.ok(iamMatches(resource, group), `${resource} does not cover ${group}`);
      assert.ok(iamMatches(resource, `${group}:log-stream:i-0123456789abcdef0`));
    }
    const other = logGroupArn(scope, nodeLogGroupNames("acme-labs").auth);
    assert.ok(!iamMatches(resource, `${other}:log-stream:i-0123456789abcdef0`));
    for (const kept of ["/moat/acme/vpc-flow-logs", "/moat/acme/cloudtrail", "/moat/account/cloudtrail"]) {
      assert.ok(
        !iamMatches(resource, `${logGroupArn(scope, kept)}:log-stream:x`),
        `a node may write ${kept}`,
      );
    }
  });
});

describe("nodeLogRetentionDays (AUD-3)", () => {
  const table: [number | undefined, number | undefined][] = [
    [undefined, 365],
    [180, 180],
    [181, 365],
    [200, 365],
    [365, 365],
    [366, 400],
    [1000, 1096],
    [3653, 3653],
    [3654, undefined],
    [30, 180],
  ];
  for (const [requested, expected] of table) {
    it(`AUD-3: ${requested ?? "nothing"} requested keeps events ${expected ?? "no value CloudWatch accepts"}`, () => {
      assert.equal(nodeLogRetentionDays(requested), expected);
    });
  }

  it("AUD-3: rounds any valid request up to the nearest value CloudWatch accepts, never below 180 days", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_NODE_LOG_RETENTION_DAYS, max: MAX_NODE_LOG_RETENTION_DAYS }),
        (days) => {
          const kept = nodeLogRetentionDays(days);
          assert.ok(kept !== undefined && CLOUDWATCH_RETENTION_DAYS.includes(kept));
          assert.ok(kept >= days);
          assert.ok(!CLOUDWATCH_RETENTION_DAYS.some((d) => d >= days && d < kept), "the nearest one");
        },
      ),
    );
  });

  it("keeps a year by default", () => {
    assert.equal(DEFAULT_NODE_LOG_RETENTION_DAYS, 365);
  });
});

describe("validateNodeLogsArgs (AUD-3)", () => {
  const good = { ...scope, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" };

  it("accepts the tenant's scope, key and a retention in range", () => {
    assert.deepEqual(validateNodeLogsArgs(good), []);
    assert.deepEqual(validateNodeLogsArgs({ ...good, retentionDays: 200 }), []);
  });

  it("AUD-3: lists every problem at once, each with its fix", () => {
    const problems = validateNodeLogsArgs({
      tenantId: "Acme!",
      accountId: "42",
      region: "europe",
      kmsKeyArn: "",
      retentionDays: 90,
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["tenantId", "accountId", "region", "kmsKeyArn", "retentionDays"],
    );
    assert.match(problems[3].reason, /^set kmsKeyArn to the tenant key \(TenantKey\.keyArn\)/);
    assert.match(
      problems[4].reason,
      /^90 is not a whole number of days from 180 to 3653; AUD-3 keeps node logs at least six months/,
    );
  });

  it("AUD-3: refuses fractions and retention longer than CloudWatch keeps", () => {
    for (const retentionDays of [200.5, 3654, Number.NaN]) {
      assert.deepEqual(
        validateNodeLogsArgs({ ...good, retentionDays }).map((p) => p.propertyPath),
        ["retentionDays"],
        String(retentionDays),
      );
    }
  });
});
