/**
 * Moat's Pulumi program: one tenant cluster per stack. It only wires: configuration is parsed and
 * validated by ./config, every resource is owned by a component under components/.
 */
import { Network } from "../components/network/network";
import { createTenantProvider } from "../components/tenant/tenant-provider";
import { loadStackConfig } from "./config";

// Validation comes first: an invalid stack file stops the program before anything is declared.
const { region, moat } = loadStackConfig();
const { tenant } = moat;

const provider = createTenantProvider(`${tenant.id}-aws`, {
  region,
  tenantId: tenant.id,
  environment: tenant.environment,
  owner: tenant.owner,
});

const network = new Network(
  tenant.id,
  {
    tenantId: tenant.id,
    environment: tenant.environment,
    cidr: moat.network.cidr,
    availabilityZone: moat.network.availabilityZone,
  },
  { providers: { aws: provider } },
);

/** The tenant's VPC. */
export const vpcId = network.vpcId;
/** Subnet IDs per tier (public, management, compute, storage). */
export const subnetIds = network.subnetIds;
/** Subnet CIDRs per tier. */
export const subnetCidrs = network.subnetCidrs;
/** Who and what this stack is. */
export const tenantInfo = {
  id: tenant.id,
  environment: tenant.environment,
  region,
  accessMode: moat.access.mode,
};
