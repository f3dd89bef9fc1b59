import type { RecordedResource } from "../plan/types";

/** How many requirements each domain of REQUIREMENTS.md numbers (NET-1 to NET-11, ...). */
const DOMAIN_SIZES = { NET: 11, CMP: 9, IAM: 3, DAT: 5, AUD: 5, K8S: 7 } as const;

/**
 * Every requirement a mutation must break, in catalogue order. POL-1 is about the pack itself and
 * has no stack to mutate; POL-2 is covered by mutations that make a checked value unknown.
 */
export const REQUIREMENT_IDS: readonly string[] = [
  ...Object.entries(DOMAIN_SIZES).flatMap(([domain, size]) =>
    Array.from({ length: size }, (_, i) => `${domain}-${i + 1}`),
  ),
  "POL-2",
];

/** The requirement POL-2 mutations cover on top of the ID they cite. */
export const UNKNOWNS_REQUIREMENT = "POL-2";

/**
 * One programmatic change to a planned stack that breaks one requirement. It is data: the suite
 * decides where it applies, runs it on a copy of the plan and expects the pack to report a
 * mandatory violation citing `id`.
 */
export interface Mutation {
  /** The requirement the mutated stack violates; a caught mutation's violation cites it. */
  readonly id: string;
  /** What the mutation does, as a reviewer would say it ("open SSH to the world on a compute group"). */
  readonly title: string;
  /**
   * True when the mutation replaces a literal the pack checks by the unknown sentinel: the pack must
   * still report it as mandatory (POL-2).
   */
  readonly unknown?: boolean;
  /** Whether the stack has what the mutation changes (e.g. an EFS file system). */
  applies(resources: readonly RecordedResource[]): boolean;
  /** The mutated plan; `resources` is the suite's own deep copy, so it may be reused. */
  mutate(resources: readonly RecordedResource[]): RecordedResource[];
}

/** The requirements a mutation covers: its ID, and POL-2 for an unknown-value mutation. */
export function covers(mutation: Mutation): string[] {
  return mutation.unknown ? [mutation.id, UNKNOWNS_REQUIREMENT] : [mutation.id];
}
