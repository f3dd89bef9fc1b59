import { Document, isSeq } from "yaml";
import { validateNodeBootstrapSpec } from "./bootstrap-spec";
import {
  CLUSTER_KEYS_DIR,
  DEFAULT_USER,
  fail2banJail,
  FETCH_SCRIPT,
  fetchScript,
  fetchService,
  fetchTimer,
  JUPYTER_VENV,
  jupyterService,
  SSHD_DROP_IN,
  sshdDropIn,
  UNITS,
} from "./node-files";

/** What a node does: the internet-facing jump host, a head (management) node, or a compute node. */
export type NodeRole = "bastion" | "head" | "compute";

/** The cluster's shared filesystem, mounted at the same path on every node (DAT-2). */
export interface SharedFilesystemMount {
  /** `efs` (mounted with TLS through amazon-efs-utils) or `lustre` (FSx for Lustre client). */
  readonly type: "lustre" | "efs";
  /** Absolute mount point outside system directories, e.g. `/shared`. */
  readonly mountPath: string;
  /** Lustre: the file system's DNS name. Not used for EFS, which the mount helper resolves by id. */
  readonly dnsName?: string;
  /** Lustre: the file system's `mountName` output. */
  readonly mountName?: string;
  /** EFS: the file system id, e.g. `fs-0123456789abcdef0`. */
  readonly fileSystemId?: string;
}

/**
 * Everything a node's first boot needs, none of it secret (CMP-8): secrets are referenced by ARN
 * and fetched on the node with its instance role. The target image is Amazon Linux 2023 (the GPU
 * Deep Learning AMIs included): default user `ec2-user`, `dnf`, sshd and fail2ban under systemd.
 */
export interface NodeBootstrapSpec {
  /** The node's role; it decides which secrets, services and packages it gets. */
  readonly role: NodeRole;
  /** Tenant identifier, e.g. `acme`; every secret reference must be under `moat/<tenantId>/`. */
  readonly tenantId: string;
  /** Region of the node and its secrets, e.g. `us-east-1`. */
  readonly region: string;
  /** Stable node name, e.g. `head-0`. Required for head nodes, whose secrets are per node. */
  readonly nodeName?: string;
  /**
   * Users' OpenSSH public keys for the default user: ssh-ed25519, or ssh-rsa of at least 4096 bits
   * (CMP-4). May be empty when people connect through Session Manager only.
   */
  readonly userKeys: readonly string[];
  /**
   * `ClusterSecrets.clusterPublicKey`, trusted on head and compute nodes from the first boot. The
   * fetch script derives the same key from the private half and keeps it current after a rotation,
   * so this is optional; leaving it out keeps user data unchanged when the key rotates (CMP-9).
   * @default not written; trusted after the first fetch
   */
  readonly clusterPublicKey?: string;
  /**
   * ARNs (or full names, which are known at preview) of the secrets this node fetches: head nodes
   * need all three, compute nodes only `clusterKey`, bastions none (CMP-7).
   */
  readonly secretArns: {
    /** `moat/<tenant>/cluster-ssh-key`. */
    readonly clusterKey?: string;
    /** `moat/<tenant>/jupyter-token/<nodeName>`. */
    readonly jupyterToken?: string;
    /** `moat/<tenant>/jupyter-tls/<nodeName>`. */
    readonly jupyterTls?: string;
  };
  /**
   * Shared filesystem to mount (DAT-2).
   * @default none
   */
  readonly sharedFilesystem?: SharedFilesystemMount;
  /**
   * How often the node re-fetches its secrets, in minutes; a rotation reaches every node within
   * this time (CMP-9).
   * @default 15
   */
  readonly refreshMinutes?: number;
}

/** Thrown by {@link renderCloudConfig} with every problem of a spec. */
export class NodeBootstrapError extends Error {
  /** Every problem, each with its property path. */
  public readonly problems: readonly { readonly propertyPath: string; readonly reason: string }[];

  constructor(problems: readonly { readonly propertyPath: string; readonly reason: string }[]) {
    super(
      `Invalid node bootstrap spec:\n${problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n")}`,
    );
    this.name = "NodeBootstrapError";
    this.problems = problems;
  }
}

interface WriteFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

const rootFile = (path: string, permissions: string, content: string): WriteFile => ({
  path,
  owner: "root:root",
  permissions,
  content,
});

