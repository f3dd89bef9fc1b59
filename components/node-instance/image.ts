import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultImageParameter } from "./instance-args";

/**
 * The image a node boots: the configured AMI, or the current Amazon Linux 2023 image read from AWS's
 * public SSM parameter. The lookup is a provider function, so its answer is known at preview.
 * Instances ignore later changes of the AMI (see `IMAGE_IGNORE_CHANGES`): a new image release must
 * never replace a running head node on an unrelated `pulumi up`.
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
 * Resource options for instances built from {@link nodeImage}. To move a node to a new image, set
 * its `imageId` in the stack file, or run `pulumi up --replace <urn>` deliberately.
 */
export const IMAGE_IGNORE_CHANGES = ["ami"];
