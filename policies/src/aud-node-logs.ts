// AUD-1: no node can write to the trail's or the flow logs' log groups. A node that is broken into
// holds its role's credentials; if that role may put events in every group under the tenant's
// prefix, the intruder can flood or forge the very logs that would show the break-in. So the roles
// EC2 instances assume may write log events only to node log groups, `/moat/<tenant>/nodes/...`.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readPolicyDocument, wildcardMatches, type DocumentRead, type Statement } from "./iam-document";
import { IamType, inlineDocuments, linkedResources } from "./iam-resources";
import { readString } from "./props";

/** Actions that put log events into a group, or open a stream to put them in. */
export const LOG_WRITE_ACTIONS: readonly string[] = ["logs:PutLogEvents", "logs:CreateLogStream"];

/** What a node log group name starts with: the tenant's prefix, then `nodes/`. */
const NODE_LOG_GROUP = /^\/moat\/[^/*?]+\/nodes\//;

/** AWS managed policies that let their holder write to any log group. */
export const LOG_WRITING_MANAGED_POLICIES: readonly string[] = [
  "CloudWatchAgentServerPolicy",
  "CloudWatchAgentAdminPolicy",
  "CloudWatchLogsFullAccess",
  "AdministratorAccess",
  "PowerUserAccess",
];

const LOG_GROUP_ARN = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.*)$/;

/** Whether a resource pattern of a log-writing grant stays inside node log groups. */
function withinNodeLogs(resource: string): boolean {
  const match = LOG_GROUP_ARN.exec(resource);
  if (!match) {
    // Another service's ARN grants no log group; a bare or partial wildcard may cover them all.
    return !/^(\*|arn:[^:]*:(logs|\*|[^:]*\*[^:]*):)/.test(resource) && !resource.includes("*:logs:");
  }
  const literal = match[1].split(/[*?]/)[0];
  return NODE_LOG_GROUP.test(literal);
}

/** The grants of a document that write log events beyond the node log groups, as messages. */
function overreach(read: DocumentRead): string[] {
  if (read.kind !== "document") {
    return [];
  }
  return read.statements
    .filter((s: Statement) => s.effect === "Allow")
    .filter(
      (s) =>
        s.notActions !== undefined ||
        (s.actions ?? []).some((a) => LOG_WRITE_ACTIONS.some((w) => wildcardMatches(a, w))),
    )
    .flatMap((s) => {
      const beyond =
        s.notResources !== undefined
          ? ["NotResource"]
          : (s.resources ?? []).filter((r) => !withinNodeLogs(r));
      return beyond.length > 0 ? [`${s.label} lets it write log events to ${beyond.join(", ")}`] : [];
    });
}

/** True when a role's trust lets EC2 instances assume it. */
function isNodeRole(role: PolicyResource): boolean {
  const read = readPolicyDocument(role.props, "assumeRolePolicy");
  return (
    read.kind === "document" &&
    read.statements.some(
      (s) =>
        s.effect === "Allow" &&
        (s.principals ?? []).some(
          (p) => p.type === "Service" && /^ec2\.amazonaws\.com(\.cn)?$/.test(p.value),
        ),
    )
  );
}

/** AUD-1: the roles nodes assume write log events only to node log groups. */
export const audNodeRolesWriteNodeLogsOnly: StackValidationPolicy = {
  name: "aud-node-roles-write-node-logs-only",
  description:
    "Checks that the IAM roles EC2 instances assume (trust ec2.amazonaws.com) allow logs:PutLogEvents and logs:CreateLogStream only on node log groups /moat/<tenant>/nodes/..., never on the trail's or the flow logs' groups, through inline, role or attached policies (AUD-1).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    for (const role of resources.filter((r) => r.type === IamType.role && isNodeRole(r))) {
      const label = `IAM role "${role.name}" (assumed by EC2 instances)`;
      const found: [string, string][] = inlineDocuments(role.props).flatMap((d) =>
        overreach(d.read).map((m) => [d.source, m] as [string, string]),
      );
      for (const policy of resources.filter(
        (r) =>
          r.type === IamType.rolePolicy &&
          linkedResources(r, "role", [IamType.role], resources, "name").some((l) => l.urn === role.urn),
      )) {
        found.push(
          ...overreach(readPolicyDocument(policy.props, "policy")).map(
            (m) => [`role policy "${policy.name}"`, m] as [string, string],
          ),
        );
      }
      for (const attachment of resources.filter(
        (r) =>
          r.type === IamType.rolePolicyAttachment &&
          linkedResources(r, "role", [IamType.role], resources, "name").some((l) => l.urn === role.urn),
      )) {
        const managed = linkedResources(attachment, "policyArn", [IamType.policy], resources, "arn");
        for (const policy of managed) {
          found.push(
            ...overreach(readPolicyDocument(policy.props, "policy")).map(
              (m) => [`policy "${policy.name}"`, m] as [string, string],
            ),
          );
        }
        const arn = readString(attachment.props, "policyArn");
        const awsManaged = typeof arn === "string" ? /:iam::aws:policy\/(.+)$/.exec(arn)?.[1] : undefined;
        if (awsManaged !== undefined && LOG_WRITING_MANAGED_POLICIES.includes(awsManaged)) {
          found.push([
            `attachment "${attachment.name}"`,
            `AWS managed policy ${awsManaged} lets it write to every log group`,
          ]);
        }
      }
      for (const [source, message] of found) {
        reportViolation(
          `Narrow ${source} of ${label}: ${message}; allow ${LOG_WRITE_ACTIONS.join(" and ")} only on arn:aws:logs:<region>:<account>:log-group:/moat/<tenant>/nodes/*, so a node broken into cannot flood or forge the trail's or the flow logs' groups (AUD-1).`,
          role.urn,
        );
      }
    }
  },
};
