import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { resolveScope, tenantNameId, tenantRoleName, throwIfInvalid } from "../tenant-key/tenant-scope";
import { TAG_ROLE } from "../tenant/tags";
import {
  NodeRoleKind,
  nodeRolePolicy,
  nodeTrustPolicy,
  ssmManagedPolicyArn,
  validateNodeRoleArgs,
} from "./node-role-policy";

/**
 * Inputs of a {@link NodeRole}. Tenant, environment and owner tags (AUD-5) come from the tenant
 * provider passed in the resource options.
 */
export interface NodeRoleArgs {
  /**
   * Tenant identifier, e.g. `acme`. Names the role `moat-<tenantId>-<environment>-<role>`, which
   * the tenant key's policy trusts by that exact name (DAT-3). No default. Changing this replaces
   * the role.
   */
  readonly tenantId: string;
  /**
   * The tenant environment: `dev`, `staging` or `prod`. Part of the role's and instance profile's
   * names and of the secrets, parameters and key alias it may use, and required of the file systems
   * it mounts by their `moat:environment` tag, so two environments of a tenant can share an
   * account. Changing this replaces the role and its instance profile.
   * @default none: names and conditions carry the tenant alone
   */
  readonly environment?: string;
  /**
   * Which nodes wear the role: `bastion`, `head` or `compute`; also its `moat:role` tag. No default.
   * Changing this replaces the role and its instance profile.
   */
  readonly role: NodeRoleKind;
  /**
   * The 12-digit account ID, e.g. `aws.getCallerIdentityOutput().accountId`: a provider-function
   * result, so the permission policy stays readable at the first preview (POL-2). No default.
   */
  readonly accountId: pulumi.Input<string>;
  /** Region of the tenant provider, e.g. `us-east-1`; the ARNs in the policy name it. No default. */
  readonly region: string;
  /**
   * AWS partition of the account: `aws`, `aws-cn` or `aws-us-gov`.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * Exactly the Secrets Manager secret names these nodes may read, each under
   * `moat/<tenantId>-<environment>/`, e.g. `moat/acme-prod/cluster-ssh-key` or
   * `moat/acme-prod/jupyter-token/head-0` (`moat/acme/...` without an environment). Names, not ARNs: the ARN
   * is unknown at preview, and the name plus `-??????` matches that one secret (CMP-7). An empty
   * list grants no secret and no key use. No default.
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
   */
  readonly secretNames: readonly string[];
}

/**
 * The least-privilege instance role of one kind of tenant node (CMP-7) with its instance profile:
 * assumable by EC2 only, Session Manager through the AWS managed core policy, and an inline policy
 * that reads only the listed secrets of the tenant, decrypts them only with the tenant key through
 * Secrets Manager, writes only to the tenant's log groups, and reads no other tenant's parameters.
 * No `*` action, and no `*` resource on secrets, parameters or keys.
 */
export class NodeRole extends pulumi.ComponentResource {
  /** ARN of the role. */
  public readonly roleArn: pulumi.Output<string>;
  /** Name of the role, `moat-<tenantId>-<environment>-<role>`. */
  public readonly roleName: pulumi.Output<string>;
  /** Name of the instance profile, for a launch template or instance. */
  public readonly instanceProfileName: pulumi.Output<string>;
  /** ARN of the instance profile. */
  public readonly instanceProfileArn: pulumi.Output<string>;

  constructor(name: string, args: NodeRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("NodeRole", name, validateNodeRoleArgs(args));
    super("moat:security:NodeRole", name, {}, opts);

    const roleName = tenantRoleName(tenantNameId(args), args.role);
    const tags = { [TAG_ROLE]: args.role };
    const parent = { parent: this };

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: roleName,
        description: `Moat ${args.role} nodes of tenant ${args.tenantId}`,
        assumeRolePolicy: JSON.stringify(nodeTrustPolicy()),
        tags,
      },
      parent,
    );

    new aws.iam.RolePolicyAttachment(
      `${name}-ssm-core`,
      { role: role.name, policyArn: ssmManagedPolicyArn(args.partition ?? "aws") },
      parent,
    );

    new aws.iam.RolePolicy(
      `${name}-access`,
      {
        role: role.name,
        name: "node-access",
        policy: resolveScope(args).apply((scope) =>
          JSON.stringify(nodeRolePolicy(scope, args.secretNames, args.role !== "bastion")),
        ),
      },
      parent,
    );

    const profile = new aws.iam.InstanceProfile(
      `${name}-profile`,
      { name: roleName, role: role.name, tags },
      parent,
    );

    this.roleArn = role.arn;
    this.roleName = role.name;
    this.instanceProfileName = profile.name;
    this.instanceProfileArn = profile.arn;
    this.registerOutputs({
      roleArn: this.roleArn,
      roleName: this.roleName,
      instanceProfileName: this.instanceProfileName,
      instanceProfileArn: this.instanceProfileArn,
    });
  }
}
