/**
 * Physical names that must be unique within a scope: S3 bucket names across every account, IAM
 * names within an account (in every region, ignoring case), most other names within an account and
 * region. Two stacks that give the same name in the same scope cannot both be deployed; the second
 * `pulumi up` fails half-way, or worse, adopts nothing and leaves the first tenant's resource to be
 * overwritten by hand. Scopes as researched in ../shared/research/fleet.md ("Names that must be
 * unique").
 */
import type { RecordedResource } from "../plan/types";
import { distinct, inputOf, isUnknown, listing } from "./placement";
import type { FleetStack, Finding } from "./types";

/** Where a name must be unique: everywhere, in the account, or in the account and region. */
export type NameScope = "global" | "account" | "region";

/** Which input names a resource of one type, and where the name must be unique. */
export interface NamedType {
  /** What the resource is, in messages; types with the same `what` share one namespace. */
  readonly what: string;
  /** The input that sets the physical name. Absent (or a `namePrefix` instead): auto-named, unique. */
  readonly input: string;
  readonly scope: NameScope;
  /** IAM compares names ignoring case. */
  readonly ignoreCase?: boolean;
  /** A further container the name is unique in, e.g. the event bus of a rule, and its default. */
  readonly within?: { readonly input: string; readonly default: string; readonly label: string };
  /** Why the scope is what it is, for the message. */
  readonly rule: string;
}

const IAM_RULE = "IAM names are unique per account, in every region and ignoring case";
const REGION_RULE = "unique per account and region";

/**
 * The one table of named resource types. Sources: IAM quotas and CreateRole
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), S3 bucket naming
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html), and per service
 * the Create* APIs named in research/fleet.md.
 */
export const NAMED_TYPES: Readonly<Record<string, NamedType>> = {
  "aws:iam/role:Role": {
    what: "IAM role",
    input: "name",
    scope: "account",
    ignoreCase: true,
    rule: IAM_RULE,
  },
  "aws:iam/instanceProfile:InstanceProfile": {
    what: "IAM instance profile",
    input: "name",
    scope: "account",
    ignoreCase: true,
    rule: IAM_RULE,
  },
  "aws:iam/policy:Policy": {
    what: "IAM policy",
    input: "name",
    scope: "account",
    ignoreCase: true,
    rule: IAM_RULE,
  },
  "aws:iam/user:User": {
    what: "IAM user",
    input: "name",
    scope: "account",
    ignoreCase: true,
    rule: IAM_RULE,
  },
  "aws:iam/group:Group": {
    what: "IAM group",
    input: "name",
    scope: "account",
    ignoreCase: true,
    rule: IAM_RULE,
  },
  "aws:s3/bucket:Bucket": {
    what: "S3 bucket",
    input: "bucket",
    scope: "global",
    rule: "S3 bucket names are unique across every AWS account",
  },
  "aws:s3/bucketV2:BucketV2": {
    what: "S3 bucket",
    input: "bucket",
    scope: "global",
    rule: "S3 bucket names are unique across every AWS account",
  },
  "aws:secretsmanager/secret:Secret": {
    what: "Secrets Manager secret",
    input: "name",
    scope: "region",
    rule: `${REGION_RULE}, and a deleted one keeps its name for its 7 to 30-day recovery window`,
  },
  "aws:ssm/parameter:Parameter": { what: "SSM parameter", input: "name", scope: "region", rule: REGION_RULE },
  "aws:cloudwatch/logGroup:LogGroup": {
    what: "CloudWatch log group",
    input: "name",
    scope: "region",
    rule: REGION_RULE,
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    what: "CloudWatch alarm",
    input: "name",
    scope: "region",
    rule: REGION_RULE,
  },
  "aws:kms/alias:Alias": { what: "KMS alias", input: "name", scope: "region", rule: REGION_RULE },
  "aws:cloudwatch/eventRule:EventRule": {
    what: "EventBridge rule",
    input: "name",
    scope: "region",
    within: { input: "eventBusName", default: "default", label: "event bus" },
    rule: "unique per event bus, account and region",
  },
  "aws:sns/topic:Topic": { what: "SNS topic", input: "name", scope: "region", rule: REGION_RULE },
  "aws:cloudtrail/trail:Trail": {
    what: "CloudTrail trail",
    input: "name",
    scope: "region",
    rule: `${REGION_RULE}; a multi-region trail holds its name in every region`,
  },
  "aws:ec2/placementGroup:PlacementGroup": {
    what: "placement group",
    input: "name",
    scope: "region",
    rule: REGION_RULE,
  },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    what: "launch template",
    input: "name",
    scope: "region",
    rule: REGION_RULE,
  },
  "aws:autoscaling/group:Group": {
    what: "Auto Scaling group",
    input: "name",
    scope: "region",
    rule: REGION_RULE,
  },
  "aws:ec2/keyPair:KeyPair": { what: "EC2 key pair", input: "keyName", scope: "region", rule: REGION_RULE },
  // https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html
  "aws:efs/fileSystem:FileSystem": {
    what: "EFS creation token",
    input: "creationToken",
    scope: "region",
    rule: `${REGION_RULE}: CreateFileSystem answers FileSystemAlreadyExists for a token in use`,
  },
};

