import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import type { NodeBootstrapSpec } from "./node-bootstrap";
import { validateNodeBootstrapSpec } from "./bootstrap-spec";
import { ed25519Key, rsaKey } from "./test-keys";

const arn = (name: string, region = "eu-west-1") =>
  `arn:aws:secretsmanager:${region}:123456789012:secret:moat/acme/${name}-AbC123`;

const head: NodeBootstrapSpec = {
  role: "head",
  tenantId: "acme",
  region: "eu-west-1",
  nodeName: "head-1",
  userKeys: [ed25519Key()],
  secretArns: {
    clusterKey: arn("cluster-ssh-key"),
    jupyterToken: arn("jupyter-token/head-1"),
    jupyterTls: arn("jupyter-tls/head-1"),
  },
};

const problems = (spec: NodeBootstrapSpec) =>
  Object.fromEntries(validateNodeBootstrapSpec(spec).map((p) => [p.propertyPath, p.reason]));

describe("validateNodeBootstrapSpec (CMP-4, CMP-7, CMP-8, DAT-2)", () => {
  it("accepts a complete head spec, and secret names in place of ARNs (known at preview, POL-2)", () => {
    assert.deepEqual(problems(head), {});
    assert.deepEqual(
      problems({
        ...head,
        secretArns: {
          clusterKey: "moat/acme/cluster-ssh-key",
          jupyterToken: "moat/acme/jupyter-token/head-1",
          jupyterTls: "moat/acme/jupyter-tls/head-1",
        },
      }),
      {},
    );
  });

  it("CMP-7: refuses another node's or another tenant's secrets, and secrets from another region", () => {
    const found = problems({
      ...head,
      secretArns: {
        clusterKey: arn("cluster-ssh-key").replace("moat/acme/", "moat/other/"),
        jupyterToken: arn("jupyter-token/head-10"),
        jupyterTls: arn("jupyter-tls/head-1", "us-east-1"),
      },
    });
    assert.match(found["secretArns.clusterKey"], /not the ARN \(or name\) of moat\/acme\/cluster-ssh-key/);
    assert.match(found["secretArns.jupyterToken"], /moat\/acme\/jupyter-token\/head-1;/);
    assert.match(found["secretArns.jupyterTls"], /in us-east-1 but the node runs in eu-west-1/);
  });

  it("CMP-7/NET-7: gives each role exactly its secrets: none on a bastion, only the key on compute", () => {
    assert.deepEqual(Object.keys(problems({ ...head, role: "bastion" })).sort(), [
      "secretArns.clusterKey",
      "secretArns.jupyterTls",
      "secretArns.jupyterToken",
    ]);
    assert.deepEqual(Object.keys(problems({ ...head, role: "compute" })).sort(), [
      "secretArns.jupyterTls",
      "secretArns.jupyterToken",
    ]);
    assert.deepEqual(Object.keys(problems({ ...head, secretArns: {} })).sort(), [
      "secretArns.clusterKey",
      "secretArns.jupyterTls",
      "secretArns.jupyterToken",
    ]);
  });

  it("CMP-4: refuses weak user keys and a cluster key that is not ed25519, naming each", () => {
    const found = problems({
      ...head,
      userKeys: [ed25519Key(), rsaKey(3072)],
      clusterPublicKey: rsaKey(4096),
    });
    assert.deepEqual(Object.keys(found), ["userKeys[1]", "clusterPublicKey"]);
    assert.match(found["userKeys[1]"], /is an RSA key of 3072 bits/);
    assert.match(
      problems({ ...head, role: "bastion", secretArns: {}, clusterPublicKey: ed25519Key() }).clusterPublicKey,
      /NET-7/,
    );
  });

  it("requires a node name on head nodes and well-formed identity fields", () => {
    const found = problems({ ...head, nodeName: undefined, tenantId: "Acme Corp", region: "eu-west-1a" });
    assert.deepEqual(Object.keys(found), ["tenantId", "region", "nodeName"]);
    assert.match(problems({ ...head, role: "admin" as "head" }).role, /use one of bastion, head, compute/);
  });

  it("DAT-2: checks each filesystem's required fields and refuses system mount points", () => {
    const efs = problems({ ...head, sharedFilesystem: { type: "efs", mountPath: "/etc/shared" } });
    assert.deepEqual(Object.keys(efs), ["sharedFilesystem.mountPath", "sharedFilesystem.fileSystemId"]);
    const lustre = problems({ ...head, sharedFilesystem: { type: "lustre", mountPath: "/fsx data" } });
    assert.deepEqual(Object.keys(lustre), [
      "sharedFilesystem.mountPath",
      "sharedFilesystem.dnsName",
      "sharedFilesystem.mountName",
    ]);
    for (const mountPath of ["/", "/usr/local/shared", "shared"]) {
      const found = problems({
        ...head,
        sharedFilesystem: { type: "efs", mountPath, fileSystemId: "fs-12345678" },
      });
      assert.deepEqual(Object.keys(found), ["sharedFilesystem.mountPath"], mountPath);
      assert.match(found["sharedFilesystem.mountPath"], /outside system directories, e\.g\. \/shared/);
    }
  });

  it("CMP-9: refuses a refresh interval outside 1..1440 minutes", () => {
    for (const refreshMinutes of [0, 1441, 2.5]) {
      assert.match(problems({ ...head, refreshMinutes }).refreshMinutes, /rotated secrets reach nodes/);
    }
    assert.deepEqual(problems({ ...head, refreshMinutes: 1 }), {});
  });
});
