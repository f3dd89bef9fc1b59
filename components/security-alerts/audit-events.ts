// AUD-2: the CloudTrail management events that raise a security alert, kept as data. Each entry
// says which entries of the audit catalogue of seed 001 (Lambda Cloud's "Access and security"
// page) it stands for on AWS: Lambda records firewall-ruleset, SSH-key, identity and API-key
// changes; a tenant stack on AWS expresses the same things as security groups and NACLs (plus the
// routes and gateways that decide what the firewall even sees), EC2 key pairs, and IAM users,
// roles, policies and access keys. KMS and CloudTrail have no catalogue entry: they protect the
// data and the audit log itself, so turning them off is what an intruder does first ([002]).
// Event names: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/OperationList-query.html,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html and the CIS AWS
// Foundations benchmark's monitoring section (4.4 to 4.14), which asks for the same alerts.

/** One EventBridge rule on "AWS API Call via CloudTrail" events of one service. */
export interface AuditEventRule {
  /** Names the rule (`moat-<tenantId>-<key>`) and its child resources; stable, as it is an identity. */
  readonly key: string;
  /** The event `source`, e.g. `aws.ec2`. */
  readonly source: string;
  /** CloudTrail's `eventSource`, e.g. `ec2.amazonaws.com`. */
  readonly eventSource: string;
  /** CloudTrail `eventName`s that alert. */
  readonly eventNames: readonly string[];
  /** The seed 001 audit catalogue entries this rule stands for; empty when none does (see `why`). */
  readonly catalogue: readonly string[];
  /** Why a change of this kind is a security event; becomes the rule's description. */
  readonly why: string;
}

/** The audit catalogue of seed 001, as far as the rules below refer to it. */
export const AUDIT_CATALOGUE: readonly string[] = [
  "cloud.api_key.created",
  "cloud.api_key.deleted",
  "cloud.firewall_ruleset.created",
  "cloud.firewall_ruleset.deleted",
  "cloud.firewall_ruleset.updated",
  "cloud.identity.created",
  "cloud.identity.deactivated",
  "cloud.identity.roles_changed",
  "cloud.ssh_key.created",
  "cloud.ssh_key.deleted",
  "cloud.workspace.membership_added",
  "cloud.workspace.membership_removed",
];

