// The network interfaces of a compute launch template (CMP-1, NET-5). Pure, so the layout AWS
// expects on multi-card instances is tested without Pulumi.
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** One launch template network interface, as `aws.ec2.LaunchTemplate` takes it. */
export type LaunchTemplateInterface = aws.types.input.ec2.LaunchTemplateNetworkInterface;

// Launch templates take these flags as strings. "false" is stated rather than left out, so NET-5's
// policy reads a literal "no public IP" on every interface.
const PRIVATE_AND_DISPOSABLE = { associatePublicIpAddress: "false", deleteOnTermination: "true" } as const;

function requireCards(networkCards: number): void {
  if (!Number.isInteger(networkCards) || networkCards < 1) {
    throw new RangeError(`networkCards must be a whole number of at least 1, got ${networkCards}`);
  }
}

/**
 * One EFA interface per network card, in the layout AWS documents for multi-card instances such
 * as p5.48xlarge: card 0 carries the primary interface as `efa` (EFA with ENA, device index 0, the
 * node's one IP address); every other card an `efa-only` interface at device index 1, which needs
 * no IP address of its own. Every interface sits in the same subnet with the same groups, no public
 * IP (NET-5), and is deleted with the instance.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html
 *
 * @throws RangeError when `networkCards` is not a whole number of at least 1.
 */
export function efaNetworkInterfaces(
  networkCards: number,
  securityGroupIds: pulumi.Input<string>[],
  subnetId: pulumi.Input<string>,
): LaunchTemplateInterface[] {
  requireCards(networkCards);
  return Array.from({ length: networkCards }, (_, card) => ({
    networkCardIndex: card,
    deviceIndex: card === 0 ? 0 : 1,
    interfaceType: card === 0 ? "efa" : "efa-only",
    subnetId,
    securityGroups: [...securityGroupIds],
    ...PRIVATE_AND_DISPOSABLE,
  }));
}

/** The single ordinary (ENA) interface of a group without EFA: private, deleted with the node. */
export function ordinaryNetworkInterface(
  securityGroupIds: pulumi.Input<string>[],
  subnetId: pulumi.Input<string>,
): LaunchTemplateInterface {
  return {
    networkCardIndex: 0,
    deviceIndex: 0,
    subnetId,
    securityGroups: [...securityGroupIds],
    ...PRIVATE_AND_DISPOSABLE,
  };
}

/**
 * The interfaces of a compute node: {@link efaNetworkInterfaces} for an EFA group, otherwise one
 * {@link ordinaryNetworkInterface}.
 */
export function computeNetworkInterfaces(
  hardware: { readonly efa: boolean; readonly networkCards: number },
  securityGroupIds: pulumi.Input<string>[],
  subnetId: pulumi.Input<string>,
): LaunchTemplateInterface[] {
  return hardware.efa
    ? efaNetworkInterfaces(hardware.networkCards, securityGroupIds, subnetId)
    : [ordinaryNetworkInterface(securityGroupIds, subnetId)];
}
