import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { parse } from "yaml";
import { NodeBootstrapSpec, renderCloudConfig } from "./node-bootstrap";
import { cloudConfigProblems } from "./cloud-config-checks";
import { FETCH_SCRIPT, shellQuote } from "./node-files";
import { MOUNT_SCRIPT } from "./shared-filesystem-files";
import { clusterDnsZone, SLURM_PREFLIGHT, SLURM_REAPER, slurmControllerHost } from "./slurm-files";
import { ed25519Key } from "./test-keys";

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:moat/acme/${name}-AbC123`;
const scheduler = {
  kind: "slurm",
  controllerHost: slurmControllerHost("acme"),
  clusterName: "acme",
} as const;
const headSecrets = (node: string) => ({
  clusterKey: arn("cluster-ssh-key"),
  jupyterToken: arn(`jupyter-token/${node}`),
  jupyterTls: arn(`jupyter-tls/${node}`),
  mungeKey: arn("munge-key"),
});
const head = (nodeName: string): NodeBootstrapSpec => ({
  role: "head",
  tenantId: "acme",
  region: "eu-west-1",
  nodeName,
  userKeys: [ed25519Key()],
  secretArns: headSecrets(nodeName),
  sharedFilesystem: { type: "lustre", mountPath: "/shared", parameterName: "/moat/acme/shared-filesystem" },
  scheduler,
});
const compute: NodeBootstrapSpec = {
  role: "compute",
  tenantId: "acme",
  region: "eu-west-1",
  userKeys: [],
  secretArns: { clusterKey: arn("cluster-ssh-key"), mungeKey: arn("munge-key") },
  sharedFilesystem: { type: "efs", mountPath: "/shared", parameterName: "/moat/acme/shared-filesystem" },
  scheduler,
  computeGroup: "gpu-a",
};

function render(spec: NodeBootstrapSpec) {
  const text = renderCloudConfig(spec);
  const config = parse(text) as Record<string, unknown>;
  const files = config.write_files as { path: string; owner: string; permissions: string; content: string }[];
  return {
    text,
    config,
    paths: files.map((f) => f.path),
    file: (path: string) => files.find((f) => f.path === path)?.content,
    commands: (config.runcmd as string[][]).map((c) => c.join(" ")),
  };
}

const DROP_IN = (unit: string) => `/etc/systemd/system/${unit}.d/10-moat.conf`;
const UNIT = (unit: string) => `/etc/systemd/system/${unit}`;

describe("slurmControllerHost (POL-2)", () => {
  it("names the controller from known values only", () => {
    assert.equal(clusterDnsZone("acme"), "acme.moat.internal");
    assert.equal(slurmControllerHost("acme"), "head-0.acme.moat.internal");
    assert.equal(slurmControllerHost("acme", "head-1"), "head-1.acme.moat.internal");
  });
});

describe("renderCloudConfig: Slurm controller on head-0 (CMP-8)", () => {
  const { config, file, paths, commands, text } = render(head("head-0"));
  const conf = file("/etc/slurm/slurm.conf") ?? "";

  it("writes a configless slurm.conf authenticated by MUNGE that takes dynamic nodes", () => {
    for (const line of [
      "ClusterName=acme",
      "SlurmctldHost=head-0(head-0.acme.moat.internal)",
      "SlurmctldParameters=enable_configless",
      "AuthType=auth/munge",
      "SelectType=select/cons_tres",
      "MaxNodeCount=4096",
      "PartitionName=all Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=EXCLUSIVE",
    ]) {
      assert.ok(conf.split("\n").includes(line), line);
    }
    assert.match(file("/etc/slurm/cgroup.conf") ?? "", /^ConstrainCores=yes$/m);
  });

  it("names the host as slurm.conf does, since slurmctld only runs on the host it names", () => {
    assert.equal(config.hostname, "head-0");
    assert.equal(config.preserve_hostname, false);
  });

  it("checks the image first and starts munge and its own slurmctld unit after the secrets are fetched", () => {
    const preflight = file(SLURM_PREFLIGHT) ?? "";
    assert.match(preflight, /^for candidate in \/opt\/slurm \/usr; do$/m);
    assert.match(preflight, /"\$candidate\/sbin\/slurmctld"/);
    assert.match(preflight, /^users=\(munge slurm\)$/m);
    assert.match(preflight, /^for user in "\$\{users\[@\]\}"; do$/m);
    assert.match(preflight, /MOAT BOOTSTRAP ERROR: this image lacks/);
    assert.match(preflight, /^ln -sfn "\$prefix" \/run\/moat\/slurm$/m);
    assert.match(
      file("/etc/systemd/system/moat-slurm-preflight.service") ?? "",
      /^StandardError=journal\+console$/m,
    );
    const unit = file(UNIT("slurmctld.service")) ?? "";
    assert.match(
      unit,
      /^ExecStart=\/run\/moat\/slurm\/sbin\/slurmctld --systemd -f \/etc\/slurm\/slurm\.conf$/m,
    );
    assert.match(unit, /^Requires=moat-slurm-preflight\.service$/m);
    assert.match(unit, /^Wants=network-online\.target moat-fetch-secrets\.service munge\.service$/m);
    assert.match(unit, /^User=slurm$/m);
    assert.match(unit, /^Restart=on-failure$/m);
    assert.match(file(DROP_IN("munge.service")) ?? "", /^After=moat-fetch-secrets\.service$/m);
    assert.match(
      file("/etc/profile.d/moat-slurm.sh") ?? "",
      /^export SLURM_CONF=\/etc\/slurm\/slurm\.conf$/m,
    );
    const at = (command: string) => {
      const i = commands.indexOf(command);
      assert.ok(i >= 0, command);
      return i;
    };
    assert.ok(at("systemctl daemon-reload") < at("systemctl enable --now moat-slurm-preflight.service"));
    assert.ok(
      at("systemctl start moat-fetch-secrets.service") <
        at("systemctl enable --now moat-slurm-preflight.service"),
    );
    assert.ok(
      at("systemctl enable --now moat-slurm-preflight.service") <
        at("systemctl enable munge.service slurmctld.service moat-slurm-reap.timer"),
    );
    at("systemctl start --no-block munge.service slurmctld.service moat-slurm-reap.timer");
    assert.ok(!paths.includes(UNIT("slurmd.service")) && !paths.includes(UNIT("sackd.service")));
    assert.doesNotMatch(text, /slurmd -Z|sackd\.service/);
  });

  it("reaps dynamic nodes whose instances are gone, on the controller only", () => {
    assert.match(file(SLURM_REAPER) ?? "", /scontrol delete nodename="\$node"/);
    assert.match(file(UNIT("moat-slurm-reap.timer")) ?? "", /^OnUnitActiveSec=10min$/m);
    assert.match(
      file(UNIT("moat-slurm-reap.service")) ?? "",
      /^ExecStart=\/usr\/local\/sbin\/moat-slurm-reap$/m,
    );
  });

  it("CMP-8: fetches the MUNGE key by ARN into a munge-owned 0400 file, never from user data", () => {
    const script = file(FETCH_SCRIPT) ?? "";
    assert.ok(script.includes(`munge_b64="$(fetch ${shellQuote(arn("munge-key"))})"`));
    assert.match(
      script,
      /^ {2}put \/etc\/munge\/munge\.key munge:munge 0400 < <\(base64 -d <<<"\$munge_b64"\)$/m,
    );
    assert.match(script, /^ {4}systemctl --no-block restart munge\.service$/m);
    assert.ok(!paths.some((p) => p.includes("munge.key")));
    assert.deepEqual(cloudConfigProblems(text), []);
  });
});

describe("renderCloudConfig: other Slurm nodes", () => {
  it("a head node that is not the controller runs sackd against the controller, with no slurm.conf", () => {
    const { config, file, paths, commands } = render(head("head-1"));
    assert.equal(config.hostname, "head-1");
    assert.match(
      file(UNIT("sackd.service")) ?? "",
      /^ExecStart=\/run\/moat\/slurm\/sbin\/sackd --systemd --conf-server head-0\.acme\.moat\.internal$/m,
    );
    assert.ok(!paths.includes("/etc/slurm/slurm.conf") && !paths.includes(SLURM_REAPER));
    assert.match(file(SLURM_PREFLIGHT) ?? "", /"\$candidate\/sbin\/sackd"/);
    assert.doesNotMatch(file("/etc/profile.d/moat-slurm.sh") ?? "", /SLURM_CONF/);
    assert.ok(commands.includes("systemctl start --no-block munge.service sackd.service"));
  });

  it("the controller is the head node the scheduler names", () => {
    const spec = {
      ...head("head-1"),
      scheduler: { ...scheduler, controllerNode: "head-1", maxNodes: 20000 },
    };
    const conf = render(spec).file("/etc/slurm/slurm.conf") ?? "";
    assert.match(conf, /^SlurmctldHost=head-1\(head-0\.acme\.moat\.internal\)$/m);
    assert.match(conf, /^MaxNodeCount=20000$/m);
  });

  it("a compute node registers itself as a dynamic node carrying its group as a feature", () => {
    const { config, file, paths, commands, text } = render(compute);
    const unit = file(UNIT("slurmd.service")) ?? "";
    assert.match(
      unit,
      /^ExecStart=\/run\/moat\/slurm\/sbin\/slurmd --systemd -Z --conf-server head-0\.acme\.moat\.internal --conf Feature=gpu-a$/m,
    );
    assert.match(unit, /^StartLimitIntervalSec=0$/m);
    assert.match(unit, /^LimitMEMLOCK=infinity$/m, "EFA and GPUs need unlimited locked memory");
    assert.doesNotMatch(unit, /^User=/m, "slurmd runs as root to launch jobs as their users");
    assert.match(file(SLURM_PREFLIGHT) ?? "", /^users=\(munge\)$/m);
    assert.ok(commands.includes("systemctl start --no-block munge.service slurmd.service"));
    assert.ok(!paths.includes("/etc/slurm/slurm.conf"));
    assert.equal(config.hostname, undefined, "dynamic nodes keep their unique EC2 host names");
    assert.deepEqual(cloudConfigProblems(text), []);
  });

  it("without a compute group a compute node registers without a feature", () => {
    const { file } = render({ ...compute, computeGroup: undefined });
    assert.match(
      file(UNIT("slurmd.service")) ?? "",
      /^ExecStart=\/run\/moat\/slurm\/sbin\/slurmd --systemd -Z --conf-server head-0\.acme\.moat\.internal$/m,
    );
  });

  it("without a scheduler nothing of Slurm or MUNGE is rendered", () => {
    const { text } = render({
      ...compute,
      scheduler: undefined,
      computeGroup: undefined,
      secretArns: { clusterKey: arn("cluster-ssh-key") },
    });
    assert.doesNotMatch(text, /slurm|munge/i);
  });
});

describe("rendered scripts", () => {
  it("every script the bootstrap writes is valid bash", () => {
    for (const spec of [head("head-0"), head("head-1"), compute]) {
      const { file } = render(spec);
      for (const path of [FETCH_SCRIPT, MOUNT_SCRIPT, SLURM_PREFLIGHT, "/etc/profile.d/moat-slurm.sh"]) {
        const script = file(path);
        assert.ok(script !== undefined, path);
        execFileSync("bash", ["-n"], { input: script });
      }
    }
  });
});
