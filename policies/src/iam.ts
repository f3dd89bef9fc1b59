// IAM: people's access (REQUIREMENTS.md, IAM-*). IAM-1 and IAM-2 live here, IAM-3 in
// iam-privilege.ts. Every check reads policy documents that the program builds from values known
// at preview (account ID, region, tenant id, chosen names), so a first preview gets the same
// verdict as an update; a document that is unknown or unparsable is a violation (POL-2).
import type {
  Policies,
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { allowStatements, readPolicyDocument, unreadableDocument } from "./iam-document";
import {
  PeopleRole,
  PeopleRoleContext,
  TAG_ROLE,
  checkPeoplePermissions,
  environmentOf,
  missingTenant,
  peopleRoleOf,
  requiresMfa,
  tenantOf,
  unknownRoleTag,
} from "./iam-people";
import {
  iamNoAdminPolicyAttachment,
  iamPolicyNoFullAccess,
  iamResourcePolicyNoWildcardPrincipal,
  iamTrustPolicyNoWildcardPrincipal,
} from "./iam-privilege";
import {
  FoundDocument,
  IamType,
  USER_CREDENTIAL_TYPES,
  className,
  inlineDocuments,
  linkedResources,
} from "./iam-resources";
import { UNKNOWN, forTypes, notApplicableQuietly, readString } from "./props";

// A role's environment when its tag is known; unknown or missing, names are held to the tenant alone
// (the tenant tag is what IAM-1 requires; the environment only narrows which names count).
const knownEnvironment = (environment: ReturnType<typeof environmentOf>) =>
  typeof environment === "string" ? environment : undefined;

// IAM-1 problems with one permissions document of a people role; an unreadable one is one problem.
function peopleDocumentProblems(document: FoundDocument, role: PeopleRoleContext): string[] {
  const problem = unreadableDocument(document.read, `${document.source} of ${role.label}`, "IAM-1");
  if (problem) {
    return [problem];
  }
  const { read, source } = document;
  return read.kind === "document" ? checkPeoplePermissions(read.statements, role, source) : [];
}

/**
 * Runs `check` on roles tagged people-admin or people-member only. A role whose `moat:role` tag is
 * unknown cannot be told apart, so it fails rather than passing unchecked (POL-2).
 */
function forPeopleRoles(
  check: (args: ResourceValidationArgs, reportViolation: ReportViolation, kind: PeopleRole) => void,
): ResourceValidation {
  return forTypes([IamType.role], (args, reportViolation) => {
    const kind = peopleRoleOf(args.props);
    if (kind === UNKNOWN) {
      reportViolation(unknownRoleTag(`role "${args.name}"`));
      return;
    }
    if (kind === undefined) {
      return notApplicableQuietly(
        args,
        `Policy only applies to roles tagged ${TAG_ROLE} people-admin or people-member`,
      );
    }
    check(args, reportViolation, kind);
  });
}

/**
 * IAM-1: the admin and member roles for people can only be assumed with MFA. Other roles are not
 * this policy's concern; a role whose `moat:role` tag is unknown cannot be told apart and fails.
 */
export const iamPeopleRoleTrustRequiresMfa: ResourceValidationPolicy = {
  name: "iam-people-role-trust-requires-mfa",
  description:
    "Checks that every Allow statement in the trust policy of a people-admin or people-member role requires MFA with Bool aws:MultiFactorAuthPresent = true (IAM-1).",
  validateResource: forPeopleRoles((args, reportViolation) => {
    const label = `people role "${args.name}"`;
    const trust = readPolicyDocument(args.props, "assumeRolePolicy");
    const problem = unreadableDocument(trust, `the trust policy (assumeRolePolicy) of ${label}`, "IAM-1");
    if (problem) {
      reportViolation(problem);
      return;
    }
    for (const statement of allowStatements(trust).filter((s) => !requiresMfa(s))) {
      reportViolation(
        `Require MFA in ${statement.label} of the trust policy of ${label}: add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}; BoolIfExists and other operators let sessions without MFA through (IAM-1).`,
      );
    }
  }),
};

/**
 * IAM-1: what a people role's inline policies allow stays within its tenant, and a member cannot
 * change firewall rules. The tenant is the role's `moat:tenant` tag or the provider's default; its
 * `moat:environment` tag, read the same way, says which names are the tenant environment's.
 */
export const iamPeopleRoleInlinePolicyTenantScoped: ResourceValidationPolicy = {
  name: "iam-people-role-inline-policy-tenant-scoped",
  description:
    "Checks that every Allow statement in the inline policies of a people role is scoped to its tenant (tenant-tag condition, resources under moat/<tenant>-<environment>/ or moat-<tenant>-<environment>-, or moat/<tenant>/ and moat-<tenant>- for a role without a moat:environment tag, or named Describe/List actions) and that a member role cannot write security groups (IAM-1).",
  validateResource: forPeopleRoles((args, reportViolation, kind) => {
    const label = `people role "${args.name}"`;
    const tenant = tenantOf(args.props, args.provider);
    if (typeof tenant !== "string") {
      reportViolation(missingTenant(label, tenant));
      return;
    }
    const environment = knownEnvironment(environmentOf(args.props, args.provider));
    for (const document of inlineDocuments(args.props)) {
      peopleDocumentProblems(document, { label, kind, tenant, environment }).forEach((m) =>
        reportViolation(m),
      );
    }
  }),
};

// The documents an attachment or role policy gives a role, or the message when none can be read.
function attachedDocuments(
  resource: PolicyResource,
  resources: readonly PolicyResource[],
  label: string,
): FoundDocument[] | string {
  if (resource.type === IamType.rolePolicy) {
    return [{ source: `role policy "${resource.name}"`, read: readPolicyDocument(resource.props, "policy") }];
  }
  const policies = linkedResources(resource, "policyArn", [IamType.policy], resources, "arn");
  if (policies.length === 0) {
    const arn = readString(resource.props, "policyArn");
    const what = typeof arn === "string" ? `policy ${arn}` : "a policy whose ARN is unknown at preview";
    return `Replace attachment "${resource.name}" of ${what} to ${label} with a RolePolicy or an aws.iam.Policy declared in this stack: the policy pack cannot read that policy to check it stays within the tenant (IAM-1).`;
  }
  return policies.map((p) => ({
    source: `policy "${p.name}" (attached by "${resource.name}")`,
    read: readPolicyDocument(p.props, "policy"),
  }));
}

/**
 * IAM-1: the same scoping for policies that live outside the role: RolePolicy resources and
 * attachments, linked to the role through property dependencies. An attached policy the stack
 * does not declare (AWS-managed or external) cannot be read, so it fails.
 */
export const iamPeopleRoleAttachedPolicyTenantScoped: StackValidationPolicy = {
  name: "iam-people-role-attached-policy-tenant-scoped",
  description:
    "Checks that RolePolicy resources and policy attachments of people roles are scoped to the role's tenant and give a member role no security-group writes (IAM-1).",
  validateStack: (args, reportViolation) => {
    // A role with several policies would otherwise get its own problems once per policy.
    const reported = new Set<string>();
    const report = (message: string, urn: string) => {
      if (!reported.has(`${urn} ${message}`)) {
        reported.add(`${urn} ${message}`);
        reportViolation(message, urn);
      }
    };
    const attaching: readonly string[] = [IamType.rolePolicy, IamType.rolePolicyAttachment];
    for (const resource of args.resources.filter((r) => attaching.includes(r.type))) {
      for (const role of linkedResources(resource, "role", [IamType.role], args.resources, "name")) {
        const kind = peopleRoleOf(role.props);
        if (kind === UNKNOWN) {
          report(unknownRoleTag(`role "${role.name}"`), role.urn);
          continue;
        }
        if (kind === undefined) {
          continue;
        }
        const label = `people role "${role.name}"`;
        const tenant = tenantOf(role.props, role.provider);
        if (typeof tenant !== "string") {
          report(missingTenant(label, tenant), role.urn);
          continue;
        }
        const environment = knownEnvironment(environmentOf(role.props, role.provider));
        const documents = attachedDocuments(resource, args.resources, label);
        if (typeof documents === "string") {
          report(documents, resource.urn);
          continue;
        }
        for (const document of documents) {
          peopleDocumentProblems(document, { label, kind, tenant, environment }).forEach((m) =>
            report(m, resource.urn),
          );
        }
      }
    }
  },
};

/** IAM-2: machines use roles and people use the tenant's roles, so no IAM user or key exists. */
export const iamNoUsersOrAccessKeys: ResourceValidationPolicy = {
  name: "iam-no-users-or-access-keys",
  description:
    "Checks that the stack creates no IAM user, access key, login profile, user policy or other long-term user credential (IAM-2).",
  validateResource: forTypes(USER_CREDENTIAL_TYPES, (args, reportViolation) => {
    reportViolation(
      `Remove ${className(args.type)} "${args.name}": the program creates no IAM users or long-term credentials; give machines an IAM role and people the tenant's people-admin or people-member role (IAM-2).`,
    );
  }),
};

/** The IAM policies, in report order (IAM-1, IAM-2, IAM-3). */
export const iamPolicies: Policies = [
  iamPeopleRoleTrustRequiresMfa,
  iamPeopleRoleInlinePolicyTenantScoped,
  iamPeopleRoleAttachedPolicyTenantScoped,
  iamNoUsersOrAccessKeys,
  iamTrustPolicyNoWildcardPrincipal,
  iamResourcePolicyNoWildcardPrincipal,
  iamPolicyNoFullAccess,
  iamNoAdminPolicyAttachment,
];
