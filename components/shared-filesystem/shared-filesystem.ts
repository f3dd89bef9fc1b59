import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { FirewallRule } from "../firewall-rule/firewall-rule";
import { resolvePorts } from "../firewall-rule/rule-checks";
import { DefaultDenySecurityGroup } from "../security-group/security-group";
import { TAG_ROLE } from "../tenant/tags";
import { resolveScope, tenantNameId, throwIfInvalid } from "../tenant-key/tenant-scope";
import { EfsSpec, FilesystemSpec, LustreSpec, resolveLustreSpec } from "./filesystem-spec";
import {
  efsTlsOnlyPolicy,
  filesystemParameterArn,
  filesystemParameterName,
  filesystemParameterValue,
  validateSharedFilesystemArgs,
} from "./shared-filesystem-args";
import { StorageKind, planClientRules, planStorageRules } from "./storage-rules";

export type { EfsSpec, FilesystemSpec, LustreSpec } from "./filesystem-spec";

/** A security group allowed to mount the filesystem, e.g. the head group or a compute group's. */
export interface ClientSecurityGroup {
  /** Short name used in rule names and descriptions, e.g. `head`; unique per filesystem. */
  readonly label: string;
  /** The group's ID, from the same stack (NET-4). */
  readonly id: pulumi.Input<string>;
  /**
   * The group is under quarantine (NET-11): none of its rules are declared, on the storage group
   * or on the client group, until it is lifted; they then return under the same names.
   * @default false
   */
  readonly quarantined?: boolean;
}

/**
 * Inputs of a {@link SharedFilesystem}. Tenant, environment and owner tags (AUD-5) come from the
 * tenant provider passed in the resource options. The file system's own inputs depend only on the
 * tenant environment, the subnet, the key and `spec` (DAT-4): client groups shape the security group
 * rules only.
 */
export interface SharedFilesystemArgs {
  /**
   * Tenant identifier, e.g. `acme`; names the SSM parameter
   * `/moat/<tenantId>-<environment>/shared-filesystem` and the EFS creation token.
   */
  readonly tenantId: string;
  /**
   * Environment of the stack: `dev`, `staging` or `prod`. Named in descriptions, and with the tenant
   * in the parameter's name and the EFS creation token, so two environments of a tenant can share an
   * account and region. Changing it replaces the parameter and an EFS file system, which `protect`
   * then refuses (DAT-4).
   */
  readonly environment: string;
  /** The 12-digit account ID (e.g. from `aws.getCallerIdentityOutput()`); names the parameter's ARN. */
  readonly accountId: pulumi.Input<string>;
  /** Region of the tenant provider, e.g. `us-east-1`. */
  readonly region: string;
  /** AWS partition of the account. @default "aws" */
  readonly partition?: string;
  /** The tenant VPC. Changing this replaces the storage group and its rules. */
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's IPv4 block, e.g. `10.42.0.0/16`; group rules are judged against it (NET-4). */
  readonly vpcCidr: string;
  /**
   * The storage subnet (NET-8), in the availability zone of the clients. Changing this replaces
   * the file system, which `protect` then refuses (DAT-4).
   */
  readonly subnetId: pulumi.Input<string>;
  /** ARN of the tenant's customer-managed key (DAT-1). Changing this replaces the file system. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * The groups that may mount the filesystem: the head group and each compute group's own group.
   * Each gets inbound rules for the filesystem's ports only (NET-8), unless quarantined (NET-11).
   * No default: at least one is required.
   */
  readonly clientSecurityGroupIds: readonly ClientSecurityGroup[];
  /** FSx for Lustre or EFS, and its settings. No default: the stack config owns the choice. */
  readonly spec: FilesystemSpec;
}

/**
 * A tenant's encrypted shared filesystem (DAT-1, DAT-2, DAT-4, NET-8): FSx for Lustre PERSISTENT_2
 * or EFS, under the tenant key, in the storage subnet, behind a `storage` security group that lets
 * only the client groups in, on the filesystem's own ports. Lustre keeps automatic daily backups
 * (tags copied) and a final backup on deletion; EFS denies access without TLS and has AWS Backup on.
 * The file system (and EFS's policy) is protected and kept on `pulumi destroy`. Its location is
 * published, not secret, as the SSM parameter `/moat/<tenantId>-<environment>/shared-filesystem` for the node
 * bootstrap to read at boot.
 */
