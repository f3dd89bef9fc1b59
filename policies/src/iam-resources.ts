// Where the IAM policies find documents: resource type tokens, a role's inline policies, and the
// links between a role and the policies attached to it in a stack. Links come from property
// dependencies (the engine's record of which resources an input was built from) because the
// names and ARNs they carry may be unknown at a first preview (POL-2).
import type { PolicyResource } from "@pulumi/policy";
import { DocumentRead, readPolicyDocument } from "./iam-document";
import { Props, UNKNOWN, readString, readValue } from "./props";

/** Resource type tokens the IAM and KMS policies look at. */
export const IamType = {
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  policy: "aws:iam/policy:Policy",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  kmsKey: "aws:kms/key:Key",
  kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
} as const;

/** The resource types that give IAM users or long-term credentials (IAM-2). */
export const USER_CREDENTIAL_TYPES: readonly string[] = [
  "aws:iam/user:User",
  "aws:iam/accessKey:AccessKey",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/userLoginProfile:UserLoginProfile",
  "aws:iam/serviceSpecificCredential:ServiceSpecificCredential",
  "aws:iam/userGroupMembership:UserGroupMembership",
  "aws:iam/signingCertificate:SigningCertificate",
  "aws:iam/sshKey:SshKey",
];

/** The class a program writes for a type token: `aws:iam/accessKey:AccessKey` -> `aws.iam.AccessKey`. */
export function className(type: string): string {
  return type.replace(/^aws:(\w+)\/\w+:(\w+)$/, "aws.$1.$2");
}

/** One policy document found on a resource, with how messages name it. */
export interface FoundDocument {
  /** E.g. `inline policy "sessions"` or `inlinePolicies[0]`. */
  readonly source: string;
  readonly read: DocumentRead;
}

/**
 * The documents of a role's `inlinePolicies`, one per entry. A list that is unknown at preview
 * yields one unknown document, so callers report it like any other unreadable one. Entries are
 * read one index at a time: array methods would read every element through the SDK's proxy.
 */
export function inlineDocuments(props: Props): FoundDocument[] {
  const list = readValue(props, "inlinePolicies");
  if (list === UNKNOWN) {
    return [{ source: "the inline policies (inlinePolicies)", read: { kind: "unknown" } }];
  }
  if (!Array.isArray(list)) {
    return [];
  }
  return Array.from({ length: list.length }, (_, i) => {
    const entry = readValue(list as unknown as Props, String(i));
    if (entry === UNKNOWN) {
      return { source: `inlinePolicies[${i}]`, read: { kind: "unknown" } };
    }
    if (typeof entry !== "object" || entry === undefined) {
      return { source: `inlinePolicies[${i}]`, read: { kind: "absent" } };
    }
    const name = readString(entry as Props, "name");
    const source =
      typeof name === "string" && name !== "" ? `inline policy "${name}"` : `inlinePolicies[${i}]`;
    return { source, read: readPolicyDocument(entry as Props, "policy") };
  });
}

/**
 * The stack resources of `types` that `resource`'s input `property` was built from. A literal
 * value (a role name typed in, an ARN after deployment) is matched against those resources'
 * `output` instead, so a link holds whichever way the program wrote it.
 */
export function linkedResources(
  resource: PolicyResource,
  property: string,
  types: readonly string[],
  resources: readonly PolicyResource[],
  output: string,
): PolicyResource[] {
  const dependencies = (resource.propertyDependencies[property] ?? []).filter((r) => types.includes(r.type));
  if (dependencies.length > 0) {
    return dependencies;
  }
  const value = readString(resource.props, property);
  if (typeof value !== "string") {
    return [];
  }
  return resources.filter((r) => types.includes(r.type) && readString(r.props, output) === value);
}
