import type { SubnetTier } from "./subnet-plan";

/** Where a tier's default route (0.0.0.0/0) leads: the internet gateway or the NAT gateway. */
export type InternetRouteTarget = "internet-gateway" | "nat-gateway";

/**
 * The default route of each tier; a tier left out has no route outside the VPC at all.
 *
 * - `public` reaches the internet gateway: the NAT gateway and the bastion live there.
 * - `management` leaves through the NAT gateway (egress only), unless `managementInternetFacing`
 *   (the `direct` access mode, head nodes with public IPs), which needs the internet gateway for
 *   inbound SSH to reach them.
 * - `compute` leaves through the NAT gateway only, whatever the access mode (NET-5).
 * - `storage` has no default route: the filesystem talks only to the cluster (NET-8).
 *
 * Pure, so the routing rules are tested without a cloud.
 */
export function planInternetRoutes(
  managementInternetFacing: boolean,
): Readonly<Partial<Record<SubnetTier, InternetRouteTarget>>> {
  return {
    public: "internet-gateway",
    management: managementInternetFacing ? "internet-gateway" : "nat-gateway",
    compute: "nat-gateway",
  };
}

/**
 * Tiers whose route tables carry the S3 gateway endpoint, so nodes and the filesystem reach S3
 * without the NAT gateway (and storage, which has no internet route, reaches it at all). The
 * public tier holds only the NAT gateway and the bastion, which need no S3.
 */
export const S3_GATEWAY_TIERS: readonly SubnetTier[] = ["management", "compute", "storage"];
