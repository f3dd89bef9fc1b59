// Validation and tags of a compute group: pure, so every refusal is tested without Pulumi.
import type { RuleProblem } from "../firewall-rule/rule-checks";
import { egressProblems } from "../security-group/security-group-args";
import { ACCOUNT_ID } from "../tenant-key/tenant-scope";
import { TAG_ENVIRONMENT, TAG_OWNER, TAG_ROLE, TAG_TENANT } from "../tenant/tags";
import type { ComputeGroupArgs } from "./compute-group";
import { EFA_DOC_URL, planGroupHardware } from "./instance-catalogue";

/** Most nodes one group may have: the largest cluster Moat plans for in one placement group. */
export const MAX_NODE_COUNT = 4096;

/** Largest user data AWS accepts, in bytes before base64 encoding. */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/** Root volume size when the group does not say (GiB): room for CUDA, containers and caches. */
export const DEFAULT_ROOT_VOLUME_GIB = 200;

/** Root device of Amazon Linux images; Ubuntu-based images (e.g. the DLAMI) use `/dev/sda1`. */
export const DEFAULT_ROOT_DEVICE = "/dev/xvda";

/**
 * The Auto Scaling processes a quarantined group suspends (NET-11): everything that could launch,
 * replace or terminate a node, or move it behind a load balancer, so the nodes under investigation
 * stay exactly as they were. https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-suspend-resume-processes.html
 */
export const QUARANTINE_SUSPENDED_PROCESSES: readonly string[] = [
  "Launch",
  "Terminate",
  "ReplaceUnhealthy",
  "AZRebalance",
  "HealthCheck",
  "InstanceRefresh",
  "ScheduledActions",
  "AlarmNotification",
  "AddToLoadBalancer",
];

// Group names become resource names, tags and scheduler partition names: keep them plain.
const GROUP_NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const INSTANCE_TYPE = /^[a-z0-9-]+\.[a-z0-9-]+$/;
const CAPACITY_RESERVATION = /^cr-[0-9a-f]{17}$/;
const IMAGE_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const DEVICE_NAME = /^\/dev\/[a-z0-9]+$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/[0-9a-zA-Z-]+$/;

const quote = (value: unknown) => JSON.stringify(value) ?? String(value);

// A list of subnets, or the comma-separated form ASGs also accept, spreads a group over zones.
function subnetListProblem(subnetId: unknown): string | undefined {
  const count = Array.isArray(subnetId)
    ? subnetId.length
    : typeof subnetId === "string" && subnetId.includes(",")
      ? subnetId.split(",").length
      : 0;
  if (count === 0) {
    return typeof subnetId === "string" && subnetId.trim() === ""
      ? "is empty; pass the compute subnet's ID"
      : undefined;
  }
  return (
    `is a list of ${count} subnets; EFA traffic and a cluster placement group need every node of a ` +
    `group in one availability zone (CMP-1, ${EFA_DOC_URL}), so pass the ONE compute subnet`
  );
}

function groupProblems(args: ComputeGroupArgs): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const at = (property: string, reason: string) =>
    problems.push({ propertyPath: `group.${property}`, reason });
  const group = args.group ?? ({} as ComputeGroupArgs["group"]);

  if (typeof group.name !== "string" || !GROUP_NAME.test(group.name)) {
    at(
      "name",
      `${quote(group.name)} is not a group name; use 1-32 lowercase letters, digits and hyphens, ` +
        "starting with a letter, e.g. train (it names resources, tags and the scheduler partition)",
    );
  }
  const typeOk = typeof group.instanceType === "string" && INSTANCE_TYPE.test(group.instanceType);
  if (!typeOk) {
    at("instanceType", `${quote(group.instanceType)} is not an EC2 instance type such as p5.48xlarge`);
  }
  const n = group.nodeCount;
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODE_COUNT) {
    at(
      "nodeCount",
      `${quote(n)} is not a whole number from 1 to ${MAX_NODE_COUNT}; give the number of nodes the ` +
        "group runs (a larger cluster is several groups)",
    );
  }
  if (typeOk) {
    for (const p of planGroupHardware(group).problems) {
      at(p.propertyPath, p.reason);
    }
  }
  const reservation = group.capacityReservationId;
  if (reservation !== undefined && !CAPACITY_RESERVATION.test(reservation)) {
    at(
      "capacityReservationId",
      `${quote(reservation)} is not a capacity reservation ID (cr- and 17 hex digits, e.g. ` +
        "cr-0123456789abcdef0); copy it from the EC2 console's Capacity Reservations page",
    );
  }
  if (group.capacityBlock === true && reservation === undefined) {
    at(
      "capacityBlock",
      "needs capacityReservationId: a capacity block is launched into by its reservation ID; add " +
        "the block's cr-... ID, or remove capacityBlock for on-demand capacity",
    );
  }
  if (group.imageId !== undefined && !IMAGE_ID.test(group.imageId)) {
    at("imageId", `${quote(group.imageId)} is not an AMI ID (ami- and 8 or 17 hex digits)`);
  }
  const size = group.rootVolumeGiB;
  if (size !== undefined && (!Number.isInteger(size) || size < 8 || size > 16384)) {
    at("rootVolumeGiB", `${quote(size)} is not a whole number of GiB from 8 to 16384 (gp3's range)`);
  }
  if (group.rootDeviceName !== undefined && !DEVICE_NAME.test(group.rootDeviceName)) {
    at(
      "rootDeviceName",
      `${quote(group.rootDeviceName)} is not a device name; use the image's root device, ` +
        `${DEFAULT_ROOT_DEVICE} for Amazon Linux or /dev/sda1 for Ubuntu-based images`,
    );
  }
  return problems;
}

