/**
 * The adjustable AWS quotas that tenants sharing an account and region use up, with AWS's default
 * values (each with its source, as researched in ../shared/research/fleet.md). The fleet file
 * records values an operator had raised; use above the value in force is a warning that names the
 * quota and the number to request.
 */
import { distinct, listing } from "./placement";
import type { FleetFile, Finding } from "./types";
import type { RegionUsage } from "./usage";

/** The quotas Moat counts, by the key the fleet file uses for them. */
export const QUOTA_IDS = [
  "elasticIps",
  "vpcs",
  "internetGateways",
  "natGatewaysPerAz",
  "gatewayEndpoints",
  "interfaceEndpointsPerVpc",
  "networkInterfaces",
  "pInstanceVcpus",
  "lustreStorageGiB",
  "lustreFileSystems",
  "eventBridgeRules",
] as const;

/** A quota's key in the fleet file. */
export type QuotaId = (typeof QUOTA_IDS)[number];

/** One adjustable quota. */
export interface Quota {
  /** AWS's name for it (Service Quotas console), as the warning names it. */
  readonly name: string;
  /** AWS's default value in a region. */
  readonly defaultValue: (region: string) => number;
  /** The Service Quotas code, where the research found one. */
  readonly code?: string;
  /** Where the default comes from. */
  readonly source: string;
}

const VPC_QUOTAS = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const ENDPOINT_QUOTAS = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html";
const EVENTBRIDGE_QUOTAS = "https://docs.amazonaws.cn/eventbridge/latest/userguide/eb-quota.html";
/** Regions where EventBridge allows 100 rules per bus instead of 300 (EVENTBRIDGE_QUOTAS). */
const EVENTBRIDGE_SMALL_REGIONS = ["af-south-1", "eu-south-1"];

/** The defaults. Every figure: research/fleet.md, section 1, with the page next to it. */
export const QUOTAS: Readonly<Record<QuotaId, Quota>> = {
  elasticIps: {
    name: "EC2-VPC Elastic IPs per Region",
    defaultValue: () => 5, // VPC_QUOTAS
    source: VPC_QUOTAS,
  },
  vpcs: {
    name: "VPCs per Region",
    defaultValue: () => 5, // VPC_QUOTAS; raising it raises internet gateways too
    source: VPC_QUOTAS,
  },
  internetGateways: {
    name: "Internet gateways per Region",
    defaultValue: () => 5, // VPC_QUOTAS; raised with the VPC quota
    source: VPC_QUOTAS,
  },
  natGatewaysPerAz: {
    name: "NAT gateways per Availability Zone",
    defaultValue: () => 5, // VPC_QUOTAS; pending, active and deleting gateways all count
    source: VPC_QUOTAS,
  },
  gatewayEndpoints: {
    name: "Gateway VPC endpoints per Region",
    defaultValue: () => 20, // ENDPOINT_QUOTAS; at most 255 in one VPC
    source: ENDPOINT_QUOTAS,
  },
  interfaceEndpointsPerVpc: {
    name: "Interface VPC endpoints per VPC",
    defaultValue: () => 50, // ENDPOINT_QUOTAS: interface and Gateway Load Balancer endpoints per VPC
    source: ENDPOINT_QUOTAS,
  },
  networkInterfaces: {
    name: "Network interfaces per Region",
    defaultValue: () => 5000, // VPC_QUOTAS; EFA interfaces count like any other
    source: VPC_QUOTAS,
  },
  pInstanceVcpus: {
    name: "Running On-Demand P instances (vCPUs)",
    // Set per account: the EC2 FAQ's old default is 128 and new accounts often start lower, at 0
    // even. Record the account's value in the fleet file. https://aws.amazon.com/ec2/faqs/
    defaultValue: () => 128,
    code: "L-417A185B",
    source: "https://aws.amazon.com/ec2/faqs/",
  },
  lustreStorageGiB: {
    name: "FSx for Lustre Persistent_2 storage capacity (GiB)",
    // Service Quotas L-8F1B9C74 as listed in public Service Quotas dumps (research/fleet.md found no
    // documentation page with the figure): check it in the Service Quotas console.
    defaultValue: () => 100_800,
    code: "L-8F1B9C74",
    source: "Service Quotas console, Amazon FSx, L-8F1B9C74",
  },
  lustreFileSystems: {
    name: "FSx for Lustre Persistent_2 file systems",
    // Service Quotas L-FD6F2F22, found as L-8F1B9C74 above: check it in the console.
    defaultValue: () => 100,
    code: "L-FD6F2F22",
    source: "Service Quotas console, Amazon FSx, L-FD6F2F22",
  },
  eventBridgeRules: {
    name: "EventBridge rules per event bus (the default bus)",
    // EVENTBRIDGE_QUOTAS: 300 rules per bus, 100 in af-south-1 and eu-south-1.
    defaultValue: (region) => (EVENTBRIDGE_SMALL_REGIONS.includes(region) ? 100 : 300),
    source: EVENTBRIDGE_QUOTAS,
  },
};

/** The value in force: the fleet file's for the account and region, else AWS's default. */
export function quotaLimit(
  id: QuotaId,
  account: string,
  region: string,
  fleet: FleetFile | undefined,
): { value: number; raised: boolean } {
  const raised = fleet?.accounts[account]?.quotas[region]?.[id];
  return raised === undefined
    ? { value: QUOTAS[id].defaultValue(region), raised: false }
    : { value: raised, raised: true };
}

const n = (value: number) => value.toLocaleString("en-US");

/** A warning for every quota an account and region would use beyond the value in force. */
export function checkQuotas(usage: readonly RegionUsage[], fleet: FleetFile | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const { account, region, stacks, use } of usage) {
    for (const id of QUOTA_IDS) {
      const limit = quotaLimit(id, account, region, fleet);
      if (use[id] <= limit.value) {
        continue;
      }
      const quota = QUOTAS[id];
      const label = fleet?.accounts[account]?.label;
      const whose = limit.raised ? `the value ${fleet?.file} records` : "AWS's default";
      findings.push({
        level: "warning",
        check: "quota",
        stacks: distinct(stacks),
        message:
          `account ${account}${label ? ` (${label})` : ""}, ${region}: ${quota.name} would be ${n(use[id])} ` +
          `for ${listing(distinct(stacks))}, over the limit of ${n(limit.value)} (${whose}; ${quota.source})`,
        fix:
          `request at least ${n(use[id])} for ${quota.name}${quota.code ? ` (${quota.code})` : ""} in Service Quotas, ` +
          `then record it in the fleet file (stacks/fleet.yaml): accounts."${account}".quotas.${region}.${id}: ${use[id]}`,
      });
    }
  }
  return findings;
}
