import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultImageParameter, slurmImageNamePattern } from "./instance-args";

/**
 * What a node's default image must carry: `base` is plain Amazon Linux 2023 (the bastion); `slurm`
 * is an image with Slurm and MUNGE installed (head and compute nodes, which run the scheduler).
 */
export type NodeImageKind = "base" | "slurm";

/**
 * The AWS ParallelCluster release whose official Amazon Linux 2023 image head and compute nodes boot
 * by default. Its image ships Slurm (25.11 in 3.16, under /opt/slurm), MUNGE, the EFA installer and,
 * on GPU instances, the NVIDIA driver, so the scheduler works out of the box. It is pinned, not
 * floating: a compute node must never run a newer Slurm than the controller (slurmd may lag
 * slurmctld, never lead it), so moving to another release is a deliberate change here, or an
 * `imageId` in the stack file. https://docs.aws.amazon.com/parallelcluster/latest/ug/support-policy.html
 */
export const PARALLELCLUSTER_VERSION = "3.16.1";

/**
 * The image a node boots: the configured AMI, or the default for its kind, both looked up with a
 * provider function, so the answer is known at preview:
 * - `base`: the current Amazon Linux 2023 image, from AWS's public SSM parameter;
 * - `slurm`: the newest official AWS ParallelCluster {@link PARALLELCLUSTER_VERSION} Amazon Linux 2023
 *   image for the instance type's architecture, owned by Amazon.
 * Instances ignore later changes of a default image (see {@link imageIgnoreChanges}): a new image
 * release must never replace a running head node on an unrelated `pulumi up`.
 */
export function nodeImage(
  instanceType: string,
  imageId: string | undefined,
  opts: pulumi.InvokeOutputOptions,
  kind: NodeImageKind = "base",
): pulumi.Input<string> {
  if (imageId) {
    return imageId;
  }
  if (kind === "slurm") {
    return aws.ec2.getAmiOutput(
      {
        owners: ["amazon"],
        mostRecent: true,
        filters: [{ name: "name", values: [slurmImageNamePattern(instanceType, PARALLELCLUSTER_VERSION)] }],
      },
      opts,
    ).id;
  }
  return aws.ssm.getParameterOutput({ name: defaultImageParameter(instanceType) }, opts).insecureValue;
}

/**
 * `ignoreChanges` for an instance built from {@link nodeImage}: the floating default image is fixed at
 * creation, so a new Amazon Linux release never replaces a running node; an `imageId` set in the
 * stack file is followed, so changing it moves the node to that image (a replacement, asked for).
 */
export function imageIgnoreChanges(imageId: string | undefined): string[] {
  return imageId ? [] : ["ami"];
}
