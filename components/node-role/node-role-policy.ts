import { policyDocument, PolicyDocument, PolicyStatement } from "../tenant-key/policy-document";
import {
  accountKeysArn,
  ArgsProblem,
  secretArnPattern,
  serviceHost,
  tenantKeyAliasName,
  nodeLogGroupsArn,
  tenantNameId,
  TenantScope,
  tenantSecretPrefix,
  tenantTagConditions,
  validateTenantScope,
} from "../tenant-key/tenant-scope";
import type { NodeRoleArgs } from "./node-role";

/** The kinds of node that get an instance role. */
export const NODE_ROLES = ["bastion", "head", "compute"] as const;

/** One of {@link NODE_ROLES}. */
export type NodeRoleKind = (typeof NODE_ROLES)[number];

/**
 * The AWS managed policy that lets the SSM agent register the node and carry Session Manager
 * sessions (the `ssm` access mode, NET-7). It also allows `ssm:GetParameter*` on every parameter,
 * which {@link nodeRolePolicy} takes back with a Deny (CMP-7).
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
 */
export function ssmManagedPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`;
}

/** Trust policy of a node role: only the EC2 service may assume it, for an instance profile. */
export function nodeTrustPolicy(): PolicyDocument {
  return policyDocument([
    {
      Sid: "Ec2AssumesRole",
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ]);
}

const PARAMETER_READS = [
  "ssm:GetParameter",
  "ssm:GetParameterHistory",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
];

/**
 * The inline permissions of a node role (CMP-7): read exactly the named secrets, decrypt them with
 * the tenant key only through Secrets Manager, write to the tenant's node log groups, and read no SSM
 * parameter outside `/moat/<tenantId>-<environment>/` (the name id, {@link tenantNameId}). Every ARN
 * comes from known values, so the document is readable at preview (POL-2). A role without secrets
 * (the bastion) gets neither secret statement.
 */
export function nodeRolePolicy(
  scope: TenantScope,
  secretNames: readonly string[],
  mountsSharedFilesystem = false,
): PolicyDocument {
  const secrets: PolicyStatement[] =
    secretNames.length === 0
      ? []
      : [
          {
            Sid: "ReadOwnSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            Resource: secretNames.map((secret) => secretArnPattern(scope, secret)),
          },
          {
            // The key's ARN is unknown at preview; its alias selects it instead (POL-2).
            Sid: "DecryptOwnSecretsWithTenantKey",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: accountKeysArn(scope),
            Condition: {
              "ForAnyValue:StringEquals": { "kms:ResourceAliases": tenantKeyAliasName(tenantNameId(scope)) },
              StringEquals: { "kms:ViaService": serviceHost(scope, "secretsmanager") },
            },
          },
        ];
  // EFS mounts with `-o tls,iam` (DAT-2): the file system's policy is deny-only, so the node's role
  // must grant the mount; the tenant and environment tags keep it to this tenant environment's.
  const filesystem: PolicyStatement[] = mountsSharedFilesystem
    ? [
        {
          Sid: "MountTenantFileSystems",
          Effect: "Allow",
          Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          Resource: `arn:${scope.partition}:elasticfilesystem:${scope.region}:${scope.accountId}:file-system/*`,
          Condition: { StringEquals: tenantTagConditions("aws:ResourceTag", scope) },
        },
      ]
    : [];
  return policyDocument([
    ...secrets,
    ...filesystem,
    {
      // Only the node log groups: never the flow logs' group under the same tenant prefix, nor a
      // trail's, which a node that is broken into could otherwise fill or forge (AUD-1).
      Sid: "WriteNodeLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: nodeLogGroupsArn(scope),
    },
    {
      Sid: "DenyParametersOfOthers",
      Effect: "Deny",
      Action: PARAMETER_READS,
      NotResource: `arn:${scope.partition}:ssm:${scope.region}:${scope.accountId}:parameter/moat/${tenantNameId(scope)}/*`,
    },
  ]);
}

// Characters Secrets Manager allows in a name; `*` and `?` are not among them, so a name can never
// widen the ARN pattern built from it.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * Checks every {@link NodeRoleArgs} property and returns all problems at once; an empty array
 * means the args are usable. Secret names must belong to the tenant environment
 * (`moat/<tenantId>-<environment>/...`), so a node can never be granted another tenant's or
 * environment's secret (CMP-7).
 */
export function validateNodeRoleArgs(args: NodeRoleArgs): ArgsProblem[] {
  const problems = validateTenantScope(args);
  if (!(NODE_ROLES as readonly unknown[]).includes(args.role)) {
    problems.push({
      propertyPath: "role",
      reason: `${JSON.stringify(args.role)} is not a node role; use one of ${NODE_ROLES.join(", ")}`,
    });
  }
  if (!Array.isArray(args.secretNames)) {
    problems.push({
      propertyPath: "secretNames",
      reason: "set secretNames to the list of secrets this node reads, [] for none",
    });
    return problems;
  }
  const prefix = tenantSecretPrefix(tenantNameId(args));
  // With the tenant id or environment wrong, every name would miss the prefix and bury that mistake.
  const prefixKnown = !problems.some(
    (p) => p.propertyPath === "tenantId" || p.propertyPath === "environment",
  );
  const seen = new Set<string>();
  args.secretNames.forEach((secret, i) => {
    const path = `secretNames[${i}]`;
    if (typeof secret !== "string" || !SECRET_NAME.test(secret) || secret.endsWith("/")) {
      problems.push({
        propertyPath: path,
        reason: `${JSON.stringify(secret)} is not a secret name; name exactly one secret, e.g. ${prefix}cluster-ssh-key (no wildcards)`,
      });
    } else if (prefixKnown && (!secret.startsWith(prefix) || secret.length === prefix.length)) {
      problems.push({
        propertyPath: path,
        reason: `${JSON.stringify(secret)} is not one of this tenant's secrets; a node reads only names under ${prefix} (CMP-7)`,
      });
    } else if (seen.has(secret)) {
      problems.push({
        propertyPath: path,
        reason: `${JSON.stringify(secret)} is listed twice; list it once`,
      });
    }
    seen.add(secret);
  });
  return problems;
}