/** One physical name a stack gives. */
export interface PhysicalName {
  readonly stack: FleetStack;
  readonly resource: RecordedResource;
  readonly type: NamedType;
  readonly name: string;
  /** Where it must be unique, e.g. `account 111111111111, region us-east-1, event bus default`. */
  readonly scope: string;
  /** The name and scope as compared. */
  readonly key: string;
}

/** Every literal physical name the stacks give, and how many names were unknown at preview. */
export function physicalNames(stacks: readonly FleetStack[]): { names: PhysicalName[]; unknown: number } {
  const names: PhysicalName[] = [];
  let unknown = 0;
  for (const stack of stacks) {
    for (const { resource, account, region } of stack.resources) {
      const type = NAMED_TYPES[resource.type];
      const name = type === undefined ? undefined : inputOf(resource, type.input);
      if (type === undefined || name === undefined || name === null) {
        continue;
      }
      if (isUnknown(name) || typeof name !== "string") {
        unknown++;
        continue;
      }
      const parts =
        type.scope === "global"
          ? []
          : type.scope === "account"
            ? [`account ${account}`]
            : [`account ${account}`, `region ${region}`];
      if (type.within) {
        const container = inputOf(resource, type.within.input);
        parts.push(`${type.within.label} ${typeof container === "string" ? container : type.within.default}`);
      }
      const scope = parts.join(", ");
      const compared = type.ignoreCase ? name.toLowerCase() : name;
      names.push({ stack, resource, type, name, scope, key: `${type.what}\n${scope}\n${compared}` });
    }
  }
  return { names, unknown };
}

/**
 * Moat derives every physical name from the tenant id and environment (and some from the account
 * and region), so two environments of one tenant can share an account.
 */
const NAME_FIX =
  "give one of them another moat:tenant.id or moat:tenant.environment (Moat derives these names from both), or an account of its own in aws:allowedAccountIds";
const GLOBAL_NAME_FIX =
  "give one of them another moat:tenant.id or moat:tenant.environment (Moat derives these names from both)";

/** An error for every name that two or more stacks give in the same scope. */
export function checkNames(stacks: readonly FleetStack[]): Finding[] {
  const byKey = new Map<string, PhysicalName[]>();
  for (const name of physicalNames(stacks).names) {
    byKey.set(name.key, [...(byKey.get(name.key) ?? []), name]);
  }
  const order = Object.keys(NAMED_TYPES);
  const rank = (n: PhysicalName) => order.indexOf(n.resource.type);
  const clashes = [...byKey.values()].sort(
    (a, b) => rank(a[0]) - rank(b[0]) || a[0].key.localeCompare(b[0].key),
  );
  const findings: Finding[] = [];
  for (const clash of clashes) {
    const stackNames = distinct(clash.map((n) => n.stack.stack));
    if (stackNames.length < 2) {
      // Within one stack the program itself is wrong; the stack's own plan is where that shows.
      continue;
    }
    const [first] = clash;
    const where = first.scope === "" ? "" : ` in ${first.scope}`;
    const holders = clash.map((n) => `${n.stack.stack} (${n.stack.file}, resource ${n.resource.name})`);
    const resources = distinct(clash.map((n) => n.resource.name));
    const stackFiles = distinct(clash.map((n) => `${n.stack.stack} (${n.stack.file})`));
    findings.push({
      level: "error",
      check: "physical-name",
      stacks: stackNames,
      message: `${first.type.what} "${first.name}" is declared by ${listing(holders)}${where}; ${first.type.rule}`,
      grouped: {
        heading: `${listing(stackFiles)} declare the same physical names`,
        item:
          `${first.type.what} "${first.name}"${where} (${resources.length === 1 ? `resource ${resources[0]} in each` : `resources ${resources.join(", ")}`}): ` +
          first.type.rule,
      },
      // Stacks in different accounts collide only on global names; another account cannot help.
      fix: distinct(clash.map((n) => n.stack.account)).length > 1 ? GLOBAL_NAME_FIX : NAME_FIX,
    });
  }
  return findings;
}
