import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterSecretNames } from "../cluster-secrets/secret-names";
import { renderCloudConfig, SharedFilesystemMount, SlurmScheduler } from "../node-bootstrap/node-bootstrap";
import { invalidArgsError } from "../firewall-rule/rule-checks";
import { clusterDnsZone } from "../node-bootstrap/slurm-files";
import { NodeRole } from "../node-role/node-role";
import { imageIgnoreChanges, nodeImage } from "../node-instance/image";
import { nodeInstanceArgs } from "../node-instance/instance-args";
import { DefaultDenySecurityGroup } from "../security-group/security-group";
import { tenantNameId } from "../tenant-key/tenant-scope";

/** Inputs of {@link HeadNodes}. */
export interface HeadNodesArgs {
  /** Tenant id, e.g. `acme`; names the role `moat-<tenant>-<environment>-head` and the secrets. */
  readonly tenantId: string;
  /**
   * Environment: `dev`, `staging` or `prod`. For the Name tags, and with the tenant in the role's
   * and secrets' names (`moat-<tenant>-<environment>-head`, `moat/<tenant>-<environment>/...`), so two
   * environments of a tenant can share an account.
   */
  readonly environment: string;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
  /** Stable node names, e.g. `["head-0"]`; a name is an identity, renaming replaces the node. */
  readonly nodeNames: readonly string[];
  /** Changing it stops and starts the nodes. */
  readonly instanceType: string;
  /**
   * @default with a scheduler, the pinned AWS ParallelCluster Amazon Linux 2023 image (Slurm and
   * MUNGE); without, the current Amazon Linux 2023 image; fixed at creation either way
   */
  readonly imageId?: string;
  /** The management subnet. */
  readonly subnetId: pulumi.Input<string>;
  /**
   * The head group (SSH from the bastion or allowlist; compute groups reach it, NET-3) and the
   * cluster group the head nodes share. Set aside while `quarantined`.
   */
  readonly securityGroupIds: pulumi.Input<string>[];
  /** The tenant key, for the root volumes (CMP-3). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Users' public keys (CMP-4). */
  readonly userKeys: readonly string[];
  /** Public addresses, in `direct` access mode only (NET-6). */
  readonly publicIp: boolean;
  /**
   * Root volume size in GiB.
   * @default 100
   */
  readonly rootVolumeGiB?: number;
  /** The tenant VPC: head nodes get names `head-<i>.<tenant>.moat.internal` in a private zone of it. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * Slurm controller on head-0 (the image must carry Slurm and MUNGE; see node-bootstrap).
   * @default no scheduler
   */
  readonly scheduler?: SlurmScheduler;
  /** Shared filesystem to mount at boot. @default none */
  readonly sharedFilesystem?: SharedFilesystemMount;
  /**
   * Incident isolation of every head node (NET-11): each node's only security group becomes a
   * dedicated deny-all group (no rule in or out, tagged `moat:role = quarantine`), an in-place
   * update that keeps the nodes running, and their root volumes are kept on termination. The rules
   * of the head group stay; with no node in it they reach nothing. Setting it back to false
   * returns the nodes to `securityGroupIds` and deletes the deny-all group; nothing is replaced.
   * @default false
   */
  readonly quarantined?: boolean;
}

/** A head node's addresses. */
export interface HeadNodeOutputs {
  readonly instanceId: pulumi.Output<string>;
  readonly privateIp: pulumi.Output<string>;
  readonly publicIp: pulumi.Output<string>;
}

/**
 * The management nodes: private (or, in `direct` mode, SSH-reachable from the allowlist), IMDSv2
 * with hop limit 2 for containers (CMP-2), encrypted root volumes (CMP-3), sshd keys-only (CMP-4,
 * CMP-5), JupyterLab on localhost with its token and TLS certificate fetched from Secrets Manager by
 * name (CMP-6, CMP-8), refreshed on a timer so a rotation replaces no node (CMP-9). `quarantined`
 * isolates them all in a deny-all group (NET-11).
 */
