// AUD-3: nodes ship their auth and system logs to CloudWatch Logs. The log groups have explicit
// names under `/moat/<tenant>/nodes/`, so they are known at preview; their encryption and
// retention of at least 180 days are net-log-group-encrypted-retained's, which covers every log
// group of the stack.
import { runsNodes } from "./aud-baseline";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AudType, audLabel, literalMessage } from "./aud-read";
import { UNKNOWN, readString } from "./props";

/** Names of the log groups nodes ship to: `/moat/<tenantId>/nodes/<log>`. */
export const NODE_LOG_GROUP = /^\/moat\/[^/]+\/nodes\/[^/]/;

/** True for a log group whose literal name is a node log group's. */
export const isNodeLogGroup = (group: PolicyResource) => {
  const name = readString(group.props, "name");
  return typeof name === "string" && NODE_LOG_GROUP.test(name);
};

/**
 * AUD-3 presence: a stack that runs nodes has a log group named `/moat/<tenant>/nodes/...` for
 * their logs. A group whose name is computed cannot be recognised, so it is asked to be a literal.
 */
export const audNodeLogGroupsPresent: StackValidationPolicy = {
  name: "aud-node-log-groups-present",
  description:
    "Checks that a stack with instances or launch templates has CloudWatch log groups named /moat/<tenant>/nodes/... for the nodes' auth and system logs (AUD-3).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    if (!runsNodes(resources)) {
      return;
    }
    const groups = resources.filter((r) => r.type === AudType.logGroup);
    if (groups.some(isNodeLogGroup)) {
      return;
    }
    for (const group of groups.filter((g) => readString(g.props, "name") === UNKNOWN)) {
      reportViolation(literalMessage("name", audLabel(group.type, group.name), "AUD-3"), group.urn);
    }
    reportViolation(
      "Add aws.cloudwatch.LogGroup resources named /moat/<tenantId>/nodes/<log> (e.g. /moat/acme/nodes/auth and /moat/acme/nodes/system), KMS-encrypted and kept at least 180 days, and ship the nodes' auth and system logs to them (AUD-3).",
    );
  },
};
