/**
 * Hard limits that AWS will not raise: one GuardDuty detector per account and region, and five
 * CloudTrail trails per region, where a multi-region trail counts in every region. Moat's account
 * baseline (accounts/) owns the detector of its region and, in us-east-1, the account's one trail,
 * so tenants count against neither; these checks catch a stack that creates them anyway.
 */
import { distinct, inputOf, isUnknown, listing, ofType } from "./placement";
import type { FleetFile, FleetStack, Finding } from "./types";

/** GuardDuty: "only one detector per account per Region" (hard). */
export const GUARDDUTY_DETECTORS_PER_REGION = 1; // https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_limits.html

/**
 * CloudTrail: 5 trails per region ("CloudTrail has no adjustable quotas"), and "a trail that applies
 * to all AWS Regions counts as one trail in every Region"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html).
 */
export const TRAILS_PER_REGION = 5; // https://docs.amazonaws.cn/en_us/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html

const DETECTOR = "aws:guardduty/detector:Detector";
const TRAIL = "aws:cloudtrail/trail:Trail";

/** The account-and-region pairs the stacks deploy to, each with its stacks. */
function regionsOf(stacks: readonly FleetStack[]): Map<string, FleetStack[]> {
  const byRegion = new Map<string, FleetStack[]>();
  for (const stack of stacks) {
    for (const { account, region } of stack.resources) {
      const key = `${account}\n${region}`;
      const list = byRegion.get(key) ?? [];
      if (!list.includes(stack)) {
        byRegion.set(key, [...list, stack]);
      }
    }
  }
  return byRegion;
}

/**
 * An error where an account and region would hold more than one GuardDuty detector, and where it
 * would hold none while the fleet file does not say the organisation runs GuardDuty there (the
 * stacks then rely on a detector nobody declared: AUD-4).
 */
export function checkGuardDuty(stacks: readonly FleetStack[], fleet: FleetFile | undefined): Finding[] {
  const findings: Finding[] = [];
  // Without baselines planned (moat plan --all --project .), the detectors are out of sight.
  const baselinesPlanned = stacks.some((s) => s.kind === "baseline");
  for (const [key, inRegion] of regionsOf(stacks)) {
    const [account, region] = key.split("\n");
    const owners = inRegion.filter((s) =>
      ofType(s, DETECTOR).some((p) => p.account === account && p.region === region),
    );
    const names = distinct(inRegion.map((s) => s.stack));
    if (owners.length > GUARDDUTY_DETECTORS_PER_REGION) {
      findings.push({
        level: "error",
        check: "guardduty",
        stacks: distinct(owners.map((s) => s.stack)),
        message:
          `${owners.length} GuardDuty detectors in account ${account}, region ${region}, declared by ` +
          `${listing(owners.map((s) => `${s.stack} (${s.file})`))}; GuardDuty allows one per account and region (hard limit)`,
        fix: `keep the detector in the account baseline of ${account} in ${region} (accounts/stacks/) and remove it from the other stacks`,
      });
    } else if (
      baselinesPlanned &&
      owners.length === 0 &&
      fleet?.accounts[account]?.organizationGuardDuty !== true
    ) {
      findings.push({
        level: "error",
        check: "guardduty",
        stacks: names,
        message:
          `no stack declares a GuardDuty detector in account ${account}, region ${region}, where ${listing(names)} ` +
          `deploy, and ${fleet?.file ?? "no fleet file"} does not say the organisation runs GuardDuty in that account, ` +
          `so nothing shows the detector exists (AUD-4)`,
        fix:
          `add the account baseline of ${account} in ${region} (accounts/stacks/Pulumi.<stack>.yaml), which creates it; ` +
          `or, if the organisation's delegated administrator runs GuardDuty there, set organizationGuardDuty: true under ` +
          `accounts."${account}" in the fleet file (stacks/fleet.yaml)`,
      });
    }
  }
  return findings;
}

/** A trail the fleet declares, with where it counts. */
interface PlacedTrail {
  readonly stack: FleetStack;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly multiRegion: boolean;
}

/** How many trails each region of each account would hold, multi-region trails counted in every used region. */
export function trailCounts(
  stacks: readonly FleetStack[],
): Map<string, { account: string; region: string; trails: PlacedTrail[] }> {
  const trails: PlacedTrail[] = stacks.flatMap((stack) =>
    ofType(stack, TRAIL).map(({ resource, account, region }) => {
      const multi = inputOf(resource, "isMultiRegionTrail");
      const name = inputOf(resource, "name");
      return {
        stack,
        name: typeof name === "string" ? name : resource.name,
        account,
        region,
        // Unknown at preview counts as the worst case.
        multiRegion: multi === true || isUnknown(multi),
      };
    }),
  );
  const counts = new Map<string, { account: string; region: string; trails: PlacedTrail[] }>();
  for (const key of regionsOf(stacks).keys()) {
    const [account, region] = key.split("\n");
    const here = trails.filter((t) => t.account === account && (t.multiRegion || t.region === region));
    counts.set(key, { account, region, trails: here });
  }
  return counts;
}

/** An error for every account with a region that would hold more than five trails. */
export function checkTrails(stacks: readonly FleetStack[]): Finding[] {
  const over = new Map<string, { regions: string[]; trails: PlacedTrail[] }>();
  for (const { account, region, trails } of trailCounts(stacks).values()) {
    if (trails.length > TRAILS_PER_REGION) {
      const entry = over.get(account) ?? { regions: [], trails: [] };
      entry.regions.push(`${region} (${trails.length})`);
      entry.trails.push(...trails.filter((t) => !entry.trails.includes(t)));
      over.set(account, entry);
    }
  }
  return [...over.entries()].map(([account, { regions, trails }]) => ({
    level: "error" as const,
    check: "trails" as const,
    stacks: distinct(trails.map((t) => t.stack.stack)),
    message:
      `account ${account} would hold more than ${TRAILS_PER_REGION} CloudTrail trails in ${listing(regions.sort())}: ` +
      `${listing(trails.map((t) => `${t.name} (${t.stack.stack}${t.multiRegion ? ", multi-region" : ""})`))}; ` +
      `CloudTrail allows ${TRAILS_PER_REGION} per region and a multi-region trail counts in every region (hard limit)`,
    fix:
      "keep one multi-region trail per account, in its home baseline (accounts/, us-east-1), and remove the trails " +
      "of the other stacks",
  }));
}