/** AUD-2: every CloudTrail event that raises an alert, one EventBridge rule per entry. */
export const AUDIT_EVENT_RULES: readonly AuditEventRule[] = [
  {
    // Lambda: a firewall ruleset created, changed or deleted. AWS: security groups and NACLs.
    key: "firewall-changes",
    source: "aws.ec2",
    eventSource: "ec2.amazonaws.com",
    eventNames: [
      "AuthorizeSecurityGroupIngress",
      "AuthorizeSecurityGroupEgress",
      "RevokeSecurityGroupIngress",
      "RevokeSecurityGroupEgress",
      "ModifySecurityGroupRules",
      "CreateSecurityGroup",
      "DeleteSecurityGroup",
      "CreateNetworkAcl",
      "CreateNetworkAclEntry",
      "DeleteNetworkAcl",
      "DeleteNetworkAclEntry",
      "ReplaceNetworkAclEntry",
      "ReplaceNetworkAclAssociation",
    ],
    catalogue: [
      "cloud.firewall_ruleset.created",
      "cloud.firewall_ruleset.updated",
      "cloud.firewall_ruleset.deleted",
    ],
    why: "Security group or network ACL changed: who may reach the nodes (NET-1, NET-9)",
  },
  {
    // Lambda: a firewall ruleset changed. A route or gateway decides which traffic reaches the
    // rules at all: a route to an internet gateway exposes compute (NET-5), a peering another
    // network (NET-4).
    key: "route-changes",
    source: "aws.ec2",
    eventSource: "ec2.amazonaws.com",
    eventNames: [
      "CreateRoute",
      "ReplaceRoute",
      "DeleteRoute",
      "CreateRouteTable",
      "DeleteRouteTable",
      "AssociateRouteTable",
      "DisassociateRouteTable",
      "ReplaceRouteTableAssociation",
      "CreateInternetGateway",
      "AttachInternetGateway",
      "DetachInternetGateway",
      "DeleteInternetGateway",
      "CreateNatGateway",
      "DeleteNatGateway",
      "CreateVpcPeeringConnection",
      "AcceptVpcPeeringConnection",
    ],
    catalogue: ["cloud.firewall_ruleset.updated"],
    why: "Route, internet or NAT gateway, or peering changed: what the network can reach (NET-4, NET-5)",
  },
  {
    // Lambda: an SSH key created or deleted. AWS: EC2 key pairs (Moat injects keys itself, so
    // any key pair is unexpected, CMP-4).
    key: "key-pair-changes",
    source: "aws.ec2",
    eventSource: "ec2.amazonaws.com",
    eventNames: ["CreateKeyPair", "ImportKeyPair", "DeleteKeyPair"],
    catalogue: ["cloud.ssh_key.created", "cloud.ssh_key.deleted"],
    why: "EC2 key pair created, imported or deleted: who may log in (CMP-4)",
  },
  {
    // Lambda: identities created or deactivated, roles changed, API keys created or deleted,
    // workspace membership. AWS: IAM users, access keys, roles and their policies (IAM-1, IAM-2).
    key: "iam-changes",
    source: "aws.iam",
    eventSource: "iam.amazonaws.com",
    eventNames: [
      "CreateUser",
      "DeleteUser",
      "CreateLoginProfile",
      "UpdateLoginProfile",
      "AddUserToGroup",
      "CreateAccessKey",
      "UpdateAccessKey",
      "DeleteAccessKey",
      "CreateRole",
      "DeleteRole",
      "UpdateRole",
      "UpdateAssumeRolePolicy",
      "CreatePolicy",
      "DeletePolicy",
      "CreatePolicyVersion",
      "DeletePolicyVersion",
      "SetDefaultPolicyVersion",
      "PutRolePolicy",
      "DeleteRolePolicy",
      "AttachRolePolicy",
      "DetachRolePolicy",
      "PutUserPolicy",
      "DeleteUserPolicy",
      "AttachUserPolicy",
      "DetachUserPolicy",
      "PutGroupPolicy",
      "DeleteGroupPolicy",
      "AttachGroupPolicy",
      "DetachGroupPolicy",
    ],
    catalogue: [
      "cloud.identity.created",
      "cloud.identity.deactivated",
      "cloud.identity.roles_changed",
      "cloud.api_key.created",
      "cloud.api_key.deleted",
      "cloud.workspace.membership_added",
      "cloud.workspace.membership_removed",
    ],
    why: "IAM user, access key, role or policy changed: who may do what (IAM-1, IAM-2, IAM-3)",
  },
  {
    // No catalogue entry: Lambda manages its keys. A disabled or deleted tenant key makes the
    // volumes, secrets, filesystem and logs it encrypts unreadable (DAT-3, DAT-4).
    key: "kms-changes",
    source: "aws.kms",
    eventSource: "kms.amazonaws.com",
    eventNames: ["DisableKey", "ScheduleKeyDeletion"],
    catalogue: [],
    why: "KMS key disabled or scheduled for deletion: encrypted data about to become unreadable (DAT-3, DAT-4)",
  },
  {
    // No catalogue entry: Lambda's audit log is the catalogue itself, kept six months. A stopped,
    // deleted or narrowed trail is the audit log switched off (AUD-1).
    key: "trail-changes",
    source: "aws.cloudtrail",
    eventSource: "cloudtrail.amazonaws.com",
    eventNames: ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"],
    catalogue: [],
    why: "CloudTrail trail stopped, deleted or changed: the audit log is being switched off (AUD-1)",
  },
];

/**
 * AUD-4: the GuardDuty finding types that raise an alert. `CryptoCurrency:` is a prefix (every
 * crypto-mining finding: EC2/BitcoinTool.B, EC2/BitcoinTool.B!DNS, Runtime/BitcoinTool.B...);
 * the SSH brute-force finding is matched exactly.
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-active.html
 */
export const GUARDDUTY_ALERT_TYPES = {
  prefixes: ["CryptoCurrency:"],
  exact: ["UnauthorizedAccess:EC2/SSHBruteForce"],
} as const;
