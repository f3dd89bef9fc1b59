// Reading a planned stack (the recorded registrations) the way a mutation needs to: resources by
// type and moat:role, tags, the stack's tenant, region and account, user data, and the value the
// plan passes for a resource's ID. Editing is in edit.ts.
import type { RecordedResource } from "../plan/types";
import { UNKNOWN } from "../plan/wire";

export { UNKNOWN };

/** Resource type tokens the mutations touch. */
export const T = {
  stack: "pulumi:pulumi:Stack",
  awsProvider: "pulumi:providers:aws",
  k8sProvider: "pulumi:providers:kubernetes",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  legacyRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  autoscalingGroup: "aws:autoscaling/group:Group",
  placementGroup: "aws:ec2/placementGroup:PlacementGroup",
  keyPair: "aws:ec2/keyPair:KeyPair",
  kmsKey: "aws:kms/key:Key",
  secret: "aws:secretsmanager/secret:Secret",
  ssmParameter: "aws:ssm/parameter:Parameter",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  efs: "aws:efs/fileSystem:FileSystem",
  efsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  efsBackupPolicy: "aws:efs/backupPolicy:BackupPolicy",
  efsMountTarget: "aws:efs/mountTarget:MountTarget",
  lustre: "aws:fsx/lustreFileSystem:LustreFileSystem",
  privateKey: "tls:index/privateKey:PrivateKey",
  randomPassword: "random:index/randomPassword:RandomPassword",
} as const;

/**
 * Tag keys of components/tenant/tags.ts. tools/ compiles on its own (rootDir src), so it cannot
 * import the components; the mutation tests pin these against the planned stacks instead.
 */
export const TAG_ROLE = "moat:role";
/** Subnet and route table tier. */
export const TAG_TIER = "moat:tier";
/** The tenant ID, from the tenant provider's default tags. */
export const TAG_TENANT = "moat:tenant";
/** The tenant's owner, from the tenant provider's default tags. */
export const TAG_OWNER = "moat:owner";
/** The VPC's access mode: bastion, direct or ssm. */
export const TAG_ACCESS_MODE = "moat:access-mode";

type Inputs = Record<string, unknown>;

/** A resource's `tags` map, or an empty one. */
export function tagsOf(r: RecordedResource): Inputs {
  const tags = r.inputs.tags;
  return typeof tags === "object" && tags !== null && !Array.isArray(tags) ? (tags as Inputs) : {};
}

/** A resource's `moat:role`: its own tag, or for a launch template the tag it gives instances. */
export function roleOf(r: RecordedResource): unknown {
  const own = tagsOf(r)[TAG_ROLE];
  if (own !== undefined || r.type !== T.launchTemplate) {
    return own;
  }
  const specs = Array.isArray(r.inputs.tagSpecifications) ? (r.inputs.tagSpecifications as Inputs[]) : [];
  return (specs.find((s) => s.resourceType === "instance")?.tags as Inputs | undefined)?.[TAG_ROLE];
}

/** Resources of one type, optionally only those whose `moat:role` is one of `roles`. */
export function ofType(resources: readonly RecordedResource[], type: string, ...roles: string[]) {
  return resources.filter(
    (r) => r.type === type && (roles.length === 0 || roles.includes(roleOf(r) as string)),
  );
}

/** The first resource of a type (and role), if any. */
export function firstOf(
  resources: readonly RecordedResource[],
  type: string,
  ...roles: string[]
): RecordedResource | undefined {
  return ofType(resources, type, ...roles)[0];
}

/** Like {@link firstOf}, for mutations whose `applies` already checked that it exists. */
export function the(resources: readonly RecordedResource[], type: string, ...roles: string[]) {
  const found = firstOf(resources, type, ...roles);
  if (!found) {
    throw new Error(`the stack has no ${type}${roles.length ? ` with moat:role ${roles.join("|")}` : ""}`);
  }
  return found;
}

/** True when `property` of `r` was built from `from` (by URN). */
export function builtFrom(r: RecordedResource, property: string, from: RecordedResource): boolean {
  return (r.propertyDependencies[property] ?? []).includes(from.urn);
}

/** Standalone rules (ingress, egress, legacy) attached to a security group. */
export function rulesOf(resources: readonly RecordedResource[], group: RecordedResource) {
  return resources.filter(
    (r) =>
      [T.ingressRule, T.egressRule, T.legacyRule].includes(r.type as never) &&
      builtFrom(r, "securityGroupId", group),
  );
}

/** What the plan says about the stack itself. */
export interface StackFacts {
  readonly stack: string;
  readonly project: string;
  readonly root: RecordedResource;
  /** The tenant's explicit AWS provider (its default tags carry tenant, environment and owner). */
  readonly aws: RecordedResource;
  readonly tenant: string;
  readonly region: string;
  readonly account: string;
}

/** Stack, project, tenant, region and account of a plan. */
export function stackFacts(resources: readonly RecordedResource[]): StackFacts {
  const root = the(resources, T.stack);
  const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(root.urn) ?? [];
  const aws = the(resources, T.awsProvider);
  const defaultTags = parseJson(aws.inputs.defaultTags) as { tags?: Inputs } | undefined;
  const account = /arn:aws:iam::(\d{12}):/.exec(JSON.stringify(resources.map((r) => r.inputs)))?.[1];
  return {
    stack,
    project,
    root,
    aws,
    tenant: String(defaultTags?.tags?.[TAG_TENANT] ?? stack),
    region: String(aws.inputs.region ?? "us-east-1"),
    account: account ?? "123456789012",
  };
}

/** Parses JSON text (policy documents and provider settings are sent as text), else undefined. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") {
    return typeof value === "object" ? value : undefined;
  }
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The user data of an instance (plain text) or launch template (base64), decoded. */
export function userDataOf(r: RecordedResource): string | undefined {
  const value = r.inputs.userData;
  if (typeof value !== "string" || value === UNKNOWN) {
    return undefined;
  }
  return r.type === T.launchTemplate ? Buffer.from(value, "base64").toString("utf8") : value;
}

/** Nodes (instances and launch templates) whose user data contains `text`. */
export function nodesWithUserData(resources: readonly RecordedResource[], text: string | RegExp) {
  return resources.filter((r) => {
    const data = (r.type === T.instance || r.type === T.launchTemplate) && userDataOf(r);
    return typeof data === "string" && (typeof text === "string" ? data.includes(text) : text.test(data));
  });
}

/**
 * The value the plan passes for `target`'s ID: what another input built from `target` alone holds
 * (the mock ID, or the unknown sentinel in a first preview), so a declared input referring to
 * `target` reads exactly like the program's own references.
 */
export function idOf(resources: readonly RecordedResource[], target: RecordedResource): unknown {
  for (const r of resources) {
    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
      if (urns.length === 1 && urns[0] === target.urn && typeof r.inputs[key] === "string") {
        return r.inputs[key];
      }
    }
  }
  return UNKNOWN;
}
