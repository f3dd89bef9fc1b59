// CMP-4 (sshd hardening, cluster key algorithm) and CMP-5 (sshd under systemd) through user data.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { cmpClusterSshKeyEd25519, cmpUserDataSshHardened, cmpUserDataSshServerEnabled } from "./cmp-ssh";
import { CmpType } from "./cmp-types";
import { runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

// The shape of Moat's node bootstrap: sshd hardened by a drop-in, then enabled under systemd.
const bootstrap = [
  "#!/bin/bash",
  "set -euo pipefail",
  "cat > /etc/ssh/sshd_config.d/10-moat.conf <<'EOF'",
  "PasswordAuthentication no",
  "KbdInteractiveAuthentication no",
  "PermitRootLogin no",
  "EOF",
  "systemctl enable --now sshd",
  "",
].join("\n");
const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

const node = (type: string, props: Record<string, unknown>) => ({ type, name: "head-0", props });

describe("cmp-user-data-ssh-hardened (CMP-4)", () => {
  const policy = cmpUserDataSshHardened;

  it("passes the bootstrap as plain text, base64 and gzip on every node type", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance, { userData: bootstrap })),
      passes,
    );
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, { userData: b64(bootstrap) })),
      passes,
    );
    const gz = { userDataBase64: b64(gzipSync(bootstrap)) };
    assert.deepEqual(await runResourcePolicy(policy, node(CmpType.spotInstanceRequest, gz)), passes);
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchConfiguration, { userData: bootstrap })),
      passes,
    );
  });

  it("passes an instance that inherits its user data from a launch template", async () => {
    const props = { launchTemplate: { id: unknown.string, version: "$Latest" } };
    assert.deepEqual(await runResourcePolicy(policy, node(CmpType.instance, props)), passes);
  });

  it("fails base64 user data that leaves password and root login on", async () => {
    const weak = bootstrap
      .replace("PasswordAuthentication no", "PasswordAuthentication yes")
      .replace("PermitRootLogin no", "PermitRootLogin prohibit-password");
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, { userData: b64(weak) })),
      fails(
        'Disable password login in the userData of launch template "head-0": write "PasswordAuthentication no" to sshd\'s configuration and never "PasswordAuthentication yes" or "KbdInteractiveAuthentication yes" (CMP-4).',
        'Disable root login in the userData of launch template "head-0": write "PermitRootLogin no" to sshd\'s configuration, not "prohibit-password" or "yes" (CMP-4).',
      ),
    );
  });

  it("fails a node without user data", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance, {})),
      fails(
        'Add user data to instance "head-0" that hardens sshd ("PasswordAuthentication no", "PermitRootLogin no"); otherwise the image decides (CMP-4).',
      ),
    );
  });

  it("fails user data that is unknown at preview or not text (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, { userData: unknown.string })),
      fails(
        'Build the userData of launch template "head-0" from values known at preview (config, secret names to fetch at boot): it is unknown, so this policy cannot verify that sshd refuses passwords and root (CMP-4, POL-2).',
      ),
    );
    const binary = { userDataBase64: b64(Buffer.from([0x00, 0xff, 0x10, 0x80])) };
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance, binary)),
      fails(
        'Provide the userDataBase64 of instance "head-0" as text, base64 text or gzip-compressed text: it decodes to bytes that are not text, so this policy cannot verify that sshd refuses passwords and root (CMP-4).',
      ),
    );
  });
});

describe("cmp-user-data-ssh-server-enabled (CMP-5)", () => {
  const policy = cmpUserDataSshServerEnabled;

  it("passes shell and cloud-config that enable sshd", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance, { userData: bootstrap })),
      passes,
    );
    const cloudConfig = "#cloud-config\nruncmd:\n  - [systemctl, enable, --now, ssh]\n";
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, { userData: b64(cloudConfig) })),
      passes,
    );
  });

  it("fails user data that only starts sshd", async () => {
    const userData = bootstrap.replace("systemctl enable --now sshd", "systemctl start sshd");
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance, { userData })),
      fails(
        'Enable the SSH server in the userData of instance "head-0": run "systemctl enable --now sshd" (or "ssh" on Debian-based images) and never disable or mask it (CMP-5).',
      ),
    );
  });

  it("fails a spot request without user data", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.spotInstanceRequest, {})),
      fails(
        'Add user data to spot instance request "head-0" that enables the SSH server under systemd ("systemctl enable --now sshd") (CMP-5).',
      ),
    );
  });
});

describe("cmp-cluster-ssh-key-ed25519 (CMP-4)", () => {
  const policy = cmpClusterSshKeyEd25519;
  const key = (algorithm: unknown, name = "acme-cluster-ssh-key") => ({
    type: CmpType.tlsPrivateKey,
    name,
    props: algorithm === undefined ? {} : { algorithm },
  });

  it("passes an ED25519 cluster key", async () => {
    assert.deepEqual(await runResourcePolicy(policy, key("ED25519")), passes);
  });

  it("fails an RSA key under the name the program gives the cluster key, <tenant>-ssh-key-e<epoch>", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key("RSA", "acme-ssh-key-e3")),
      fails('Generate TLS private key "acme-ssh-key-e3" with algorithm "ED25519": it is "RSA" (CMP-4).'),
    );
  });

  it("fails an RSA cluster key", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key("RSA")),
      fails('Generate TLS private key "acme-cluster-ssh-key" with algorithm "ED25519": it is "RSA" (CMP-4).'),
    );
  });

  it("fails an algorithm unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key(unknown.string)),
      fails(
        'Set algorithm on TLS private key "acme-cluster-ssh-key" to the literal "ED25519": it is unknown at preview, so this policy cannot verify it (CMP-4, POL-2).',
      ),
    );
  });

  it("does not apply to other generated keys, such as the cluster CA", async () => {
    const run = await runResourcePolicy(policy, key("ECDSA", "acme-cluster-ca-key"));
    assert.deepEqual(run, {
      violations: [],
      notApplicable: 'Policy only applies to SSH keys (a name containing "ssh-key")',
    });
  });
});
