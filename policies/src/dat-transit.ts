// DAT-2 for EFS: the file system refuses clients that do not use TLS, and every node mounts it with
// TLS. The file-system policy is tied to its file system through the `fileSystemId` dependency,
// never through the ID the cloud computes; its document must be known at preview (POL-2).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { checkUserData } from "./cmp-user-data-check";
import { NODE_TYPES } from "./cmp-types";
import { findEfsMounts } from "./dat-efs-mount";
import { DatType, datLabel } from "./dat-types";
import { Statement, isWildcardPrincipal, readPolicyDocument, unreadableDocument } from "./iam-document";
import { linked, overlaps } from "./net-stack";
import { forTypes } from "./props";

const ALL_ACTIONS = ["*", "elasticfilesystem:*"];

/**
 * True for a statement that denies every action to everyone whenever the request does not use
 * TLS: Effect Deny, Principal "*", Action "*" (or "elasticfilesystem:*"), no NotPrincipal,
 * NotAction or NotResource, and conditions that test only `aws:SecureTransport` against "false"
 * (any further condition would narrow the denial). A "*" principal is right here: it is a Deny.
 */
export function deniesInsecureTransport(statement: Statement): boolean {
  const secureTransportFalse = statement.conditions.every(
    (c) =>
      ["Bool", "BoolIfExists"].includes(c.operator) &&
      c.key.toLowerCase() === "aws:securetransport" &&
      c.values.length > 0 &&
      c.values.every((v) => v.toLowerCase() === "false"),
  );
  return (
    statement.effect === "Deny" &&
    (statement.principals ?? []).some(isWildcardPrincipal) &&
    statement.notPrincipals === undefined &&
    (statement.actions ?? []).some((a) => ALL_ACTIONS.includes(a.toLowerCase())) &&
    statement.notActions === undefined &&
    statement.notResources === undefined &&
    statement.conditions.length > 0 &&
    secureTransportFalse
  );
}

const DENY_SHAPE =
  'Effect "Deny", Principal "*", Action "*" and Condition {"Bool": {"aws:SecureTransport": "false"}}';

// The problem with one file-system policy, or undefined when it denies clients without TLS.
function policyProblem(policy: PolicyResource): string | undefined {
  const subject = `the policy of ${datLabel(policy.type, policy.name)}`;
  const read = readPolicyDocument(policy.props, "policy");
  if (read.kind === "absent") {
    return `Set ${subject} to a document with a statement of ${DENY_SHAPE} (DAT-2).`;
  }
  const unreadable = unreadableDocument(read, subject, "DAT-2");
  if (unreadable !== undefined) {
    return unreadable;
  }
  if (read.kind === "document" && !read.statements.some(deniesInsecureTransport)) {
    return `Add a statement of ${DENY_SHAPE} to ${subject}, with no other condition: without it clients may reach the file system without TLS (DAT-2).`;
  }
  return undefined;
}

/**
 * DAT-2: every EFS file system has a file-system policy, linked through `fileSystemId`, that
 * denies all access without TLS. AWS enforces it on the server side, whatever a client's mount
 * options say.
 */
export const datEfsPolicyDeniesInsecureTransport: StackValidationPolicy = {
  name: "dat-efs-policy-denies-insecure-transport",
  description:
    'Checks that every EFS file system has a file-system policy, built from the file system\'s id, whose document denies every action to Principal "*" when aws:SecureTransport is "false" (DAT-2).',
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const policies = resources.filter((r) => r.type === DatType.efsPolicy);
    for (const fs of resources.filter((r) => r.type === DatType.efs)) {
      const own = policies.filter((p) => overlaps(linked(p, "fileSystemId", DatType.efs), [fs]));
      if (own.length === 0) {
        reportViolation(
          `Add an aws.efs.FileSystemPolicy to ${datLabel(fs.type, fs.name)} with fileSystemId set to its id output and a statement of ${DENY_SHAPE}: without it clients may mount the file system without TLS (DAT-2).`,
          fs.urn,
        );
      }
      for (const policy of own) {
        const problem = policyProblem(policy);
        if (problem !== undefined) {
          reportViolation(problem, policy.urn);
        }
      }
    }
  },
};

/**
 * DAT-2: a node that mounts EFS does so through the EFS mount helper with the `tls` option, never
 * over plain NFS. Nodes without user data, or whose user data mounts no EFS, pass; user data
 * computed from an output cannot be read and is a violation, as for every user data policy.
 */
export const datEfsMountTls: ResourceValidationPolicy = {
  name: "dat-efs-mount-tls",
  description:
    "Checks that every EFS mount in the user data of instances, spot requests, launch templates and launch configurations uses the EFS mount helper with the tls option, never plain NFS (DAT-2).",
  validateResource: forTypes(NODE_TYPES, (args, reportViolation) => {
    checkUserData(args, reportViolation, {
      ids: "DAT-2",
      verifies: "that EFS is mounted with TLS",
      check: (text, property, label) =>
        findEfsMounts(text)
          .filter((m) => !m.tls)
          .map((m) =>
            m.via === "efs"
              ? `Add the tls mount option to the EFS mount at ${m.where} in the ${property} of ${label} (e.g. "fs-0123456789abcdef0:/ /shared efs _netdev,tls 0 0"): without it NFS traffic to the file system crosses the VPC unencrypted (DAT-2).`
              : `Mount the EFS file system at ${m.where} in the ${property} of ${label} with the EFS mount helper (type efs, from amazon-efs-utils) and the tls option instead of plain NFS, which cannot encrypt in transit (DAT-2).`,
          ),
    });
  }),
};
