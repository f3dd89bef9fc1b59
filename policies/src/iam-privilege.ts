// IAM-3: privilege limits. No trust or resource policy opens to everyone, no identity policy
// grants everything on everything, and no AWS administrator policy is attached. Documents are
// read from values known at preview; an unknown or unparsable one is a violation (POL-2).
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  Statement,
  allowStatements,
  isWildcardPrincipal,
  readPolicyDocument,
  restrictsToAccounts,
  unreadableDocument,
} from "./iam-document";
import { FoundDocument, IamType, inlineDocuments, linkedResources } from "./iam-resources";
import { UNKNOWN, forTypes, readString } from "./props";

/** IAM-3: no role trusts everyone. A condition does not rescue a wildcard trust. */
export const iamTrustPolicyNoWildcardPrincipal: ResourceValidationPolicy = {
  name: "iam-trust-policy-no-wildcard-principal",
  description:
    'Checks that no role\'s trust policy allows the "*" principal or uses NotPrincipal in an Allow statement, with or without conditions (IAM-3).',
  validateResource: forTypes([IamType.role], (args, reportViolation) => {
    const subject = `the trust policy (assumeRolePolicy) of role "${args.name}"`;
    const trust = readPolicyDocument(args.props, "assumeRolePolicy");
    const problem = unreadableDocument(trust, subject, "IAM-3");
    if (problem) {
      reportViolation(problem);
      return;
    }
    for (const statement of allowStatements(trust)) {
      if ((statement.principals ?? []).some(isWildcardPrincipal)) {
        reportViolation(
          `Replace the "*" principal in ${statement.label} of ${subject} with the accounts, roles or services that may assume it: conditions do not make a wildcard trust safe (IAM-3).`,
        );
      }
      if (statement.notPrincipals !== undefined) {
        reportViolation(
          `Replace NotPrincipal in ${statement.label} of ${subject} with Principal: an Allow with NotPrincipal trusts everyone not listed (IAM-3).`,
        );
      }
    }
  }),
};

const RESOURCE_POLICY_LABELS: Readonly<Record<string, string>> = {
  [IamType.kmsKey]: "KMS key",
  [IamType.kmsKeyPolicy]: "KMS key policy",
  [IamType.secretPolicy]: "secret policy",
  [IamType.bucketPolicy]: "bucket policy",
  [IamType.topicPolicy]: "topic policy",
};

/**
 * IAM-3: resource policies do not open a resource to everyone. A `*` principal passes only with
 * a condition that pins callers to named accounts (e.g. a service acting for the account).
 */
export const iamResourcePolicyNoWildcardPrincipal: ResourceValidationPolicy = {
  name: "iam-resource-policy-no-wildcard-principal",
  description:
    'Checks that KMS key, secret, bucket and topic policies allow the "*" principal only under an aws:PrincipalAccount, aws:SourceAccount or aws:PrincipalArn condition naming an account, and never use NotPrincipal in an Allow (IAM-3).',
  validateResource: forTypes(Object.keys(RESOURCE_POLICY_LABELS), (args, reportViolation) => {
    const subject = `the policy of ${RESOURCE_POLICY_LABELS[args.type]} "${args.name}"`;
    const document = readPolicyDocument(args.props, "policy");
    const problem = unreadableDocument(document, subject, "IAM-3");
    if (problem) {
      reportViolation(problem);
      return;
    }
    for (const statement of allowStatements(document)) {
      const wildcard = (statement.principals ?? []).some(isWildcardPrincipal);
      if (wildcard && !restrictsToAccounts(statement)) {
        reportViolation(
          `Restrict ${statement.label} of ${subject}: it allows the "*" principal; name the principals, or add a StringEquals condition on aws:PrincipalAccount, aws:SourceAccount or aws:PrincipalArn naming your account (IAM-3).`,
        );
      }
      if (statement.notPrincipals !== undefined) {
        reportViolation(
          `Replace NotPrincipal in ${statement.label} of ${subject} with Principal: an Allow with NotPrincipal grants everyone not listed (IAM-3).`,
        );
      }
    }
  }),
};

