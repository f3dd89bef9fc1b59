// The shared filesystem part of a node bootstrap (DAT-2). Where the filesystem is (its DNS name,
// Lustre mount name, id) is computed by AWS and unknown at the first preview, so it is not in the
// user data: the SharedFilesystem component publishes it as JSON in an SSM parameter with a known
// name, and the node reads it at boot. User data then depends on known values only, and the
// policy pack can read it at preview (POL-2).
import type { SharedFilesystemMount } from "./node-bootstrap";
import { rootFile, shellQuote, WriteFile } from "./node-files";

/** Script that reads the filesystem's location from SSM and mounts it. */
export const MOUNT_SCRIPT = "/usr/local/sbin/moat-mount-shared";
/** The unit that runs {@link MOUNT_SCRIPT} at every boot until the mount succeeds. */
export const MOUNT_UNIT = "moat-shared-filesystem.service";

// Seconds between attempts while the filesystem or its parameter does not exist yet: FSx for Lustre
// takes 10 to 20 minutes to create, and nodes may boot before it is ready.
const RETRY_SECONDS = 30;

/**
 * The mount script. It validates what it reads before using it, mounts EFS through amazon-efs-utils
 * with TLS and IAM authorization (DAT-2; the file-system policy refuses anything else) and Lustre
 * with the Lustre client. Already mounted means done, so reruns are harmless. Nothing goes to
 * /etc/fstab: the location is read afresh at every boot.
 */
export function mountScript(region: string, fs: SharedFilesystemMount): string {
  const mountPath = shellQuote(fs.mountPath);
  const lines = [
    "#!/bin/bash",
    `# Managed by Moat (DAT-2): mounts the shared ${fs.type} filesystem at ${fs.mountPath}, from the location`,
    "# the SharedFilesystem component publishes in SSM. Its unit retries until the filesystem exists.",
    "set -euo pipefail",
    "shopt -s inherit_errexit",
    `if mountpoint -q ${mountPath}; then exit 0; fi`,
    `location="$(aws ssm get-parameter --region ${shellQuote(region)} --name ${shellQuote(fs.parameterName)} --query Parameter.Value --output text)"`,
    "field() {",
    `  python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1]) or "")' "$1" <<<"$location"`,
    "}",
    "fail() {",
    `  echo "moat: ${fs.parameterName}: $1" >&2`,
    "  exit 1",
    "}",
    `[ "$(field type)" = ${fs.type} ] || fail "the parameter describes a $(field type) filesystem, this node mounts ${fs.type}"`,
    `install -d -m 0755 ${mountPath}`,
  ];
  if (fs.type === "efs") {
    lines.push(
      'fs_id="$(field fileSystemId)"',
      '[[ "$fs_id" =~ ^fs-[0-9a-f]{8,40}$ ]] || fail "fileSystemId is not an EFS id"',
      `mount -t efs -o tls,iam,_netdev "$fs_id:/" ${mountPath}`,
    );
  } else {
    lines.push(
      'dns_name="$(field dnsName)"',
      'mount_name="$(field mountName)"',
      '[[ "$dns_name" =~ ^[A-Za-z0-9.-]{1,253}$ ]] || fail "dnsName is not a DNS name"',
      '[[ "$mount_name" =~ ^[A-Za-z0-9_]{1,16}$ ]] || fail "mountName is not a Lustre mount name"',
      `mount -t lustre -o relatime,flock,_netdev "$dns_name@tcp:/$mount_name" ${mountPath}`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

/**
 * The unit mounting the filesystem at boot. Restarted until it succeeds, with no start limit, as
 * the filesystem may still be being created when the node first boots.
 */
export function mountUnit(fs: SharedFilesystemMount): string {
  return [
    "[Unit]",
    `Description=Moat: mount the shared filesystem at ${fs.mountPath} (DAT-2)`,
    "Wants=network-online.target",
    "After=network-online.target",
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=${MOUNT_SCRIPT}`,
    "Restart=on-failure",
    `RestartSec=${RETRY_SECONDS}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The packages, files and boot commands that mount the shared filesystem (DAT-2). */
export function sharedFilesystemBootstrap(
  region: string,
  fs: SharedFilesystemMount,
): { packages: string[]; files: WriteFile[]; runcmd: string[][] } {
  return {
    // amazon-efs-utils carries the TLS tunnel (stunnel) the `tls` option needs.
    packages: [fs.type === "efs" ? "amazon-efs-utils" : "lustre-client"],
    files: [
      rootFile(MOUNT_SCRIPT, "0700", mountScript(region, fs)),
      rootFile(`/etc/systemd/system/${MOUNT_UNIT}`, "0644", mountUnit(fs)),
    ],
    // --no-block: boot must not wait for a filesystem that may not exist yet.
    runcmd: [
      ["systemctl", "enable", MOUNT_UNIT],
      ["systemctl", "start", "--no-block", MOUNT_UNIT],
    ],
  };
}
