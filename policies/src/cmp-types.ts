// Resource type tokens the CMP policies look at, grouped by the shape they share, so each check is
// written once for every aliased type that carries the same properties.

/** Type tokens of the resources the CMP policies read. */
export const CmpType = {
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
  spotInstanceRequest: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
  volume: "aws:ebs/volume:Volume",
  keyPair: "aws:ec2/keyPair:KeyPair",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  ssmParameter: "aws:ssm/parameter:Parameter",
  randomPassword: "random:index/randomPassword:RandomPassword",
  tlsPrivateKey: "tls:index/privateKey:PrivateKey",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamPolicy: "aws:iam/policy:Policy",
} as const;

/**
 * Everything that boots an EC2 node and so carries instance metadata options and user data
 * (CMP-2, CMP-4, CMP-5, CMP-6, CMP-8).
 */
export const NODE_TYPES: readonly string[] = [
  CmpType.instance,
  CmpType.launchTemplate,
  CmpType.launchConfiguration,
  CmpType.spotInstanceRequest,
];

/**
 * Node types that may name a launch template and then inherit its user data; the template is
 * checked on its own, so an empty user data there is not a gap.
 */
export const LAUNCHED_FROM_TEMPLATE: readonly string[] = [CmpType.instance, CmpType.spotInstanceRequest];

/** Resources whose value is a secret: nothing a node boots from may be built from them (CMP-8, CMP-9). */
export const SECRET_SOURCE_TYPES: readonly string[] = [
  CmpType.randomPassword,
  CmpType.tlsPrivateKey,
  CmpType.secretVersion,
];

const LABELS: Readonly<Record<string, string>> = {
  [CmpType.instance]: "instance",
  [CmpType.launchTemplate]: "launch template",
  [CmpType.launchConfiguration]: "launch configuration",
  [CmpType.spotInstanceRequest]: "spot instance request",
  [CmpType.volume]: "volume",
  [CmpType.keyPair]: "key pair",
  [CmpType.secret]: "secret",
  [CmpType.secretVersion]: "secret version",
  [CmpType.ssmParameter]: "SSM parameter",
  [CmpType.randomPassword]: "random password",
  [CmpType.tlsPrivateKey]: "TLS private key",
  [CmpType.iamRole]: "IAM role",
  [CmpType.iamRolePolicy]: "IAM role policy",
  [CmpType.iamPolicy]: "IAM policy",
};

/** How messages name a resource: its kind and name, e.g. `launch template "compute-a"`. */
export function labelOf(type: string, name: string): string {
  return `${LABELS[type] ?? type} "${name}"`;
}
