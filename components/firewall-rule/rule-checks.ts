// Checks shared by every firewall piece (ingress rules, egress allowlists, security groups): AWS's
// limits on descriptions, CIDR blocks and port ranges. Pure, so each is tested directly.
import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";

/** One invalid property: where it is and what to do about it. */
export interface RuleProblem {
  /** Property path inside the args, e.g. `source.cidr` or `ssh.global[1].cidr`. */
  readonly propertyPath: string;
  /** What is wrong, why, and how to fix it. */
  readonly reason: string;
}

/** Protocols a firewall rule may name; `all` becomes AWS's `-1`. */
export type RuleProtocol = "tcp" | "udp" | "icmp" | "all";

/** A rule's protocol and ports as the AWS rule resources take them. */
export interface ResolvedPorts {
  /** `tcp`, `udp`, `icmp` or `-1` (all traffic). */
  readonly ipProtocol: string;
  /** First port (ICMP: type). Absent for all traffic, where AWS ignores ports. */
  readonly fromPort?: number;
  /** Last port (ICMP: code). Absent for all traffic. */
  readonly toPort?: number;
}

/** Longest description AWS accepts on a security group or a rule. */
export const MAX_DESCRIPTION_LENGTH = 255;

// AWS refuses any other character in group and rule descriptions (EC2 API reference,
// AuthorizeSecurityGroupIngress / CreateSecurityGroup), so catch it before a half-applied update.
const DESCRIPTION_CHAR = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]$/;

const quote = (value: unknown) => JSON.stringify(value) ?? String(value);

/**
 * Returns why `description` cannot be an AWS security group or rule description, or undefined if
 * it can. `missing` is the reason given when it is blank, e.g. "say which flow the rule allows".
 */
export function descriptionProblem(description: unknown, missing: string): string | undefined {
  if (typeof description !== "string" || description.trim() === "") {
    return `is missing; ${missing}`;
  }
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    return `is ${description.length} characters long; AWS accepts at most ${MAX_DESCRIPTION_LENGTH}, so shorten it`;
  }
  const refused = [...new Set([...description].filter((c) => !DESCRIPTION_CHAR.test(c)))];
  if (refused.length > 0) {
    return (
      `contains ${refused.map(quote).join(", ")}, which AWS refuses in security group descriptions; ` +
      "use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
    );
  }
  return undefined;
}

/**
 * Returns why `cidr` is not a usable IPv4 source or destination, or undefined if it is. A block
 * must be written as its network address: `203.0.113.5/24` is ambiguous (one host or the /24?),
 * and AWS would store a different value than the program declares, a diff on every update.
 */
export function cidrProblem(cidr: unknown): string | undefined {
  if (typeof cidr !== "string" || !ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) {
    return `${quote(cidr)} is not an IPv4 CIDR block (a.b.c.d/n); write one such as 203.0.113.0/24`;
  }
  const [address, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const canonical = `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${bits}`;
  if (canonical !== cidr) {
    return `${quote(cidr)} is not written as its network address; write ${canonical}, or ${address.toString()}/32 for that one host`;
  }
  return undefined;
}

/** True for a valid block of prefix length 0: the whole internet. */
export function isWorld(cidr: string): boolean {
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr) && ipaddr.IPv4.parseCIDR(cidr)[1] === 0;
}

/** True when every address of the valid block `inner` lies inside the valid block `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const [address, bits] = ipaddr.IPv4.parseCIDR(inner);
  const [range, rangeBits] = ipaddr.IPv4.parseCIDR(outer);
  return bits >= rangeBits && address.match(range, rangeBits);
}

const isPort = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
const isIcmpField = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= -1 && value <= 255;

/**
 * Checks a protocol and its ports, returning every problem with its property path. tcp/udp need
 * `fromPort` (`toPort` defaults to it) in 1-65535 with fromPort <= toPort; icmp takes a type and
 * a code in -1..255 (-1 = any); all traffic takes no ports. `allowed` lists the protocols the
 * caller accepts (egress allowlists have no icmp).
 */
export function portProblems(
  protocol: unknown,
  fromPort: unknown,
  toPort: unknown,
  allowed: readonly RuleProtocol[],
): RuleProblem[] {
  if (typeof protocol !== "string" || !(allowed as readonly string[]).includes(protocol)) {
    return [{ propertyPath: "protocol", reason: `${quote(protocol)} is not one of ${allowed.join(", ")}` }];
  }
  const problems: RuleProblem[] = [];
  const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
  if (protocol === "all") {
    for (const [path, value] of [
      ["fromPort", fromPort],
      ["toPort", toPort],
    ] as const) {
      if (value !== undefined) {
        add(path, `remove it: protocol all covers every port, so a port here would be ignored`);
      }
    }
    return problems;
  }
  if (protocol === "icmp") {
    if (fromPort !== undefined && !isIcmpField(fromPort)) {
      add("fromPort", `${quote(fromPort)} is not an ICMP type; use 0-255, or -1 for any type`);
    }
    if (toPort !== undefined && !isIcmpField(toPort)) {
      add("toPort", `${quote(toPort)} is not an ICMP code; use 0-255, or -1 for any code`);
    }
    return problems;
  }
  const portHint = "use a port from 1 to 65535, e.g. 22 for SSH";
  if (fromPort === undefined) {
    add("fromPort", `is missing; a ${protocol} rule needs an explicit port (NET-9); ${portHint}`);
  } else if (fromPort === 0) {
    add("fromPort", `port 0 is not a real ${protocol} port; ${portHint}`);
  } else if (!isPort(fromPort)) {
    add("fromPort", `${quote(fromPort)} is outside 1-65535; ${portHint}`);
  }
  if (toPort === 0) {
    add("toPort", `port 0 is not a real ${protocol} port; ${portHint}`);
  } else if (toPort !== undefined && !isPort(toPort)) {
    add("toPort", `${quote(toPort)} is outside 1-65535; ${portHint}`);
  }
  if (isPort(fromPort) && isPort(toPort) && fromPort > toPort) {
    add("fromPort", `${fromPort} is greater than toPort ${toPort}; swap them`);
  }
  return problems;
}

/**
 * Maps a protocol and ports that {@link portProblems} accepted to the AWS rule properties: `all`
 * becomes `-1` without ports, a missing tcp/udp `toPort` becomes `fromPort`, and a missing ICMP
 * type or code becomes -1 (any).
 */
export function resolvePorts(protocol: RuleProtocol, fromPort?: number, toPort?: number): ResolvedPorts {
  switch (protocol) {
    case "all":
      return { ipProtocol: "-1" };
    case "icmp":
      return { ipProtocol: "icmp", fromPort: fromPort ?? -1, toPort: toPort ?? -1 };
    default:
      return { ipProtocol: protocol, fromPort, toPort: toPort ?? fromPort };
  }
}

/**
 * Builds the error a component throws, before creating anything, when its args have problems:
 * every problem at once, each on its own line with its property path (STYLE 4).
 */
export function invalidArgsError(
  component: string,
  name: string,
  problems: readonly RuleProblem[],
): pulumi.InputPropertiesError {
  return new pulumi.InputPropertiesError({
    message:
      `Invalid ${component} "${name}" args:\n` +
      problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n"),
    errors: problems.map((p) => ({ propertyPath: p.propertyPath, reason: p.reason })),
  });
}
