// The log-shipping part of a node bootstrap (AUD-3): the CloudWatch agent tails the node's auth
// and system logs into the tenant's node log groups, one stream per instance.
//
// Why rsyslog: Amazon Linux 2023 logs to the systemd journal only and ships no rsyslog, so
// /var/log/secure and /var/log/messages do not exist. The CloudWatch agent tails files (and Windows
// events) but, in the versions the AL2023 repositories and ParallelCluster images carry, not the
// journal: see https://github.com/aws/amazon-cloudwatch-agent/issues/382, open since 2022, and
// https://github.com/aws/amazon-cloudwatch-agent/pull/2121, which adds a journald input only now
// ("Customers on AL2023 have no /var/log/messages to tail"). rsyslog reads the journal and writes
// the classic files, which every agent version tails, so the bootstrap installs and enables it.
import { NodeLog, nodeLogGroupNames } from "../node-logs/node-log-groups";
import { rootFile, WriteFile } from "./node-files";

/** The agent's package, in the Amazon Linux 2023 repositories and preinstalled on ParallelCluster images. */
export const CLOUDWATCH_AGENT_PACKAGE = "amazon-cloudwatch-agent";

/** Where the bootstrap writes the agent's configuration: the agent's documented default path. */
export const CLOUDWATCH_AGENT_CONFIG = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json";

/** The agent's control script, which validates a configuration, installs it and (re)starts the agent. */
export const CLOUDWATCH_AGENT_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";

/** One log file the agent tails. */
export interface NodeLogFile {
  /** Absolute path on the node. */
  readonly path: string;
  /** The node log group it goes to. */
  readonly log: NodeLog;
}

/**
 * The files shipped, per log group: rsyslog's Red Hat layout on Amazon Linux (`secure`,
 * `messages`) and, for Debian and Ubuntu images, their auth log (`auth.log`), which the AUD-2
 * failed-login alarm needs. The agent waits quietly for a file that does not exist, so listing a
 * file another distribution writes costs only the bytes of user data (capped at 16 KiB).
 */
export const NODE_LOG_FILES: readonly NodeLogFile[] = [
  { path: "/var/log/secure", log: "auth" },
  { path: "/var/log/auth.log", log: "auth" },
  { path: "/var/log/messages", log: "syslog" },
];

/**
 * Each instance writes its own stream, named by its instance id: the agent fills in
 * `{instance_id}` from the instance metadata, so the id needs no place in user data.
 */
export const NODE_LOG_STREAM = "{instance_id}";

/** The CloudWatch agent's JSON configuration, as much of it as Moat sets. */
export interface CloudWatchAgentConfig {
  readonly agent: { readonly run_as_user: string };
  readonly logs: {
    readonly log_stream_name: string;
    readonly logs_collected: {
      readonly files: {
        readonly collect_list: readonly {
          readonly file_path: string;
          readonly log_group_name: string;
        }[];
      };
    };
  };
}

/**
 * The agent configuration for a tenant's node (AUD-3): each of {@link NODE_LOG_FILES} into its
 * `/moat/<nameId>/nodes/<log>` group (the name id `<tenantId>-<environment>`, `tenantNameId`), one
 * stream per instance. No `retention_in_days` and no log-group creation: the NodeLogs component
 * owns the groups' retention and encryption, and the node role may only create streams and put
 * events (CMP-7); with retention unset the agent never calls PutRetentionPolicy. No region either: in `-m ec2` mode the agent reads it, like its
 * credentials, from the instance metadata.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html
 */
export function cloudWatchAgentConfig(nameId: string): CloudWatchAgentConfig {
  const groups = nodeLogGroupNames(nameId);
  return {
    // root, explicitly: /var/log/secure is readable by root only, and a future default of a
    // less privileged user would silently stop the auth log.
    agent: { run_as_user: "root" },
    logs: {
      log_stream_name: NODE_LOG_STREAM,
      logs_collected: {
        files: {
          collect_list: NODE_LOG_FILES.map((file) => ({
            file_path: file.path,
            log_group_name: groups[file.log],
          })),
        },
      },
    },
  };
}

/**
 * The packages, file and boot commands that ship the node's logs (AUD-3). The configuration is
 * one line of JSON: user data is capped at 16 KiB and head nodes come close. `fetch-config -s`
 * validates it, moves it into the agent's own configuration directory, then enables and
 * (re)starts the agent's systemd unit, so the agent also runs after a reboot. The agent reaches
 * CloudWatch Logs through the VPC's interface endpoint (components/endpoints), not the internet.
 */
export function cloudWatchAgentBootstrap(nameId: string): {
  packages: string[];
  files: WriteFile[];
  runcmd: string[][];
} {
  return {
    packages: ["rsyslog", CLOUDWATCH_AGENT_PACKAGE],
    files: [rootFile(CLOUDWATCH_AGENT_CONFIG, "0644", `${JSON.stringify(cloudWatchAgentConfig(nameId))}\n`)],
    runcmd: [
      ["systemctl", "enable", "--now", "rsyslog"],
      [
        CLOUDWATCH_AGENT_CTL,
        "-a",
        "fetch-config",
        "-m",
        "ec2",
        "-s",
        "-c",
        `file:${CLOUDWATCH_AGENT_CONFIG}`,
      ],
    ],
  };
}
