import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import { NodeBootstrapError, NodeBootstrapSpec, renderCloudConfig } from "./node-bootstrap";
import { cloudConfigProblems, SSHD_HARDENING } from "./cloud-config-checks";
import { FETCH_SCRIPT, shellQuote, SSHD_DROP_IN } from "./node-files";
import { MOUNT_SCRIPT, MOUNT_UNIT } from "./shared-filesystem-files";
import { slurmControllerHost } from "./slurm-files";
import { ed25519Key, rsaKey } from "./test-keys";

const arn = (name: string, region = "us-east-1") =>
  `arn:aws:secretsmanager:${region}:123456789012:secret:moat/acme/${name}-AbC123`;
const userKeys = [ed25519Key(1, "alice@example"), rsaKey(4096, "bob@example")];
const scheduler = {
  kind: "slurm",
  controllerHost: "head-0.acme.moat.internal",
  clusterName: "acme",
} as const;

const specs: Record<"bastion" | "head" | "compute", NodeBootstrapSpec> = {
  bastion: { role: "bastion", tenantId: "acme", region: "us-east-1", userKeys, secretArns: {} },
  head: {
    role: "head",
    tenantId: "acme",
    region: "us-east-1",
    nodeName: "head-0",
    userKeys,
    clusterPublicKey: ed25519Key(9, "moat-cluster"),
    secretArns: {
      clusterKey: arn("cluster-ssh-key"),
      jupyterToken: arn("jupyter-token/head-0"),
      jupyterTls: arn("jupyter-tls/head-0"),
      mungeKey: arn("munge-key"),
    },
    sharedFilesystem: { type: "efs", mountPath: "/shared", parameterName: "/moat/acme/shared-filesystem" },
    scheduler,
  },
  compute: {
    role: "compute",
    tenantId: "acme",
    region: "us-east-1",
    userKeys,
    secretArns: { clusterKey: arn("cluster-ssh-key"), mungeKey: arn("munge-key") },
    sharedFilesystem: { type: "lustre", mountPath: "/fsx", parameterName: "/moat/acme/shared-filesystem" },
    scheduler,
    computeGroup: "gpu-a",
    refreshMinutes: 5,
  },
};

interface Rendered {
  readonly text: string;
  readonly config: Record<string, unknown>;
  readonly file: (path: string) => string | undefined;
  readonly commands: string[];
}

function render(spec: NodeBootstrapSpec): Rendered {
  const text = renderCloudConfig(spec);
  const config = parse(text) as Record<string, unknown>;
  const files = (config.write_files ?? []) as { path: string; content: string; permissions: string }[];
  return {
    text,
    config,
    file: (path) => files.find((f) => f.path === path)?.content,
    commands: ((config.runcmd ?? []) as string[][]).map((c) => c.join(" ")),
  };
}

describe("renderCloudConfig: every role (CMP-4, CMP-5, CMP-8)", () => {
  for (const [role, spec] of Object.entries(specs)) {
    it(`CMP-4/CMP-5: ${role} is #cloud-config YAML with hardened sshd enabled under systemd`, () => {
      const { text, config, file, commands } = render(spec);
      assert.ok(text.startsWith("#cloud-config\n"));
      assert.equal(config.ssh_pwauth, false);
      assert.equal(config.disable_root, true);
      const dropIn = file(SSHD_DROP_IN) ?? "";
      for (const setting of SSHD_HARDENING) {
        assert.ok(dropIn.split("\n").includes(setting), `${role} lacks ${setting}`);
      }
      assert.ok(commands.includes("systemctl enable --now sshd"));
      assert.deepEqual(config.ssh_authorized_keys, userKeys);
      assert.deepEqual(cloudConfigProblems(text), []);
    });

    it(`CMP-8: ${role} user data holds no private key, token or secret value`, () => {
      const { text } = render(spec);
      assert.doesNotMatch(text, /PRIVATE KEY|JUPYTER_TOKEN=[A-Za-z0-9]|--\S*token/);
    });
  }
});

describe("renderCloudConfig: bastion (NET-7)", () => {
  const { config, file, commands, text } = render(specs.bastion);

  it("NET-7: installs and enables fail2ban with an sshd jail on the journal", () => {
    assert.deepEqual(config.packages, ["rsyslog", "amazon-cloudwatch-agent", "fail2ban", "nftables"]);
    const jail = file("/etc/fail2ban/jail.d/moat-sshd.local") ?? "";
    assert.match(jail, /^\[sshd\]\nenabled = true\nbackend = systemd$/m);
    assert.ok(commands.includes("systemctl enable --now fail2ban"));
  });

  it("NET-7/CMP-7: has no JupyterLab, no secret fetching and no trust in the cluster key", () => {
    assert.doesNotMatch(text, /jupyter|moat-fetch-secrets|secretsmanager|moat-cluster-keys/i);
  });
});

