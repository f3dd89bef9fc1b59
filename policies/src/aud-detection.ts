// AUD-4: GuardDuty watches the tenant's account and region, and its findings (crypto-mining among
// them) raise an alert through an EventBridge rule on source "aws.guardduty". A detector managed
// by the organisation is declared in config, since it lives outside the stack.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { alertingRules, matchesService, unreadableRule } from "./aud-events";
import { baselineOf, runsNodes } from "./aud-baseline";
import { AudType, audLabel, literalMessage } from "./aud-read";
import { UNKNOWN, forTypes, readBoolean } from "./props";

/** Settings of {@link audGuardDutyPresent}. */
export interface DetectorConfig {
  /**
   * True when an organisation-level GuardDuty detector already covers this account and region,
   * so the stack creates none (AWS allows one detector per account and region).
   * @default false
   */
  readonly organizationDetector?: boolean;
}

/** AUD-4: a detector the stack creates is switched on. */
export const audGuardDutyDetectorEnabled: ResourceValidationPolicy = {
  name: "aud-guardduty-detector-enabled",
  description:
    "Checks that every GuardDuty detector is enabled: enable is true or left to its default (AUD-4).",
  validateResource: forTypes([AudType.detector], (args, reportViolation) => {
    const label = audLabel(args.type, args.name);
    const enable = readBoolean(args.props, "enable");
    if (enable === UNKNOWN) {
      reportViolation(literalMessage("enable", label, "AUD-4"));
    } else if (enable === false) {
      reportViolation(
        `Set enable: true on ${label} (or leave it out): a suspended detector reports no threats, crypto-mining included (AUD-4).`,
      );
    }
  }),
};

/**
 * AUD-4 presence: an account baseline creates its region's GuardDuty detector unless config says
 * the organisation runs one; a baseline and a stack that runs nodes each have an enabled
 * EventBridge rule on GuardDuty findings sending them to an alert topic (GuardDuty publishes
 * findings in the member account too). Other stacks hold neither nodes nor the detector.
 */
export const audGuardDutyPresent: StackValidationPolicy = {
  name: "aud-guardduty-present",
  description:
    "Checks that an account baseline stack creates a GuardDuty detector (unless organizationDetector is true), and that a baseline or a stack running nodes has an enabled EventBridge rule on source aws.guardduty with an SNS topic target, so crypto-mining findings raise an alert (AUD-4).",
  configSchema: {
    properties: {
      organizationDetector: { type: "boolean", default: false },
    },
  },
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const baseline = baselineOf(resources);
    if (baseline === undefined && !runsNodes(resources)) {
      return;
    }
    const organization = args.getConfig<DetectorConfig>().organizationDetector === true;
    if (baseline !== undefined && !organization && !resources.some((r) => r.type === AudType.detector)) {
      reportViolation(
        "Add an aws.guardduty.Detector (enable: true) to the account baseline for its account and region, or set organizationDetector: true in this policy's config when the organisation's detector covers it (AUD-4).",
        baseline.urn,
      );
    }
    const { matches, unreadable } = alertingRules(resources);
    // A rule narrowed to some finding types must keep the crypto-mining ones.
    const alerts = matches.filter(
      (m) => matchesService(m, "guardduty") && (m.typeFilter?.includes("CryptoCurrency:") ?? true),
    );
    if (alerts.length > 0) {
      return;
    }
    for (const entry of unreadable) {
      reportViolation(unreadableRule(entry, "AUD-4"), entry.rule.urn);
    }
    reportViolation(
      'Add an enabled aws.cloudwatch.EventRule with eventPattern {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]} (any detail.type filter keeping the CryptoCurrency: findings) and an aws.cloudwatch.EventTarget sending to the alert topic (AUD-4).',
    );
  },
};
