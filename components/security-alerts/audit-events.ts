// AUD-2: the CloudTrail management events that raise a security alert, kept as data. Each entry
// says which entries of the audit catalogue of seed 001 (Lambda Cloud's "Access and security"
// page) it stands for on AWS: Lambda records firewall-ruleset, SSH-key, identity and API-key
// changes; a tenant stack on AWS expresses the same things as security groups and NACLs (plus the
// routes and gateways that decide what the firewall even sees), EC2 key pairs, and IAM users,
// roles, policies and access keys. KMS has no catalogue entry: it protects the data, so turning it
// off is what an intruder does first ([002]).
// Event names: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/OperationList-query.html,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html and the CIS AWS
// Foundations benchmark's monitoring section (4.4 to 4.14), which asks for the same alerts.
//
// A tenant's rules match only its own resources (AUD-2): each event name is listed with the field
// of the event that names the resource it changes. CloudTrail records an API call's request
// parameters under `requestParameters`, named as in the service's API reference with a lower-case
// first letter ("The parameters, if any, that were sent with the request",
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
// and EventBridge delivers the whole record as the event's `detail`
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
// An event whose fields name no tenant resource is in ACCOUNT_EVENT_RULES, for the operator's
// account-wide alerts in the account baseline (components/account-baseline), never a tenant's.

/** Which of the tenant's resources a scoping field must name. */
export type ScopeKind =
  | "vpcId"
  | "subnetId"
  | "securityGroupId"
  | "networkAclId"
  | "routeTableId"
  | "internetGatewayId"
  | "natGatewayId"
  | "roleName"
  | "instanceProfileName"
  | "instanceProfileArn"
  | "keyArn";

/** Every {@link ScopeKind}. */
export const SCOPE_KINDS: readonly ScopeKind[] = [
  "vpcId",
  "subnetId",
  "securityGroupId",
  "networkAclId",
  "routeTableId",
  "internetGatewayId",
  "natGatewayId",
  "roleName",
  "instanceProfileName",
  "instanceProfileArn",
  "keyArn",
];

/** Events of a rule whose `field` names the resource they change, a tenant's of one kind. */
export interface EventScope {
  /** Event names that carry `field`; each is one of the rule's `eventNames`. */
  readonly eventNames: readonly string[];
  /** Path of the field below the event's `detail`, dot-separated: `requestParameters.groupId`. */
  readonly field: string;
  /** Which of the tenant's resources it must name for the tenant to be alerted. */
  readonly kind: ScopeKind;
}

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
  /**
   * How each event names the tenant's resource. An event listed in several scopes alerts when any
   * of its fields names one (a role added to a profile: the role's name or the profile's).
   */
  readonly scopes: readonly EventScope[];
}

