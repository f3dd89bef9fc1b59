// The arguments of a valid 8-node p5 compute group, shared by the compute group's tests.
import type { ComputeGroupArgs } from "./compute-group";

/** A valid group: acme's `train`, 8 p5.48xlarge nodes, all egress. */
export const TRAIN_GROUP_ARGS: ComputeGroupArgs = {
  tenantId: "acme",
  environment: "prod",
  owner: "ml-platform@acme.example",
  accountId: "123456789012",
  region: "us-east-1",
  group: { name: "train", instanceType: "p5.48xlarge", nodeCount: 8 },
  vpcId: "vpc-1",
  subnetId: "subnet-compute",
  firewall: { headSecurityGroupId: "sg-head", endpointSecurityGroupId: "sg-endpoint", egress: "all" },
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  userData: "#cloud-config\nruncmd: []\n",
  instanceProfileName: "moat-acme-compute",
};

/** {@link TRAIN_GROUP_ARGS} with some of the group's settings changed. */
export const withGroup = (group: Partial<ComputeGroupArgs["group"]>): ComputeGroupArgs => ({
  ...TRAIN_GROUP_ARGS,
  group: { ...TRAIN_GROUP_ARGS.group, ...group },
});
