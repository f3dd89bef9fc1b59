import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { auditServiceStatements } from "./audit-statements";
import { tenantKeyPolicy } from "./key-policy";
import { MIN_ROTATION_DAYS, validateTenantKeyArgs } from "./tenant-key-args";
import { resolveScope, tenantKeyAliasName, tenantNameId, throwIfInvalid } from "./tenant-scope";

/**
 * Inputs of a {@link TenantKey}. Tenant, environment and owner tags (AUD-5) come from the tenant
 * provider passed in the resource options.
 */
export interface TenantKeyArgs {
  /**
   * Tenant identifier, e.g. `acme`. Names the alias `alias/moat-<tenantId>-<environment>` and the
   * roles the key policy trusts (`moat-<tenantId>-<environment>-<role>`). No default. Changing this
   * replaces the alias and rewrites the key policy, locking the old tenant's roles out.
   */
  readonly tenantId: string;
  /**
   * The tenant environment: `dev`, `staging` or `prod`. Part of the alias, of the role names the
   * key policy trusts and of the log groups it encrypts for, so two environments of a tenant can
   * share an account, each with its own key. Changing this replaces the alias and rewrites the key
   * policy, locking the old names' roles out.
   * @default none: names carry the tenant id alone
   */
  readonly environment?: string;
  /**
   * The 12-digit account ID, e.g. `aws.getCallerIdentityOutput().accountId`: a provider-function
   * result, so the key policy stays readable at the first preview (POL-2). No default.
   */
  readonly accountId: pulumi.Input<string>;
  /**
   * Region of the tenant provider, e.g. `us-east-1`; names the CloudWatch Logs service principal
   * and the services the key is used through. No default.
   */
  readonly region: string;
  /**
   * AWS partition of the account: `aws`, `aws-cn` or `aws-us-gov`.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * Days between automatic rotations of the key material, 90 to 365 (DAT-3). Rotation keeps old
   * material for decryption, so nothing is re-encrypted or replaced.
   * https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
   * @default 90
   */
  readonly rotationPeriodDays?: number;
  /**
   * Lets the audit services use the key: CloudTrail for the tenant's trail `moat-<tenantId>`
   * (AUD-1), and EventBridge and CloudWatch alarms publishing to the encrypted alert topic (AUD-2).
   * Required once the stack has an AuditTrail or an alert topic: without it the trail cannot
   * deliver and alerts are dropped. Off unless asked for, as it adds service principals to the
   * key policy; changing it rewrites the key policy in place.
   * @default false
   */
  readonly allowAuditServices?: boolean;
}

/**
 * A tenant's customer-managed symmetric KMS key (DAT-3) for EBS volumes (CMP-3), secrets (CMP-6)
 * and log groups (NET-10, AUD-3), with the alias `alias/moat-<tenantId>-<environment>` by which IAM policies
 * select it. It rotates automatically, has a 30-day deletion window, and is protected and kept on
 * `pulumi destroy` (DAT-4): a deleted key makes every volume, secret and log it encrypted unreadable.
 * With `allowAuditServices` it also encrypts the audit trail (AUD-1) and the alert topic (AUD-2).
 */
export class TenantKey extends pulumi.ComponentResource {
  /** ARN of the key. */
  public readonly keyArn: pulumi.Output<string>;
  /** ID of the key. */
  public readonly keyId: pulumi.Output<string>;
  /** The alias, `alias/moat-<tenantId>-<environment>` (`alias/moat-<tenantId>` without an environment). */
  public readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: TenantKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("TenantKey", name, validateTenantKeyArgs(args));
    super("moat:security:TenantKey", name, {}, opts);

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Moat tenant ${args.tenantId}: volumes, secrets and logs`,
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        keyUsage: "ENCRYPT_DECRYPT",
        enableKeyRotation: true,
        rotationPeriodInDays: args.rotationPeriodDays ?? MIN_ROTATION_DAYS,
        // The longest window KMS offers: a scheduled deletion can be cancelled for a month.
        deletionWindowInDays: 30,
        policy: resolveScope(args).apply((scope) =>
          JSON.stringify(
            tenantKeyPolicy(scope, args.allowAuditServices === true ? auditServiceStatements(scope) : []),
          ),
        ),
      },
      // DAT-4: refuse deletion in an update and keep the key when the stack is destroyed.
      { parent: this, protect: true, retainOnDelete: true },
    );

    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: tenantKeyAliasName(tenantNameId(args)), targetKeyId: key.keyId },
      { parent: this },
    );

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
