// AUD mutations: the audit trail, alert topic, node logs, threat detection and tenant tags. Each
// weakens the stack's own audit resource when the program declares one (issue 6), and otherwise
// adds a weak one, as a user would.
import type { RecordedResource } from "../../plan/types";
import { declare, remove, setInput } from "../edit";
import { T, TAG_OWNER, UNKNOWN, firstOf, idOf, ofType, parseJson, stackFacts } from "../resources";
import type { Mutation } from "../types";

const TRAIL = "aws:cloudtrail/trail:Trail";
const TOPIC = "aws:sns/topic:Topic";
const DETECTOR = "aws:guardduty/detector:Detector";

/** Log groups nodes ship their auth and system logs to, named `/moat/<tenant>/nodes/<log>`. */
const nodeLogGroups = (rs: readonly RecordedResource[]) =>
  ofType(rs, T.logGroup).filter((g) => /^\/moat\/[^/]+\/nodes\//.test(String(g.inputs.name)));

const keyRef = (rs: readonly RecordedResource[]) => {
  const key = firstOf(rs, T.kmsKey);
  return { value: key ? idOf(rs, key) : UNKNOWN, from: key ? [key] : [] };
};

/** Mutations that break AUD-1 to AUD-5. */
export const audMutations: readonly Mutation[] = [
  {
    id: "AUD-1",
    title: "turn off log-file validation on the CloudTrail trail",
    applies: (rs) => firstOf(rs, TRAIL) !== undefined,
    mutate: (rs) => setInput(rs, firstOf(rs, TRAIL)!, "enableLogFileValidation", false),
  },
  {
    id: "AUD-1",
    title: "add a CloudTrail trail without log-file validation",
    applies: (rs) => firstOf(rs, TRAIL) === undefined,
    mutate: (rs) => {
      const { tenant, region, account } = stackFacts(rs);
      const key = keyRef(rs);
      const trail = declare(rs, {
        type: TRAIL,
        name: `${tenant}-trail`,
        inputs: {
          name: `moat-${tenant}-audit`,
          s3BucketName: `moat-${tenant}-audit-${account}`,
          isMultiRegionTrail: true,
          includeGlobalServiceEvents: true,
          enableLogFileValidation: false,
          kmsKeyId: key.value,
          cloudWatchLogsGroupArn: `arn:aws:logs:${region}:${account}:log-group:/moat/${tenant}/cloudtrail:*`,
          cloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/moat-${tenant}-cloudtrail`,
        },
        from: { kmsKeyId: key.from },
      });
      return [...rs, trail];
    },
  },
  {
    id: "AUD-2",
    title: "drop the KMS key from the security alert topic",
    applies: (rs) => firstOf(rs, TOPIC) !== undefined,
    mutate: (rs) => setInput(rs, firstOf(rs, TOPIC)!, "kmsMasterKeyId", undefined),
  },
  {
    id: "AUD-2",
    title: "add an unencrypted security alert topic",
    applies: (rs) => firstOf(rs, TOPIC) === undefined,
    mutate: (rs) => {
      const { tenant } = stackFacts(rs);
      const topic = declare(rs, {
        type: TOPIC,
        name: `${tenant}-security-alerts`,
        inputs: { name: `moat-${tenant}-security-alerts` },
      });
      return [...rs, topic];
    },
  },
  {
    id: "AUD-3",
    title: "stop shipping node logs: remove the /moat/<tenant>/nodes/ log groups",
    applies: (rs) => nodeLogGroups(rs).length > 0,
    mutate: (rs) => remove(rs, ...nodeLogGroups(rs)),
  },
  {
    id: "AUD-3",
    title: "keep a node log group only 30 days",
    applies: (rs) => nodeLogGroups(rs).length > 0,
    mutate: (rs) => setInput(rs, nodeLogGroups(rs)[0], "retentionInDays", 30),
  },
  {
    id: "AUD-3",
    title: "ship node auth logs to a log group kept only 30 days",
    applies: (rs) => nodeLogGroups(rs).length === 0,
    mutate: (rs) => {
      const { tenant } = stackFacts(rs);
      const key = keyRef(rs);
      const logs = declare(rs, {
        type: T.logGroup,
        name: `${tenant}-node-auth-logs`,
        inputs: { name: `/moat/${tenant}/nodes/auth`, retentionInDays: 30, kmsKeyId: key.value },
        from: { kmsKeyId: key.from },
      });
      return [...rs, logs];
    },
  },
  {
    id: "AUD-4",
    title: "disable the GuardDuty detector",
    applies: (rs) => firstOf(rs, DETECTOR) !== undefined,
    mutate: (rs) => setInput(rs, firstOf(rs, DETECTOR)!, "enable", false),
  },
  {
    id: "AUD-4",
    title: "add a GuardDuty detector that is switched off",
    applies: (rs) => firstOf(rs, DETECTOR) === undefined,
    mutate: (rs) => {
      const detector = declare(rs, {
        type: DETECTOR,
        name: `${stackFacts(rs).tenant}-guardduty`,
        inputs: { enable: false },
      });
      return [...rs, detector];
    },
  },
  {
    id: "AUD-5",
    title: "drop the owner tag from the tenant provider's default tags",
    applies: (rs) => {
      const defaults = parseJson(stackFacts(rs).aws.inputs.defaultTags) as { tags?: Record<string, unknown> };
      return defaults?.tags?.[TAG_OWNER] !== undefined;
    },
    mutate: (rs) => {
      const { aws } = stackFacts(rs);
      const defaults = parseJson(aws.inputs.defaultTags) as { tags: Record<string, unknown> };
      const tags = { ...defaults.tags };
      delete tags[TAG_OWNER];
      return setInput(rs, aws, "defaultTags", JSON.stringify({ ...defaults, tags }));
    },
  },
];