export class HeadNodes extends pulumi.ComponentResource {
  /** Addresses per node name. */
  public readonly nodes: Readonly<Record<string, HeadNodeOutputs>>;

  constructor(name: string, args: HeadNodesArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.quarantined !== undefined && typeof args.quarantined !== "boolean") {
      throw invalidArgsError("HeadNodes", name, [
        {
          propertyPath: "quarantined",
          reason: `${JSON.stringify(args.quarantined)} is not true or false; true isolates the head nodes (NET-11)`,
        },
      ]);
    }
    super("moat:access:HeadNodes", name, {}, opts);
    const quarantined = args.quarantined === true;
    const secrets = clusterSecretNames(tenantNameId(args), args.nodeNames);
    const role = new NodeRole(
      `${name}-role`,
      {
        tenantId: args.tenantId,
        environment: args.environment,
        role: "head",
        accountId: args.accountId,
        region: args.region,
        secretNames: [
          secrets.clusterKey,
          ...Object.values(secrets.jupyterTokens),
          ...Object.values(secrets.jupyterTls),
          ...(args.scheduler ? [secrets.mungeKey] : []),
        ],
      },
      { parent: this },
    );
    // With a scheduler, the default image is one that carries Slurm and MUNGE.
    const imageKind = args.scheduler ? "slurm" : "base";
    const imageId = nodeImage(args.instanceType, args.imageId, { parent: this }, imageKind);
    // Stable names nodes use to find each other (the Slurm controller is head-0), private to the VPC.
    const zone = new aws.route53.Zone(
      `${name}-zone`,
      { name: clusterDnsZone(args.tenantId), vpcs: [{ vpcId: args.vpcId }], comment: "Moat cluster names" },
      { parent: this },
    );
    // Exists only while quarantined: the nodes' whole posture, so it carries no rule at all.
    const securityGroupIds = quarantined
      ? [
          new DefaultDenySecurityGroup(
            `${name}-quarantine`,
            {
              vpcId: args.vpcId,
              role: "quarantine",
              description: `Moat ${args.tenantId} head nodes under quarantine: no traffic in or out (NET-11)`,
              egress: "none",
            },
            { parent: this },
          ).securityGroupId,
        ]
      : args.securityGroupIds;
    const nodes: Record<string, HeadNodeOutputs> = {};
    for (const node of args.nodeNames) {
      const instance = new aws.ec2.Instance(
        `${name}-${node}`,
        nodeInstanceArgs({
          role: "head",
          instanceType: args.instanceType,
          imageId,
          subnetId: args.subnetId,
          securityGroupIds,
          instanceProfileName: role.instanceProfileName,
          kmsKeyArn: args.kmsKeyArn,
          userData: renderCloudConfig({
            role: "head",
            tenantId: args.tenantId,
            environment: args.environment,
            region: args.region,
            nodeName: node,
            userKeys: args.userKeys,
            secretArns: {
              clusterKey: secrets.clusterKey,
              jupyterToken: secrets.jupyterTokens[node],
              jupyterTls: secrets.jupyterTls[node],
              mungeKey: args.scheduler ? secrets.mungeKey : undefined,
            },
            scheduler: args.scheduler,
            sharedFilesystem: args.sharedFilesystem,
          }),
          publicIp: args.publicIp,
          rootVolumeGiB: args.rootVolumeGiB ?? 100,
          metadataHopLimit: 2,
          nameTag: `${args.tenantId}-${args.environment}-${node}`,
          keepRootVolume: quarantined,
        }),
        { parent: this, ignoreChanges: imageIgnoreChanges(args.imageId) },
      );
      new aws.route53.Record(
        `${name}-${node}-dns`,
        {
          zoneId: zone.zoneId,
          name: `${node}.${clusterDnsZone(args.tenantId)}`,
          type: "A",
          ttl: 60,
          records: [instance.privateIp],
        },
        { parent: this },
      );
      nodes[node] = { instanceId: instance.id, privateIp: instance.privateIp, publicIp: instance.publicIp };
    }
    this.nodes = nodes;
    this.registerOutputs({ nodes });
  }
}
