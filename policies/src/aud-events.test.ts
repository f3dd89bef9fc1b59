// AUD-2: enabled EventBridge rules with SNS targets cover the CloudTrail events of EC2, IAM, KMS
// and CloudTrail, tied to their targets by dependency or literal name (POL-2).
import { describe, it } from "node:test";
import { audEventRulesPresent } from "./aud-events";
import { assertAuditVerdict } from "./aud-fixtures";
import { AudType } from "./aud-read";
import { StackSpec, urnOf } from "./net-fixtures";
import { unknown } from "./testing";

const policy = audEventRulesPresent;
const missing = (list: string) => ({
  message: `Add enabled aws.cloudwatch.EventRule resources on the "AWS API Call via CloudTrail" events of ${list}, each with an aws.cloudwatch.EventTarget sending to the alert topic (AUD-2).`,
});
const ALL =
  "aws.ec2 (security group, NACL, route, gateway and key pair changes); aws.iam (IAM user, role, policy and access key changes); aws.kms (KMS key disabling and scheduled deletion); aws.cloudtrail (CloudTrail stop and delete)";
const pattern = (p: object) => (s: StackSpec) => (s["audit-events"].props.eventPattern = JSON.stringify(p));

describe("aud-event-rules-present (AUD-2)", () => {
  it("passes one rule on every service, rules split per service by eventSource, and a target named by literal", async () => {
    await assertAuditVerdict(policy, () => {}, []);
    await assertAuditVerdict(
      policy,
      (s) => {
        pattern({ source: ["aws.ec2", "aws.iam"] })(s);
        s["kms-events"] = {
          type: AudType.eventRule,
          props: {
            name: "kms",
            state: "ENABLED",
            eventPattern: JSON.stringify({
              detail: { eventSource: ["kms.amazonaws.com", "cloudtrail.amazonaws.com"] },
            }),
          },
        };
        s["kms-events-alert"] = {
          type: AudType.eventTarget,
          props: { rule: "kms", arn: "arn:aws:sns:us-east-1:123456789012:moat-acme-alerts" },
        };
      },
      [],
    );
  });

  it("fails missing services, a disabled rule, a rule without target and a target that is not SNS", async () => {
    await assertAuditVerdict(policy, pattern({ source: ["aws.ec2", "aws.iam"] }), [
      missing(
        "aws.kms (KMS key disabling and scheduled deletion); aws.cloudtrail (CloudTrail stop and delete)",
      ),
    ]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.state = "DISABLED"), [missing(ALL)]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.isEnabled = false), [missing(ALL)]);
    await assertAuditVerdict(policy, (s) => delete s["audit-events-alert"], [missing(ALL)]);
    await assertAuditVerdict(
      policy,
      (s) => (s["audit-events-alert"].links = { rule: ["audit-events"], arn: ["tenant-key"] }),
      [missing(ALL)],
    );
  });

  it("fails a pattern or state unknown at preview, and an invalid pattern (POL-2)", async () => {
    const onRule = (message: string) => ({ message, urn: urnOf(AudType.eventRule, "audit-events") });
    const literal = (p: string) =>
      onRule(
        `Set ${p} on EventBridge rule "audit-events" to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-2, POL-2).`,
      );
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.eventPattern = unknown.string), [
      literal("eventPattern"),
      missing(ALL),
    ]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.state = unknown.string), [
      literal("state"),
      missing(ALL),
    ]);
    await assertAuditVerdict(policy, (s) => (s["audit-events"].props.eventPattern = "{source:"), [
      onRule('Set eventPattern on EventBridge rule "audit-events" to a valid JSON event pattern (AUD-2).'),
      missing(ALL),
    ]);
  });
});
