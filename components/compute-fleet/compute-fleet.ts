import * as pulumi from "@pulumi/pulumi";
import { clusterSecretNames } from "../cluster-secrets/secret-names";
import { ComputeGroup, ComputeGroupSpec } from "../compute-group/compute-group";
import { renderCloudConfig, SharedFilesystemMount, SlurmScheduler } from "../node-bootstrap/node-bootstrap";
import { NodeRole } from "../node-role/node-role";

/** Inputs of a {@link ComputeFleet}. */
export interface ComputeFleetArgs {
  /** Tenant id, e.g. `acme`; names the role `moat-<tenant>-compute`. */
  readonly tenantId: string;
  readonly environment: string;
  /** Owner contact, tagged on nodes the Auto Scaling groups launch (AUD-5). */
  readonly owner: string;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  /** The one compute subnet: EFA and cluster placement groups need a single zone (CMP-1). */
  readonly subnetId: pulumi.Input<string>;
  /** The cluster group shared with the head nodes (NET-3). */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  /** The tenant key, for root volumes (CMP-3). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Users' public keys (CMP-4). */
  readonly userKeys: readonly string[];
  /** The compute groups from `moat:computeGroups`; adding one never touches the others. */
  readonly groups: readonly ComputeGroupSpec[];
  /** Slurm: nodes register themselves with the controller. @default no scheduler */
  readonly scheduler?: SlurmScheduler;
  /** Shared filesystem mounted at boot. @default none */
  readonly sharedFilesystem?: SharedFilesystemMount;
}

/**
 * Every compute group of a tenant: one compute role that reads exactly the cluster key (and the
 * MUNGE key with Slurm), and one {@link ComputeGroup} per configured group, each booting user data
 * that names secrets, never holds them (CMP-8). The resources do not grow with node counts.
 */
export class ComputeFleet extends pulumi.ComponentResource {
  /** The groups by name. */
  public readonly groups: Readonly<Record<string, ComputeGroup>>;

  constructor(name: string, args: ComputeFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("moat:compute:ComputeFleet", name, {}, opts);
    const secrets = clusterSecretNames(args.tenantId, []);
    const role = new NodeRole(
      `${name}-role`,
      {
        tenantId: args.tenantId,
        role: "compute",
        accountId: args.accountId,
        region: args.region,
        secretNames: [secrets.clusterKey, ...(args.scheduler ? [secrets.mungeKey] : [])],
      },
      { parent: this },
    );
    const groups: Record<string, ComputeGroup> = {};
    for (const group of args.groups) {
      const userData = renderCloudConfig({
        role: "compute",
        tenantId: args.tenantId,
        region: args.region,
        userKeys: args.userKeys,
        secretArns: {
          clusterKey: secrets.clusterKey,
          mungeKey: args.scheduler ? secrets.mungeKey : undefined,
        },
        scheduler: args.scheduler,
        computeGroup: group.name,
        sharedFilesystem: args.sharedFilesystem,
      });
      groups[group.name] = new ComputeGroup(
        `${name}-${group.name}`,
        {
          tenantId: args.tenantId,
          environment: args.environment,
          owner: args.owner,
          accountId: args.accountId,
          region: args.region,
          group,
          vpcId: args.vpcId,
          subnetId: args.subnetId,
          clusterSecurityGroupId: args.clusterSecurityGroupId,
          kmsKeyArn: args.kmsKeyArn,
          userData,
          instanceProfileName: role.instanceProfileName,
          imageKind: args.scheduler ? "slurm" : "base",
        },
        { parent: this },
      );
    }
    this.groups = groups;
    this.registerOutputs({});
  }
}
