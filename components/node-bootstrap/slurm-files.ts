// The Slurm part of a node bootstrap (issue 4): MUNGE on every Slurm node; slurmctld in configless
// mode on the controller head node; sackd (so `sinfo`, `sbatch` work) on the other head nodes;
// slurmd as a dynamic node (`slurmd -Z`) on compute nodes, which register themselves, so the head
// node's user data does not change when compute groups or node counts do.
//
// Image contract. The default image of head and compute nodes is the official AWS ParallelCluster
// Amazon Linux 2023 image (components/node-instance/image.ts), which carries Slurm under /opt/slurm
// and MUNGE. A custom image (`imageId`) works when it holds
// - Slurm 23.11 or later (sackd, dynamic nodes) under /opt/slurm or /usr (its sbin/ and bin/);
// - MUNGE with a `munge.service` (a native unit or an /etc/init.d/munge script), and the `munge`
//   and `slurm` users.
// Moat brings its own units for the Slurm daemons (slurm-units.ts), so the image needs none. The
// bootstrap checks the image first (moat-slurm-preflight) and, when something is missing, fails
// loudly: an error on the console (EC2 "Get system log"), in the journal (shipped to CloudWatch,
// AUD-3) and a failed unit, and no Slurm daemon starts.
import type { NodeBootstrapSpec, SlurmScheduler } from "./node-bootstrap";
import { rootFile, UNITS, WriteFile } from "./node-files";
import {
  MIN_SLURM_VERSION,
  SLURM_CONF,
  SLURM_INSTALL_PREFIXES,
  SLURM_PREFIX_LINK,
  SLURM_PREFLIGHT,
  SLURM_REAPER,
  SLURM_UNITS,
  SlurmDaemon,
  slurmDaemonCommand,
  slurmDaemonUnit,
  slurmProfile,
  slurmReaperScript,
  slurmReaperUnits,
} from "./slurm-units";

export { SLURM_PREFLIGHT, SLURM_REAPER, SLURM_UNITS } from "./slurm-units";

/** Where the controller keeps the configuration that configless clients fetch from it. */
export const SLURM_CONF_DIR = "/etc/slurm";
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
 * The preflight script: finds the image's Slurm install (see the image contract above), checks it
 * holds what this node's daemon needs, links it to {@link SLURM_PREFIX_LINK} and prepares the
 * controller's state directory. Its output goes to the console and the journal, so a missing
 * package is visible without logging in.
 */
export function slurmPreflight(daemon: SlurmDaemon): string {
  const users = daemon === "slurmd" ? "munge" : "munge slurm";
  return [
    "#!/bin/bash",
    "# Managed by Moat: checks this image can run Slurm before any Slurm daemon starts.",
    "set -euo pipefail",
    "missing=()",
    'prefix=""',
    `for candidate in ${SLURM_INSTALL_PREFIXES.join(" ")}; do`,
    `  if [ -x "$candidate/sbin/${daemon}" ] && [ -x "$candidate/bin/sinfo" ]; then prefix="$candidate"; break; fi`,
    "done",
    'if [ -z "$prefix" ]; then',
    `  missing+=("${daemon} (looked in ${SLURM_INSTALL_PREFIXES.map((p) => `${p}/sbin`).join(" and ")})")`,
    "else",
    '  version="$("$prefix/bin/sinfo" --version 2>/dev/null | awk \'{print $2}\')" || version=""',
    `  if ! printf '%s\\n' ${MIN_SLURM_VERSION} "$version" | sort -V -C; then`,
    `    missing+=("Slurm ${MIN_SLURM_VERSION} or later (found \${version:-no version})")`,
    "  fi",
    "fi",
    `systemctl cat ${UNITS.munge} >/dev/null 2>&1 || missing+=("MUNGE (${UNITS.munge})")`,
    // An array, not a word list: one user is still a list (shellcheck SC2043 flags a one-word loop).
    `users=(${users})`,
    'for user in "${users[@]}"; do',
    '  getent passwd "$user" >/dev/null || missing+=("user $user")',
    "done",
    'if [ "${#missing[@]}" -gt 0 ]; then',
    '  echo "MOAT BOOTSTRAP ERROR: this image lacks ${missing[*]}. Use the default AWS ParallelCluster image or an' +
      ' image with Slurm 23.11+ and MUNGE installed (see components/node-bootstrap/slurm-files.ts)." >&2',
    "  exit 1",
    "fi",
    `install -d -m 0755 ${SLURM_PREFIX_LINK.slice(0, SLURM_PREFIX_LINK.lastIndexOf("/"))}`,
    `ln -sfn "$prefix" ${SLURM_PREFIX_LINK}`,
    ...(daemon === "slurmctld" ? ["install -d -m 0700 -o slurm -g slurm /var/spool/slurmctld"] : []),
    'echo "moat: Slurm $version from $prefix"',
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
 * A drop-in for the image's munge unit: start after the secrets are fetched (the MUNGE key arrives
 * with them), and keep retrying, without a start limit, while the key is not there yet.
 */
export function mungeDropIn(): string {
  return [
    "# Managed by Moat.",
    "[Unit]",
    "StartLimitIntervalSec=0",
    `Wants=${UNITS.fetchService}`,
    `After=${UNITS.fetchService}`,
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
  const daemon: SlurmDaemon = spec.role === "compute" ? "slurmd" : isController ? "slurmctld" : "sackd";
  const unit = SLURM_UNITS[daemon];
  const command = slurmDaemonCommand(
    daemon,
    scheduler,
    spec.role === "compute" ? spec.computeGroup : undefined,
  );

  const files = [
    rootFile(SLURM_PREFLIGHT, "0700", slurmPreflight(daemon)),
    rootFile(`/etc/systemd/system/${SLURM_UNITS.preflight}`, "0644", preflightUnit()),
    rootFile(`/etc/systemd/system/${UNITS.munge}.d/10-moat.conf`, "0644", mungeDropIn()),
    // In /etc, so it takes the place of any unit a package installed under the same name.
    rootFile(`/etc/systemd/system/${unit}`, "0644", slurmDaemonUnit(daemon, command)),
    rootFile("/etc/profile.d/moat-slurm.sh", "0644", slurmProfile(daemon)),
  ];
  const enable: string[] = [];
  if (daemon === "slurmctld") {
    const reaper = slurmReaperUnits();
    files.push(
      rootFile(SLURM_CONF, "0644", slurmConf(scheduler)),
      rootFile(`${SLURM_CONF_DIR}/cgroup.conf`, "0644", cgroupConf()),
      rootFile(SLURM_REAPER, "0700", slurmReaperScript()),
      rootFile(`/etc/systemd/system/${SLURM_UNITS.reaper}`, "0644", reaper.service),
      rootFile(`/etc/systemd/system/${SLURM_UNITS.reaperTimer}`, "0644", reaper.timer),
    );
    enable.push(SLURM_UNITS.reaperTimer);
  }

  return {
    files,
    runcmd: [
      // Synchronous, so its verdict is in the cloud-init log next to the commands that follow.
      ["systemctl", "enable", "--now", SLURM_UNITS.preflight],
      ["systemctl", "enable", UNITS.munge, unit, ...enable],
      // --no-block: a compute node's slurmd keeps retrying until the controller answers.
      ["systemctl", "start", "--no-block", UNITS.munge, unit, ...enable],
    ],
  };
}
