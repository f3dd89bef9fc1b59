// The pure user data readers and text checks behind the CMP-4, CMP-5, CMP-6 and CMP-8 policies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import {
  decodeUserData,
  disablesPasswordLogin,
  disablesRootLogin,
  enablesSshServer,
  jupyterProblems,
  readUserData,
  secretMaterial,
} from "./cmp-user-data";
import { unknown } from "./testing";
import * as policySdk from "@pulumi/policy";

// Markers of secret material, assembled at run time so no tracked file looks like it holds a key.
const BEGIN_OPENSSH = ["-----BEGIN OPENSSH", "PRIVATE KEY-----"].join(" ");
const BEGIN_PEM = ["-----BEGIN", "PRIVATE KEY-----"].join(" ");
const AWS_EXAMPLE_KEY = ["AKIA", "IOSFODNN7EXAMPLE"].join("");

const proxy = (props: object) =>
  (policySdk as unknown as { unknownCheckingProxy<T>(p: T): T }).unknownCheckingProxy(props) as Record<
    string,
    unknown
  >;

const script = "#!/bin/bash\nset -euo pipefail\nsystemctl enable --now sshd\n";
const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

describe("decodeUserData", () => {
  it("keeps a plain script as it is", () => {
    assert.equal(decodeUserData(script), script);
  });

  it("decodes base64, as launch templates and userDataBase64 carry it", () => {
    assert.equal(decodeUserData(b64(script)), script);
  });

  it("decodes gzip-compressed base64, which cloud-init accepts", () => {
    assert.equal(decodeUserData(b64(gzipSync(script))), script);
  });

  it("appends the text of base64 MIME parts, so nothing hides in a multipart", () => {
    const part = b64("PermitRootLogin no\n");
    const mime = `Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/x-shellscript\nContent-Transfer-Encoding: base64\n\n${part}\n--b--\n`;
    assert.match(decodeUserData(mime) ?? "", /\nPermitRootLogin no\n$/);
  });

  it("returns undefined for base64 that decodes to bytes that are not text", () => {
    assert.equal(decodeUserData(b64(Buffer.from([0, 1, 2, 0xff, 0xfe, 3]))), undefined);
  });

  it("gives the same answer when several policies ask about the same node (CMP-4, CMP-8)", () => {
    const opaque = b64(Buffer.from([0, 0xff, 1]));
    for (let i = 0; i < 3; i++) {
      assert.equal(decodeUserData(b64(gzipSync(script))), script);
      assert.equal(decodeUserData(opaque), undefined);
    }
  });

  it("round-trips any printable script through base64 and gzip", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^#![ -~\n]{0,200}$/), (text) => {
        assert.equal(decodeUserData(b64(text)), text);
        assert.equal(decodeUserData(b64(gzipSync(text))), text);
      }),
    );
  });
});

describe("readUserData", () => {
  it("reads userData, then userDataBase64", () => {
    assert.deepEqual(readUserData(proxy({ userData: script })), {
      kind: "text",
      property: "userData",
      text: script,
    });
    assert.deepEqual(readUserData(proxy({ userDataBase64: b64(script) })), {
      kind: "text",
      property: "userDataBase64",
      text: script,
    });
  });

  it("tells absent, unknown and opaque apart", () => {
    assert.deepEqual(readUserData(proxy({})), { kind: "absent" });
    assert.deepEqual(readUserData(proxy({ userData: unknown.string })), {
      kind: "unknown",
      property: "userData",
    });
    assert.deepEqual(readUserData(proxy({ userDataBase64: b64(Buffer.from([0, 0xff, 1])) })), {
      kind: "opaque",
      property: "userDataBase64",
    });
  });
});

