// The files a node bootstrap writes, as text. Kept apart from the cloud-config assembly so each can
// be read (and reviewed) as the file that lands on the node.

/** The login user of the target image, Amazon Linux 2023 (and its GPU Deep Learning AMIs). */
export const DEFAULT_USER = "ec2-user";
/** sshd drop-in holding the hardening (CMP-4); `00-` so it sorts before the image's own drop-ins. */
export const SSHD_DROP_IN = "/etc/ssh/sshd_config.d/00-moat.conf";
/** Script that fetches the node's secrets by ARN (CMP-8, CMP-9). */
export const FETCH_SCRIPT = "/usr/local/sbin/moat-fetch-secrets";
/** Directory of per-user authorized keys files that trust the cluster-internal key. */
export const CLUSTER_KEYS_DIR = "/etc/ssh/moat-cluster-keys";
/** Root-only directory with the JupyterLab token and TLS files the fetch script writes. */
export const JUPYTER_SECRETS_DIR = "/etc/moat/jupyter";
/** Where MUNGE reads its key; the fetch script writes it owned by `munge`, mode 0400 (CMP-8). */
export const MUNGE_KEY_FILE = "/etc/munge/munge.key";
/** Port JupyterLab listens on, on 127.0.0.1 only (NET-6). */
export const JUPYTER_PORT = 8888;
/** Virtual environment JupyterLab is installed into on head nodes. */
export const JUPYTER_VENV = "/opt/moat/jupyter";
/** systemd unit names the bootstrap installs. */
export const UNITS = {
  fetchService: "moat-fetch-secrets.service",
  fetchTimer: "moat-fetch-secrets.timer",
  jupyter: "moat-jupyterlab.service",
  munge: "munge.service",
} as const;

/** One entry of cloud-init's `write_files`. */
export interface WriteFile {
  /** Absolute path on the node. */
  readonly path: string;
  /** `user:group` owning the file. */
  readonly owner: string;
  /** Octal mode, e.g. `0600`. */
  readonly permissions: string;
  /** The file's text. */
  readonly content: string;
}

/** A file owned by root with the given mode. */
export function rootFile(path: string, permissions: string, content: string): WriteFile {
  return { path, owner: "root:root", permissions, content };
}

/**
 * Quotes a value for a POSIX shell: single quotes, with each embedded `'` closed, escaped and
 * reopened. Inputs are validated to need none of this; the quoting keeps a future gap harmless.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The sshd hardening drop-in (CMP-4); head and compute nodes also trust the cluster key file. */
export function sshdDropIn(trustClusterKey: boolean): string {
  return [
    "# Managed by Moat (CMP-4). sshd keeps the first value it reads for a keyword and reads the",
    "# drop-ins in name order, so these settings win over the image's and cloud-init's.",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin no",
    "PubkeyAuthentication yes",
    "AuthenticationMethods publickey",
    "PermitEmptyPasswords no",
    "MaxAuthTries 3",
    "X11Forwarding no",
    // %u: the cluster key lets a node reach others as the default user only, never as another user.
    ...(trustClusterKey ? [`AuthorizedKeysFile .ssh/authorized_keys ${CLUSTER_KEYS_DIR}/%u`] : []),
    "",
  ].join("\n");
}

/** The bastion's fail2ban jail for sshd (NET-7), reading sshd's journal as AL2023 has no auth log. */
export function fail2banJail(): string {
  return [
    "# Managed by Moat (NET-7): bans addresses that keep failing SSH authentication.",
    "[DEFAULT]",
    "banaction = nftables-multiport",
    "banaction_allports = nftables-allports",
    "",
    "[sshd]",
    "enabled = true",
    "backend = systemd",
    "mode = aggressive",
    "maxretry = 5",
    "findtime = 10m",
    "bantime = 1h",
    "",
  ].join("\n");
}

