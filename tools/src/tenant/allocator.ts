/**
 * Picks a new tenant's VPC range: the lowest /20 of the RFC 1918 ranges that overlaps no range
 * another stack already uses, so tenants can later be peered or share a VPN without renumbering.
 * The arithmetic is cidr-tools'.
 */
import * as ipaddr from "ipaddr.js";
import { pathToFileURL } from "url";
import type * as CidrTools from "cidr-tools";

/** Size of a new tenant's VPC: the dev stack's, 4,096 addresses, inside the program's /16 to /24. */
export const TENANT_PREFIX = 20;

let cidrTools: Promise<typeof CidrTools> | undefined;

/**
 * cidr-tools is an ES module. tsc compiles `import()` to `require()` for this CommonJS build, and
 * require() loads an ES module only from Node.js 20.19 on (package.json allows 20.0); the body of a
 * Function is not compiled, so its import() stays a real one.
 */
function loadCidrTools(): Promise<typeof CidrTools> {
  const importModule = new Function("url", "return import(url)") as (
    url: string,
  ) => Promise<typeof CidrTools>;
  return (cidrTools ??= importModule(pathToFileURL(require.resolve("cidr-tools")).href));
}

/**
 * The lowest /20 inside `ranges` (searched in order: the program's private ranges, PRIVATE_CIDRS of
 * components/network/subnet-plan.ts) that overlaps none of `taken`, or undefined when none is left.
 * Entries of `taken` that are not IPv4 CIDRs claim no addresses and are ignored.
 */
export async function freeTenantCidr(
  taken: readonly string[],
  ranges: readonly string[],
): Promise<string | undefined> {
  const { excludeCidr, parseCidr } = await loadCidrTools();
  const used = taken.filter((cidr) => ipaddr.IPv4.isValidCIDR(cidr));
  for (const range of ranges) {
    const free = used.length === 0 ? [range] : excludeCidr(range, used);
    // excludeCidr returns whole CIDR blocks, lowest first; one of /20 or larger starts on a /20.
    const block = free.find((b) => Number(parseCidr(b).prefix) <= TENANT_PREFIX);
    if (block !== undefined) {
      return `${parseCidr(block).ip}/${TENANT_PREFIX}`;
    }
  }
  return undefined;
}
