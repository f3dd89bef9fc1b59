import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The hardened shape every Moat instance shares (bastion and head nodes; compute nodes use the same
 * rules in their launch templates). Pure, so the security settings are tested without Pulumi.
 */

/** What differs between node roles. */
export interface NodeInstanceSpec {
  /** `moat:role` tag: bastion or head. */
  readonly role: "bastion" | "head";
  readonly instanceType: string;
  readonly imageId: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
  readonly securityGroupIds: pulumi.Input<string>[];
  readonly instanceProfileName: pulumi.Input<string>;
  /** The tenant's customer-managed key, for the root volume (CMP-3). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** cloud-config text; holds no secret, only secret names (CMP-8). */
  readonly userData: pulumi.Input<string>;
  /** Whether the node gets a public address at launch (head nodes in `direct` mode only, NET-6). */
  readonly publicIp: boolean;
  /** Root volume size in GiB. */
  readonly rootVolumeGiB: number;
  /**
   * Metadata hop limit: 1 keeps the credentials off anything but the host; 2 lets containers on a
   * head node (JupyterLab kernels, schedulers) reach IMDSv2 (CMP-2).
   */
  readonly metadataHopLimit: 1 | 2;
  /** The node's Name tag. */
  readonly nameTag: string;
  /**
   * Keep the root volume when the instance is terminated: evidence of a quarantined node (NET-11).
   * Changes in place, without stopping the instance.
   * @default false
   */
  readonly keepRootVolume?: boolean;
}

/** Instance arguments with IMDSv2 required, detailed monitoring and an encrypted root volume. */
export function nodeInstanceArgs(spec: NodeInstanceSpec): aws.ec2.InstanceArgs {
  return {
    ami: spec.imageId,
    instanceType: spec.instanceType,
    subnetId: spec.subnetId,
    vpcSecurityGroupIds: spec.securityGroupIds,
    associatePublicIpAddress: spec.publicIp,
    iamInstanceProfile: spec.instanceProfileName,
    monitoring: true,
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: spec.metadataHopLimit,
      instanceMetadataTags: "disabled",
    },
    rootBlockDevice: {
      encrypted: true,
      kmsKeyId: spec.kmsKeyArn,
      volumeType: "gp3",
      volumeSize: spec.rootVolumeGiB,
      deleteOnTermination: spec.keepRootVolume !== true,
    },
    userData: spec.userData,
    tags: { Name: spec.nameTag, "moat:role": spec.role },
    volumeTags: { Name: spec.nameTag, "moat:role": spec.role },
  };
}

/** The CPU architecture of an instance type, as AMI names and SSM image parameters spell it. */
export function instanceArchitecture(instanceType: string): "x86_64" | "arm64" {
  // Graviton families end their generation with `g` (t4g, m7g, c7gn, g5g); a1 is the first Graviton.
  const family = instanceType.split(".")[0];
  return /^a1$|^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}

/** The public SSM parameter that names the current Amazon Linux 2023 image for an instance type. */
export function defaultImageParameter(instanceType: string): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${instanceArchitecture(instanceType)}`;
}

/**
 * The name pattern of the official AWS ParallelCluster Amazon Linux 2023 image of one release for an
 * instance type, as `pcluster` itself looks it up (owner alias `amazon`), e.g.
 * `aws-parallelcluster-3.16.1-amzn2023-hvm-x86_64*`.
 */
export function slurmImageNamePattern(instanceType: string, version: string): string {
  return `aws-parallelcluster-${version}-amzn2023-hvm-${instanceArchitecture(instanceType)}*`;
}
