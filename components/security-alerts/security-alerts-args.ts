import type { SecurityAlertsArgs } from "./security-alerts";
import { ArgsProblem, validateTenantScope } from "../tenant-key/tenant-scope";

// Good enough to refuse typos and pasted display names ("Ops <ops@acme.example>"): a local part
// without spaces or angle brackets, and a dotted domain. SNS itself confirms by mail.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// A node log group of the tenant, as aud-failed-ssh-alarm-present recognises it.
const NODE_LOG_GROUP = (tenantId: string) => `/moat/${tenantId}/nodes/`;

/** Why a string is not usable as the HTTPS subscription endpoint, or undefined when it is. */
export function httpsEndpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "is not a URL; give the full https:// address of the pager's SNS endpoint";
  }
  if (url.protocol !== "https:") {
    return `uses ${url.protocol.replace(/:$/, "")}; alerts name the tenant's resources, so only https:// is accepted`;
  }
  if (url.username !== "" || url.password !== "") {
    return "carries credentials before the host; use the endpoint's own token in its path or query instead";
  }
  return undefined;
}

/** Why a string is not usable as an email subscription, or undefined when it is. */
export function emailProblem(email: string): string | undefined {
  return typeof email === "string" && EMAIL.test(email)
    ? undefined
    : `${JSON.stringify(email)} is not an email address; write it bare, e.g. security@acme.example`;
}

/**
 * Checks every {@link SecurityAlertsArgs} property and returns all problems at once, each with its
 * property path; an empty array means the args are usable (AUD-2, AUD-4). Values that are still
 * Outputs (account ID, key ARN, log group name) are checked only for being there.
 */
export function validateSecurityAlertsArgs(args: SecurityAlertsArgs): ArgsProblem[] {
  const problems = validateTenantScope(args);
  const key = args.kmsKeyArn;
  if (key === undefined || key === null || key === "") {
    problems.push({
      propertyPath: "kmsKeyArn",
      reason:
        "set kmsKeyArn to the tenant key's ARN (TenantKey.keyArn); alerts are encrypted at rest (AUD-2)",
    });
  } else if (typeof key === "string" && key.toLowerCase().endsWith("alias/aws/sns")) {
    problems.push({
      propertyPath: "kmsKeyArn",
      reason:
        "alias/aws/sns is AWS-managed: its policy cannot let EventBridge and CloudWatch publish, so alerts would be dropped; use the tenant key (AUD-2)",
    });
  }
  const emails = args.subscriptions?.emails ?? [];
  const seen = new Set<string>();
  emails.forEach((email, i) => {
    const problem = emailProblem(email);
    if (problem !== undefined) {
      problems.push({ propertyPath: `subscriptions.emails[${i}]`, reason: problem });
    } else if (seen.has(email.toLowerCase())) {
      problems.push({
        propertyPath: `subscriptions.emails[${i}]`,
        reason: `${email} is listed twice; list each address once (it names its subscription)`,
      });
    }
    seen.add(String(email).toLowerCase());
  });
  const endpoint = args.subscriptions?.httpsEndpoint;
  if (endpoint !== undefined) {
    const problem =
      typeof endpoint === "string" ? httpsEndpointProblem(endpoint) : "is not a string; give an https:// URL";
    if (problem !== undefined) {
      problems.push({ propertyPath: "subscriptions.httpsEndpoint", reason: `the endpoint ${problem}` });
    }
  }
  if (emails.length === 0 && endpoint === undefined) {
    problems.push({
      propertyPath: "subscriptions",
      reason:
        "list at least one email (subscriptions.emails) or an https endpoint: an alert topic nobody subscribes to warns no one (AUD-2)",
    });
  }
  const group = args.nodeAuthLogGroupName;
  if (typeof group === "string" && typeof args.tenantId === "string") {
    const prefix = NODE_LOG_GROUP(args.tenantId);
    if (!group.startsWith(prefix) || group.length === prefix.length) {
      problems.push({
        propertyPath: "nodeAuthLogGroupName",
        reason: `${JSON.stringify(group)} is not one of the tenant's node log groups; use ${prefix}auth (or leave it out), where the nodes ship sshd's log (AUD-3)`,
      });
    }
  }
  if (args.guardDuty !== undefined && typeof args.guardDuty.organizationDetector !== "boolean") {
    problems.push({
      propertyPath: "guardDuty.organizationDetector",
      reason:
        "set true when a detector managed outside this stack covers the account and region, else false (AUD-4)",
    });
  }
  return problems;
}
