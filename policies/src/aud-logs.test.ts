// AUD-3: a stack with nodes has log groups named /moat/<tenant>/nodes/... for their logs; names
// must be literals to be recognised (POL-2).
import { describe, it } from "node:test";
import { assertAuditVerdict } from "./aud-fixtures";
import { audNodeLogGroupsPresent } from "./aud-logs";
import { AudType } from "./aud-read";
import { urnOf } from "./net-fixtures";
import { unknown } from "./testing";

const policy = audNodeLogGroupsPresent;
const missing = {
  message:
    "Add aws.cloudwatch.LogGroup resources named /moat/<tenantId>/nodes/<log> (e.g. /moat/acme/nodes/auth and /moat/acme/nodes/system), KMS-encrypted and kept at least 180 days, and ship the nodes' auth and system logs to them (AUD-3).",
};
const withoutNodeLogs = (s: Record<string, unknown>) => {
  delete s["node-auth-logs"];
  delete s["node-system-logs"];
  delete s["failed-ssh"];
};

describe("aud-node-log-groups-present (AUD-3)", () => {
  it("passes node log groups, and a stack without nodes", async () => {
    await assertAuditVerdict(policy, () => {}, []);
    await assertAuditVerdict(
      policy,
      (s) => {
        withoutNodeLogs(s);
        delete s["head-0"];
      },
      [],
    );
  });

  it("fails nodes without node log groups, or with groups named elsewhere", async () => {
    await assertAuditVerdict(policy, withoutNodeLogs, [missing]);
    await assertAuditVerdict(
      policy,
      (s) => {
        withoutNodeLogs(s);
        s["launch"] = { type: AudType.launchTemplate, props: {} };
        delete s["head-0"];
        s["nodes"] = { type: AudType.logGroup, props: { name: "/moat/acme/node-logs" } };
      },
      [missing],
    );
  });

  it("fails a log group whose name is unknown at preview (POL-2)", async () => {
    await assertAuditVerdict(
      policy,
      (s) => {
        withoutNodeLogs(s);
        s["nodes"] = { type: AudType.logGroup, props: { name: unknown.string } };
      },
      [
        {
          message:
            'Set name on log group "nodes" to a literal value: it is unknown at preview, so this policy cannot verify it (AUD-3, POL-2).',
          urn: urnOf(AudType.logGroup, "nodes"),
        },
        missing,
      ],
    );
  });
});
