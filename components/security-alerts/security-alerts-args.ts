import * as pulumi from "@pulumi/pulumi";
import type { SecurityAlertsArgs, WatchedNetwork } from "./security-alerts";
import { instanceProfileArn, tenantInstanceProfileNames, tenantRoleNames } from "./alert-spec";
import { AUDIT_EVENT_RULES, SCOPE_KINDS, ScopeKind } from "./audit-events";
import { LONGEST_VALUE, MAX_PATTERN_LENGTH, overlongPatterns, ScopeValues } from "./event-patterns";
import {
  ArgsProblem,
  nodeLogGroupPrefix,
  tenantNameId,
  TenantScope,
  validateTenantScope,
} from "../tenant-key/tenant-scope";

// Good enough to refuse typos and pasted display names ("Ops <ops@acme.example>"): a local part
// without spaces or angle brackets, and a dotted domain. SNS itself confirms by mail.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

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
 * Outputs (account ID, key ARN, log group name, resource IDs) are checked only for being there.
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
    const prefix = nodeLogGroupPrefix(tenantNameId(args));
    if (!group.startsWith(prefix) || group.length === prefix.length) {
      problems.push({
        propertyPath: "nodeAuthLogGroupName",
        reason: `${JSON.stringify(group)} is not one of the tenant's node log groups; use ${prefix}auth (or leave it out), where the nodes ship sshd's log (AUD-3)`,
      });
    }
  }
  problems.push(...networkProblems(args.network));
  // Sizing needs every list and name well-formed; with other problems it would only add noise.
  if (problems.length === 0) {
    for (const { key, length } of overlongPatterns(AUDIT_EVENT_RULES, sizingValues(args))) {
      problems.push({
        propertyPath: "network",
        reason: `with this many resources the ${key} rule's pattern may reach ${length} characters, over EventBridge's ${MAX_PATTERN_LENGTH}; raise the account's "Event pattern" quota to 4096 and MAX_PATTERN_LENGTH with it, or split the tenant (AUD-2)`,
      });
    }
  }
  return problems;
}

/** The lists of {@link WatchedNetwork}: its property, kind, ID prefix, and whether one is needed. */
const NETWORK_LISTS: readonly {
  readonly property: Exclude<keyof WatchedNetwork, "vpcId">;
  readonly kind: ScopeKind;
  readonly prefix: string;
  readonly required: boolean;
}[] = [
  { property: "subnetIds", kind: "subnetId", prefix: "subnet-", required: true },
  { property: "securityGroupIds", kind: "securityGroupId", prefix: "sg-", required: true },
  { property: "networkAclIds", kind: "networkAclId", prefix: "acl-", required: false },
  { property: "routeTableIds", kind: "routeTableId", prefix: "rtb-", required: true },
  { property: "internetGatewayIds", kind: "internetGatewayId", prefix: "igw-", required: false },
  { property: "natGatewayIds", kind: "natGatewayId", prefix: "nat-", required: false },
];

const WHY_SCOPED =
  "the alert rules name the tenant's own resources so that they match only its events (AUD-2)";

// A literal ID must look like one of its kind; an Output is checked only for being there.
function idProblem(value: unknown, prefix: string): string | undefined {
  if (value === undefined || value === null || value === "") {
    return `is missing; pass the resource's id output (${WHY_SCOPED})`;
  }
  if (typeof value === "string" && !new RegExp(`^${prefix}[0-9a-f]+$`).test(value)) {
    return `${JSON.stringify(value)} is not an ID of the form ${prefix}<hex>`;
  }
  return undefined;
}

/** Every problem of the watched network, each with its property path. */
function networkProblems(network: WatchedNetwork | undefined): ArgsProblem[] {
  if (network === undefined || network === null) {
    return [
      {
        propertyPath: "network",
        reason: `pass the tenant's VPC, subnets, security groups, ACLs, route tables and gateways: ${WHY_SCOPED}`,
      },
    ];
  }
  const problems: ArgsProblem[] = [];
  const vpc = idProblem(network.vpcId, "vpc-");
  if (vpc !== undefined) {
    problems.push({ propertyPath: "network.vpcId", reason: `the VPC ID ${vpc}` });
  }
  for (const { property, prefix, required } of NETWORK_LISTS) {
    const list = network[property];
    if (!Array.isArray(list)) {
      problems.push({
        propertyPath: `network.${property}`,
        reason: `give a list of IDs${required ? "" : " (empty to leave them out)"}; ${WHY_SCOPED}`,
      });
      continue;
    }
    if (required && list.length === 0) {
      problems.push({
        propertyPath: `network.${property}`,
        reason: `list at least one: a tenant always has some, and changes to one left out alert no one (AUD-2)`,
      });
    }
    list.forEach((id, i) => {
      const problem = idProblem(id, prefix);
      if (problem !== undefined) {
        problems.push({ propertyPath: `network.${property}[${i}]`, reason: `the ID ${problem}` });
      }
    });
  }
  return problems;
}

/** Per kind, what the args give: literal strings, or Outputs the cloud still has to resolve. */
function argValues(args: SecurityAlertsArgs): Record<ScopeKind, readonly pulumi.Input<string>[]> {
  const { network } = args;
  const nameId = tenantNameId(args);
  return {
    vpcId: [network.vpcId],
    subnetId: network.subnetIds,
    securityGroupId: network.securityGroupIds,
    networkAclId: network.networkAclIds,
    routeTableId: network.routeTableIds,
    internetGatewayId: network.internetGatewayIds,
    natGatewayId: network.natGatewayIds,
    roleName: tenantRoleNames(nameId),
    instanceProfileName: tenantInstanceProfileNames(nameId),
    // Stand-ins of the right number: the ARNs need the account ID (tenantScopeInputs).
    instanceProfileArn: tenantInstanceProfileNames(nameId),
    keyArn: [args.kmsKeyArn],
  };
}

/**
 * The scope values to size the patterns with before the cloud has answered: literal values as
 * given, and the longest value of its kind for each Output. List lengths are exact, so which
 * scopes have values is decided here.
 */
export function sizingValues(args: SecurityAlertsArgs): ScopeValues {
  const given = argValues(args);
  return Object.fromEntries(
    SCOPE_KINDS.map((kind) => [
      kind,
      given[kind].map((v) =>
        typeof v === "string" && kind !== "instanceProfileArn" ? v : LONGEST_VALUE[kind],
      ),
    ]),
  ) as unknown as ScopeValues;
}

/** Per kind, the tenant's values as Outputs, each kind on its own so a pattern waits for its kinds only. */
export function tenantScopeInputs(
  args: SecurityAlertsArgs,
  scope: pulumi.Output<TenantScope>,
): Record<ScopeKind, pulumi.Output<string[]>> {
  const given = argValues(args);
  const inputs = Object.fromEntries(SCOPE_KINDS.map((kind) => [kind, pulumi.all([...given[kind]])]));
  const profiles = tenantInstanceProfileNames(tenantNameId(args));
  inputs.instanceProfileArn = scope.apply((s) => profiles.map((name) => instanceProfileArn(s, name)));
  return inputs as Record<ScopeKind, pulumi.Output<string[]>>;
}