function mountCommands(fs: SharedFilesystemMount): { packages: string[]; runcmd: string[][] } {
  // `nofail`: a node still boots (and stays reachable for repair) if the filesystem is not ready.
  const line =
    fs.type === "efs"
      ? `${fs.fileSystemId}:/ ${fs.mountPath} efs _netdev,tls,nofail 0 0`
      : `${fs.dnsName}@tcp:/${fs.mountName} ${fs.mountPath} lustre defaults,noatime,flock,_netdev,nofail 0 0`;
  return {
    packages: [fs.type === "efs" ? "amazon-efs-utils" : "lustre-client"],
    runcmd: [
      ["mkdir", "-p", fs.mountPath],
      // The fstab line travels as an argument, never spliced into the shell text.
      ["sh", "-c", 'printf "%s\\n" "$1" >> /etc/fstab', "moat-fstab", line],
      ["mount", fs.mountPath],
    ],
  };
}

/**
 * Renders a node's `#cloud-config` user data (CMP-4, CMP-5, CMP-6, CMP-8, CMP-9, DAT-2, NET-6,
 * NET-7): hardened sshd under systemd, the users' keys, the secret fetch script and its timer, and
 * per role JupyterLab on loopback (head), fail2ban (bastion) and the shared filesystem mount.
 * Pure: the same spec always gives the same text, so user data only changes when the spec does.
 *
 * @throws NodeBootstrapError listing every problem of the spec.
 */
export function renderCloudConfig(spec: NodeBootstrapSpec): string {
  const problems = validateNodeBootstrapSpec(spec);
  if (problems.length > 0) {
    throw new NodeBootstrapError(problems);
  }
  const isCluster = spec.role !== "bastion";
  const isHead = spec.role === "head";
  const packages: string[] = [];
  const files: WriteFile[] = [rootFile(SSHD_DROP_IN, "0600", sshdDropIn(isCluster))];
  const runcmd: string[][] = [
    // write_files ran before runcmd; systemd must read the units it wrote.
    ["systemctl", "daemon-reload"],
    ["systemctl", "enable", "--now", "sshd"],
    // sshd may already be running when the drop-in lands; reload so it is in force either way.
    ["systemctl", "reload", "sshd"],
  ];

  if (spec.role === "bastion") {
    packages.push("fail2ban", "nftables");
    files.push(rootFile("/etc/fail2ban/jail.d/moat-sshd.local", "0644", fail2banJail()));
    runcmd.push(["systemctl", "enable", "--now", "fail2ban"]);
  }

  if (spec.clusterPublicKey !== undefined) {
    files.push(rootFile(`${CLUSTER_KEYS_DIR}/${DEFAULT_USER}`, "0644", `${spec.clusterPublicKey}\n`));
  }

  const { clusterKey, jupyterToken, jupyterTls } = spec.secretArns;
  // Validation guarantees head and compute nodes have their secrets and bastions none.
  if (isCluster) {
    files.push(
      rootFile(
        FETCH_SCRIPT,
        "0700",
        fetchScript({ region: spec.region, clusterKey, jupyterToken, jupyterTls }),
      ),
      rootFile(`/etc/systemd/system/${UNITS.fetchService}`, "0644", fetchService()),
      rootFile(`/etc/systemd/system/${UNITS.fetchTimer}`, "0644", fetchTimer(spec.refreshMinutes ?? 15)),
    );
    runcmd.push(
      ["systemctl", "enable", UNITS.fetchService],
      ["systemctl", "enable", "--now", UNITS.fetchTimer],
      ["systemctl", "start", UNITS.fetchService],
    );
  }

  if (spec.sharedFilesystem !== undefined) {
    const mount = mountCommands(spec.sharedFilesystem);
    packages.push(...mount.packages);
    runcmd.push(...mount.runcmd);
  }

  if (isHead) {
    files.push(rootFile(`/etc/systemd/system/${UNITS.jupyter}`, "0644", jupyterService()));
    runcmd.push(
      ["python3", "-m", "venv", JUPYTER_VENV],
      [`${JUPYTER_VENV}/bin/pip`, "install", "--quiet", "jupyterlab>=4,<5"],
      ["systemctl", "enable", "--now", UNITS.jupyter],
    );
  }

  const config = {
    // Both also appear in the sshd drop-in; cloud-init's own drop-in must not say otherwise (CMP-4).
    ssh_pwauth: false,
    disable_root: true,
    ...(spec.userKeys.length > 0 ? { ssh_authorized_keys: [...spec.userKeys] } : {}),
    ...(packages.length > 0 ? { packages } : {}),
    write_files: files,
    runcmd,
  };
  // Each command on one line (`- [systemctl, enable, --now, sshd]`) so the user data reads as a script.
  const doc = new Document(config);
  const commands = doc.get("runcmd");
  if (isSeq(commands)) {
    for (const command of commands.items) {
      if (isSeq(command)) {
        command.flow = true;
      }
    }
  }
  const header = `#cloud-config\n# Rendered by Moat for a ${spec.role} node of tenant ${spec.tenantId}.\n`;
  return header + doc.toString({ lineWidth: 0 });
}