/** Secret references the fetch script reads; all by ARN (or full name), never by value. */
export interface FetchTargets {
  /** Region of the secrets. */
  readonly region: string;
  /** The cluster-internal private key's secret. */
  readonly clusterKey?: string;
  /** The node's JupyterLab token secret. */
  readonly jupyterToken?: string;
  /** The node's JupyterLab TLS secret (JSON `{cert, key}`). */
  readonly jupyterTls?: string;
  /** The cluster's MUNGE key secret (base64), on Slurm nodes only. */
  readonly mungeKey?: string;
}

/**
 * The fetch script (CMP-8, CMP-9). Values pass through shell variables and here-strings only, never
 * through command lines (visible in `ps`) or the log. A failed fetch stops the script before any
 * file is touched, so a transient error never replaces a good secret with an empty one. An image
 * without MUNGE fails the script loudly, but only after the other secrets are in place.
 */
export function fetchScript(targets: FetchTargets): string {
  const lines = [
    "#!/bin/bash",
    "# Managed by Moat (CMP-8, CMP-9): fetches this node's secrets by ARN into root-only files.",
    "# A timer reruns it, so rotated secrets reach the node without replacing it.",
    "set -euo pipefail",
    "shopt -s inherit_errexit",
    "umask 077",
    `region=${shellQuote(targets.region)}`,
    "changed=0",
    "status=0",
    "",
    "fetch() {",
    '  aws secretsmanager get-secret-value --region "$region" --secret-id "$1" --query SecretString --output text',
    "}",
    "",
    "# put PATH OWNER MODE < content: replaces PATH atomically, and only when the content differs.",
    "put() {",
    "  local tmp",
    '  tmp="$(mktemp "$1.XXXXXX")"',
    '  cat >"$tmp"',
    '  chown "$2" "$tmp"',
    '  chmod "$3" "$tmp"',
    '  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv -f "$tmp" "$1"; changed=1; fi',
    "}",
  ];
  if (targets.clusterKey !== undefined) {
    lines.push(
      "",
      "# Cluster-internal key (CMP-4): the private half for the default user, and the public half",
      "# derived from it as the trusted key, so a rotation needs no change to user data.",
      `user=${shellQuote(DEFAULT_USER)}`,
      'home="$(getent passwd "$user" | cut -d: -f6)"',
      'install -d -m 0700 -o "$user" -g "$user" "$home/.ssh"',
      `cluster_key="$(fetch ${shellQuote(targets.clusterKey)})"`,
      'put "$home/.ssh/id_ed25519" "$user:$user" 0600 <<<"$cluster_key"',
      'cluster_pub="$(ssh-keygen -y -f "$home/.ssh/id_ed25519")"',
      'put "$home/.ssh/id_ed25519.pub" "$user:$user" 0644 <<<"$cluster_pub"',
      `install -d -m 0755 ${CLUSTER_KEYS_DIR}`,
      `put "${CLUSTER_KEYS_DIR}/$user" root:root 0644 <<<"$cluster_pub"`,
    );
  }
  if (targets.jupyterToken !== undefined && targets.jupyterTls !== undefined) {
    const json = (field: string) =>
      `python3 -c 'import json, sys; print(json.load(sys.stdin)["${field}"].strip())'`;
    lines.push(
      "",
      "# JupyterLab token and TLS certificate (CMP-6, DAT-2), read by its unit at start.",
      `install -d -m 0700 ${JUPYTER_SECRETS_DIR}`,
      "changed=0",
      `token="$(fetch ${shellQuote(targets.jupyterToken)})"`,
      `put ${JUPYTER_SECRETS_DIR}/token.env root:root 0600 <<<"JUPYTER_TOKEN=$token"`,
      `tls_json="$(fetch ${shellQuote(targets.jupyterTls)})"`,
      `tls_cert="$(${json("cert")} <<<"$tls_json")"`,
      `tls_key="$(${json("key")} <<<"$tls_json")"`,
      `put ${JUPYTER_SECRETS_DIR}/tls.crt root:root 0600 <<<"$tls_cert"`,
      `put ${JUPYTER_SECRETS_DIR}/tls.key root:root 0600 <<<"$tls_key"`,
      // A new token or certificate takes effect on restart. --no-block: at boot JupyterLab's start
      // waits for this script, and a blocking restart from inside it would wait for itself.
      `if [ "$changed" = 1 ] && systemctl is-enabled --quiet ${UNITS.jupyter}; then`,
      `  systemctl --no-block restart ${UNITS.jupyter}`,
      "fi",
    );
  }
  if (targets.mungeKey !== undefined) {
    lines.push(
      "",
      "# MUNGE key (CMP-8): stored base64, decoded here only. munged reads it at start, so a new key",
      "# (CMP-9) restarts it; the Slurm daemons keep running and use the new key from then on.",
      "if getent passwd munge >/dev/null; then",
      `  munge_b64="$(fetch ${shellQuote(targets.mungeKey)})"`,
      // Decoding once first stops the script on a corrupt value before the good key is touched.
      '  base64 -d <<<"$munge_b64" >/dev/null',
      "  install -d -m 0700 -o munge -g munge /etc/munge",
      "  changed=0",
      `  put ${MUNGE_KEY_FILE} munge:munge 0400 < <(base64 -d <<<"$munge_b64")`,
      `  if [ "$changed" = 1 ] && systemctl is-enabled --quiet ${UNITS.munge}; then`,
      `    systemctl --no-block restart ${UNITS.munge}`,
      "  fi",
      "else",
      '  echo "MOAT BOOTSTRAP ERROR: this image has no munge user, so Slurm cannot run; use an image with Slurm and MUNGE installed" >&2',
      "  status=1",
      "fi",
    );
  }
  lines.push('exit "$status"', "");
  return lines.join("\n");
}

