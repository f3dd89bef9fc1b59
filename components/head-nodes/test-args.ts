// The arguments of valid head nodes, shared by the head nodes' tests.
import { ed25519Key } from "../node-bootstrap/test-keys";
import type { HeadNodesArgs } from "./head-nodes";

/** Valid head nodes: acme's two private heads running the Slurm controller. */
export const ACME_HEAD_ARGS: HeadNodesArgs = {
  tenantId: "acme",
  environment: "prod",
  accountId: "123456789012",
  region: "us-east-1",
  nodeNames: ["head-0", "head-1"],
  instanceType: "m7i.2xlarge",
  subnetId: "subnet-mgmt",
  securityGroupIds: ["sg-head", "sg-cluster"],
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  userKeys: [ed25519Key(7, "alice@acme")],
  publicIp: false,
  vpcId: "vpc-1",
  scheduler: { kind: "slurm", controllerHost: "head-0.acme.moat.internal", clusterName: "acme" },
};
