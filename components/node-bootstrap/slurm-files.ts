// The Slurm part of a node bootstrap (issue 4): MUNGE on every Slurm node; slurmctld in configless
// mode on the controller head node; sackd (so `sinfo`, `sbatch` work) on the other head nodes;
// slurmd as a dynamic node (`slurmd -Z`) on compute nodes, which register themselves, so the head
// node's user data does not change when compute groups or node counts do.
//
// Image contract. Amazon Linux 2023 ships neither Slurm nor MUNGE, and EPEL does not support it, so
// a package install at boot is not dependable: Slurm nodes need an image (the `imageId` of the head
// nodes and compute groups) that already contains
// - Slurm 23.11 or later (sackd), built with `--sysconfdir=/etc/slurm` and with its systemd units
//   `slurmctld.service`, `slurmd.service`, `sackd.service` reading `/etc/sysconfig/<daemon>`, as
//   SchedMD's RPM spec builds them;
// - MUNGE with `munge.service`, and the `munge` and `slurm` users.
// The bootstrap checks this first (moat-slurm-preflight) and, when something is missing, fails
// loudly: an error on the console (EC2 "Get system log"), in the journal (shipped to CloudWatch,
// AUD-3) and a failed unit, and no Slurm daemon starts. A custom image built from the AWS Deep
// Learning AMI with SchedMD's RPMs, or an AWS ParallelCluster AMI with its Slurm moved to these
// paths, meets it.
import type { NodeBootstrapSpec, SlurmScheduler } from "./node-bootstrap";
import { rootFile, UNITS, WriteFile } from "./node-files";

/** Where the controller keeps the configuration that configless clients fetch from it. */
export const SLURM_CONF_DIR = "/etc/slurm";
/** The check of the image's Slurm contents that every Slurm daemon requires. */
export const SLURM_PREFLIGHT = "/usr/local/sbin/moat-slurm-preflight";
/** systemd unit names of the Slurm part. */
export const SLURM_UNITS = {
  preflight: "moat-slurm-preflight.service",
  slurmctld: "slurmctld.service",
  slurmd: "slurmd.service",
  sackd: "sackd.service",
} as const;
/** The head node that runs slurmctld unless the spec names another. */
export const DEFAULT_CONTROLLER_NODE = "head-0";
/** Slurm's `MaxNodeCount` unless the spec says otherwise: dynamic nodes count against it. */
export const DEFAULT_MAX_NODES = 4096;

/** The private DNS zone of a tenant's cluster names, e.g. `acme.moat.internal`. */
export function clusterDnsZone(tenantId: string): string {
  return `${tenantId}.moat.internal`;
}

/**
 * The stable name nodes reach slurmctld at, e.g. `head-0.acme.moat.internal`: known at preview, and
 * unchanged when the head node is replaced. The caller must make it resolve inside the VPC (a
 * Route 53 private hosted zone {@link clusterDnsZone} with an A record to the head node's private
 * IP). Nodes resolve it on every connection attempt, so a replaced head node is found again.
 */
export function slurmControllerHost(tenantId: string, controllerNode = DEFAULT_CONTROLLER_NODE): string {
  return `${controllerNode}.${clusterDnsZone(tenantId)}`;
}

/**
 * The controller's slurm.conf. Dynamic nodes need `select/cons_tres` and a `MaxNodeCount` that
 * covers every node that may register; `Nodes=ALL` puts each one in the partition as it arrives,
 * and jobs pick a compute group with `--constraint=<group>` (each node carries its group as a
 * feature). Whole nodes per job: GPUs are not scheduled as GRES, so sharing a node would share its
 * GPUs. No log files: the daemons log to the journal, which is shipped to CloudWatch (AUD-3).
 * https://slurm.schedmd.com/dynamic_nodes.html https://slurm.schedmd.com/configless_slurm.html
 */
export function slurmConf(scheduler: SlurmScheduler): string {
  const controller = scheduler.controllerNode ?? DEFAULT_CONTROLLER_NODE;
  return [
    "# Managed by Moat. Configless: slurmd and sackd fetch this file from slurmctld.",
    `ClusterName=${scheduler.clusterName}`,
    `SlurmctldHost=${controller}(${scheduler.controllerHost})`,
    "SlurmctldParameters=enable_configless",
    "SlurmUser=slurm",
    "AuthType=auth/munge",
    "CredType=cred/munge",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core",
    `MaxNodeCount=${scheduler.maxNodes ?? DEFAULT_MAX_NODES}`,
    "ProctrackType=proctrack/cgroup",
    "TaskPlugin=task/cgroup,task/affinity",
    // A replaced or rebooted node returns to service when it registers with a valid configuration.
    "ReturnToService=2",
    "StateSaveLocation=/var/spool/slurmctld",
    "SlurmdSpoolDir=/var/spool/slurmd",
    "PartitionName=all Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=EXCLUSIVE",
    "",
  ].join("\n");
}

/** cgroup.conf, served to slurmd with slurm.conf: job steps stay on the cores they were given. */
export function cgroupConf(): string {
  return ["# Managed by Moat.", "CgroupPlugin=autodetect", "ConstrainCores=yes", ""].join("\n");
}