export class SharedFilesystem extends pulumi.ComponentResource {
  /** ID of the file system, e.g. `fs-0123456789abcdef0`. */
  public readonly fileSystemId: pulumi.Output<string>;
  /** DNS name clients mount from. */
  public readonly dnsName: pulumi.Output<string>;
  /** Lustre's mount name; undefined for EFS. */
  public readonly mountName: pulumi.Output<string | undefined>;
  /** ID of the `storage` security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Name of the SSM parameter holding the location, `/moat/<tenantId>-<environment>/shared-filesystem`. */
  public readonly parameterName: pulumi.Output<string>;
  /** ARN of that parameter, built from known values so IAM policies can name it at preview. */
  public readonly parameterArn: pulumi.Output<string>;

  constructor(name: string, args: SharedFilesystemArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("SharedFilesystem", name, validateSharedFilesystemArgs(args));
    super("moat:storage:SharedFilesystem", name, {}, opts);

    const spec = args.spec;
    const kind: StorageKind =
      spec.type === "efs" ? "efs" : resolveLustreSpec(spec).efa ? "lustre-efa" : "lustre";
    const group = new DefaultDenySecurityGroup(
      `${name}-storage`,
      {
        vpcId: args.vpcId,
        role: "storage",
        // Tenant only: a new description replaces the group, and with it the file system (DAT-4).
        description: `Moat ${args.tenantId} shared filesystem: its own ports from head and compute nodes only (NET-8)`,
        // What the file system must send is planned below, group by group.
        egress: "none",
      },
      { parent: this },
    ).securityGroupId;
    this.addRules(name, kind, args, group);

    const tags = { Name: `${name}-fs`, [TAG_ROLE]: "storage" };
    // DAT-4: refuse deletion in an update and keep the data when the stack is destroyed.
    const keep: pulumi.CustomResourceOptions = { parent: this, protect: true, retainOnDelete: true };
    let location: {
      id: pulumi.Output<string>;
      dnsName: pulumi.Output<string>;
      mountName?: pulumi.Output<string>;
    };
    if (spec.type === "lustre") {
      const fs = this.lustre(name, spec, args, group, tags, keep);
      location = { id: fs.id, dnsName: fs.dnsName, mountName: fs.mountName };
    } else {
      const fs = this.efs(name, spec, args, group, tags, keep);
      location = { id: fs.id, dnsName: fs.dnsName };
    }

    const parameterName = filesystemParameterName(tenantNameId(args));
    const parameter = new aws.ssm.Parameter(
      `${name}-location`,
      {
        name: parameterName,
        type: "String",
        description: `Moat ${args.tenantId} (${args.environment}) shared filesystem location, read by the node bootstrap`,
        // Not secret (CMP-8 does not apply): `value` would hide it as a secret, from plans and policies.
        insecureValue: pulumi
          .all([location.id, location.dnsName, location.mountName])
          .apply(([fileSystemId, dnsName, mountName]) =>
            filesystemParameterValue({ type: spec.type, fileSystemId, dnsName, mountName }),
          ),
        tags: { Name: `${name}-location`, [TAG_ROLE]: "storage" },
      },
      { parent: this },
    );

    this.fileSystemId = location.id;
    this.dnsName = location.dnsName;
    this.mountName = location.mountName ?? pulumi.output(undefined);
    this.securityGroupId = group;
    this.parameterName = parameter.name;
    this.parameterArn = resolveScope(args).apply(filesystemParameterArn);
    this.registerOutputs({
      fileSystemId: this.fileSystemId,
      dnsName: this.dnsName,
      mountName: this.mountName,
      securityGroupId: this.securityGroupId,
      parameterName: this.parameterName,
      parameterArn: this.parameterArn,
    });
  }

