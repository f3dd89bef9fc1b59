// The launch template of a compute group, as plain arguments: IMDSv2 (CMP-2), the tenant key on the
// root volume (CMP-3), EFA on every card (CMP-1) and no public IP (NET-5). Pure, so each setting
// is tested without Pulumi.
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { computeNetworkInterfaces } from "./efa-interfaces";

/** Everything a compute launch template is built from, resolved and validated. */
export interface ComputeTemplateSpec {
  /** EC2 instance type, e.g. `p5.48xlarge`. */
  readonly instanceType: string;
  /** The AMI the nodes boot. */
  readonly imageId: pulumi.Input<string>;
  /** The group's resolved hardware (from `planGroupHardware`). */
  readonly hardware: { readonly efa: boolean; readonly networkCards: number };
  /** Groups on every interface: the group's own, and only those: [efa, nodes] or [nodes] (CMP-1, NET-11). */
  readonly securityGroupIds: pulumi.Input<string>[];
  /** The one compute subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** The tenant's customer-managed key (CMP-3). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Name of the compute instance profile. */
  readonly instanceProfileName: pulumi.Input<string>;
  /** cloud-config text, holding secret names only (CMP-8); base64-encoded here. */
  readonly userData: string;
  /** The group's cluster placement group. */
  readonly placementGroupName: pulumi.Input<string>;
  /** Capacity reservation (or capacity block) to launch into. */
  readonly capacityReservationId?: string;
  /** The reservation is a capacity block for ML (market type `capacity-block`). */
  readonly capacityBlock: boolean;
  /** Root volume size in GiB. */
  readonly rootVolumeGiB: number;
  /** The image's root device, e.g. `/dev/xvda`. */
  readonly rootDeviceName: string;
  /** Keep the root volume when a node is terminated: evidence of a quarantined group (NET-11). */
  readonly keepRootVolume: boolean;
  /** Tags for the template, and for the instances and volumes it launches. */
  readonly tags: Record<string, string>;
}

/**
 * Hop limit 2: containers on a compute node (training jobs under a container runtime) reach IMDSv2
 * through one extra hop, nothing further does (CMP-2).
 */
export const COMPUTE_METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 2,
  instanceMetadataTags: "disabled",
} as const;

/**
 * Launch template arguments for a compute group. The template names no security groups of its
 * own: with interfaces declared, AWS takes the groups from each interface. A quarantined group's
 * template keeps root volumes on termination (NET-11); it only reaches nodes launched later. A capacity block also
 * needs the `capacity-block` market type, or EC2 looks for on-demand capacity and finds none.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-blocks-launch.html
 */
export function computeLaunchTemplateArgs(spec: ComputeTemplateSpec): aws.ec2.LaunchTemplateArgs {
  const reservation = spec.capacityReservationId;
  return {
    description: `Moat compute nodes ${spec.tags.Name} (${spec.instanceType})`,
    imageId: spec.imageId,
    instanceType: spec.instanceType,
    iamInstanceProfile: { name: spec.instanceProfileName },
    metadataOptions: { ...COMPUTE_METADATA_OPTIONS },
    monitoring: { enabled: true },
    blockDeviceMappings: [
      {
        deviceName: spec.rootDeviceName,
        ebs: {
          encrypted: "true",
          kmsKeyId: spec.kmsKeyArn,
          volumeType: "gp3",
          volumeSize: spec.rootVolumeGiB,
          deleteOnTermination: spec.keepRootVolume ? "false" : "true",
        },
      },
    ],
    userData: Buffer.from(spec.userData, "utf8").toString("base64"),
    networkInterfaces: computeNetworkInterfaces(spec.hardware, spec.securityGroupIds, spec.subnetId),
    placement: { groupName: spec.placementGroupName },
    ...(reservation === undefined
      ? {}
      : {
          capacityReservationSpecification: {
            capacityReservationTarget: { capacityReservationId: reservation },
          },
        }),
    ...(spec.capacityBlock ? { instanceMarketOptions: { marketType: "capacity-block" } } : {}),
    tagSpecifications: [
      { resourceType: "instance", tags: { ...spec.tags } },
      { resourceType: "volume", tags: { ...spec.tags } },
      { resourceType: "network-interface", tags: { ...spec.tags } },
    ],
    tags: { ...spec.tags },
    updateDefaultVersion: true,
  };
}