/**
 * The preflight script: checks the image holds what this node's Slurm daemon needs (see the image
 * contract above) and prepares the controller's state directory. Its output goes to the console
 * and the journal, so a missing package is visible without logging in.
 */
export function slurmPreflight(daemon: "slurmctld" | "slurmd" | "sackd"): string {
  const users = daemon === "slurmd" ? "munge" : "munge slurm";
  return [
    "#!/bin/bash",
    "# Managed by Moat: checks this image can run Slurm before any Slurm daemon starts.",
    "set -euo pipefail",
    "missing=()",
    `for command in munged ${daemon}; do`,
    '  command -v "$command" >/dev/null || missing+=("$command")',
    "done",
    `for user in ${users}; do`,
    '  getent passwd "$user" >/dev/null || missing+=("user $user")',
    "done",
    'if [ "${#missing[@]}" -gt 0 ]; then',
    '  echo "MOAT BOOTSTRAP ERROR: this image lacks ${missing[*]}. Amazon Linux 2023 ships neither Slurm nor MUNGE:' +
      ' use an image with Slurm 23.11+ and MUNGE installed (see components/node-bootstrap/slurm-files.ts)." >&2',
    "  exit 1",
    "fi",
    ...(daemon === "slurmctld" ? ["install -d -m 0700 -o slurm -g slurm /var/spool/slurmctld"] : []),
    "",
  ].join("\n");
}

/** The oneshot unit running the preflight; every Slurm daemon requires it. */
export function preflightUnit(): string {
  return [
    "[Unit]",
    "Description=Moat: check this image can run Slurm",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=${SLURM_PREFLIGHT}`,
    "StandardOutput=journal+console",
    "StandardError=journal+console",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/**
 * A drop-in for munge or a Slurm daemon: start after the secrets are fetched (the MUNGE key arrives
 * with them), and keep retrying, without a start limit, while the key or the controller is not
 * there yet (the head node may boot after its compute nodes). A Slurm daemon also requires the
 * preflight, and only wants munge: `Requires=` would restart it whenever a new key restarts munge.
 * `ConditionPathExists=` clears the packaged units' wait for a local slurm.conf, which configless
 * nodes never have.
 */
export function daemonDropIn(slurmDaemon: boolean): string {
  return [
    "# Managed by Moat.",
    "[Unit]",
    "StartLimitIntervalSec=0",
    `Wants=${UNITS.fetchService}`,
    `After=${UNITS.fetchService}`,
    ...(slurmDaemon
      ? [
          "ConditionPathExists=",
          `Requires=${SLURM_UNITS.preflight}`,
          `Wants=${UNITS.munge}`,
          `After=${SLURM_UNITS.preflight} ${UNITS.munge}`,
        ]
      : []),
    "",
    "[Service]",
    "Restart=on-failure",
    "RestartSec=30",
    "",
  ].join("\n");
}

/** The files and boot commands that run Slurm on a head or compute node; run after the fetch. */
export function slurmBootstrap(spec: NodeBootstrapSpec & { readonly scheduler: SlurmScheduler }): {
  files: WriteFile[];
  runcmd: string[][];
} {
  const { scheduler } = spec;
  const isController =
    spec.role === "head" && spec.nodeName === (scheduler.controllerNode ?? DEFAULT_CONTROLLER_NODE);
  const daemon = spec.role === "compute" ? "slurmd" : isController ? "slurmctld" : "sackd";
  const dropIn = (unit: string, slurmDaemon: boolean) =>
    rootFile(`/etc/systemd/system/${unit}.d/10-moat.conf`, "0644", daemonDropIn(slurmDaemon));

  const files = [
    rootFile(SLURM_PREFLIGHT, "0700", slurmPreflight(daemon)),
    rootFile(`/etc/systemd/system/${SLURM_UNITS.preflight}`, "0644", preflightUnit()),
    dropIn(UNITS.munge, false),
    dropIn(SLURM_UNITS[daemon], true),
  ];
  if (daemon === "slurmctld") {
    files.push(
      rootFile(`${SLURM_CONF_DIR}/slurm.conf`, "0644", slurmConf(scheduler)),
      rootFile(`${SLURM_CONF_DIR}/cgroup.conf`, "0644", cgroupConf()),
    );
  } else {
    // The packaged units pass $SLURMD_OPTIONS / $SACKD_OPTIONS from these files.
    const options = [`--conf-server ${scheduler.controllerHost}`];
    if (daemon === "slurmd") {
      options.unshift("-Z");
      if (spec.computeGroup !== undefined) {
        options.push(`--conf Feature=${spec.computeGroup}`);
      }
    }
    files.push(
      rootFile(
        `/etc/sysconfig/${daemon}`,
        "0644",
        `# Managed by Moat.\n${daemon.toUpperCase()}_OPTIONS=${options.join(" ")}\n`,
      ),
    );
  }

  return {
    files,
    runcmd: [
      // Synchronous, so its verdict is in the cloud-init log next to the commands that follow.
      ["systemctl", "enable", "--now", SLURM_UNITS.preflight],
      ["systemctl", "enable", UNITS.munge, SLURM_UNITS[daemon]],
      // --no-block: a compute node's slurmd keeps retrying until the controller answers.
      ["systemctl", "start", "--no-block", UNITS.munge, SLURM_UNITS[daemon]],
    ],
  };
}
