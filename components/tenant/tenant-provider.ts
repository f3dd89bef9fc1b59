import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ACCOUNT_ID } from "../tenant-key/tenant-scope";
import { tenantTags, TenantTagArgs } from "./tags";

/** Where a tenant's resources live and whose they are. */
export interface TenantProviderArgs extends TenantTagArgs {
  /**
   * AWS region for every resource created through the provider, e.g. `us-east-1`.
   * Changing this replaces every resource that uses the provider.
   */
  readonly region: string;
  /**
   * The AWS accounts the provider may act in, e.g. `["111111111111"]` (the stack's
   * `aws:allowedAccountIds`). With credentials of any other account the provider refuses to run, so
   * a wrong profile or role cannot create this tenant's resources in another tenant's account.
   * https://www.pulumi.com/registry/packages/aws/api-docs/provider/#allowed_account_ids_nodejs
   */
  readonly allowedAccountIds: readonly string[];
}

/**
 * An AWS provider for one tenant whose `defaultTags` put the tenant, environment and owner tags on
 * every taggable resource created through it (AUD-5), so no component can forget them.
 *
 * Default tags do not reach what AWS creates on the program's behalf (instances launched by an Auto
 * Scaling group, volumes of a launch template); components that create those must pass
 * {@link tenantTags} explicitly.
 *
 * @throws Error when `allowedAccountIds` is empty or holds anything but 12-digit account ids: a
 * provider that may act in any account is the mistake the setting exists to prevent.
 */
export function createTenantProvider(
  name: string,
  args: TenantProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.Provider {
  const badIds = args.allowedAccountIds.filter((id) => !ACCOUNT_ID.test(id));
  if (args.allowedAccountIds.length === 0 || badIds.length > 0) {
    throw new Error(
      `The tenant provider needs the 12-digit ids of the accounts it may act in (allowedAccountIds)` +
        (badIds.length > 0 ? `, not ${badIds.map((id) => JSON.stringify(id)).join(", ")}` : "") +
        `, e.g. ["111111111111"].`,
    );
  }
  return new aws.Provider(
    name,
    {
      region: args.region,
      allowedAccountIds: [...args.allowedAccountIds],
      defaultTags: {
        tags: tenantTags({ tenantId: args.tenantId, environment: args.environment, owner: args.owner }),
      },
    },
    opts,
  );
}
