import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBaselineConfig } from "./config";

const FILE = "stacks/Pulumi.acme-production-us-east-1.yaml";
const raw = (overrides: Record<string, unknown> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries({
      "aws:region": "us-east-1",
      "aws:allowedAccountIds": ["111111111111"],
      "moat-account:owner": "platform@acme.example",
      "moat-account:operatorAlertEmails": ["secops@acme.example"],
      ...overrides,
    })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
const problems = (overrides: Record<string, unknown>) => {
  const result = parseBaselineConfig(raw(overrides), FILE);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems;
};

describe("parseBaselineConfig", () => {
  it("accepts a baseline and fills in the documented defaults", () => {
    const result = parseBaselineConfig(raw(), FILE);
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      region: "us-east-1",
      account: "111111111111",
      owner: "platform@acme.example",
      environment: "prod",
      operatorAlertEmails: ["secops@acme.example"],
      auditRetentionDays: 365,
      forwardGlobalEventsTo: [],
      auditAdministratorRoleArns: [],
    });
  });

  it("names the file and key of every problem at once", () => {
    assert.deepEqual(
      problems({
        "aws:allowedAccountIds": undefined,
        "moat-account:operatorAlertEmails": [],
        "moat-account:auditRetentionDays": 30,
        "moat-account:forwardGlobalEventsTo": ["Europe"],
      }),
      [
        `${FILE}: aws:allowedAccountIds is required: name the AWS account this baseline deploys to, so the provider refuses credentials of any other account; add it to the stack file, e.g. aws:allowedAccountIds: ["111111111111"]`,
        `${FILE}: moat-account:operatorAlertEmails must name at least one address: account-wide alerts (trail or GuardDuty tampering, findings) go there`,
        `${FILE}: moat-account:auditRetentionDays must be at least 180 days (six months, AUD-1)`,
        `${FILE}: moat-account:forwardGlobalEventsTo[0] must be an AWS region such as us-east-1`,
      ],
    );
  });

  it("says a missing key is required and an unknown one is no baseline setting", () => {
    assert.deepEqual(problems({ "moat-account:owner": undefined }), [
      `${FILE}: moat-account:owner is required`,
    ]);
    assert.deepEqual(problems({ "moat-account:forwardTo": ["eu-west-1"] }), [
      `${FILE}: moat-account:forwardTo is not a baseline setting; known keys: owner, environment, operatorAlertEmails, auditRetentionDays, forwardGlobalEventsTo, auditAdministratorRoleArns`,
    ]);
  });
});