  // NET-8: one standalone rule per planned flow. Inbound flows are FirewallRules (NET-1, NET-9);
  // outbound ones reference a group, never a CIDR, as EFA requires.
  private addRules(
    name: string,
    kind: StorageKind,
    args: SharedFilesystemArgs,
    group: pulumi.Output<string>,
  ) {
    const ids = new Map(args.clientSecurityGroupIds.map((c) => [c.label, c.id]));
    for (const rule of planStorageRules(kind, args.clientSecurityGroupIds)) {
      const peerId = "self" in rule.peer ? group : ids.get(rule.peer.client)!;
      const peerLabel = "self" in rule.peer ? "storage security group" : `${rule.peer.client} security group`;
      const ports = rule.ports === undefined ? {} : { fromPort: rule.ports.from, toPort: rule.ports.to };
      if (rule.direction === "ingress") {
        new FirewallRule(
          `${name}-${rule.key}`,
          {
            securityGroupId: group,
            description: rule.description,
            protocol: rule.protocol,
            ...ports,
            source: { securityGroupId: peerId, label: peerLabel },
            context: { tenantCidrs: [args.vpcCidr] },
          },
          { parent: this },
        );
      } else {
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-${rule.key}`,
          {
            securityGroupId: group,
            referencedSecurityGroupId: peerId,
            description: rule.description,
            ...resolvePorts(rule.protocol, ports.fromPort, ports.toPort),
          },
          { parent: this },
        );
      }
    }
    for (const rule of planClientRules(kind, args.clientSecurityGroupIds)) {
      const ports = rule.ports === undefined ? {} : { fromPort: rule.ports.from, toPort: rule.ports.to };
      new FirewallRule(
        `${name}-${rule.key}`,
        {
          securityGroupId: ids.get(rule.client)!,
          description: rule.description,
          protocol: rule.protocol,
          ...ports,
          source: { securityGroupId: group, label: "storage security group" },
          context: { tenantCidrs: [args.vpcCidr] },
        },
        { parent: this },
      );
    }
  }

  // DAT-1, DAT-4: PERSISTENT_2 under the tenant key, daily backups kept, a final backup on delete.
  private lustre(
    name: string,
    spec: LustreSpec,
    args: SharedFilesystemArgs,
    group: pulumi.Output<string>,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
  ): aws.fsx.LustreFileSystem {
    const s = resolveLustreSpec(spec);
    const metadata =
      s.metadataIops !== undefined
        ? { metadataConfiguration: { mode: "USER_PROVISIONED", iops: s.metadataIops } }
        : s.efa
          ? { metadataConfiguration: { mode: "AUTOMATIC" } }
          : {};
    return new aws.fsx.LustreFileSystem(
      `${name}-fs`,
      {
        deploymentType: "PERSISTENT_2",
        storageType: "SSD",
        fileSystemTypeVersion: "2.15",
        storageCapacity: s.storageCapacityGiB,
        perUnitStorageThroughput: s.throughputPerUnitMiB,
        efaEnabled: s.efa,
        ...metadata,
        kmsKeyId: args.kmsKeyArn,
        // One subnet, as a string: PERSISTENT_2 lives in a single AZ (provider v7 takes no list).
        subnetIds: args.subnetId,
        securityGroupIds: [group],
        automaticBackupRetentionDays: s.backupRetentionDays,
        dailyAutomaticBackupStartTime: s.dailyBackupStartTime,
        copyTagsToBackups: true,
        skipFinalBackup: false,
        dataCompressionType: "LZ4",
        tags,
      },
      opts,
    );
  }

  // DAT-1, DAT-2, DAT-4: encrypted under the tenant key, TLS-only policy, AWS Backup on.
  private efs(
    name: string,
    spec: EfsSpec,
    args: SharedFilesystemArgs,
    group: pulumi.Output<string>,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
  ): aws.efs.FileSystem {
    const fs = new aws.efs.FileSystem(
      `${name}-fs`,
      {
        // Makes a retried create idempotent; depends on the tenant environment only. Unique in the
        // account and region (CreateFileSystem refuses a token in use), so it carries the name id.
        creationToken: `moat-${tenantNameId(args)}-shared-filesystem`,
        encrypted: true,
        kmsKeyId: args.kmsKeyArn,
        performanceMode: "generalPurpose",
        throughputMode: spec.throughputMode ?? "elastic",
        tags,
      },
      opts,
    );
    new aws.efs.FileSystemPolicy(
      `${name}-tls-policy`,
      { fileSystemId: fs.id, policy: JSON.stringify(efsTlsOnlyPolicy()) },
      opts,
    );
    new aws.efs.BackupPolicy(
      `${name}-backup-policy`,
      { fileSystemId: fs.id, backupPolicy: { status: "ENABLED" } },
      { parent: this },
    );
    new aws.efs.MountTarget(
      `${name}-mount-target`,
      { fileSystemId: fs.id, subnetId: args.subnetId, securityGroups: [group] },
      { parent: this },
    );
    return fs;
  }
}