describe("renderCloudConfig: head (CMP-6, CMP-9, DAT-2, NET-6)", () => {
  const { file, commands, config } = render(specs.head);
  const unit = file("/etc/systemd/system/moat-jupyterlab.service") ?? "";

  it("NET-6/DAT-2: runs JupyterLab on 127.0.0.1 only, with TLS files from the fetch", () => {
    const execStart = unit.split("\n").find((l) => l.startsWith("ExecStart=")) ?? "";
    assert.match(execStart, /--ip=127\.0\.0\.1 /);
    assert.match(execStart, /--certfile=%d\/tls\.crt --keyfile=%d\/tls\.key$/);
    assert.match(unit, /^LoadCredential=tls\.key:\/etc\/moat\/jupyter\/tls\.key$/m);
    assert.match(unit, /^User=ec2-user$/m);
    assert.ok(commands.includes("systemctl enable --now moat-jupyterlab.service"));
  });

  it("CMP-6: reads the token from the fetched environment file, never from its command line", () => {
    assert.match(unit, /^EnvironmentFile=\/etc\/moat\/jupyter\/token\.env$/m);
    assert.doesNotMatch(unit, /token=/i);
  });

  it("CMP-8/CMP-9: fetches each secret by ARN into 0600 files and refreshes them on a timer", () => {
    const script = file(FETCH_SCRIPT) ?? "";
    for (const name of ["cluster-ssh-key", "jupyter-token/head-0", "jupyter-tls/head-0", "munge-key"]) {
      assert.ok(script.includes(`"$(fetch ${shellQuote(arn(name))})"`), name);
    }
    assert.match(script, /aws secretsmanager get-secret-value --region "\$region" --secret-id "\$1"/);
    assert.match(script, /^region='us-east-1'$/m);
    assert.match(script, /^put "\$home\/\.ssh\/id_ed25519" "\$user:\$user" 0600 /m);
    assert.match(script, /^put \/etc\/moat\/jupyter\/token\.env root:root 0600 <<<"JUPYTER_TOKEN=\$token"$/m);
    assert.match(script, /^put \/etc\/moat\/jupyter\/tls\.key root:root 0600 /m);
    assert.match(file("/etc/systemd/system/moat-fetch-secrets.timer") ?? "", /^OnUnitActiveSec=15min$/m);
    assert.ok(commands.includes("systemctl enable --now moat-fetch-secrets.timer"));
    assert.ok(
      commands.indexOf("systemctl start moat-fetch-secrets.service") <
        commands.indexOf("systemctl enable --now moat-jupyterlab.service"),
    );
  });

  it("CMP-4: trusts the cluster key for the default user only", () => {
    assert.match(
      file(SSHD_DROP_IN) ?? "",
      /^AuthorizedKeysFile \.ssh\/authorized_keys \/etc\/ssh\/moat-cluster-keys\/%u$/m,
    );
    assert.equal(file("/etc/ssh/moat-cluster-keys/ec2-user"), `${specs.head.clusterPublicKey}\n`);
  });

  it("DAT-2/POL-2: mounts EFS with TLS at the shared path, located through the SSM parameter", () => {
    assert.deepEqual(config.packages, ["rsyslog", "amazon-cloudwatch-agent", "amazon-efs-utils"]);
    const script = file(MOUNT_SCRIPT) ?? "";
    assert.match(
      script,
      /^location="\$\(aws ssm get-parameter --region 'us-east-1' --name '\/moat\/acme\/shared-filesystem' /m,
    );
    assert.match(script, /^mount -t efs -o tls,iam,_netdev "\$fs_id:\/" '\/shared'$/m);
    assert.doesNotMatch(script, /lustre|fstab/);
    assert.match(file(`/etc/systemd/system/${MOUNT_UNIT}`) ?? "", /^Restart=on-failure$/m);
    assert.ok(commands.includes(`systemctl enable ${MOUNT_UNIT}`));
    assert.ok(commands.includes(`systemctl start --no-block ${MOUNT_UNIT}`));
  });
});

