import * as ipaddr from "ipaddr.js";

/**
 * The four subnet tiers of a tenant VPC. Routing differs per tier: only `public` reaches the
 * internet gateway; `compute` and `storage` never do (NET-5, NET-8).
 */
export type SubnetTier = "public" | "management" | "compute" | "storage";

/** Every tier, in the order components create and report them. */
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "management", "compute", "storage"];

/** Builds one value per tier, e.g. one subnet per tier, keyed and typed by tier. */
export function mapTiers<T>(build: (tier: SubnetTier) => T): Record<SubnetTier, T> {
  return Object.fromEntries(SUBNET_TIERS.map((tier) => [tier, build(tier)])) as Record<SubnetTier, T>;
}

/** Tag key recording a subnet's (or route table's) tier, so policies can tell compute from public. */
export const TAG_TIER = "moat:tier";

/** The CIDR block of each tier, all inside the VPC and disjoint. */
export type SubnetPlan = Readonly<Record<SubnetTier, string>>;

const MIN_VPC_PREFIX = 16;
const MAX_VPC_PREFIX = 24;
const FIX = `use a private range between /${MIN_VPC_PREFIX} and /${MAX_VPC_PREFIX}, e.g. 10.42.0.0/16`;

/**
 * The ranges a tenant VPC may use: RFC 1918. Public ranges are refused, since a tenant VPC must
 * never claim addresses that route elsewhere; `moat tenant new` allocates new tenants inside these.
 */
export const PRIVATE_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;
const PRIVATE_RANGES = PRIVATE_CIDRS.map((block) => ipaddr.IPv4.parseCIDR(block));

// Each tier takes a fixed fraction of the VPC: compute 1/2, storage 1/4, management 1/8, public 1/8.
// Laid out largest first, every block starts on a multiple of its own size, so it is a valid CIDR
// block with no gaps. The fractions keep every tier inside AWS's /16../28 subnet limits for any VPC
// from /16 to /24 (a /24 gives /25, /26, /27, /27). The layout must never change for a given CIDR:
// a different plan would replace every subnet and the instances in them.
const LAYOUT: ReadonlyArray<{ readonly tier: SubnetTier; readonly extraBits: number }> = [
  { tier: "compute", extraBits: 1 },
  { tier: "storage", extraBits: 2 },
  { tier: "management", extraBits: 3 },
  { tier: "public", extraBits: 3 },
];

/**
 * Checks that `cidr` can be a tenant VPC: an IPv4 block inside an RFC 1918 private range, /16 to
 * /24, written as its network address. Returns every problem found, each saying how to fix it;
 * an empty array means the block is usable. Shared by {@link planSubnets} and config validation.
 */
export function validateNetworkCidr(cidr: string): string[] {
  const shown = JSON.stringify(cidr) ?? String(cidr);
  if (typeof cidr !== "string" || !ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) {
    return [`${shown} is not an IPv4 CIDR block (a.b.c.d/n); ${FIX}`];
  }
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const problems: string[] = [];
  const sizeOk = prefix >= MIN_VPC_PREFIX && prefix <= MAX_VPC_PREFIX;
  if (!sizeOk) {
    problems.push(
      `${shown} is a /${prefix}; a tenant VPC must be /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} ` +
        `so that every tier is a valid AWS subnet (/16 to /28); ${FIX}`,
    );
  }
  if (!PRIVATE_RANGES.some(([range, bits]) => prefix >= bits && address.match(range, bits))) {
    problems.push(
      `${shown} is not inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, ` +
        `RFC 1918); ${FIX}`,
    );
  }
  // Only worth suggesting a rewrite the user could actually apply.
  const canonical = `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${prefix}`;
  if (sizeOk && canonical !== cidr) {
    problems.push(`${shown} is not written as its network address; write it as ${canonical}`);
  }
  return problems;
}

/**
 * Carves a tenant VPC into the four tiers (NET-5, NET-8 need compute and storage in subnets of
 * their own). Compute gets the lower half of the VPC, then storage a quarter, management and public
 * an eighth each: for 10.42.0.0/16 that is compute 10.42.0.0/17, storage 10.42.128.0/18,
 * management 10.42.192.0/19, public 10.42.224.0/19.
 *
 * Pure and stable: the plan depends on the CIDR alone, so re-running never moves a subnet.
 *
 * @throws Error listing every problem {@link validateNetworkCidr} finds.
 */
export function planSubnets(vpcCidr: string): SubnetPlan {
  const problems = validateNetworkCidr(vpcCidr);
  if (problems.length > 0) {
    throw new Error(`Cannot plan subnets: ${problems.join("; ")}`);
  }
  const [network, prefix] = ipaddr.IPv4.parseCIDR(vpcCidr);
  const plan: Partial<Record<SubnetTier, string>> = {};
  let offset = 0;
  for (const { tier, extraBits } of LAYOUT) {
    const tierPrefix = prefix + extraBits;
    plan[tier] = `${addOffset(network, offset).toString()}/${tierPrefix}`;
    offset += 2 ** (32 - tierPrefix);
  }
  return Object.freeze(plan as Record<SubnetTier, string>);
}

// ipaddr.js has no address arithmetic. Arithmetic on the base-256 value (not bit shifts) stays
// unsigned for addresses at or above 128.0.0.0.
function addOffset(address: ipaddr.IPv4, offset: number): ipaddr.IPv4 {
  const value = address.toByteArray().reduce((sum, octet) => sum * 256 + octet, 0) + offset;
  return new ipaddr.IPv4([3, 2, 1, 0].map((place) => Math.floor(value / 256 ** place) % 256));
}
