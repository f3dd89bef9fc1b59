import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { tenantTags, TenantTagArgs } from "./tags";

/** Where a tenant's resources live and whose they are. */
export interface TenantProviderArgs extends TenantTagArgs {
  /**
   * AWS region for every resource created through the provider, e.g. `us-east-1`.
   * Changing this replaces every resource that uses the provider.
   */
  readonly region: string;
}

/**
 * An AWS provider for one tenant whose `defaultTags` put the tenant, environment and owner tags on
 * every taggable resource created through it (AUD-5), so no component can forget them.
 *
 * Default tags do not reach what AWS creates on the program's behalf (instances launched by an Auto
 * Scaling group, volumes of a launch template); components that create those must pass
 * {@link tenantTags} explicitly.
 */
export function createTenantProvider(
  name: string,
  args: TenantProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.Provider {
  return new aws.Provider(
    name,
    {
      region: args.region,
      defaultTags: {
        tags: tenantTags({ tenantId: args.tenantId, environment: args.environment, owner: args.owner }),
      },
    },
    opts,
  );
}
