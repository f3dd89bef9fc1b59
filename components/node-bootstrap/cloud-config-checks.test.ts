import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { cloudConfigProblems } from "./cloud-config-checks";
import { renderCloudConfig } from "./node-bootstrap";
import { ed25519Key } from "./test-keys";

// Markers of secret material, assembled at run time so no tracked file looks like it holds a key.
const BEGIN_OPENSSH = ["-----BEGIN OPENSSH", "PRIVATE KEY-----"].join(" ");

const good = renderCloudConfig({
  role: "head",
  tenantId: "acme",
  region: "us-east-1",
  nodeName: "head-0",
  userKeys: [ed25519Key()],
  secretArns: {
    clusterKey: "moat/acme/cluster-ssh-key",
    jupyterToken: "moat/acme/jupyter-token/head-0",
    jupyterTls: "moat/acme/jupyter-tls/head-0",
  },
});

// Changes one thing in the compliant text and returns the problems found.
const broken = (from: string | RegExp, to: string) => {
  const text = good.replace(from, to);
  assert.notEqual(text, good, `no ${String(from)} in the rendered text`);
  return cloudConfigProblems(text);
};

describe("cloudConfigProblems (CMP-4, CMP-5, CMP-6, CMP-8, DAT-2, NET-6)", () => {
  it("finds nothing wrong in rendered user data", () => {
    assert.deepEqual(cloudConfigProblems(good), []);
  });

  it("refuses text that is not #cloud-config YAML", () => {
    assert.deepEqual(cloudConfigProblems("#!/bin/bash\necho hi\n").slice(0, 1), [
      "user data does not start with #cloud-config",
    ]);
    assert.match(cloudConfigProblems("#cloud-config\nkey: [unclosed\n").join(), /not valid YAML/);
  });

  it("CMP-4: flags password or root SSH and each missing sshd setting", () => {
    assert.deepEqual(broken("ssh_pwauth: false", "ssh_pwauth: true"), [
      "ssh_pwauth is not false; password SSH must stay off (CMP-4)",
    ]);
    assert.deepEqual(broken("disable_root: true", "disable_root: false"), [
      "disable_root is not true; root SSH must stay off (CMP-4)",
    ]);
    assert.deepEqual(broken("      PasswordAuthentication no\n", ""), [
      'the sshd drop-in lacks "PasswordAuthentication no" (CMP-4)',
    ]);
  });

  it("CMP-5: flags sshd not enabled under systemd", () => {
    assert.deepEqual(broken("[ systemctl, enable, --now, sshd ]", "[ true ]"), [
      "runcmd does not run `systemctl enable --now sshd` (CMP-5)",
    ]);
  });

  it("NET-6/DAT-2: flags JupyterLab listening beyond loopback or without TLS", () => {
    assert.deepEqual(broken("--ip=127.0.0.1", "--ip=0.0.0.0"), [
      "/etc/systemd/system/moat-jupyterlab.service starts JupyterLab without --ip=127.0.0.1 (NET-6)",
    ]);
    assert.deepEqual(broken(" --certfile=%d/tls.crt", ""), [
      "/etc/systemd/system/moat-jupyterlab.service starts JupyterLab without --certfile and --keyfile (DAT-2)",
    ]);
  });

  it("CMP-8: flags a MUNGE key written from user data instead of fetched", () => {
    assert.deepEqual(
      broken(
        "write_files:\n",
        "write_files:\n  - path: /etc/munge/munge.key\n    owner: munge:munge\n    permissions: '0400'\n    content: x\n",
      ),
      ["user data writes the MUNGE key to /etc/munge/munge.key; fetch it by ARN at boot (CMP-8)"],
    );
  });

  it("CMP-6/CMP-8: flags private keys, literal tokens and token-like values", () => {
    const token = "Zq3xT9vL0pW8mN2bR7cY4kH6jD1fG5sAeUo";
    assert.match(
      broken("ssh_pwauth: false", `ssh_pwauth: false\nx: '${BEGIN_OPENSSH}'`).join(),
      /private key/,
    );
    assert.match(
      broken('"JUPYTER_TOKEN=$token"', `"JUPYTER_TOKEN=${token}"`).join(),
      /JUPYTER_TOKEN to a literal value/,
    );
    assert.match(
      broken("--no-browser", `--no-browser --ServerApp.token=${token}`).join(),
      /token on a command line/,
    );
    assert.deepEqual(broken("ssh_pwauth: false", `ssh_pwauth: false\nnote: ${token}`), [
      'user data contains a token-like value "Zq3x..." (CMP-8)',
    ]);
  });
});