/** A rule whose events name no tenant's resource: the operator's, in the account baseline. */
export interface AccountEventRule extends Omit<AuditEventRule, "scopes"> {
  /** Why no field of these events can tell which tenant, if any, they concern. */
  readonly unattributable: string;
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

const EC2 = { source: "aws.ec2", eventSource: "ec2.amazonaws.com" } as const;
const IAM = { source: "aws.iam", eventSource: "iam.amazonaws.com" } as const;

const SECURITY_GROUP_RULES = [
  "AuthorizeSecurityGroupIngress",
  "AuthorizeSecurityGroupEgress",
  "RevokeSecurityGroupIngress",
  "RevokeSecurityGroupEgress",
];
const NACL_CHANGES = [
  "CreateNetworkAclEntry",
  "DeleteNetworkAcl",
  "DeleteNetworkAclEntry",
  "ReplaceNetworkAclEntry",
  "ReplaceNetworkAclAssociation",
];
const ROUTE_TABLE_CHANGES = [
  "CreateRoute",
  "ReplaceRoute",
  "DeleteRoute",
  "DeleteRouteTable",
  "AssociateRouteTable",
  "ReplaceRouteTableAssociation",
];
const ROLE_CHANGES = [
  "CreateRole",
  "DeleteRole",
  "UpdateRole",
  "UpdateAssumeRolePolicy",
  "PutRolePolicy",
  "DeleteRolePolicy",
  "AttachRolePolicy",
  "DetachRolePolicy",
];
const PROFILE_CHANGES = ["AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile"];

/**
 * AUD-2: every CloudTrail event that alerts the tenant it concerns, one EventBridge rule per entry.
 * Something created in the tenant's VPC (a security group, an ACL, a route table) is caught by the
 * VPC it names; whatever is then done to it is caught the same way only if the tenant created it,
 * so an intruder's new group or table raises the alert at its creation.
 */
export const AUDIT_EVENT_RULES: readonly AuditEventRule[] = [
  {
    // Lambda: a firewall ruleset created, changed or deleted. AWS: security groups and NACLs.
    key: "firewall-changes",
    ...EC2,
    eventNames: [
      ...SECURITY_GROUP_RULES,
      "ModifySecurityGroupRules",
      "CreateSecurityGroup",
      "DeleteSecurityGroup",
      "CreateNetworkAcl",
      ...NACL_CHANGES,
    ],
    catalogue: [
      "cloud.firewall_ruleset.created",
      "cloud.firewall_ruleset.updated",
      "cloud.firewall_ruleset.deleted",
    ],
    why: "Security group or network ACL changed: who may reach the nodes (NET-1, NET-9)",
    scopes: [
      // GroupId: "Required for a nondefault VPC"; a tenant's groups are all in its own VPC.
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
      // https://repost.aws/knowledge-center/cloudtrail-event-history-changed (a recorded example)
      {
        eventNames: [...SECURITY_GROUP_RULES, "DeleteSecurityGroup"],
        field: "requestParameters.groupId",
        kind: "securityGroupId",
      },
      // CloudTrail records this newer API's request wrapped and capitalised. AWS publishes no
      // recorded example; this is the field public detection code reads from real events.
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySecurityGroupRules.html
      {
        eventNames: ["ModifySecurityGroupRules"],
        field: "requestParameters.ModifySecurityGroupRulesRequest.GroupId",
        kind: "securityGroupId",
      },
      // A group or ACL that does not exist yet is named by nothing but the VPC it is created in.
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAcl.html
      {
        eventNames: ["CreateSecurityGroup", "CreateNetworkAcl"],
        field: "requestParameters.vpcId",
        kind: "vpcId",
      },
      // An entry change names only its ACL; an association change names the ACL a subnet moves
      // to, which must be in the subnet's VPC, so a foreign ACL was first created there (above).
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceNetworkAclAssociation.html
      { eventNames: NACL_CHANGES, field: "requestParameters.networkAclId", kind: "networkAclId" },
    ],
  },
  {
    // Lambda: a firewall ruleset changed. A route decides which traffic reaches the rules at all:
    // a route to an internet gateway exposes compute (NET-5), one to a peering another network
    // (NET-4).
    key: "route-changes",
    ...EC2,
    eventNames: [...ROUTE_TABLE_CHANGES, "CreateRouteTable"],
    catalogue: ["cloud.firewall_ruleset.updated"],
    why: "Route or route table changed: what the network can reach (NET-4, NET-5)",
    scopes: [
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRouteTableAssociation.html
      { eventNames: ROUTE_TABLE_CHANGES, field: "requestParameters.routeTableId", kind: "routeTableId" },
      // A tenant subnet moved onto another table (one created in its VPC, which alerts first).
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html
      { eventNames: ["AssociateRouteTable"], field: "requestParameters.subnetId", kind: "subnetId" },
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRouteTable.html
      { eventNames: ["CreateRouteTable"], field: "requestParameters.vpcId", kind: "vpcId" },
    ],
  },
  {
    // Lambda: a firewall ruleset changed. Gateways and peerings decide what the routes can reach.
    key: "gateway-changes",
    ...EC2,
    eventNames: [
      "AttachInternetGateway",
      "DetachInternetGateway",
      "DeleteInternetGateway",
      "CreateNatGateway",
      "DeleteNatGateway",
      "CreateVpcPeeringConnection",
    ],
    catalogue: ["cloud.firewall_ruleset.updated"],
    why: "Internet or NAT gateway, or peering changed: what the network can reach (NET-4, NET-5)",
    scopes: [
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachInternetGateway.html
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcPeeringConnection.html
      {
        eventNames: ["AttachInternetGateway", "DetachInternetGateway", "CreateVpcPeeringConnection"],
        field: "requestParameters.vpcId",
        kind: "vpcId",
      },
      // A peering requested from another VPC towards the tenant's names it as the peer.
      { eventNames: ["CreateVpcPeeringConnection"], field: "requestParameters.peerVpcId", kind: "vpcId" },
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteInternetGateway.html
      {
        eventNames: ["DeleteInternetGateway"],
        field: "requestParameters.internetGatewayId",
        kind: "internetGatewayId",
      },
      // CloudTrail records CreateNatGateway's request wrapped (CreateNatGatewayRequest.SubnetId,
      // as in published sample events; AWS publishes none). No recorded DeleteNatGateway was found,
      // so it is matched in the wrapped and the plain form.
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html
      {
        eventNames: ["CreateNatGateway"],
        field: "requestParameters.CreateNatGatewayRequest.SubnetId",
        kind: "subnetId",
      },
      {
        eventNames: ["DeleteNatGateway"],
        field: "requestParameters.DeleteNatGatewayRequest.NatGatewayId",
        kind: "natGatewayId",
      },
      { eventNames: ["DeleteNatGateway"], field: "requestParameters.natGatewayId", kind: "natGatewayId" },
    ],
  },
  {
    // Lambda: roles changed, workspace membership (who may assume a tenant's people roles). AWS:
    // the tenant's IAM roles, their policies and trust, and the node instance profiles (IAM-1,
    // IAM-2, CMP-7). IAM users, groups, access keys and managed policies are no tenant's: see
    // ACCOUNT_EVENT_RULES.
    key: "iam-changes",
    ...IAM,
    eventNames: [...ROLE_CHANGES, ...PROFILE_CHANGES],
    catalogue: [
      "cloud.identity.roles_changed",
      "cloud.workspace.membership_added",
      "cloud.workspace.membership_removed",
    ],
    why: "IAM role, its policies or trust, or a node instance profile changed: who may do what (IAM-1, IAM-2, IAM-3)",
    scopes: [
      // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (RoleName)
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
      {
        eventNames: [...ROLE_CHANGES, ...PROFILE_CHANGES],
        field: "requestParameters.roleName",
        kind: "roleName",
      },
      // Another role put into a tenant node's profile names the profile, not a tenant role.
      // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html
      {
        eventNames: PROFILE_CHANGES,
        field: "requestParameters.instanceProfileName",
        kind: "instanceProfileName",
      },
    ],
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
    scopes: [
      // `requestParameters.keyId` is what the caller typed (a key ID or an ARN); `resources` always
      // holds the key's ARN. https://docs.aws.amazon.com/kms/latest/developerguide/ct-disablekey.html
      // https://docs.aws.amazon.com/kms/latest/developerguide/ct-schedule-key-deletion.html
      { eventNames: ["DisableKey", "ScheduleKeyDeletion"], field: "resources.ARN", kind: "keyArn" },
    ],
  },
];

/**
 * AUD-2: the events no field of which names a tenant's resource, so no tenant rule can match them
 * without matching every tenant's: they belong to the operator's account-wide alerts in the
 * account baseline (components/account-baseline), one rule per entry, matched by event name alone.
 */
export const ACCOUNT_EVENT_RULES: readonly AccountEventRule[] = [
  {
    key: "key-pair-changes",
    ...EC2,
    eventNames: ["CreateKeyPair", "ImportKeyPair", "DeleteKeyPair"],
    catalogue: ["cloud.ssh_key.created", "cloud.ssh_key.deleted"],
    why: "EC2 key pair created, imported or deleted: who may log in (CMP-4)",
    unattributable:
      "Moat creates no key pairs (it injects keys itself, CMP-4): a key pair, named only by its own name, belongs to no tenant, and any one is unexpected in the account",
  },
  {
    key: "network-changes",
    ...EC2,
    eventNames: ["CreateInternetGateway", "DisassociateRouteTable", "AcceptVpcPeeringConnection"],
    catalogue: ["cloud.firewall_ruleset.updated"],
    why: "Internet gateway created, route table disassociated or peering accepted: what a network can reach (NET-4, NET-5)",
    unattributable:
      "a new internet gateway names no VPC until it is attached (which alerts the tenant); a disassociation names only the association, and an accepted peering only the peering connection",
  },
  {
    key: "iam-account-changes",
    ...IAM,
    eventNames: [
      "CreateUser",
      "DeleteUser",
      "CreateLoginProfile",
      "UpdateLoginProfile",
      "AddUserToGroup",
      "CreateAccessKey",
      "UpdateAccessKey",
      "DeleteAccessKey",
      "PutUserPolicy",
      "DeleteUserPolicy",
      "AttachUserPolicy",
      "DetachUserPolicy",
      "PutGroupPolicy",
      "DeleteGroupPolicy",
      "AttachGroupPolicy",
      "DetachGroupPolicy",
      "CreatePolicy",
      "DeletePolicy",
      "CreatePolicyVersion",
      "DeletePolicyVersion",
      "SetDefaultPolicyVersion",
    ],
    catalogue: [
      "cloud.identity.created",
      "cloud.identity.deactivated",
      "cloud.api_key.created",
      "cloud.api_key.deleted",
      "cloud.workspace.membership_added",
    ],
    why: "IAM user, access key, group or managed policy changed: who may do what (IAM-1, IAM-2, IAM-3)",
    unattributable:
      "Moat creates no IAM users, groups or managed policies (people assume the tenant's roles, IAM-1; node roles carry inline policies): these name no tenant resource, and a policy attached to a tenant role alerts the tenant through AttachRolePolicy",
  },
  {
    key: "trail-changes",
    source: "aws.cloudtrail",
    eventSource: "cloudtrail.amazonaws.com",
    eventNames: ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"],
    catalogue: [],
    why: "CloudTrail trail stopped, deleted or changed: the audit log is being switched off (AUD-1)",
    unattributable:
      "the trail is the account baseline's, shared by every tenant of the account (AUD-1): it is no one tenant's resource",
  },
  {
    // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Operations.html
    key: "guardduty-changes",
    source: "aws.guardduty",
    eventSource: "guardduty.amazonaws.com",
    eventNames: [
      "DeleteDetector",
      "UpdateDetector",
      "DisassociateFromAdministratorAccount",
      "DisassociateFromMasterAccount",
      "CreateFilter",
      "UpdateFilter",
      "DeletePublishingDestination",
      "UpdatePublishingDestination",
    ],
    catalogue: [],
    why: "GuardDuty turned off, detached, or told to archive findings: threat detection is being blinded (AUD-4)",
    unattributable:
      "the detector is the account baseline's, one per account and region, shared by every tenant there (AUD-4)",
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

/**
 * AUD-2, AUD-4: the field of a GuardDuty finding that says whose instance it concerns: the ARN of
 * the instance profile the instance wears. Every tenant node wears one of its tenant's profiles
 * (NodeRole), whose names IAM keeps unique in the account, and the ARN is known at the first
 * preview, unlike the VPC's ID. The EventBridge event's `detail` is the finding.
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_InstanceDetails.html
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_IamInstanceProfile.html
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_cloudwatch.html
 */
export const GUARDDUTY_SCOPE: EventScope = {
  eventNames: [],
  field: "resource.instanceDetails.iamInstanceProfile.arn",
  kind: "instanceProfileArn",
};
