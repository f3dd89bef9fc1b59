import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import {
  CLOUDWATCH_AGENT_CONFIG,
  CLOUDWATCH_AGENT_CTL,
  cloudWatchAgentBootstrap,
  cloudWatchAgentConfig,
} from "./cloudwatch-agent";
import { cloudConfigProblems } from "./cloud-config-checks";
import { NodeBootstrapSpec, renderCloudConfig } from "./node-bootstrap";
import { slurmControllerHost } from "./slurm-files";
import { ed25519Key, rsaKey } from "./test-keys";
import { nodeLogGroupNames } from "../node-logs/node-log-groups";
import { tenantNameId } from "../tenant-key/tenant-scope";
import { NODE_LOG_GROUP } from "../../policies/src/aud-logs";

const FETCH_CONFIG = `${CLOUDWATCH_AGENT_CTL} -a fetch-config -m ec2 -s -c file:${CLOUDWATCH_AGENT_CONFIG}`;
// AWS refuses user data over 16 KiB (before base64).
const USER_DATA_LIMIT = 16 * 1024;

describe("cloudWatchAgentConfig (AUD-3)", () => {
  it("AUD-3: ships the auth logs to /moat/<tenant>/nodes/auth and the system log to .../syslog, a stream per instance", () => {
    assert.deepEqual(cloudWatchAgentConfig("acme"), {
      agent: { run_as_user: "root" },
      logs: {
        log_stream_name: "{instance_id}",
        logs_collected: {
          files: {
            collect_list: [
              { file_path: "/var/log/secure", log_group_name: "/moat/acme/nodes/auth" },
              { file_path: "/var/log/auth.log", log_group_name: "/moat/acme/nodes/auth" },
              { file_path: "/var/log/messages", log_group_name: "/moat/acme/nodes/syslog" },
            ],
          },
        },
      },
    });
  });

  it("AUD-3/CMP-7: writes only to the NodeLogs groups, which the pack recognises, and never sets their retention", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/), (tenantId) => {
        const config = cloudWatchAgentConfig(tenantId);
        const groups = config.logs.logs_collected.files.collect_list.map((f) => f.log_group_name);
        assert.deepEqual(new Set(groups), new Set(Object.values(nodeLogGroupNames(tenantId))));
        for (const group of groups) {
          assert.match(group, NODE_LOG_GROUP);
        }
        // Retention is the log group's (NodeLogs); the node role holds no logs:PutRetentionPolicy.
        assert.doesNotMatch(JSON.stringify(config), /retention|auto_removal|region/);
      }),
    );
  });
});

describe("cloudWatchAgentBootstrap (AUD-3)", () => {
  const { packages, files, runcmd } = cloudWatchAgentBootstrap("acme");

  it("AUD-3: installs rsyslog, for the /var/log files AL2023 lacks, and the agent", () => {
    assert.deepEqual(packages, ["rsyslog", "amazon-cloudwatch-agent"]);
  });

  it("AUD-3: writes the configuration as one line of JSON at the agent's default path, root-owned", () => {
    assert.equal(files.length, 1);
    const [file] = files;
    assert.equal(file.path, "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json");
    assert.equal(file.owner, "root:root");
    assert.equal(file.permissions, "0644");
    assert.equal(file.content.split("\n").length, 2, "one line and its newline");
    assert.deepEqual(JSON.parse(file.content), cloudWatchAgentConfig("acme"));
  });

  it("AUD-3: starts rsyslog before loading the configuration and starting the agent", () => {
    assert.deepEqual(
      runcmd.map((c) => c.join(" ")),
      ["systemctl enable --now rsyslog", FETCH_CONFIG],
    );
  });
});

const arn = (nameId: string, name: string) =>
  `arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:moat/${nameId}/${name}-AbC123`;

