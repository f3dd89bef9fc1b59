// systemd units and helper scripts of the Slurm part of a node bootstrap. Moat writes its own units
// for the Slurm daemons rather than relying on packaged ones: AWS ParallelCluster images (the
// default, see components/node-instance/image.ts) install Slurm from source under /opt/slurm with no
// units at all, and distribution packages put it under /usr. The preflight links whichever install
// it finds to SLURM_PREFIX_LINK at every boot, and every unit and command goes through that link.
// Unit settings follow SchedMD's own unit files (etc/*.service.in in the Slurm source).
import type { SlurmScheduler } from "./node-bootstrap";
import { UNITS } from "./node-files";

/** The Slurm daemon a node runs: the controller, a login-node auth daemon, or a compute daemon. */
export type SlurmDaemon = "slurmctld" | "sackd" | "slurmd";

/** Where the preflight links the image's Slurm install at boot. */
export const SLURM_PREFIX_LINK = "/run/moat/slurm";
/** Install prefixes the preflight looks in, in order: AWS ParallelCluster's, then packages'. */
export const SLURM_INSTALL_PREFIXES = ["/opt/slurm", "/usr"] as const;
/** The oldest Slurm the bootstrap runs: sackd, `slurmd -Z` and `--systemd` are all there. */
export const MIN_SLURM_VERSION = "23.11";
/** The controller's configuration, served to every other node (configless). */
export const SLURM_CONF = "/etc/slurm/slurm.conf";
/** The check of the image's Slurm contents that every Slurm daemon requires. */
export const SLURM_PREFLIGHT = "/usr/local/sbin/moat-slurm-preflight";
/** Deletes dynamic nodes whose instances are gone; on the controller only. */
export const SLURM_REAPER = "/usr/local/sbin/moat-slurm-reap";
/** How long a dynamic node may stay unresponsive before the reaper deletes it. */
export const DEAD_NODE_GRACE_MINUTES = 30;

/** systemd unit names of the Slurm part. */
export const SLURM_UNITS = {
  preflight: "moat-slurm-preflight.service",
  slurmctld: "slurmctld.service",
  slurmd: "slurmd.service",
  sackd: "sackd.service",
  reaper: "moat-slurm-reap.service",
  reaperTimer: "moat-slurm-reap.timer",
} as const;

/** The daemon's command line: the controller reads its own file, the others fetch it (configless). */
export function slurmDaemonCommand(daemon: SlurmDaemon, scheduler: SlurmScheduler, feature?: string): string {
  const binary = `${SLURM_PREFIX_LINK}/sbin/${daemon}`;
  if (daemon === "slurmctld") {
    return `${binary} --systemd -f ${SLURM_CONF}`;
  }
  const args = [binary, "--systemd"];
  if (daemon === "slurmd") {
    // A dynamic node: it registers itself, so the controller's config never lists compute nodes.
    args.push("-Z");
  }
  args.push("--conf-server", scheduler.controllerHost);
  if (daemon === "slurmd" && feature !== undefined) {
    args.push("--conf", `Feature=${feature}`);
  }
  return args.join(" ");
}

const DAEMON_SETTINGS: Record<SlurmDaemon, { description: string; service: string[] }> = {
  slurmctld: {
    description: "Slurm controller",
    service: ["User=slurm", "Group=slurm", "LimitNOFILE=65536", "TasksMax=infinity"],
  },
  sackd: {
    description: "Slurm auth and cred kiosk (login node)",
    service: ["User=slurm", "Group=slurm", "RuntimeDirectory=slurm", "RuntimeDirectoryMode=0755"],
  },
  slurmd: {
    // Jobs live in slurmd's cgroup tree; EFA and GPUs need locked memory without a limit.
    description: "Slurm node daemon (dynamic node)",
    service: [
      "KillMode=process",
      "Delegate=yes",
      "LimitNOFILE=131072",
      "LimitMEMLOCK=infinity",
      "LimitSTACK=infinity",
      "TasksMax=infinity",
    ],
  },
};

