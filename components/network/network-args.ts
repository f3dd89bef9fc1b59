import type * as pulumi from "@pulumi/pulumi";
import {
  CLOUDWATCH_RETENTION_DAYS,
  DEFAULT_FLOW_LOG_RETENTION_DAYS,
  MIN_FLOW_LOG_RETENTION_DAYS,
} from "./flow-logs";
import { ACCOUNT_ID, environmentProblem } from "../tenant-key/tenant-scope";
import { validateNetworkCidr } from "./subnet-plan";

/** How people reach a tenant's cluster: through a bastion, straight to head nodes, or SSM only. */
export type NetworkAccessMode = "bastion" | "direct" | "ssm";

/** Every access mode, in the order error messages list them. */
export const NETWORK_ACCESS_MODES: readonly NetworkAccessMode[] = ["bastion", "direct", "ssm"];

/**
 * Inputs of a tenant {@link Network}. Tenant, environment and owner tags (AUD-5) come from the
 * tenant provider passed in the resource options, not from these args.
 */
export interface NetworkArgs {
  /**
   * Tenant identifier, e.g. `acme`. Used with `environment` in the VPC's `Name` tag, and in the
   * flow-log group and role names. No default: a network always belongs to exactly one tenant (NET-4).
   */
  readonly tenantId: string;
  /**
   * Environment of the stack: `dev`, `staging` or `prod`. Used with `tenantId` in the VPC's `Name`
   * tag and in the flow-log group and role names (`/moat/<tenantId>-<environment>/vpc-flow-logs`,
   * `moat-<tenantId>-<environment>-flow-logs`), so two environments of a tenant can share an
   * account. No default. Changing this replaces the flow-log group and role.
   */
  readonly environment: string;
  /**
   * The VPC's IPv4 block: an RFC 1918 private range from /16 to /24, e.g. `10.42.0.0/16`.
   * Compute gets half of it, storage a quarter, management and public an eighth each.
   * No default, so two tenants never silently share a range. Changing this replaces the VPC and
   * every subnet, and with them every instance and filesystem inside.
   * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
   */
  readonly cidr: string;
  /**
   * Availability zone name for every subnet, e.g. `us-east-1a`. No default on purpose: EFA and
   * cluster placement groups (CMP-1) need all nodes in one zone, and GPU instance types are offered
   * only in some zones, so the zone must be chosen, not guessed. Changing this replaces every subnet.
   * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html
   */
  readonly availabilityZone: string;
  /**
   * How people reach the cluster; recorded on the VPC as the `moat:access-mode` tag so policies
   * know which nodes may face the internet (NET-6, NET-7). No default: the stack config decides.
   */
  readonly accessMode: NetworkAccessMode;
  /**
   * Route the management tier's 0.0.0.0/0 to the internet gateway instead of the NAT gateway, so
   * head nodes with public IPs can be reached (the `direct` access mode only; refused otherwise).
   * Compute never routes to the internet gateway, whatever this says (NET-5).
   * @default false (management leaves through the NAT gateway, egress only)
   */
  readonly managementInternetFacing?: boolean;
  /**
   * ARN of the tenant's customer-managed KMS key (`arn:aws:kms:<region>:<account>:key/<id>`; an
   * alias is not accepted by CloudWatch Logs) that encrypts the flow-log group (NET-10). The key
   * policy must let `logs.<region>.amazonaws.com` use it for `/moat/<tenantId>/*` log groups.
   * No default. https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Days the VPC flow logs are kept: at least 180 (NET-10), and one of the values CloudWatch Logs
   * accepts (180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * The twelve-digit AWS account the stack deploys to, e.g. from `aws.getCallerIdentityOutput()`.
   * It is known at preview, so the flow-log role's trust and permission policies are built from it
   * rather than from ARNs the cloud computes (POL-2). No default.
   */
  readonly accountId: pulumi.Input<string>;
}

/** One invalid {@link NetworkArgs} property: where it is and what to do about it. */
export interface NetworkArgsProblem {
  /** Property path inside the args, e.g. `cidr`. */
  readonly propertyPath: string;
  /** What is wrong and how to fix it. */
  readonly reason: string;
}

// Zone names, not zone IDs (use1-az1): `us-east-1a`, `us-gov-west-1b`, local zones `us-west-2-lax-1a`.
const ZONE_NAME = /^[a-z]{2}(-[a-z0-9]+)+-\d+[a-z]$/;
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// Lowercase because the tenant is part of IAM role and log group names, which tenants must not
// be able to collide in by case; the role name `moat-<tenantId>-<environment>-flow-logs` must stay
// within 64: 40 characters with `-staging`, the longest environment, make 63.
const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
// CloudWatch Logs takes a key ARN only (no alias); multi-region keys have `mrk-` IDs.
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const RETENTION_CHOICES = CLOUDWATCH_RETENTION_DAYS.filter((days) => days >= MIN_FLOW_LOG_RETENTION_DAYS);

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

