// CIDR arithmetic for the NET policies: enough to tell whether a rule's source lies inside one of
// the stack's VPCs or is the whole internet. Written here rather than taken from a library so the
// pack keeps its dependencies to the policy SDK alone (see forTypes in props.ts).

/** An IPv4 or IPv6 block, its address as one integer so containment is two shifts. */
export interface Cidr {
  readonly version: 4 | 6;
  /** The address as written, host bits included (AWS accepts and ignores them in rule sources). */
  readonly address: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function hextets(text: string): string[] | undefined {
  if (text === "") {
    return [];
  }
  const groups = text.split(":");
  return groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? groups : undefined;
}

// Hex groups with at most one "::"; embedded IPv4 tails are not accepted (never valid in AWS rules).
function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) {
    return undefined;
  }
  const head = hextets(halves[0]);
  const tail = halves.length === 2 ? hextets(halves[1]) : [];
  if (!head || !tail) {
    return undefined;
  }
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    return undefined;
  }
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

/**
 * Parses `a.b.c.d/n` or an IPv6 block such as `2001:db8::/32`. Returns undefined for anything
 * else, including a bare address without a prefix length: callers treat that as a source they
 * cannot place, never as one inside the VPC.
 */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const version = match[1].includes(":") ? 6 : 4;
  const address = version === 4 ? parseIpv4(match[1]) : parseIpv6(match[1]);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > BITS[version]) {
    return undefined;
  }
  return { version, address, prefix };
}

/** True when every address of `inner` lies in `outer` (same IP version, prefix at least as long). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || inner.prefix < outer.prefix) {
    return false;
  }
  const shift = BigInt(BITS[outer.version] - outer.prefix);
  return outer.address >> shift === inner.address >> shift;
}

/** True for `0.0.0.0/0` and `::/0` (in any spelling): the whole internet. */
export function isWorld(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}
