/**
 * Every fleet check over the planned stacks, as one pure function: the entry point for tests and for
 * `moat plan --all` (through ./index.ts, which reads the fleet file and the catalogue first).
 */
import { checkBaselines } from "./baselines";
import { checkCidrs, vpcRanges } from "./cidrs";
import { checkRetiredTenants, checkTenantIds } from "./identity";
import { checkNames, physicalNames } from "./names";
import { placeStack } from "./placement";
import { checkQuotas } from "./quotas";
import { checkGuardDuty, checkTrails, trailCounts } from "./singletons";
import type { FleetCheck, FleetFile, FleetStack, FleetStackInput, Finding } from "./types";
import { usageByRegion, type Catalogue, type RegionUsage } from "./usage";

/** What the fleet checks found, and the facts the report lists. */
export interface FleetResult {
  readonly stacks: readonly FleetStack[];
  readonly fleet?: FleetFile;
  /** Errors first, then warnings, each in the order the checks run. */
  readonly findings: readonly Finding[];
  readonly usage: readonly RegionUsage[];
  /** Trails that would count in each account and region (multi-region trails in every one used). */
  readonly trails: ReadonlyArray<{ account: string; region: string; trails: number }>;
  /** Physical names not known at preview (`--unknowns`), which could not be compared. */
  readonly unknownNames: number;
}

/** Checks that find names or ranges claimed twice. */
export const COLLISION_CHECKS: readonly FleetCheck[] = [
  "tenant-id",
  "retired-tenant",
  "physical-name",
  "vpc-cidr",
];
/** Checks of AWS limits that cannot be raised. */
export const LIMIT_CHECKS: readonly FleetCheck[] = ["guardduty", "trails"];
/** Checks that tenants have the account baseline that records and watches them. */
export const COVERAGE_CHECKS: readonly FleetCheck[] = ["baseline"];

/** Runs every fleet check. */
export function checkFleet(
  inputs: readonly FleetStackInput[],
  fleet: FleetFile | undefined,
  catalogue: Catalogue,
): FleetResult {
  const stacks = [...inputs].sort((a, b) => a.stack.localeCompare(b.stack)).map(placeStack);
  const usage = usageByRegion(stacks, catalogue);
  const findings = [
    ...checkTenantIds(stacks),
    ...checkRetiredTenants(stacks, fleet),
    ...checkNames(stacks),
    ...checkCidrs(stacks),
    ...checkGuardDuty(stacks, fleet),
    ...checkTrails(stacks),
    ...checkBaselines(stacks),
    ...checkQuotas(usage, fleet),
  ];
  return {
    stacks,
    fleet,
    findings: [
      ...findings.filter((f) => f.level === "error"),
      ...findings.filter((f) => f.level === "warning"),
    ],
    usage,
    trails: [...trailCounts(stacks).values()].map((t) => ({
      account: t.account,
      region: t.region,
      trails: t.trails.length,
    })),
    unknownNames: physicalNames(stacks).unknown,
  };
}

/** The VPC ranges of a stack, for the report. */
export function stackRanges(result: FleetResult, stack: string): string[] {
  return vpcRanges(result.stacks.filter((s) => s.stack === stack)).map((r) => r.cidr);
}