// The key must live where the volumes do: EBS cannot use a key from another region or account.
function keyProblem(args: ComputeGroupArgs): string | undefined {
  if (typeof args.kmsKeyArn !== "string") {
    return undefined;
  }
  const match = KMS_KEY_ARN.exec(args.kmsKeyArn);
  if (match === null) {
    return (
      `${quote(args.kmsKeyArn)} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); pass ` +
      "the tenant key's ARN so root volumes are encrypted with it (CMP-3)"
    );
  }
  const [, region, account] = match;
  // Compared only with values that are themselves valid: a bad region is reported on its own.
  const ownRegion = typeof args.region === "string" && REGION.test(args.region) ? args.region : region;
  const ownAccount =
    typeof args.accountId === "string" && ACCOUNT_ID.test(args.accountId) ? args.accountId : undefined;
  if (region !== ownRegion || (ownAccount !== undefined && account !== ownAccount)) {
    return (
      `belongs to ${region}/${account}, but the group runs in ${ownRegion}` +
      `${ownAccount === undefined ? "" : `/${ownAccount}`}; EBS only encrypts with a key ` +
      "of the same region and account, so pass the tenant key created by this stack (CMP-3)"
    );
  }
  return undefined;
}

// The firewall the group's own security group joins; its egress is checked as the firewall's is.
function firewallProblems(firewall: ComputeGroupArgs["firewall"] | undefined): RuleProblem[] {
  if (typeof firewall !== "object" || firewall === null) {
    return [
      { propertyPath: "firewall", reason: "is missing; pass the cluster firewall's nodeGroupFirewall" },
    ];
  }
  const problems: RuleProblem[] = [];
  for (const key of ["headSecurityGroupId", "endpointSecurityGroupId"] as const) {
    const id = firewall[key];
    if (id === undefined || id === null || (typeof id === "string" && id.trim() === "")) {
      problems.push({
        propertyPath: `firewall.${key}`,
        reason: "is missing; pass the cluster firewall's nodeGroupFirewall",
      });
    }
  }
  if ((firewall.egress as unknown) === "none") {
    problems.push({
      propertyPath: "firewall.egress",
      reason: `"none" would cut the group off; use "all" (NET-2) or an allowlist, and quarantined: true to isolate it (NET-11)`,
    });
  } else {
    problems.push(...egressProblems(firewall.egress, "firewall.egress"));
  }
  return problems;
}

/**
 * Checks a compute group's args and returns every problem with its property path and a fix; an
 * empty array means the group may be created. Refused, among others: a node count outside
 * 1-{@link MAX_NODE_COUNT}; hardware the instance catalogue rejects (EFA on a type without it, an
 * unknown type without `networkCards`); a list of subnets (CMP-1); user data over 16 KiB; a
 * tenant key from another region or account (CMP-3); a firewall without its head or endpoint
 * group, or with egress `none` (that is quarantine, NET-11).
 */
export function validateComputeGroupArgs(args: ComputeGroupArgs): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const at = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
  for (const key of ["tenantId", "environment"] as const) {
    if (typeof args[key] !== "string" || args[key].trim() === "") {
      at(key, "is missing; it names the nodes and tags them (AUD-5)");
    }
  }
  if (typeof args.accountId === "string" && !ACCOUNT_ID.test(args.accountId)) {
    at("accountId", `${quote(args.accountId)} is not a 12-digit AWS account ID`);
  }
  if (typeof args.region !== "string" || !REGION.test(args.region)) {
    at("region", `${quote(args.region)} is not an AWS region such as us-east-1`);
  }
  problems.push(...groupProblems(args));
  problems.push(...firewallProblems(args.firewall));
  if (args.quarantined !== undefined && typeof args.quarantined !== "boolean") {
    at("quarantined", `${quote(args.quarantined)} is not true or false; true isolates the group (NET-11)`);
  }
  const subnet = subnetListProblem(args.subnetId);
  if (subnet) {
    at("subnetId", subnet);
  }
  const key = keyProblem(args);
  if (key) {
    at("kmsKeyArn", key);
  }
  if (typeof args.userData !== "string" || args.userData.trim() === "") {
    at("userData", "is missing; render the node bootstrap with renderCloudConfig and pass its text");
  } else if (Buffer.byteLength(args.userData, "utf8") > MAX_USER_DATA_BYTES) {
    at(
      "userData",
      `is ${Buffer.byteLength(args.userData, "utf8")} bytes; AWS accepts at most ${MAX_USER_DATA_BYTES} ` +
        "before base64 encoding, so fetch large files at boot instead of inlining them",
    );
  }
  return problems;
}

/**
 * The tags of a group's nodes and volumes. Launch templates and Auto Scaling groups do not pass the
 * provider's default tags on to the instances they launch, so tenant, environment and owner
 * (AUD-5) and `moat:role` (which IAM conditions and policies read) are set here explicitly.
 */
export function computeNodeTags(
  args: Pick<ComputeGroupArgs, "tenantId" | "environment" | "owner"> & { group: { name: string } },
): Record<string, string> {
  return {
    Name: `${args.tenantId}-${args.environment}-${args.group.name}`,
    [TAG_ROLE]: "compute",
    [TAG_TENANT]: args.tenantId,
    [TAG_ENVIRONMENT]: args.environment,
    ...(args.owner ? { [TAG_OWNER]: args.owner } : {}),
  };
}