describe("renderCloudConfig: compute (CMP-4, CMP-9, DAT-2)", () => {
  const { file, config, text } = render(specs.compute);

  it("CMP-6/NET-6: has neither JupyterLab nor fail2ban", () => {
    assert.doesNotMatch(text, /jupyter|fail2ban/i);
  });

  it("CMP-4/CMP-9: fetches only the cluster key and the MUNGE key, on the requested schedule", () => {
    const script = file(FETCH_SCRIPT) ?? "";
    assert.deepEqual(
      [...script.matchAll(/\$\(fetch '([^']+)'\)/g)].map((m) => m[1]),
      [arn("cluster-ssh-key"), arn("munge-key")],
    );
    assert.match(file("/etc/systemd/system/moat-fetch-secrets.timer") ?? "", /^OnUnitActiveSec=5min$/m);
    assert.equal(file("/etc/ssh/moat-cluster-keys/ec2-user"), undefined, "trusted after the first fetch");
  });

  it("DAT-2/POL-2: mounts FSx for Lustre at the shared path, located through the SSM parameter", () => {
    assert.deepEqual(config.packages, ["rsyslog", "amazon-cloudwatch-agent", "lustre-client"]);
    const script = file(MOUNT_SCRIPT) ?? "";
    assert.match(script, /--name '\/moat\/acme\/shared-filesystem' --query Parameter\.Value --output text/);
    assert.match(script, /^\[ "\$\(field type\)" = lustre \] \|\| fail /m);
    assert.match(
      script,
      /^mount -t lustre -o relatime,flock,_netdev "\$dns_name@tcp:\/\$mount_name" '\/fsx'$/m,
    );
    assert.doesNotMatch(script, /efs|fs-[0-9a-f]{8}/);
  });
});

describe("renderCloudConfig: invalid specs", () => {
  it("throws every problem at once", () => {
    assert.throws(
      () =>
        renderCloudConfig({ ...specs.compute, userKeys: [rsaKey(2048)], secretArns: {}, refreshMinutes: 0 }),
      (err: NodeBootstrapError) => {
        assert.ok(err instanceof NodeBootstrapError);
        assert.deepEqual(
          err.problems.map((p) => p.propertyPath),
          ["userKeys[0]", "secretArns.clusterKey", "secretArns.mungeKey", "refreshMinutes"],
        );
        assert.match(err.message, /userKeys\[0\]: the key is an RSA key of 2048 bits/);
        return true;
      },
    );
  });
});

describe("renderCloudConfig: properties (CMP-8)", () => {
  const region = fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1");
  const suffix = fc.stringMatching(/^[A-Za-z0-9]{6}$/);
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);

  it("CMP-8/DAT-2: valid ARNs, keys with any comment, Slurm and a filesystem always render valid YAML", () => {
    const workload = fc.record({
      slurm: fc.boolean(),
      group: fc.option(label, { nil: undefined }),
      fsType: fc.option(fc.constantFrom("efs" as const, "lustre" as const), { nil: undefined }),
      mountPath: fc.stringMatching(/^\/(shared|fsx|data)(\/[a-z0-9._-]{1,12}){0,2}$/),
    });
    fc.assert(
      fc.property(
        label,
        label,
        region,
        suffix,
        fc.array(fc.string(), { maxLength: 3 }),
        fc.constantFrom("head" as const, "compute" as const),
        workload,
        (tenantId, node, r, s, comments, role, w) => {
          const ref = (name: string) =>
            `arn:aws:secretsmanager:${r}:210987654321:secret:moat/${tenantId}/${name}-${s}`;
          const keys = comments.map((c, i) => ed25519Key(i, c.replace(/[\r\n]/g, "")));
          const spec: NodeBootstrapSpec = {
            role,
            tenantId,
            region: r,
            nodeName: node,
            userKeys: keys,
            secretArns: {
              clusterKey: ref("cluster-ssh-key"),
              ...(role === "head"
                ? { jupyterToken: ref(`jupyter-token/${node}`), jupyterTls: ref(`jupyter-tls/${node}`) }
                : {}),
              ...(w.slurm ? { mungeKey: ref("munge-key") } : {}),
            },
            ...(w.slurm
              ? {
                  scheduler: {
                    kind: "slurm",
                    controllerHost: slurmControllerHost(tenantId),
                    clusterName: tenantId,
                  },
                  ...(role === "compute" && w.group !== undefined ? { computeGroup: w.group } : {}),
                }
              : {}),
            ...(w.fsType === undefined
              ? {}
              : {
                  sharedFilesystem: {
                    type: w.fsType,
                    mountPath: w.mountPath,
                    parameterName: `/moat/${tenantId}/shared-filesystem`,
                  },
                }),
          };
          const { text, config, file } = render(spec);
          assert.deepEqual(config.ssh_authorized_keys ?? [], keys);
          const fetch = file(FETCH_SCRIPT) ?? "";
          assert.ok(fetch.includes(shellQuote(ref("cluster-ssh-key"))));
          assert.equal(fetch.includes(shellQuote(ref("munge-key"))), w.slurm);
          assert.equal(
            file(MOUNT_SCRIPT)?.includes(shellQuote(w.mountPath)) ?? false,
            w.fsType !== undefined,
          );
          assert.deepEqual(cloudConfigProblems(text), []);
        },
      ),
    );
  });

  it("CMP-8: arbitrary secret references and keys either render valid YAML or are refused by name", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (clusterKey, key, region) => {
        const spec = {
          ...specs.compute,
          region,
          userKeys: [key],
          secretArns: { clusterKey, mungeKey: "moat/acme/munge-key" },
        };
        let text: string;
        try {
          text = renderCloudConfig(spec);
        } catch (err) {
          assert.ok(err instanceof NodeBootstrapError);
          assert.ok(err.problems.length > 0);
          return;
        }
        const config = parse(text) as Record<string, unknown>;
        assert.deepEqual(config.ssh_authorized_keys, [key]);
        assert.deepEqual(cloudConfigProblems(text), []);
      }),
    );
  });
});
