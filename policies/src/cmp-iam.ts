// CMP-7: least-privilege instance roles. One check for the three places a policy document can
// live: a role's inline policies, a standalone role policy and a managed policy.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnparsable, policyDocumentProblems, readPolicyDocument } from "./cmp-iam-document";
import { CmpType, labelOf } from "./cmp-types";
import { Props, UNKNOWN, forTypes, readList, readString, readValue } from "./props";

const unknownDocument = (label: string) =>
  `Build the policy document of ${label} from values known at preview (account ID, region, tenant ID, names you choose, e.g. an ARN pattern "arn:aws:secretsmanager:<region>:<account>:secret:moat/<tenant>/*" instead of secret.arn): it is unknown, so this policy cannot verify least privilege (CMP-7, POL-2).`;

/** Every CMP-7 violation in the policy document at `props[key]`, labelled for messages. */
function documentViolations(props: Props, key: string, label: string): string[] {
  const document = readPolicyDocument(props, key);
  if (document === undefined) {
    return [];
  }
  if (document === UNKNOWN) {
    return [unknownDocument(label)];
  }
  if (isUnparsable(document)) {
    return [
      `Make the policy document of ${label} valid JSON (${document.unparsable}), e.g. with JSON.stringify (CMP-7).`,
    ];
  }
  return policyDocumentProblems(document).map(
    (problem) => `Narrow the policy document of ${label}: ${problem} (CMP-7).`,
  );
}

function roleInlineViolations(props: Props, role: string): string[] {
  const inline = readList(props, "inlinePolicies");
  if (inline === UNKNOWN) {
    return [unknownDocument(`the inline policies of ${role}`)];
  }
  const violations: string[] = [];
  for (let i = 0; i < (inline?.length ?? 0); i++) {
    const entry = readValue(inline as unknown as Props, String(i));
    if (entry === UNKNOWN) {
      violations.push(unknownDocument(`inline policy ${i} of ${role}`));
    } else if (typeof entry === "object" && entry !== null) {
      const name = readString(entry as Props, "name");
      const label = `inline policy ${typeof name === "string" ? `"${name}"` : i} of ${role}`;
      violations.push(...documentViolations(entry as Props, "policy", label));
    }
  }
  return violations;
}

/**
 * CMP-7: no Allow statement grants every action, every action of a service, or a wildcard over
 * write actions, and none grants secret, parameter or key actions on Resource "*" (a node reads
 * only its own tenant's secrets). A document that is unknown at preview or not JSON fails: it
 * cannot be verified, and Moat builds documents from values known at preview.
 */
export const cmpIamPolicyLeastPrivilege: ResourceValidationPolicy = {
  name: "cmp-iam-policy-least-privilege",
  description:
    'Checks that IAM role inline policies, role policies and managed policies allow no "*" or "<service>:*" action, no wildcard over write actions, and no secret, parameter or key action on Resource "*" (CMP-7).',
  validateResource: forTypes(
    [CmpType.iamRole, CmpType.iamRolePolicy, CmpType.iamPolicy],
    (args, reportViolation) => {
      const label = labelOf(args.type, args.name);
      const violations =
        args.type === CmpType.iamRole
          ? roleInlineViolations(args.props, label)
          : documentViolations(args.props, "policy", label);
      violations.forEach((m) => reportViolation(m));
    },
  ),
};
