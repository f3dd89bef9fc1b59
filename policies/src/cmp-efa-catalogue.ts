// What CMP-1 needs to know about an instance type: how many network cards it has and whether it
// supports EFA. The pack is built from policies/src alone, so it keeps its own small table rather
// than importing the program's catalogue; a type missing here is refused for EFA with a message
// asking to add it (here, or through the policy's config), never passed on trust.

/** EFA capability of one instance type (CMP-1). */
export interface EfaCapability {
  /** Physical network cards; an EFA node needs one EFA interface on each. */
  readonly networkCards: number;
  /** Whether the type supports EFA at all. */
  readonly efa: boolean;
}

/**
 * Where the figures come from: the "Network specifications" table of the accelerated computing
 * instance types (columns "EFA" and "Network cards").
 */
export const EFA_CAPABILITY_SOURCE =
  "https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html#ac_network";

const cards = (networkCards: number): EfaCapability => ({ networkCards, efa: true });
const NO_EFA: EfaCapability = { networkCards: 1, efa: false };

/**
 * The GPU and accelerator types Moat plans for (CMP-1), per {@link EFA_CAPABILITY_SOURCE}. Small
 * sizes of an EFA family often lack EFA (g5.4xlarge, trn1.2xlarge), so every size is listed.
 */
export const EFA_CAPABILITIES: Readonly<Record<string, EfaCapability>> = {
  "p4d.24xlarge": cards(4),
  "p4de.24xlarge": cards(4),
  "p5.4xlarge": cards(1),
  "p5.48xlarge": cards(32),
  "p5e.48xlarge": cards(32),
  "p5en.48xlarge": cards(16),
  "p6-b200.48xlarge": cards(8),
  "g5.xlarge": NO_EFA,
  "g5.2xlarge": NO_EFA,
  "g5.4xlarge": NO_EFA,
  "g5.8xlarge": cards(1),
  "g5.12xlarge": cards(1),
  "g5.16xlarge": cards(1),
  "g5.24xlarge": cards(1),
  "g5.48xlarge": cards(1),
  "g6e.xlarge": NO_EFA,
  "g6e.2xlarge": NO_EFA,
  "g6e.4xlarge": NO_EFA,
  "g6e.8xlarge": cards(1),
  "g6e.12xlarge": cards(1),
  "g6e.16xlarge": cards(1),
  "g6e.24xlarge": cards(2),
  "g6e.48xlarge": cards(4),
  "trn1.2xlarge": NO_EFA,
  "trn1.32xlarge": cards(8),
  "trn1n.32xlarge": cards(16),
  "trn2.3xlarge": cards(1),
  "trn2.48xlarge": cards(16),
};

/**
 * The capability of `instanceType`: from `extra` (a stack's policy config, which may add types
 * AWS released after this table) first, then from {@link EFA_CAPABILITIES}; undefined when
 * neither knows it.
 */
export function efaCapability(
  instanceType: string,
  extra: Readonly<Record<string, EfaCapability>> = {},
): EfaCapability | undefined {
  const own = (table: Readonly<Record<string, EfaCapability>>) =>
    Object.prototype.hasOwnProperty.call(table, instanceType) ? table[instanceType] : undefined;
  return own(extra) ?? own(EFA_CAPABILITIES);
}
