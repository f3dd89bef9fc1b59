import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderCloudConfig } from "../node-bootstrap/node-bootstrap";
import { NodeRole } from "../node-role/node-role";
import { imageIgnoreChanges, nodeImage } from "../node-instance/image";
import { nodeInstanceArgs } from "../node-instance/instance-args";

/** Inputs of a {@link Bastion}. */
export interface BastionArgs {
  /** Tenant id, e.g. `acme`; names the role `moat-<tenant>-<environment>-bastion`. */
  readonly tenantId: string;
  /**
   * Environment: `dev`, `staging` or `prod`. For the Name tag, and with the tenant in the role's
   * name and the node log groups', so two environments of a tenant can share an account.
   */
  readonly environment: string;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
  /** The public subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** The bastion security group from the cluster firewall: SSH from the allowlist only (NET-7). */
  readonly securityGroupId: pulumi.Input<string>;
  /** The tenant key, for the root volume (CMP-3). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Users' public keys (CMP-4). */
  readonly userKeys: readonly string[];
  /**
   * A small instance: the bastion only forwards SSH.
   * @default "t3.small"
   */
  readonly instanceType?: string;
  /** @default the current Amazon Linux 2023 image, fixed at creation */
  readonly imageId?: string;
}

/**
 * The one internet-facing SSH endpoint in `bastion` mode (NET-7): a small hardened instance in the
 * public subnet with an Elastic IP, sshd keys-only, fail2ban, IMDSv2 with hop limit 1, an encrypted
 * root volume, and a role that may read no secret at all.
 */
export class Bastion extends pulumi.ComponentResource {
  /** The address people SSH to. */
  public readonly publicIp: pulumi.Output<string>;
  public readonly instanceId: pulumi.Output<string>;

  constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("moat:access:Bastion", name, {}, opts);
    const instanceType = args.instanceType ?? "t3.small";
    const role = new NodeRole(
      `${name}-role`,
      {
        tenantId: args.tenantId,
        environment: args.environment,
        role: "bastion",
        accountId: args.accountId,
        region: args.region,
        secretNames: [],
      },
      { parent: this },
    );
    const userData = renderCloudConfig({
      role: "bastion",
      tenantId: args.tenantId,
      environment: args.environment,
      region: args.region,
      userKeys: args.userKeys,
      secretArns: {},
    });
    const instance = new aws.ec2.Instance(
      `${name}-instance`,
      nodeInstanceArgs({
        role: "bastion",
        instanceType,
        imageId: nodeImage(instanceType, args.imageId, { parent: this }),
        subnetId: args.subnetId,
        securityGroupIds: [args.securityGroupId],
        instanceProfileName: role.instanceProfileName,
        kmsKeyArn: args.kmsKeyArn,
        userData,
        publicIp: false,
        rootVolumeGiB: 20,
        metadataHopLimit: 1,
        nameTag: `${args.tenantId}-${args.environment}-bastion`,
      }),
      { parent: this, ignoreChanges: imageIgnoreChanges(args.imageId) },
    );
    const eip = new aws.ec2.Eip(
      `${name}-eip`,
      {
        domain: "vpc",
        instance: instance.id,
        tags: { Name: `${args.tenantId}-${args.environment}-bastion`, "moat:role": "bastion" },
      },
      { parent: this },
    );
    this.publicIp = eip.publicIp;
    this.instanceId = instance.id;
    this.registerOutputs({ publicIp: this.publicIp, instanceId: this.instanceId });
  }
}