/** The oneshot service running the fetch script; also run at boot before JupyterLab starts. */
export function fetchService(): string {
  return [
    "[Unit]",
    "Description=Moat: fetch this node's secrets from Secrets Manager (CMP-8, CMP-9)",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${FETCH_SCRIPT}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The timer rerunning the fetch every `refreshMinutes` (CMP-9). */
export function fetchTimer(refreshMinutes: number): string {
  return [
    "[Unit]",
    `Description=Moat: refresh this node's secrets every ${refreshMinutes} minutes (CMP-9)`,
    "",
    "[Timer]",
    "OnBootSec=2min",
    `OnUnitActiveSec=${refreshMinutes}min`,
    // Spreads a cluster's nodes so a rotation does not hit Secrets Manager all at once.
    "RandomizedDelaySec=60",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
}

/**
 * JupyterLab on loopback only (NET-6: reached through an SSH or Session Manager tunnel) over TLS
 * (DAT-2). The token comes from the root-only environment file and the certificate through
 * systemd credentials (`%d`), so the process runs as the default user without those files being
 * readable by it, and no secret appears on its command line (CMP-6, CMP-8).
 */
export function jupyterService(): string {
  return [
    "[Unit]",
    "Description=Moat: JupyterLab on 127.0.0.1 over TLS (CMP-6, DAT-2, NET-6)",
    `Wants=${UNITS.fetchService} network-online.target`,
    `After=${UNITS.fetchService} network-online.target`,
    `ConditionPathExists=${JUPYTER_SECRETS_DIR}/token.env`,
    "",
    "[Service]",
    `User=${DEFAULT_USER}`,
    "WorkingDirectory=~",
    `EnvironmentFile=${JUPYTER_SECRETS_DIR}/token.env`,
    `LoadCredential=tls.crt:${JUPYTER_SECRETS_DIR}/tls.crt`,
    `LoadCredential=tls.key:${JUPYTER_SECRETS_DIR}/tls.key`,
    `ExecStart=${JUPYTER_VENV}/bin/jupyter-lab --no-browser --ip=127.0.0.1 --port=${JUPYTER_PORT} ` +
      "--certfile=%d/tls.crt --keyfile=%d/tls.key",
    "Restart=on-failure",
    "NoNewPrivileges=yes",
    "PrivateTmp=yes",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
