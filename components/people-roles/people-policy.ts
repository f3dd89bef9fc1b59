import { policyDocument, PolicyDocument, PolicyStatement } from "../tenant-key/policy-document";
import {
  accountKeysArn,
  ArgsProblem,
  serviceHost,
  tenantKeyAliasName,
  tenantNameId,
  TenantScope,
  tenantSecretPrefix,
  tenantTagConditions,
  validateTenantScope,
} from "../tenant-key/tenant-scope";
import type { PeopleRolesArgs } from "./people-roles";

/** The two roles people assume into a tenant (IAM-1). */
export const PEOPLE_ROLES = ["admin", "member"] as const;

/** One of {@link PEOPLE_ROLES}. */
export type PeopleRole = (typeof PEOPLE_ROLES)[number];

/** Session documents a member may start: SSH over Session Manager and port forwarding (JupyterLab). */
export const SESSION_DOCUMENTS: readonly string[] = [
  "AWS-StartSSHSession",
  "AWS-StartPortForwardingSession",
  "AWS-StartPortForwardingSessionToRemoteHost",
];

/** Longest session of a people's role, in seconds: one hour, then MFA again (IAM-1). */
export const PEOPLE_SESSION_SECONDS = 3600;

/**
 * Trust policy of a people's role (IAM-1, IAM-3): exactly the listed principals, and only with MFA.
 * `Bool` (not `BoolIfExists`): a request without the MFA key, such as one signed with long-term
 * access keys, is refused rather than let through.
 */
export function peopleTrustPolicy(principals: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "ListedPeopleAssumeWithMfa",
      Effect: "Allow",
      Principal: { AWS: principals },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    },
  ]);
}

/**
 * What a member may do (IAM-1): open SSH and port-forwarding sessions on the tenant's nodes, end
 * and resume only their own sessions, read the tenant's JupyterLab tokens and decrypt them with the
 * tenant key, and list instances to find a node. Every statement with a resource pattern is held to
 * the tenant by the `moat:tenant` tag (and, with an environment, the `moat:environment` tag) or the
 * tenant key's alias, except the session statement, which is held to the caller.
 */
export function memberPolicy(scope: TenantScope): PolicyDocument {
  return policyDocument(memberStatements(scope));
}

/**
 * What an admin may do (IAM-1): everything a member may, plus change the inbound rules of the
 * tenant's security groups (selected by the `moat:tenant` and `moat:environment` tags) and read the
 * firewall.
 */
export function adminPolicy(scope: TenantScope): PolicyDocument {
  return policyDocument([
    ...memberStatements(scope),
    {
      Sid: "ChangeTenantFirewallRules",
      Effect: "Allow",
      Action: [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:ModifySecurityGroupRules",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
      ],
      Resource: `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:security-group/*`,
      Condition: { StringEquals: tenantTagConditions("aws:ResourceTag", scope) },
    },
    {
      // Describe calls have no resource-level permissions: named reads on `*` (IAM-3).
      Sid: "ReadFirewall",
      Effect: "Allow",
      Action: ["ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups"],
      Resource: "*",
    },
  ]);
}

function memberStatements(scope: TenantScope): PolicyStatement[] {
  const { partition, region, accountId } = scope;
  const nameId = tenantNameId(scope);
  return [
    {
      // SessionDocumentAccessCheck makes StartSession check the document too, so a member cannot
      // fall back to the default shell document, which is not granted below.
      Sid: "StartSessionsOnTenantNodes",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: `arn:${partition}:ec2:${region}:${accountId}:instance/*`,
      Condition: {
        StringEquals: tenantTagConditions("ssm:resourceTag", scope),
        BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" },
      },
    },
    {
      Sid: "StartSshAndPortForwardingSessions",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: SESSION_DOCUMENTS.map((document) => `arn:${partition}:ssm:${region}::document/${document}`),
    },
    {
      // People always arrive through an assumed role, which has no `aws:username`; Session
      // Manager tags each session with the starter's `aws:userid` instead.
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html
      Sid: "EndAndResumeOwnSessions",
      Effect: "Allow",
      Action: ["ssm:ResumeSession", "ssm:TerminateSession"],
      Resource: `arn:${partition}:ssm:${region}:${accountId}:session/*`,
      Condition: { StringLike: { "ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}" } },
    },
    {
      Sid: "ReadTenantJupyterTokens",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${tenantSecretPrefix(nameId)}jupyter-token/*`,
      Condition: { StringEquals: tenantTagConditions("secretsmanager:ResourceTag", scope) },
    },
    {
      // The tokens are encrypted with the tenant key (CMP-6). The alias pins that one key; the tag
      // condition is the tenant-tag scoping every people's permission carries (IAM-1).
      Sid: "DecryptTokensWithTenantKey",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: accountKeysArn(scope),
      Condition: {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": tenantKeyAliasName(nameId) },
        StringEquals: {
          ...tenantTagConditions("aws:ResourceTag", scope),
          "kms:ViaService": serviceHost(scope, "secretsmanager"),
        },
      },
    },
    {
      // Describe calls have no resource-level permissions: a named read on `*` (IAM-3).
      Sid: "FindNodes",
      Effect: "Allow",
      Action: "ec2:DescribeInstances",
      Resource: "*",
    },
  ];
}

// The principals a person signs in as: a role or user, a specific assumed-role session, or an
// account root (which delegates to that account's own IAM policies). Same rule as the stack schema.
const IAM_PRINCIPAL = /^arn:aws(-[a-z]+)*:(iam|sts)::\d{12}:(root|(role|user|assumed-role)\/[\w+=,.@/-]+)$/;

/**
 * Checks every {@link PeopleRolesArgs} property and returns all problems at once; an empty array
 * means the args are usable. A principal must be one IAM ARN: no `*`, no bare account ID (IAM-3).
 */
export function validatePeopleRolesArgs(args: PeopleRolesArgs): ArgsProblem[] {
  const problems = validateTenantScope(args);
  for (const key of ["admins", "members"] as const) {
    const list: unknown = args[key];
    if (!Array.isArray(list)) {
      problems.push({ propertyPath: key, reason: `set ${key} to a list of IAM principal ARNs, [] for none` });
      continue;
    }
    const seen = new Set<unknown>();
    list.forEach((principal: unknown, i) => {
      if (typeof principal !== "string" || !IAM_PRINCIPAL.test(principal)) {
        problems.push({
          propertyPath: `${key}[${i}]`,
          reason: `${JSON.stringify(principal)} is not an IAM principal ARN; name the role or user people sign in as, e.g. arn:aws:iam::123456789012:role/acme-sso-${key} (IAM-3 forbids *)`,
        });
      } else if (seen.has(principal)) {
        problems.push({
          propertyPath: `${key}[${i}]`,
          reason: `${JSON.stringify(principal)} is listed twice; list it once`,
        });
      }
      seen.add(principal);
    });
  }
  return problems;
}
