// NET-10: every VPC records its traffic to an encrypted log group kept at least 180 days. A flow
// log is tied to its VPC through the `vpcId` dependency, and to its log group either through the
// `logDestination` dependency or through the group's ARN, which components build from the
// group's explicit name because the cloud's ARN is unknown at a first preview (POL-2).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { NetType, declared, linked, overlaps } from "./net-stack";
import { UNKNOWN, forTypes, readNumber, readString } from "./props";

/** NET-10's floor on log retention, in days. */
export const MIN_RETENTION_DAYS = 180;

/** Settings of the NET-10 policies. */
export interface RetentionConfig {
  /**
   * Fewest days a log group may keep its events; it can only be raised above NET-10's floor.
   * @default 180
   */
  readonly minimumRetentionDays?: number;
}

const retentionSchema = {
  properties: {
    minimumRetentionDays: {
      type: "integer" as const,
      minimum: MIN_RETENTION_DAYS,
      default: MIN_RETENTION_DAYS,
    },
  },
};

// The schema keeps configured values at or above the floor; the max guards direct callers too.
const minimumDays = (config: RetentionConfig) =>
  Math.max(config.minimumRetentionDays ?? MIN_RETENTION_DAYS, MIN_RETENTION_DAYS);

/**
 * What keeps a log group from meeting NET-10, each phrased to follow `log group "x"`. A key that
 * is unknown at preview is the tenant key's computed ARN: declared, so it counts; the retention
 * must be a literal, as a computed number cannot be compared.
 */
export function logGroupShortfalls(
  group: Pick<PolicyResource, "props" | "propertyDependencies">,
  minimum: number,
): { encryption?: string; retention?: string } {
  const days = readNumber(group.props, "retentionInDays");
  const encryption = declared(group, "kmsKeyId") ? undefined : "has no kmsKeyId";
  let retention: string | undefined;
  if (days === UNKNOWN) {
    retention = "has a retentionInDays that is unknown at preview";
  } else if (days === undefined || days === 0) {
    // Never-expiring events would be kept long enough, but only an explicit number can be
    // compared with the minimum and audited, so the stack is asked to choose one.
    retention = days === 0 ? "sets retentionInDays 0 (never expire)" : "sets no retentionInDays";
  } else if (days < minimum) {
    retention = `keeps events ${days} days`;
  }
  return { encryption, retention };
}

/**
 * NET-10: every log group in the stack, flow logs' and nodes' alike, is encrypted with a
 * customer-managed key and keeps its events long enough for an investigation.
 */
export const netLogGroupEncryptedRetained: ResourceValidationPolicy = {
  name: "net-log-group-encrypted-retained",
  description:
    "Checks that every CloudWatch log group (flow logs, node logs, the audit trail's) is encrypted with a KMS key and keeps its events at least 180 days (configurable upwards) (NET-10, AUD-3).",
  configSchema: retentionSchema,
  validateResource: forTypes([NetType.logGroup], (args, reportViolation) => {
    const minimum = minimumDays(args.getConfig<RetentionConfig>());
    const { encryption, retention } = logGroupShortfalls(
      { props: args.props, propertyDependencies: {} },
      minimum,
    );
    if (encryption) {
      reportViolation(
        `Set kmsKeyId on log group "${args.name}" to the tenant's KMS key: it ${encryption}, and logs are encrypted with a customer-managed key (NET-10).`,
      );
    }
    if (retention) {
      reportViolation(
        `Set retentionInDays on log group "${args.name}" to a literal of at least ${minimum} days: it ${retention} (NET-10).`,
      );
    }
  }),
};

const LOG_GROUP_ARN = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/;

// The log group a flow log sends to: by dependency, or by the name inside a literal ARN.
function destinationGroup(
  flowLog: PolicyResource,
  resources: readonly PolicyResource[],
): PolicyResource | undefined {
  const [byDependency] = linked(flowLog, "logDestination", NetType.logGroup);
  if (byDependency) {
    return byDependency;
  }
  const arn = readString(flowLog.props, "logDestination");
  const name = typeof arn === "string" ? LOG_GROUP_ARN.exec(arn)?.[1] : undefined;
  return name === undefined
    ? undefined
    : resources.find((r) => r.type === NetType.logGroup && readString(r.props, "name") === name);
}

function flowLogProblems(
  flowLog: PolicyResource,
  resources: readonly PolicyResource[],
  minimum: number,
): string[] {
  const label = `flow log "${flowLog.name}"`;
  const problems: string[] = [];
  const traffic = readString(flowLog.props, "trafficType");
  if (traffic !== "ALL") {
    const now = traffic === UNKNOWN ? "it is unknown at preview" : `it records ${traffic ?? "no"} traffic`;
    problems.push(
      `Set trafficType of ${label} to "ALL": ${now}, so rejected as well as accepted traffic is recorded (NET-10).`,
    );
  }
  const type = readString(flowLog.props, "logDestinationType");
  if (type !== undefined && type !== "cloud-watch-logs") {
    const now = type === UNKNOWN ? "it is unknown at preview" : `it sends to ${type}`;
    problems.push(
      `Set logDestinationType of ${label} to "cloud-watch-logs": ${now}, so the flow log lands in an encrypted, retained log group (NET-10).`,
    );
    return problems;
  }
  const group = destinationGroup(flowLog, resources);
  if (!group) {
    problems.push(
      `Send ${label} to a log group of this stack: build logDestination from an aws.cloudwatch.LogGroup or from the ARN of one by its name, so its encryption and retention can be verified (NET-10).`,
    );
  } else {
    const { encryption, retention } = logGroupShortfalls(group, minimum);
    const shortfalls = [encryption, retention].filter((s) => s !== undefined);
    if (shortfalls.length > 0) {
      problems.push(
        `Send ${label} to a log group encrypted with the tenant's KMS key and kept at least ${minimum} days: log group "${group.name}" ${shortfalls.join(" and ")} (NET-10).`,
      );
    }
  }
  return problems;
}

/**
 * NET-10: every VPC has at least one flow log that records all traffic into a log group meeting
 * {@link netLogGroupEncryptedRetained}. When none qualifies, each flow log's problems are listed.
 */
export const netVpcFlowLogsEnabled: StackValidationPolicy = {
  name: "net-vpc-flow-logs-enabled",
  description:
    "Checks that every VPC has a flow log recording ALL traffic to a KMS-encrypted CloudWatch log group kept at least 180 days (configurable upwards) (NET-10).",
  configSchema: retentionSchema,
  validateStack: (args, reportViolation) => {
    const minimum = minimumDays(args.getConfig<RetentionConfig>());
    const { resources } = args;
    const flowLogs = resources.filter((r) => r.type === NetType.flowLog);
    for (const vpc of resources.filter((r) => r.type === NetType.vpc)) {
      const own = flowLogs.filter((f) => overlaps(linked(f, "vpcId", NetType.vpc), [vpc]));
      if (own.length === 0) {
        reportViolation(
          `Add an aws.ec2.FlowLog to VPC "${vpc.name}" with vpcId set to the VPC's id and trafficType "ALL", sending to a KMS-encrypted log group kept at least ${minimum} days (NET-10).`,
          vpc.urn,
        );
        continue;
      }
      const judged = own.map((f) => ({ flowLog: f, problems: flowLogProblems(f, resources, minimum) }));
      if (judged.every((j) => j.problems.length > 0)) {
        for (const { flowLog, problems } of judged) {
          problems.forEach((p) => reportViolation(p, flowLog.urn));
        }
      }
    }
  },
};