// The user data of a head node as HeadNodes renders it, with Slurm and a filesystem.
const headSpec = (
  tenantId: string,
  userKeys: readonly string[],
  environment?: string,
): NodeBootstrapSpec => ({
  role: "head",
  tenantId,
  environment,
  region: "ap-southeast-2",
  nodeName: "head-0",
  userKeys,
  secretArns: {
    clusterKey: arn(tenantNameId({ tenantId, environment }), "cluster-ssh-key"),
    jupyterToken: arn(tenantNameId({ tenantId, environment }), "jupyter-token/head-0"),
    jupyterTls: arn(tenantNameId({ tenantId, environment }), "jupyter-tls/head-0"),
    mungeKey: arn(tenantNameId({ tenantId, environment }), "munge-key"),
  },
  sharedFilesystem: {
    type: "lustre",
    mountPath: "/shared",
    parameterName: `/moat/${tenantNameId({ tenantId, environment })}/shared-filesystem`,
  },
  scheduler: { kind: "slurm", controllerHost: slurmControllerHost(tenantId), clusterName: tenantId },
});

const specs: Record<"bastion" | "head" | "compute", NodeBootstrapSpec> = {
  bastion: {
    role: "bastion",
    tenantId: "acme",
    region: "us-east-1",
    userKeys: [ed25519Key()],
    secretArns: {},
  },
  head: headSpec("acme", [ed25519Key()]),
  compute: {
    role: "compute",
    tenantId: "acme",
    region: "ap-southeast-2",
    userKeys: [],
    secretArns: { clusterKey: arn("acme", "cluster-ssh-key") },
  },
};

describe("renderCloudConfig ships node logs on every role (AUD-3)", () => {
  it("AUD-3: ships to the groups of the node's tenant environment, which NodeLogs names the same way", () => {
    const text = renderCloudConfig(headSpec("acme", [], "prod"));
    const config = parse(text) as { write_files: { path: string; content: string }[] };
    const file = config.write_files.find((f) => f.path === CLOUDWATCH_AGENT_CONFIG);
    assert.deepEqual(JSON.parse(file?.content ?? "null"), cloudWatchAgentConfig("acme-prod"));
    assert.deepEqual(nodeLogGroupNames("acme-prod"), {
      auth: "/moat/acme-prod/nodes/auth",
      syslog: "/moat/acme-prod/nodes/syslog",
    });
  });

  for (const [role, spec] of Object.entries(specs)) {
    it(`AUD-3: a ${role} node installs, configures and starts the agent, and its cloud-config stays valid`, () => {
      const text = renderCloudConfig(spec);
      const config = parse(text) as {
        packages: string[];
        write_files: { path: string; content: string }[];
        runcmd: string[][];
      };
      assert.ok(config.packages.includes("rsyslog"));
      assert.ok(config.packages.includes("amazon-cloudwatch-agent"));
      const file = config.write_files.find((f) => f.path === CLOUDWATCH_AGENT_CONFIG);
      assert.deepEqual(JSON.parse(file?.content ?? "null"), cloudWatchAgentConfig("acme"));
      const commands = config.runcmd.map((c) => c.join(" "));
      const sshd = commands.indexOf("systemctl enable --now sshd");
      const rsyslog = commands.indexOf("systemctl enable --now rsyslog");
      const agent = commands.indexOf(FETCH_CONFIG);
      assert.ok(sshd >= 0 && sshd < rsyslog && rsyslog < agent, `order: ${commands.join("; ")}`);
      assert.deepEqual(cloudConfigProblems(text), []);
    });
  }

  it("AUD-3: the biggest node's user data (head, Slurm, Lustre, 20-character tenant in staging, a 4096-bit RSA key) stays under 16 KiB", () => {
    const text = renderCloudConfig(
      headSpec("abcdefghijklmnopqrst", [rsaKey(4096, "bob@example.com")], "staging"),
    );
    const bytes = Buffer.byteLength(text, "utf8");
    assert.ok(bytes <= USER_DATA_LIMIT, `${bytes} bytes; AWS accepts at most ${USER_DATA_LIMIT}`);
    // What log shipping adds, so its share of the budget is visible when the limit comes close.
    const added = [
      ...cloudWatchAgentBootstrap("abcdefghijklmnopqrst-staging").files.map((f) => f.path + f.content),
      FETCH_CONFIG,
    ].join("");
    assert.ok(Buffer.byteLength(added) < 700, `log shipping adds ${Buffer.byteLength(added)} bytes`);
  });
});
