import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SharedFilesystemMount } from "./node-bootstrap";
import { mountScript, mountUnit, sharedFilesystemBootstrap } from "./shared-filesystem-files";

// The mount script runs against stand-ins for aws, mountpoint, install and mount on PATH, so what
// it reads from the parameter and what it mounts are observed without root or AWS.
const sandbox = mkdtempSync(join(tmpdir(), "moat-mount-"));
after(() => rmSync(sandbox, { recursive: true, force: true }));
const stub = (name: string, body: string) => {
  writeFileSync(join(sandbox, name), `#!/bin/bash\n${body}\n`);
  chmodSync(join(sandbox, name), 0o755);
};
stub("aws", 'echo "$*" >>"$SANDBOX/aws.log"; printf "%s\\n" "$LOCATION"');
stub("mountpoint", "exit 1");
stub("install", "exit 0");
stub("mount", 'echo "$*" >"$SANDBOX/mount.log"');

function run(fs: SharedFilesystemMount, location: unknown) {
  rmSync(join(sandbox, "mount.log"), { force: true });
  rmSync(join(sandbox, "aws.log"), { force: true });
  const result = spawnSync("bash", ["-c", mountScript("eu-west-1", fs)], {
    env: {
      PATH: `${sandbox}:${process.env.PATH}`,
      SANDBOX: sandbox,
      LOCATION: JSON.stringify(location),
    },
    encoding: "utf8",
  });
  const read = (file: string) => {
    try {
      return readFileSync(join(sandbox, file), "utf8").trim();
    } catch {
      return undefined;
    }
  };
  return { status: result.status, stderr: result.stderr, mounted: read("mount.log"), aws: read("aws.log") };
}

const efs: SharedFilesystemMount = {
  type: "efs",
  mountPath: "/shared",
  parameterName: "/moat/acme/shared-filesystem",
};
const lustre: SharedFilesystemMount = { ...efs, type: "lustre", mountPath: "/fsx" };
const efsLocation = {
  type: "efs",
  dnsName: "fs-0123456789abcdef0.efs.eu-west-1.amazonaws.com",
  fileSystemId: "fs-0123456789abcdef0",
};
const lustreLocation = {
  type: "lustre",
  dnsName: "fs-0123456789abcdef0.fsx.eu-west-1.amazonaws.com",
  mountName: "abcdefgh",
  fileSystemId: "fs-0123456789abcdef0",
};

describe("the shared filesystem mount script (DAT-2, POL-2)", () => {
  it("DAT-2: reads the tenant's parameter and mounts EFS with TLS and IAM authorization", () => {
    const { status, mounted, aws } = run(efs, efsLocation);
    assert.equal(status, 0);
    assert.equal(
      aws,
      "ssm get-parameter --region eu-west-1 --name /moat/acme/shared-filesystem --query Parameter.Value --output text",
    );
    assert.equal(mounted, "-t efs -o tls,iam,_netdev fs-0123456789abcdef0:/ /shared");
  });

  it("DAT-2: mounts Lustre from the parameter's DNS and mount names", () => {
    const { status, mounted } = run(lustre, lustreLocation);
    assert.equal(status, 0);
    assert.equal(
      mounted,
      "-t lustre -o relatime,flock,_netdev fs-0123456789abcdef0.fsx.eu-west-1.amazonaws.com@tcp:/abcdefgh /fsx",
    );
  });

  it("refuses a parameter of the other type, or with values it cannot use safely, and mounts nothing", () => {
    for (const [fs, location, reason] of [
      [efs, lustreLocation, /describes a lustre filesystem, this node mounts efs/],
      [efs, { ...efsLocation, fileSystemId: "fs-1 /etc" }, /fileSystemId is not an EFS id/],
      [lustre, { ...lustreLocation, dnsName: "x;reboot" }, /dnsName is not a DNS name/],
      [lustre, { ...lustreLocation, mountName: undefined }, /mountName is not a Lustre mount name/],
    ] as const) {
      const { status, mounted, stderr } = run(fs, location);
      assert.equal(status, 1);
      assert.equal(mounted, undefined);
      assert.match(stderr, reason);
    }
  });

  it("retries at boot without a start limit, as the filesystem may still be being created", () => {
    const unit = mountUnit(efs);
    assert.match(unit, /^StartLimitIntervalSec=0$/m);
    assert.match(unit, /^Restart=on-failure$/m);
    assert.match(unit, /^ExecStart=\/usr\/local\/sbin\/moat-mount-shared$/m);
    assert.deepEqual(sharedFilesystemBootstrap("eu-west-1", lustre).packages, ["lustre-client"]);
    assert.deepEqual(
      sharedFilesystemBootstrap("eu-west-1", efs).files.map((f) => [f.path, f.permissions]),
      [
        ["/usr/local/sbin/moat-mount-shared", "0700"],
        ["/etc/systemd/system/moat-shared-filesystem.service", "0644"],
      ],
    );
  });
});
