/**
 * What the fleet checks read and what they find. The checks are pure functions over the planned
 * stacks (their stack files and recorded registrations) and the optional fleet file.
 */
import type { StackFile } from "../plan/project";
import type { RecordedResource } from "../plan/types";

/** One stack that planned: its stack file and what its program registered. */
export interface FleetStackInput extends Pick<StackFile, "stack" | "file" | "config"> {
  readonly resources: readonly RecordedResource[];
}

/** A registration with the account and region its provider acts in. */
export interface PlacedResource {
  readonly resource: RecordedResource;
  readonly account: string;
  readonly region: string;
}

/** A planned stack as the fleet checks see it. */
export interface FleetStack {
  /** `tenant` for a stack with `moat:tenant`, `baseline` for an account baseline (accounts/). */
  readonly kind: "tenant" | "baseline";
  readonly stack: string;
  /** The stack file, relative to the project root, e.g. `stacks/Pulumi.acme-prod.yaml`. */
  readonly file: string;
  /** `moat:tenant.id`. */
  readonly tenantId: string;
  /** `moat:tenant.environment`. */
  readonly environment: string;
  /** The account the stack pins (`aws:allowedAccountIds`). */
  readonly account: string;
  /** `aws:region`. */
  readonly region: string;
  /** A tenant's `moat:baseline` (`<organization>/moat-account/<stack>`); a baseline's own forwarding list. */
  readonly baseline?: string;
  /** A baseline's `moat-account:forwardGlobalEventsTo`. */
  readonly forwardsTo?: readonly string[];
  readonly resources: readonly PlacedResource[];
}

/** Which check found a problem. */
export type FleetCheck =
  | "tenant-id"
  | "retired-tenant"
  | "physical-name"
  | "vpc-cidr"
  | "guardduty"
  | "trails"
  | "baseline"
  | "quota";

/** Errors make `moat plan --all` exit 1; warnings are printed and leave the exit code alone. */
export type FindingLevel = "error" | "warning";

/** One problem of the fleet: what is wrong and why, which stacks, and how to fix it. */
export interface Finding {
  readonly level: FindingLevel;
  readonly check: FleetCheck;
  /** The stacks involved, sorted. */
  readonly stacks: readonly string[];
  readonly message: string;
  readonly fix: string;
  /**
   * For findings printed together: the line they share (e.g. which stacks clash) and this one's
   * line under it. `message` says the same on its own.
   */
  readonly grouped?: { readonly heading: string; readonly item: string };
}

/** `stacks/fleet.yaml`, validated (see fleet-file.ts). */
export interface FleetFile {
  /** Path relative to the project root, as named in messages. */
  readonly file: string;
  readonly accounts: Readonly<Record<string, FleetAccount>>;
  readonly retiredTenants: readonly RetiredTenant[];
}

/** What the operator knows about one AWS account. */
export interface FleetAccount {
  /** A name people know the account by, e.g. `acme production`. */
  readonly label?: string;
  /** True when the organisation's delegated GuardDuty administrator runs the detector in every region. */
  readonly organizationGuardDuty: boolean;
  /** Quota values raised above AWS's defaults, per region, keyed by quota id (quotas.ts). */
  readonly quotas: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A tenant id whose retained resources (audit bucket, log groups, secrets) still exist. */
export interface RetiredTenant {
  readonly id: string;
  /** The account it lived in; without one, the id is retired in every account. */
  readonly account?: string;
  readonly reason: string;
}