// What an Allow statement grants on everything, or undefined when it is narrower than that.
function fullAccess(statement: Statement): string | undefined {
  const everywhere = statement.resources?.includes("*") || statement.notResources !== undefined;
  if (!everywhere) {
    return undefined;
  }
  if (statement.actions?.some((a) => a === "*" || a === "*:*")) {
    return "every action";
  }
  return statement.notActions !== undefined ? "every action outside its NotAction list" : undefined;
}

const IDENTITY_POLICY_LABELS: Readonly<Record<string, string>> = {
  [IamType.rolePolicy]: "role policy",
  [IamType.policy]: "policy",
  [IamType.groupPolicy]: "group policy",
};

/** IAM-3: no identity policy grants every action on every resource. */
export const iamPolicyNoFullAccess: ResourceValidationPolicy = {
  name: "iam-policy-no-full-access",
  description:
    'Checks that no identity policy (role inline policy, RolePolicy, Policy, GroupPolicy) allows Action "*" (or NotAction) on Resource "*" (IAM-3).',
  validateResource: forTypes(
    [IamType.role, ...Object.keys(IDENTITY_POLICY_LABELS)],
    (args, reportViolation) => {
      const documents: FoundDocument[] =
        args.type === IamType.role
          ? inlineDocuments(args.props).map((d) => ({ ...d, source: `${d.source} of role "${args.name}"` }))
          : [
              {
                source: `${IDENTITY_POLICY_LABELS[args.type]} "${args.name}"`,
                read: readPolicyDocument(args.props, "policy"),
              },
            ];
      for (const { source, read } of documents) {
        const problem = unreadableDocument(read, source, "IAM-3");
        if (problem) {
          reportViolation(problem);
        }
        for (const statement of allowStatements(read)) {
          const what = fullAccess(statement);
          if (what) {
            reportViolation(
              `Narrow ${statement.label} of ${source}: it allows ${what} on every resource; grant only the actions and resources the principal needs (IAM-3).`,
            );
          }
        }
      }
    },
  ),
};

const ADMIN_POLICY = /^arn:[a-z-]+:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/**
 * IAM-3: no AWS-managed administrator policy is attached. Runs over the stack so that an ARN
 * unknown at preview can be traced to an aws.iam.Policy of this stack, whose document
 * iam-policy-no-full-access checks; an unknown ARN with no such link fails.
 */
export const iamNoAdminPolicyAttachment: StackValidationPolicy = {
  name: "iam-no-admin-policy-attachment",
  description:
    "Checks that no role, group or policy attachment attaches AdministratorAccess, PowerUserAccess or IAMFullAccess, or a policy ARN unknown at preview that no policy of the stack explains (IAM-3).",
  validateStack: (args, reportViolation) => {
    const types: readonly string[] = [
      IamType.rolePolicyAttachment,
      IamType.groupPolicyAttachment,
      IamType.policyAttachment,
    ];
    for (const resource of args.resources.filter((r) => types.includes(r.type))) {
      if (linkedResources(resource, "policyArn", [IamType.policy], args.resources, "arn").length > 0) {
        continue;
      }
      const arn = readString(resource.props, "policyArn");
      const label = `attachment "${resource.name}"`;
      if (arn === UNKNOWN) {
        reportViolation(
          `Build policyArn of ${label} from a known ARN or from an aws.iam.Policy declared in this stack: it is unknown at preview, so this policy cannot tell whether it grants administrator access (IAM-3, POL-2).`,
          resource.urn,
        );
      } else if (arn !== undefined && ADMIN_POLICY.test(arn)) {
        reportViolation(
          `Remove ${label} of ${arn}: it grants administrator-level access; attach a least-privilege policy instead (IAM-3).`,
          resource.urn,
        );
      }
    }
  },
};
