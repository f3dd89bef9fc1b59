/**
 * Names, ARNs and IAM documents of a tenant's VPC flow logs (NET-10), built only from values known
 * at a first `pulumi preview` (partition, region, account, tenant and environment), never from ARNs
 * the cloud computes, so the policy pack can read them (POL-2). Names take the name id
 * `<tenantId>-<environment>` (`tenantNameId`), so two environments of a tenant can share an account.
 */

/** Retention CloudWatch Logs accepts; any other number is refused by the API. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** NET-10: flow logs are kept at least this long. */
export const MIN_FLOW_LOG_RETENTION_DAYS = 180;

/** Flow-log retention when none is given: a year, as for the audit trail (AUD-1). */
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;

/** Where an ARN lives: known at preview from provider functions and config. */
export interface AccountScope {
  /** AWS partition, e.g. `aws` or `aws-us-gov`. */
  readonly partition: string;
  /** Region name, e.g. `us-east-1`. */
  readonly region: string;
  /** Twelve-digit account ID. */
  readonly accountId: string;
}

/** An IAM policy document in the shape AWS reads. */
export interface PolicyDocument {
  /** Always `2012-10-17`, the version that supports policy variables and conditions. */
  readonly Version: "2012-10-17";
  /** The statements, each with a `Sid` saying why it exists. */
  readonly Statement: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/**
 * The flow-log group's explicit name, `/moat/<nameId>/vpc-flow-logs` (e.g. `/moat/acme-prod/vpc-flow-logs`),
 * so its ARN is known early.
 */
export function flowLogGroupName(nameId: string): string {
  return `/moat/${nameId}/vpc-flow-logs`;
}

/** The flow-log delivery role's name, `moat-<nameId>-flow-logs`, e.g. `moat-acme-prod-flow-logs`. */
export function flowLogRoleName(nameId: string): string {
  return `moat-${nameId}-flow-logs`;
}

/** ARN of the tenant's flow-log group, without the `:*` suffix CloudWatch adds to its own output. */
export function flowLogGroupArn(scope: AccountScope, nameId: string): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${flowLogGroupName(nameId)}`;
}

/** ARN of the flow-log delivery role (path `/`). */
export function flowLogRoleArn(scope: AccountScope, nameId: string): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:role/${flowLogRoleName(nameId)}`;
}

/**
 * Trust policy of the delivery role: only the flow-logs service, and only on behalf of flow logs
 * of this account (`aws:SourceAccount`, `aws:SourceArn`), which closes the confused-deputy path
 * through which another account's flow log could borrow the role (IAM-3: no `*` principal).
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export function flowLogTrustPolicy(scope: AccountScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "VpcFlowLogsOfThisAccountOnly",
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.accountId },
          ArnLike: {
            "aws:SourceArn": `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:vpc-flow-log/*`,
          },
        },
      },
    ],
  };
}

/**
 * Permissions of the delivery role: write streams and events to the tenant's flow-log group and
 * nothing else. The group exists before the flow log, so no `logs:CreateLogGroup`; the resource
 * is the named group and its streams, never `*` (CMP-7, IAM-3).
 */
export function flowLogPermissionsPolicy(scope: AccountScope, nameId: string): PolicyDocument {
  const group = flowLogGroupArn(scope, nameId);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteTenantFlowLogGroupOnly",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        // The group itself (DescribeLogStreams) and its streams (CreateLogStream, PutLogEvents).
        Resource: [group, `${group}:*`],
      },
    ],
  };
}
