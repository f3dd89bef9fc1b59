import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyDocument } from "../tenant-key/policy-document";
import {
  resolveScope,
  tenantNameId,
  TenantScope,
  tenantRoleName,
  throwIfInvalid,
} from "../tenant-key/tenant-scope";
import { TAG_ROLE } from "../tenant/tags";
import {
  adminPolicy,
  memberPolicy,
  PEOPLE_SESSION_SECONDS,
  PeopleRole,
  peopleTrustPolicy,
  validatePeopleRolesArgs,
} from "./people-policy";

/**
 * Inputs of {@link PeopleRoles}. Tenant, environment and owner tags (AUD-5) come from the tenant
 * provider passed in the resource options; the `moat:tenant` and `moat:environment` tags on nodes,
 * secrets and security groups are what the roles' conditions match.
 */
export interface PeopleRolesArgs {
  /**
   * Tenant identifier, e.g. `acme`. Names the roles `moat-<tenantId>-<environment>-admin` and
   * `-member` and is the `moat:tenant` value every permission is conditioned on (IAM-1). No
   * default. Changing this replaces both roles.
   */
  readonly tenantId: string;
  /**
   * The tenant environment: `dev`, `staging` or `prod`. Part of the role names, and the
   * `moat:environment` value every tag condition also requires, so two environments of a tenant
   * can share an account without reaching each other's resources (IAM-1). Changing this replaces
   * both roles.
   * @default none: names and conditions carry the tenant alone
   */
  readonly environment?: string;
  /**
   * The 12-digit account ID, e.g. `aws.getCallerIdentityOutput().accountId`: a provider-function
   * result, so the policies stay readable at the first preview (POL-2). No default.
   */
  readonly accountId: pulumi.Input<string>;
  /** Region of the tenant provider, e.g. `us-east-1`; the ARNs in the policies name it. No default. */
  readonly region: string;
  /**
   * AWS partition of the account: `aws`, `aws-cn` or `aws-us-gov`.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * IAM ARNs of the people (their users or sign-in roles) who may assume the admin role, e.g.
   * `arn:aws:iam::123456789012:role/acme-sso-admins`. An empty list creates no admin role.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
   */
  readonly admins: readonly string[];
  /** IAM ARNs of the people who may assume the member role. An empty list creates no member role. */
  readonly members: readonly string[];
}

/**
 * The two roles people use to reach one tenant environment (IAM-1): `moat-<tenantId>-<environment>-member`
 * opens SSH and port-forwarding sessions on the tenant's nodes and reads its JupyterLab tokens;
 * `moat-<tenantId>-<environment>-admin` may also change the inbound rules of the tenant's security
 * groups. Both trust exactly the listed principals, require MFA and last at most an hour; every
 * permission is held to the tenant environment by its `moat:tenant` and `moat:environment` tags or
 * key alias. No IAM user and no access key (IAM-2).
 */
export class PeopleRoles extends pulumi.ComponentResource {
  /** ARN of the admin role; undefined when no admin is listed. */
  public readonly adminRoleArn: pulumi.Output<string> | undefined;
  /** Name of the admin role, `moat-<tenantId>-<environment>-admin`; undefined when no admin is listed. */
  public readonly adminRoleName: pulumi.Output<string> | undefined;
  /** ARN of the member role; undefined when no member is listed. */
  public readonly memberRoleArn: pulumi.Output<string> | undefined;
  /** Name of the member role, `moat-<tenantId>-<environment>-member`; undefined when no member is listed. */
  public readonly memberRoleName: pulumi.Output<string> | undefined;

  constructor(name: string, args: PeopleRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("PeopleRoles", name, validatePeopleRolesArgs(args));
    super("moat:security:PeopleRoles", name, {}, opts);

    const scope = resolveScope(args);
    const admin = args.admins.length > 0 ? this.role(name, "admin", args, scope, adminPolicy) : undefined;
    const member = args.members.length > 0 ? this.role(name, "member", args, scope, memberPolicy) : undefined;

    this.adminRoleArn = admin?.arn;
    this.adminRoleName = admin?.name;
    this.memberRoleArn = member?.arn;
    this.memberRoleName = member?.name;
    this.registerOutputs({
      adminRoleArn: this.adminRoleArn,
      adminRoleName: this.adminRoleName,
      memberRoleArn: this.memberRoleArn,
      memberRoleName: this.memberRoleName,
    });
  }

  private role(
    name: string,
    kind: PeopleRole,
    args: PeopleRolesArgs,
    scope: pulumi.Output<TenantScope>,
    permissions: (scope: TenantScope) => PolicyDocument,
  ): aws.iam.Role {
    const role = new aws.iam.Role(
      `${name}-${kind}`,
      {
        name: tenantRoleName(tenantNameId(args), kind),
        description: `Moat ${kind}s of tenant ${args.tenantId} (MFA required)`,
        assumeRolePolicy: JSON.stringify(peopleTrustPolicy(kind === "admin" ? args.admins : args.members)),
        maxSessionDuration: PEOPLE_SESSION_SECONDS,
        tags: { [TAG_ROLE]: `people-${kind}` },
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-${kind}-access`,
      {
        role: role.name,
        name: "people-access",
        policy: scope.apply((resolved) => JSON.stringify(permissions(resolved))),
      },
      { parent: this },
    );
    return role;
  }
}