/**
 * A Slurm daemon's unit. It starts after the secrets are fetched (the MUNGE key arrives with them)
 * and the preflight passed, and keeps retrying, without a start limit, while the key or the
 * controller is not there yet (the head node may boot after its compute nodes). It only wants
 * munge: `Requires=` would restart it whenever a new key restarts munge.
 */
export function slurmDaemonUnit(daemon: SlurmDaemon, command: string): string {
  const settings = DAEMON_SETTINGS[daemon];
  return [
    "# Managed by Moat.",
    "[Unit]",
    `Description=${settings.description}`,
    `Documentation=man:${daemon}(8)`,
    "StartLimitIntervalSec=0",
    `Requires=${SLURM_UNITS.preflight}`,
    `Wants=network-online.target ${UNITS.fetchService} ${UNITS.munge}`,
    `After=network-online.target ${UNITS.fetchService} ${SLURM_UNITS.preflight} ${UNITS.munge}`,
    "",
    "[Service]",
    "Type=notify",
    `ExecStart=${command}`,
    "ExecReload=/bin/kill -HUP $MAINPID",
    ...settings.service,
    "Restart=on-failure",
    "RestartSec=30",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** /etc/profile.d script: Slurm's commands on the PATH, and the controller's config where it is. */
export function slurmProfile(daemon: SlurmDaemon): string {
  return [
    "# Managed by Moat: the Slurm commands of this image's install (linked at boot).",
    `case ":$PATH:" in *":${SLURM_PREFIX_LINK}/bin:"*) ;; *) PATH="${SLURM_PREFIX_LINK}/bin:$PATH" ;; esac`,
    ...(daemon === "slurmctld" ? [`export SLURM_CONF=${SLURM_CONF}`] : []),
    "",
  ].join("\n");
}

/**
 * The reaper: a dynamic node whose instance is gone (replaced or scaled in by Auto Scaling) stays
 * DOWN in Slurm forever, since a new instance registers under its own host name. Every ten minutes
 * the controller deletes nodes that have not responded for {@link DEAD_NODE_GRACE_MINUTES} minutes.
 * A node that was only cut off registers again when its slurmd restarts.
 */
export function slurmReaperScript(): string {
  return [
    "#!/bin/bash",
    "# Managed by Moat: deletes dynamic Slurm nodes that stopped responding long ago.",
    "set -euo pipefail",
    `export SLURM_CONF=${SLURM_CONF}`,
    `grace=$((${DEAD_NODE_GRACE_MINUTES} * 60))`,
    "now=$(date +%s)",
    "while read -r node since; do",
    '  [ -n "$node" ] || continue',
    '  down=$(date -d "$since" +%s 2>/dev/null) || continue',
    "  if (( now - down > grace )); then",
    `    ${SLURM_PREFIX_LINK}/bin/scontrol delete nodename="$node" &&`,
    '      echo "moat: deleted dynamic node $node, not responding since $since"',
    "  fi",
    `done < <(${SLURM_PREFIX_LINK}/bin/sinfo --noheader --dead --Node --format='%N %H' | sort -u)`,
    "",
  ].join("\n");
}

/** The reaper's oneshot unit and its timer. */
export function slurmReaperUnits(): { service: string; timer: string } {
  return {
    service: [
      "# Managed by Moat.",
      "[Unit]",
      "Description=Moat: delete dynamic Slurm nodes whose instances are gone",
      `Requires=${SLURM_UNITS.slurmctld}`,
      `After=${SLURM_UNITS.slurmctld}`,
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${SLURM_REAPER}`,
      "",
    ].join("\n"),
    timer: [
      "# Managed by Moat.",
      "[Unit]",
      "Description=Moat: delete dead dynamic Slurm nodes every ten minutes",
      "",
      "[Timer]",
      "OnBootSec=15min",
      "OnUnitActiveSec=10min",
      "",
      "[Install]",
      "WantedBy=timers.target",
      "",
    ].join("\n"),
  };
}
