// AUD-2: how the policy pack reads an EventBridge pattern's structure to tell whether it matches
// only one tenant's resources: its alternatives (`$or` expanded), the sources each can match, and
// the fields of those sources that name a resource with particular values. Pure: no policy here.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html

/** The `detail-type` of the management events EventBridge receives from CloudTrail. */
export const CLOUDTRAIL = "AWS API Call via CloudTrail";

/** Where the events of a source name the one resource each concerns. */
export interface ScopingFields {
  /** The event `source`, e.g. `aws.ec2`. */
  readonly source: string;
  /** The `detail-type` of its events that these fields are in. */
  readonly detailType: string;
  /** Fields below `detail`, dot-separated, that name a resource (not who acted, nor a pattern). */
  readonly fields: readonly string[];
}

/**
 * AUD-2: per source, the fields that name the resource an event concerns: CloudTrail's
 * `requestParameters` as each API reference names them, KMS's `resources` (the key's ARN),
 * GuardDuty's instance (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_InstanceDetails.html).
 * Managed policy ARNs are left out: an AWS-managed policy is every tenant's.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export const SCOPING_FIELDS: readonly ScopingFields[] = [
  {
    source: "aws.ec2",
    detailType: CLOUDTRAIL,
    fields: [
      "requestParameters.groupId",
      "requestParameters.ModifySecurityGroupRulesRequest.GroupId",
      "requestParameters.vpcId",
      "requestParameters.peerVpcId",
      "requestParameters.subnetId",
      "requestParameters.networkAclId",
      "requestParameters.routeTableId",
      "requestParameters.internetGatewayId",
      "requestParameters.natGatewayId",
      "requestParameters.CreateNatGatewayRequest.SubnetId",
      "requestParameters.DeleteNatGatewayRequest.NatGatewayId",
      "requestParameters.keyName",
    ],
  },
  {
    source: "aws.iam",
    detailType: CLOUDTRAIL,
    fields: [
      "requestParameters.roleName",
      "requestParameters.instanceProfileName",
      "requestParameters.userName",
      "requestParameters.groupName",
    ],
  },
  { source: "aws.kms", detailType: CLOUDTRAIL, fields: ["resources.ARN", "requestParameters.keyId"] },
  {
    source: "aws.cloudtrail",
    detailType: CLOUDTRAIL,
    fields: ["requestParameters.name", "requestParameters.trailName"],
  },
  {
    source: "aws.guardduty",
    detailType: "GuardDuty Finding",
    fields: [
      "resource.instanceDetails.iamInstanceProfile.arn",
      "resource.instanceDetails.instanceId",
      "resource.instanceDetails.networkInterfaces.vpcId",
    ],
  },
];

/** One branch of a pattern: the matcher list at each dot-separated path, `$or`s expanded. */
export type PatternBranch = ReadonlyMap<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// EventBridge reads `$or` as OR only when it holds two or more objects.
const isOr = (value: unknown): value is Record<string, unknown>[] =>
  Array.isArray(value) && value.length >= 2 && value.every(isObject);

/** EventBridge allows far fewer alternatives than this; more is refused rather than expanded. */
const MAX_BRANCHES = 256;

/**
 * The alternatives of a pattern, each the fields all of which an event must match: one per
 * combination of `$or` branches, at whatever depth. Throws past {@link MAX_BRANCHES}.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function patternBranches(pattern: unknown, prefix = ""): PatternBranch[] {
  let branches: Map<string, unknown>[] = [new Map()];
  for (const [key, value] of Object.entries(isObject(pattern) ? pattern : {})) {
    const options: ReadonlyMap<string, unknown>[] =
      key === "$or" && isOr(value)
        ? value.flatMap((alternative) => patternBranches(alternative, prefix))
        : isObject(value)
          ? patternBranches(value, `${prefix}${key}.`)
          : [new Map([[`${prefix}${key}`, value]])];
    branches = branches.flatMap((branch) => options.map((option) => new Map([...branch, ...option])));
    if (branches.length > MAX_BRANCHES) {
      throw new Error(`more than ${MAX_BRANCHES} alternatives`);
    }
  }
  return branches;
}

// The exact strings of a matcher list; undefined when a field is absent or any matcher is not one
// exact string, so it may match anything.
function exactStrings(matchers: unknown): string[] | undefined {
  return Array.isArray(matchers) && matchers.length > 0 && matchers.every((m) => typeof m === "string")
    ? (matchers as string[])
    : undefined;
}

/** True when a matcher list names particular values only: exact strings, or strings in any case. */
export function namesValues(matchers: unknown): boolean {
  return (
    Array.isArray(matchers) &&
    matchers.length > 0 &&
    matchers.every(
      (m) =>
        (typeof m === "string" && m !== "") ||
        (isObject(m) &&
          Object.keys(m).length === 1 &&
          typeof m["equals-ignore-case"] === "string" &&
          m["equals-ignore-case"] !== ""),
    )
  );
}

/** The sources of {@link SCOPING_FIELDS} whose events a branch can match. */
export function branchSources(branch: PatternBranch): ScopingFields[] {
  const bySource = exactStrings(branch.get("source"));
  const byEvent = exactStrings(branch.get("detail.eventSource"))?.map(
    (e) => `aws.${e.replace(/\.amazonaws\.com$/, "")}`,
  );
  const named = bySource && byEvent ? bySource.filter((s) => byEvent.includes(s)) : (bySource ?? byEvent);
  const types = exactStrings(branch.get("detail-type"));
  return SCOPING_FIELDS.filter(
    (entry) =>
      (named === undefined || named.includes(entry.source)) && (types?.includes(entry.detailType) ?? true),
  );
}

/** The fields of `entry` a branch names particular values in. */
export function scopingFieldsOf(branch: PatternBranch, entry: ScopingFields): string[] {
  return entry.fields.filter((field) => namesValues(branch.get(`detail.${field}`)));
}