describe("sshd hardening (CMP-4)", () => {
  const conf = "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n";

  it("accepts a drop-in that turns password and root login off", () => {
    assert.equal(disablesPasswordLogin(conf), true);
    assert.equal(disablesRootLogin(conf), true);
  });

  it("accepts cloud-config ssh_pwauth: false for passwords", () => {
    assert.equal(disablesPasswordLogin("#cloud-config\nssh_pwauth: false\n"), true);
  });

  it("refuses settings that are missing or turned back on", () => {
    assert.equal(disablesPasswordLogin("PermitRootLogin no"), false);
    assert.equal(disablesPasswordLogin(`${conf}PasswordAuthentication yes\n`), false);
    assert.equal(disablesPasswordLogin("PasswordAuthentication no\nKbdInteractiveAuthentication yes"), false);
    assert.equal(disablesRootLogin("PasswordAuthentication no"), false);
    assert.equal(disablesRootLogin("PermitRootLogin no\nPermitRootLogin prohibit-password"), false);
  });
});

describe("enablesSshServer (CMP-5)", () => {
  it("finds systemctl enable in shell and in cloud-config runcmd list form", () => {
    assert.equal(enablesSshServer("systemctl enable --now sshd"), true);
    assert.equal(enablesSshServer("/usr/bin/systemctl enable ssh.service && echo ok"), true);
    assert.equal(enablesSshServer("#cloud-config\nruncmd:\n  - [systemctl, enable, --now, sshd]\n"), true);
  });

  it("refuses a start without enable, another unit, or a later mask", () => {
    assert.equal(enablesSshServer("systemctl start sshd"), false);
    assert.equal(enablesSshServer("systemctl enable --now chronyd"), false);
    assert.equal(enablesSshServer("systemctl enable sshd\nsystemctl mask sshd"), false);
  });
});

describe("jupyterProblems (CMP-6)", () => {
  const unit =
    'ExecStart=/opt/conda/bin/jupyter-lab --ServerApp.ip=127.0.0.1 --IdentityProvider.token="${JUPYTER_TOKEN}"';

  it("accepts a token read at boot and a server bound to 127.0.0.1", () => {
    assert.deepEqual(jupyterProblems(`JUPYTER_TOKEN="$(aws secretsmanager get-secret-value)"\n${unit}`), []);
    assert.deepEqual(
      jupyterProblems("c.ServerApp.token = os.environ['JUPYTER_TOKEN']\njupyter lab --ip 127.0.0.1"),
      [],
    );
  });

  it("finds literal and empty tokens in every spelling", () => {
    assert.deepEqual(jupyterProblems("--NotebookApp.token=abc123"), [
      "writes a literal token into --NotebookApp.token",
    ]);
    assert.deepEqual(jupyterProblems("c.ServerApp.token = 'abc123'"), [
      "writes a literal token into c.ServerApp.token",
    ]);
    assert.deepEqual(jupyterProblems('Environment="JUPYTER_TOKEN=abc123"'), [
      "writes a literal token into JUPYTER_TOKEN",
    ]);
    assert.deepEqual(jupyterProblems("--IdentityProvider.token=''"), [
      "sets --IdentityProvider.token to an empty token, which turns authentication off",
    ]);
  });

  it("requires a started server to bind 127.0.0.1 explicitly", () => {
    assert.deepEqual(jupyterProblems("jupyter lab --no-browser"), [
      "starts a Jupyter server without binding it to 127.0.0.1 (--ServerApp.ip=127.0.0.1)",
    ]);
    assert.deepEqual(jupyterProblems("jupyter lab --ip=0.0.0.0"), [
      'binds a Jupyter server to "0.0.0.0" instead of 127.0.0.1',
    ]);
  });
});

describe("secretMaterial (CMP-4, CMP-8)", () => {
  it("finds PEM private keys of every kind and AWS access key IDs", () => {
    assert.deepEqual(secretMaterial(`${BEGIN_OPENSSH}\nb3Blbn...`), ["a PEM private key"]);
    assert.deepEqual(secretMaterial(BEGIN_PEM), ["a PEM private key"]);
    assert.deepEqual(secretMaterial(`export AWS_ACCESS_KEY_ID=${AWS_EXAMPLE_KEY}`), ["an AWS access key ID"]);
  });

  it("ignores public material and prose", () => {
    assert.deepEqual(secretMaterial("-----BEGIN CERTIFICATE-----\n# the private key is fetched at boot"), []);
  });
});