// Outputs and promises are checked by AWS at deploy time; a plain value can be checked now.
function isPlain(value: unknown): boolean {
  return typeof value !== "object" || value === null;
}

/**
 * Checks every {@link NetworkArgs} property and returns all problems at once, so a user fixes them
 * in one pass; an empty array means the args are usable. The CIDR rules are
 * {@link validateNetworkCidr}'s (private /16../24, NET-5, NET-8); flow logs are kept at least 180
 * days (NET-10); only the `direct` access mode may put management on the internet gateway (NET-6).
 */
export function validateNetworkArgs(args: NetworkArgs): NetworkArgsProblem[] {
  const problems: NetworkArgsProblem[] = [];
  const problem = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
  const examples = { tenantId: "acme", environment: "prod" } as const;
  for (const key of ["tenantId", "environment"] as const) {
    if (typeof args[key] !== "string" || args[key].trim() === "") {
      problem(key, `set ${key}, e.g. ${examples[key]}; the VPC is named <tenantId>-<environment>`);
    }
  }
  if (typeof args.tenantId === "string" && args.tenantId.trim() !== "" && !TENANT_ID.test(args.tenantId)) {
    problem(
      "tenantId",
      `${shown(args.tenantId)} must be 1 to 40 lowercase letters, digits and inner hyphens, e.g. acme; ` +
        "it names the flow-log role moat-<tenantId>-<environment>-flow-logs and log group /moat/<tenantId>-<environment>/vpc-flow-logs",
    );
  }
  const environment =
    typeof args.environment === "string" && args.environment.trim() !== ""
      ? environmentProblem(args.environment)
      : undefined;
  if (environment !== undefined) {
    problem("environment", environment);
  }
  for (const reason of validateNetworkCidr(args.cidr)) {
    problem("cidr", reason);
  }
  const zone = args.availabilityZone;
  if (typeof zone !== "string" || !ZONE_NAME.test(zone)) {
    problem(
      "availabilityZone",
      typeof zone === "string" && REGION_NAME.test(zone)
        ? `${shown(zone)} is a region; name one zone in it, e.g. ${zone}a`
        : `${shown(zone)} is not an availability zone name; use one such as us-east-1a`,
    );
  }
  const modes = NETWORK_ACCESS_MODES.join(", ");
  if (!NETWORK_ACCESS_MODES.includes(args.accessMode)) {
    problem("accessMode", `${shown(args.accessMode)} is not an access mode; use one of ${modes}`);
  }
  const facing = args.managementInternetFacing;
  if (facing !== undefined && typeof facing !== "boolean") {
    problem("managementInternetFacing", `${shown(facing)} is not a boolean; use true or false`);
  } else if (
    facing === true &&
    NETWORK_ACCESS_MODES.includes(args.accessMode) &&
    args.accessMode !== "direct"
  ) {
    problem(
      "managementInternetFacing",
      `head nodes face the internet only in the direct access mode, but accessMode is ` +
        `${shown(args.accessMode)}; leave managementInternetFacing out, or set accessMode: direct (NET-6, NET-7)`,
    );
  }
  const key = args.kmsKeyArn;
  if (isPlain(key) && (typeof key !== "string" || !KMS_KEY_ARN.test(key))) {
    problem(
      "kmsKeyArn",
      `${shown(key)} is not a KMS key ARN; pass the tenant key's ARN ` +
        "(arn:aws:kms:<region>:<account>:key/<id>, not an alias): CloudWatch Logs encrypts the flow logs with it (NET-10)",
    );
  }
  const account = args.accountId;
  if (isPlain(account) && (typeof account !== "string" || !ACCOUNT_ID.test(account))) {
    problem(
      "accountId",
      `${shown(account)} is not an AWS account ID; pass its twelve digits, ` +
        "e.g. aws.getCallerIdentityOutput().accountId, which is known at preview",
    );
  }
  const days = args.flowLogRetentionDays;
  if (days !== undefined && !RETENTION_CHOICES.includes(days)) {
    const why =
      typeof days === "number" && days < MIN_FLOW_LOG_RETENTION_DAYS
        ? `shorter than the ${MIN_FLOW_LOG_RETENTION_DAYS} days flow logs must be kept (NET-10)`
        : "not a retention CloudWatch Logs accepts";
    problem(
      "flowLogRetentionDays",
      `${shown(days)} days is ${why}; use one of ${RETENTION_CHOICES.join(", ")}, or leave it out for ${DEFAULT_FLOW_LOG_RETENTION_DAYS}`,
    );
  }
  return problems;
}
