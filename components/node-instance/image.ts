import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultImageParameter } from "./instance-args";

/**
 * The image a node boots: the configured AMI, or the current Amazon Linux 2023 image read from AWS's
 * public SSM parameter. The lookup is a provider function, so its answer is known at preview.
 * Instances ignore later changes of the default AMI (see {@link imageIgnoreChanges}): a new image
 * release must never replace a running head node on an unrelated `pulumi up`.
 */
export function nodeImage(
  instanceType: string,
  imageId: string | undefined,
  opts: pulumi.InvokeOutputOptions,
): pulumi.Input<string> {
  if (imageId) {
    return imageId;
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
