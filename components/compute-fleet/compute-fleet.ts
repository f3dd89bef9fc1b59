import * as pulumi from "@pulumi/pulumi";
import { clusterSecretNames } from "../cluster-secrets/secret-names";
import type { NodeGroupFirewall } from "../cluster-firewall/cluster-firewall";
import { ComputeGroup, ComputeGroupSpec } from "../compute-group/compute-group";
import { invalidArgsError } from "../firewall-rule/rule-checks";
import { renderCloudConfig, SharedFilesystemMount, SlurmScheduler } from "../node-bootstrap/node-bootstrap";
import { NodeRole } from "../node-role/node-role";
import type { ClientSecurityGroup } from "../shared-filesystem/shared-filesystem";
import { quarantineProblems, storageClientLabel } from "./fleet-args";
import { tenantNameId } from "../tenant-key/tenant-scope";

/** Inputs of a {@link ComputeFleet}. */
export interface ComputeFleetArgs {
  /** Tenant id, e.g. `acme`; names the role `moat-<tenant>-<environment>-compute`. */
  readonly tenantId: string;
  /**
   * Environment: `dev`, `staging` or `prod`. For the nodes' Name and `moat:environment` tags, and with
   * the tenant in the compute role's and secrets' names (`moat-<tenant>-<environment>-compute`,
   * `moat/<tenant>-<environment>/...`), so two environments of a tenant can share an account.
   */
  readonly environment: string;
  /** Owner contact, tagged on nodes the Auto Scaling groups launch (AUD-5). */
  readonly owner: string;
  /** The account the stack deploys to, for the role's secret ARNs. */
  readonly accountId: pulumi.Input<string>;
  /** The region the stack deploys to, e.g. `us-east-1`. */
  readonly region: string;
  /** The tenant VPC, for each group's own security groups. */
  readonly vpcId: pulumi.Input<string>;
  /** The one compute subnet: EFA and cluster placement groups need a single zone (CMP-1). */
  readonly subnetId: pulumi.Input<string>;
  /**
   * The cluster firewall's `nodeGroupFirewall`: each group's node group is joined to the head group
   * and follows the cluster's egress (NET-2, NET-3); EFA groups stay self-only (CMP-1).
   */
  readonly firewall: NodeGroupFirewall;
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
  /**
   * Node groups under quarantine, as `moat:quarantine` lists them (NET-11): each compute group
   * named here is isolated (see `ComputeGroupArgs.quarantined`); `head` is for HeadNodes and
   * passed by. Any other name is refused, so a typo never leaves a group running unisolated.
   * @default none
   */
  readonly quarantine?: readonly string[];
}

/**
 * Every compute group of a tenant: one compute role that reads exactly the cluster key (and the
 * MUNGE key with Slurm), and one {@link ComputeGroup} per configured group, each booting user data
 * that names secrets, never holds them (CMP-8), each in a node group of its own (and, with EFA, a
 * self-only EFA group, CMP-1) that quarantine can strip bare (NET-11). The resources do not grow
 * with node counts.
 */
export class ComputeFleet extends pulumi.ComponentResource {
  /** The groups by name. */
  public readonly groups: Readonly<Record<string, ComputeGroup>>;
  /**
   * Each group's node group as a shared filesystem client (`compute-<group>`), marked quarantined
   * where it is, so the filesystem declares no rule for it (NET-8, NET-11). Never the EFA group,
   * which stays self-only (CMP-1).
   */
  public readonly storageClients: readonly ClientSecurityGroup[];

  constructor(name: string, args: ComputeFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = quarantineProblems(
      args.quarantine,
      args.groups.map((g) => g.name),
    );
    if (problems.length > 0) {
      throw invalidArgsError("ComputeFleet", name, problems);
    }
    super("moat:compute:ComputeFleet", name, {}, opts);
    const secrets = clusterSecretNames(tenantNameId(args), []);
    const role = new NodeRole(
      `${name}-role`,
      {
        tenantId: args.tenantId,
        environment: args.environment,
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
        environment: args.environment,
        region: args.region,
        userKeys: args.userKeys,
        secretArns: {
          clusterKey: secrets.clusterKey,
          mungeKey: args.scheduler ? secrets.mungeKey : undefined,
        },
        scheduler: args.scheduler,
        // The Slurm feature of the node; without a scheduler there is nothing to name.
        computeGroup: args.scheduler ? group.name : undefined,
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
          firewall: args.firewall,
          kmsKeyArn: args.kmsKeyArn,
          userData,
          instanceProfileName: role.instanceProfileName,
          imageKind: args.scheduler ? "slurm" : "base",
          quarantined: args.quarantine?.includes(group.name) ?? false,
        },
        { parent: this },
      );
    }
    this.groups = groups;
    this.storageClients = args.groups.map((group) => ({
      label: storageClientLabel(group.name),
      id: groups[group.name].nodeSecurityGroupId,
      quarantined: args.quarantine?.includes(group.name) ?? false,
    }));
    this.registerOutputs({ storageClients: this.storageClients });
  }
}
