// The pure EFS mount finder behind dat-efs-mount-tls (DAT-2), including agreement with the user
// data the program's node bootstrap renders.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { renderCloudConfig } from "../../components/node-bootstrap/node-bootstrap";
import { findEfsMounts } from "./dat-efs-mount";

const tlsAt = (where: string) => ({ where, via: "efs", tls: true });
const plainAt = (where: string) => ({ where, via: "efs", tls: false });

describe("findEfsMounts (DAT-2)", () => {
  it("finds the TLS mount in the cloud-config the node bootstrap renders", () => {
    const text = renderCloudConfig({
      role: "compute",
      tenantId: "acme",
      region: "us-east-1",
      userKeys: [],
      secretArns: {
        clusterKey: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme/cluster-ssh-key-AbCdEf",
      },
      sharedFilesystem: { type: "efs", mountPath: "/shared", parameterName: "/moat/acme/shared-filesystem" },
    });
    assert.deepEqual(findEfsMounts(text), [tlsAt("/shared")]);
  });

  it("reads fstab lines, with and without tls", () => {
    assert.deepEqual(findEfsMounts("fs-1:/ /shared efs _netdev,tls,nofail 0 0"), [tlsAt("/shared")]);
    assert.deepEqual(findEfsMounts("echo 'fs-1:/ /data efs _netdev,nofail 0 0' >> /etc/fstab"), [
      plainAt("/data"),
    ]);
    assert.deepEqual(findEfsMounts("fs-1:/ /data efs"), [plainAt("/data")]);
  });

  it("reads mount commands in shell and YAML flow list form", () => {
    assert.deepEqual(findEfsMounts("mount -t efs -o tls,iam fs-1:/ /shared"), [tlsAt("/shared")]);
    assert.deepEqual(findEfsMounts("sudo mount -o tls -t efs fs-1 /a && echo ok"), [tlsAt("/a")]);
    assert.deepEqual(findEfsMounts("/usr/bin/mount --types=efs --options=tls fs-1 /b"), [tlsAt("/b")]);
    assert.deepEqual(findEfsMounts('  - [ mount, -t, efs, -o, "_netdev,tls", fs-1:/, /c ]'), [tlsAt("/c")]);
    assert.deepEqual(findEfsMounts("mount.efs fs-1:/ /d -o tls"), [tlsAt("/d")]);
    assert.deepEqual(findEfsMounts("mkdir -p /e; mount -t efs fs-1:/ /e"), [plainAt("/e")]);
  });

  it("flags plain NFS to an EFS DNS name, in a command or in fstab", () => {
    const dns = "fs-1.efs.us-east-1.amazonaws.com:/";
    const nfs = { where: "/shared", via: "nfs", tls: false };
    assert.deepEqual(findEfsMounts(`mount -t nfs4 -o nfsvers=4.1 ${dns} /shared`), [nfs]);
    assert.deepEqual(findEfsMounts(`${dns} /shared nfs4 defaults 0 0`), [nfs]);
  });

  it("reads a systemd mount unit of Type=efs as one mount", () => {
    const unit = (options: string) => `[Mount]\nWhat=fs-1:/\nWhere=/shared\nType=efs\nOptions=${options}\n`;
    assert.deepEqual(findEfsMounts(unit("_netdev,tls")), [tlsAt("/shared")]);
    assert.deepEqual(findEfsMounts(unit("_netdev")), [plainAt("/shared")]);
  });

  it("ignores Lustre, other NFS servers, mount -a and mounts by mount point", () => {
    const text = [
      "mount -t lustre fs-2.fsx.us-east-1.amazonaws.com@tcp:/abc /scratch",
      "fs-2.fsx.us-east-1.amazonaws.com@tcp:/abc /scratch lustre defaults 0 0",
      "mount -t nfs4 nas.example.com:/export /nas",
      "mount -a -t efs",
      "mount /shared",
    ].join("\n");
    assert.deepEqual(findEfsMounts(text), []);
  });

  it("never finds a mount in text that does not mention efs or nfs", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/efs|nfs/i.test(text));
        assert.deepEqual(findEfsMounts(text), []);
      }),
    );
  });
});
