/**
 * VPC ranges across the fleet. Tenants that share an account and region take ranges of their own
 * (`moat tenant new` picks a free one), so they can later be peered or share a VPN or transit
 * gateway without renumbering; where a stack declares a peering connection or a transit gateway
 * attachment, every range it could be routed to must already be distinct, in any account or region.
 */
import * as ipaddr from "ipaddr.js";
import { distinct, inputOf, ofType } from "./placement";
import type { FleetStack, Finding } from "./types";

const VPC = "aws:ec2/vpc:Vpc";
const CIDR_ASSOCIATION = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation";

/** Types that join a VPC to others: peering and transit gateway attachments. */
export const CONNECTORS = [
  "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
  "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
];

/** One IPv4 range of a stack's VPC. */
export interface VpcRange {
  readonly stack: FleetStack;
  /** The resource that sets it (the VPC, or a CIDR association). */
  readonly resource: string;
  readonly cidr: string;
  readonly account: string;
  readonly region: string;
}

/** True when two IPv4 CIDR blocks share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [addressA, bitsA] = ipaddr.IPv4.parseCIDR(a);
  const [addressB, bitsB] = ipaddr.IPv4.parseCIDR(b);
  return addressA.match(addressB, Math.min(bitsA, bitsB));
}

/** Every literal IPv4 range of every stack's VPCs. */
export function vpcRanges(stacks: readonly FleetStack[]): VpcRange[] {
  return stacks.flatMap((stack) =>
    [...ofType(stack, VPC), ...ofType(stack, CIDR_ASSOCIATION)].flatMap(({ resource, account, region }) => {
      const cidr = inputOf(resource, "cidrBlock");
      return typeof cidr === "string" && ipaddr.IPv4.isValidCIDR(cidr)
        ? [{ stack, resource: resource.name, cidr, account, region }]
        : [];
    }),
  );
}

/** The connector a stack declares, if any: `type "name"`. */
function connectorOf(stack: FleetStack): string | undefined {
  const found = stack.resources.find((p) => CONNECTORS.includes(p.resource.type));
  return found && `${found.resource.type.split(":").pop()} "${found.resource.name}"`;
}

const describe = (r: VpcRange) => `${r.cidr} of ${r.stack.stack} (${r.stack.file}, resource ${r.resource})`;

/**
 * An error for every pair of overlapping ranges of two stacks in one account and region, or of two
 * stacks that both declare a peering connection or transit gateway attachment.
 */
export function checkCidrs(stacks: readonly FleetStack[]): Finding[] {
  const ranges = vpcRanges(stacks);
  const findings: Finding[] = [];
  ranges.forEach((a, i) => {
    for (const b of ranges.slice(i + 1)) {
      if (a.stack === b.stack || !cidrsOverlap(a.cidr, b.cidr)) {
        continue;
      }
      const together = a.account === b.account && a.region === b.region;
      const connectors = [connectorOf(a.stack), connectorOf(b.stack)];
      if (!together && connectors.some((c) => c === undefined)) {
        continue;
      }
      const why = together
        ? `in account ${a.account}, region ${a.region}: tenants that share an account and region need ranges of their own to be peered or share a VPN or transit gateway`
        : `and both stacks are joined to other networks (${a.stack.stack}: ${connectors[0]}; ${b.stack.stack}: ${connectors[1]}), so traffic between them cannot be routed`;
      findings.push({
        level: "error",
        check: "vpc-cidr",
        stacks: distinct([a.stack.stack, b.stack.stack]),
        message: `VPC range ${describe(a)} overlaps ${describe(b)} ${why}`,
        fix: "give one of them a range no other stack uses in moat:network.cidr (this replaces its network; moat tenant new picks a free /20)",
      });
    }
  });
  return findings;
}
