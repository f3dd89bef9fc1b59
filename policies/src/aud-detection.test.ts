// AUD-4: GuardDuty is on, or run by the organisation, and its findings (crypto-mining kept) go to
// the alert topic (POL-2 for unknowns).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { audGuardDutyDetectorEnabled, audGuardDutyPresent } from "./aud-detection";
import { assertAuditVerdict } from "./aud-fixtures";
import { AudType } from "./aud-read";
import { StackSpec, urnOf } from "./net-fixtures";
import { runResourcePolicy, unknown } from "./testing";

describe("aud-guardduty-detector-enabled (AUD-4)", () => {
  const detector = (props: Record<string, unknown>) => ({ type: AudType.detector, name: "guardduty", props });

  it("passes an enabled detector and one left to the default", async () => {
    assert.deepEqual(await runResourcePolicy(audGuardDutyDetectorEnabled, detector({ enable: true })), {
      violations: [],
    });
    assert.deepEqual(await runResourcePolicy(audGuardDutyDetectorEnabled, detector({})), { violations: [] });
  });

  it("fails a suspended detector and one whose enable is unknown (POL-2)", async () => {
    assert.deepEqual(
      (await runResourcePolicy(audGuardDutyDetectorEnabled, detector({ enable: false }))).violations,
      [
        'Set enable: true on GuardDuty detector "guardduty" (or leave it out): a suspended detector reports no threats, crypto-mining included (AUD-4).',
      ],
    );
    assert.deepEqual(
      (await runResourcePolicy(audGuardDutyDetectorEnabled, detector({ enable: unknown.boolean })))
        .violations,
      [
        'Set enable on GuardDuty detector "guardduty" to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-4, POL-2).',
      ],
    );
  });
});

describe("aud-guardduty-present (AUD-4)", () => {
  const policy = audGuardDutyPresent;
  const noDetector = {
    message:
      "Add an aws.guardduty.Detector (enable: true) to the account baseline for its account and region, or set organizationDetector: true in this policy's config when the organisation's detector covers it (AUD-4).",
    urn: urnOf("moat:account:AccountBaseline", "baseline"),
  };
  const noAlert = {
    message:
      'Add an enabled aws.cloudwatch.EventRule with eventPattern {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]} (any detail.type filter keeping the CryptoCurrency: findings) and an aws.cloudwatch.EventTarget sending to the alert topic (AUD-4).',
  };
  const findings = (p: object) => (s: StackSpec) =>
    (s["guardduty-findings"].props.eventPattern = JSON.stringify(p));

  it("passes a detector with a findings alert, and an organisation detector declared in config", async () => {
    await assertAuditVerdict(policy, () => {}, []);
    await assertAuditVerdict(policy, findings({ source: ["aws.guardduty"] }), []);
    await assertAuditVerdict(policy, (s) => delete s["guardduty"], [], { organizationDetector: true });
    assert.deepEqual(policy.configSchema?.properties.organizationDetector, {
      type: "boolean",
      default: false,
    });
  });

  it("fails without a detector, without a findings alert, or with crypto-mining filtered out", async () => {
    await assertAuditVerdict(policy, (s) => delete s["guardduty"], [noDetector]);
    await assertAuditVerdict(policy, (s) => delete s["guardduty-findings-alert"], [noAlert]);
    await assertAuditVerdict(
      policy,
      findings({ source: ["aws.guardduty"], detail: { type: ["Recon:EC2/PortProbeUnprotectedPort"] } }),
      [noAlert],
    );
    await assertAuditVerdict(
      policy,
      (s) => {
        delete s["guardduty-findings"];
        delete s["guardduty-findings-alert"];
      },
      [noAlert],
      {
        organizationDetector: true,
      },
    );
  });

  it("fails a findings pattern unknown at preview (POL-2)", async () => {
    await assertAuditVerdict(policy, (s) => (s["guardduty-findings"].props.eventPattern = unknown.string), [
      {
        message:
          'Set eventPattern on EventBridge rule "guardduty-findings" to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-4, POL-2).',
        urn: urnOf(AudType.eventRule, "guardduty-findings"),
      },
      noAlert,
    ]);
  });
});
