import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupArn, NODE_LOGS, NodeLog, nodeLogGroupNames, nodeLogRetentionDays } from "./node-log-groups";
import { validateNodeLogsArgs } from "./node-logs-args";
import { resolveScope, tenantNameId, throwIfInvalid, type TenantScopeArgs } from "../tenant-key/tenant-scope";

/**
 * Inputs of {@link NodeLogs}. Tenant, environment and owner tags (AUD-5) come from the tenant
 * provider passed in the resource options.
 */
export interface NodeLogsArgs extends TenantScopeArgs {
  // tenantId and environment name the groups `/moat/<tenantId>-<environment>/nodes/<log>`;
  // changing either replaces both (the old ones are kept, DAT-4). Account ID and region make the
  // groups' ARNs known at preview (POL-2).
  /**
   * ARN of the tenant's KMS key (`TenantKey.keyArn`), which encrypts the log events. Its key
   * policy lets CloudWatch Logs use it for `/moat/<tenantId>-<environment>/*` only. No default: node logs are
   * never left under an AWS-owned key. Changing it re-keys new events only.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Days log events are kept, 180 (AUD-3) to 3653; rounded up to the next value CloudWatch Logs
   * accepts (e.g. 200 becomes 365). Raising it later keeps existing events longer.
   * @default 365
   */
  readonly retentionDays?: number;
}

/**
 * The CloudWatch log groups nodes ship their logs to (AUD-3): `/moat/<nameId>/nodes/auth` for
 * sshd and PAM (the failed-login alarm of AUD-2 watches it) and `/moat/<nameId>/nodes/syslog`
 * for the rest of the system log, one stream per instance; the name id is
 * `<tenantId>-<environment>` (`tenantNameId`). Both are encrypted with the tenant key,
 * kept at least 180 days, and protected and retained on `pulumi destroy` (DAT-4): they are the
 * evidence an incident investigation starts from. The node bootstrap's CloudWatch agent writes to
 * them through the VPC's logs endpoint with the node role's `/moat/<nameId>/nodes/*` grant.
 */
export class NodeLogs extends pulumi.ComponentResource {
  /** `/moat/<nameId>/nodes/auth`, once the group exists. */
  public readonly authLogGroupName: pulumi.Output<string>;
  /** ARN of the auth log group, built from known values (known at preview). */
  public readonly authLogGroupArn: pulumi.Output<string>;
  /** `/moat/<nameId>/nodes/syslog`, once the group exists. */
  public readonly syslogLogGroupName: pulumi.Output<string>;
  /** ARN of the syslog log group, built from known values (known at preview). */
  public readonly syslogLogGroupArn: pulumi.Output<string>;

  constructor(name: string, args: NodeLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    throwIfInvalid("NodeLogs", name, validateNodeLogsArgs(args));
    super("moat:audit:NodeLogs", name, {}, opts);

    const names = nodeLogGroupNames(tenantNameId(args));
    const scope = resolveScope(args);
    const groups = Object.fromEntries(
      NODE_LOGS.map((log) => [
        log,
        new aws.cloudwatch.LogGroup(
          `${name}-${log}`,
          {
            // An explicit name keeps the ARN known at preview and matches what nodes write to.
            name: names[log],
            kmsKeyId: args.kmsKeyArn,
            // Validation bounded it to what CloudWatch accepts, so rounding always finds a value.
            retentionInDays: nodeLogRetentionDays(args.retentionDays),
            // Metric filters (the AUD-2 failed-login alarm) need the STANDARD class.
            logGroupClass: "STANDARD",
          },
          // DAT-4: refuse deletion in an update and keep the evidence when the stack is destroyed.
          { parent: this, protect: true, retainOnDelete: true },
        ),
      ]),
    ) as Record<NodeLog, aws.cloudwatch.LogGroup>;
    // Through the group's name, so a consumer of the ARN waits for the group to exist.
    const arnOf = (log: NodeLog) =>
      pulumi.all([scope, groups[log].name]).apply(([s, groupName]) => logGroupArn(s, groupName));

    this.authLogGroupName = groups.auth.name;
    this.authLogGroupArn = arnOf("auth");
    this.syslogLogGroupName = groups.syslog.name;
    this.syslogLogGroupArn = arnOf("syslog");
    this.registerOutputs({
      authLogGroupName: this.authLogGroupName,
      authLogGroupArn: this.authLogGroupArn,
      syslogLogGroupName: this.syslogLogGroupName,
      syslogLogGroupArn: this.syslogLogGroupArn,
    });
  }
}
