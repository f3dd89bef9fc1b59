import { Document, isSeq } from "yaml";
import { validateNodeBootstrapSpec } from "./bootstrap-spec";
import { tenantNameId } from "../tenant-key/tenant-scope";
import { cloudWatchAgentBootstrap } from "./cloudwatch-agent";
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
  rootFile,
  SSHD_DROP_IN,
  sshdDropIn,
  UNITS,
  WriteFile,
} from "./node-files";
import { sharedFilesystemBootstrap } from "./shared-filesystem-files";
import { slurmBootstrap } from "./slurm-files";

/** What a node does: the internet-facing jump host, a head (management) node, or a compute node. */
export type NodeRole = "bastion" | "head" | "compute";

/**
 * The cluster's shared filesystem, mounted at the same path on every head and compute node
 * (DAT-2). Where it is (DNS name, mount name, id) is computed by AWS, so the node reads it at boot
 * from an SSM parameter instead: user data then holds only values known at preview (POL-2).
 */
export interface SharedFilesystemMount {
  /**
   * `efs`, mounted with TLS and IAM authorization through amazon-efs-utils (`-o tls,iam`), or
   * `lustre`, mounted with the FSx for Lustre client (`-o relatime,flock`). Must match the
   * parameter's `type`; a mismatch fails the mount unit.
   */
  readonly type: "lustre" | "efs";
  /** Absolute mount point outside system directories, e.g. `/shared`; the same on every node. */
  readonly mountPath: string;
  /**
   * Name of the SSM parameter holding the location as JSON `{type, dnsName, mountName?,
   * fileSystemId}`: `SharedFilesystem.parameterName`, `/moat/<tenantId>-<environment>/shared-filesystem`.
   * Must be under `/moat/<tenantId>-<environment>/`, the only parameters a node role may read (CMP-7).
   */
  readonly parameterName: string;
}

/**
 * Slurm with the controller (slurmctld, configless) on a head node and compute nodes registering
 * themselves as dynamic nodes. Needs an image with Slurm and MUNGE: see slurm-files.ts for the
 * image contract; a node whose image lacks them fails loudly at boot.
 */
export interface SlurmScheduler {
  /** The only scheduler Moat sets up. */
  readonly kind: "slurm";
  /**
   * Where nodes reach slurmctld: a DNS name known at preview, normally
   * `slurmControllerHost(tenantId)` = `head-0.<tenantId>.moat.internal`, which the caller makes
   * resolve to the controller's private IP (a Route 53 private hosted zone). An IPv4 address works
   * too but must then never change. Changing it changes every Slurm node's user data.
   */
  readonly controllerHost: string;
  /** Slurm `ClusterName`, lower case, e.g. the tenant id. */
  readonly clusterName: string;
  /**
   * The head node that runs slurmctld; the others run sackd so Slurm commands work there too.
   * @default "head-0"
   */
  readonly controllerNode?: string;
  /**
   * Slurm `MaxNodeCount`: how many dynamic nodes may be registered at once. Must cover every
   * compute node. Changing it changes the head nodes' user data.
   * @default 4096
   */
  readonly maxNodes?: number;
}

/**
 * Everything a node's first boot needs, none of it secret (CMP-8): secrets are referenced by ARN
 * and fetched on the node with its instance role. The target image is Amazon Linux 2023 (the GPU
 * Deep Learning AMIs included): default user `ec2-user`, `dnf`, sshd and fail2ban under systemd.
 */
export interface NodeBootstrapSpec {
  /** The node's role; it decides which secrets, services and packages it gets. */
  readonly role: NodeRole;
  /**
   * Tenant identifier, e.g. `acme`; every secret reference must be under
   * `moat/<tenantId>-<environment>/`.
   */
  readonly tenantId: string;
  /**
   * The tenant environment: `dev`, `staging` or `prod`. With the tenant it names the secrets, the
   * filesystem parameter and the log groups the node uses (`<tenantId>-<environment>`).
   * @default none: those names carry the tenant id alone
   */
  readonly environment?: string;
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
   * need the cluster key and their JupyterLab token and TLS secrets, compute nodes only the
   * cluster key, bastions none; Slurm nodes also the MUNGE key (CMP-7).
   */
  readonly secretArns: {
    /** `moat/<tenantId>-<environment>/cluster-ssh-key`. */
    readonly clusterKey?: string;
    /** `moat/<tenantId>-<environment>/jupyter-token/<nodeName>`. */
    readonly jupyterToken?: string;
    /** `moat/<tenantId>-<environment>/jupyter-tls/<nodeName>`. */
    readonly jupyterTls?: string;
    /** `moat/<tenantId>-<environment>/munge-key`; head and compute nodes with a `scheduler` only. */
    readonly mungeKey?: string;
  };
  /**
   * Shared filesystem to mount, on head and compute nodes only (DAT-2, NET-8).
   * @default none
   */
  readonly sharedFilesystem?: SharedFilesystemMount;
  /**
   * Slurm, on head and compute nodes only; requires `secretArns.mungeKey`.
   * @default none: no scheduler
   */
  readonly scheduler?: SlurmScheduler;
  /**
   * Compute nodes with a `scheduler`: the compute group's name, registered as the node's Slurm
   * feature so jobs can pick the group with `--constraint=<group>`.
   * @default no feature
   */
  readonly computeGroup?: string;
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

/**
 * Renders a node's `#cloud-config` user data (AUD-3, CMP-4, CMP-5, CMP-6, CMP-8, CMP-9, DAT-2,
 * NET-6, NET-7): hardened sshd under systemd, the users' keys, the CloudWatch agent shipping the
 * auth and system logs, the secret fetch script and its timer, and
 * per role JupyterLab on loopback (head), fail2ban (bastion), the shared filesystem mount and Slurm
 * (head and compute). The MUNGE key, like every secret, is fetched by ARN, never written here.
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

  // AUD-3: every node ships its auth and system logs, started early so later steps' logs ship too.
  const logs = cloudWatchAgentBootstrap(tenantNameId(spec));
  packages.push(...logs.packages);
  files.push(...logs.files);
  runcmd.push(...logs.runcmd);

  if (spec.role === "bastion") {
    packages.push("fail2ban", "nftables");
    files.push(rootFile("/etc/fail2ban/jail.d/moat-sshd.local", "0644", fail2banJail()));
    runcmd.push(["systemctl", "enable", "--now", "fail2ban"]);
  }

  if (spec.clusterPublicKey !== undefined) {
    files.push(rootFile(`${CLUSTER_KEYS_DIR}/${DEFAULT_USER}`, "0644", `${spec.clusterPublicKey}\n`));
  }

  const { clusterKey, jupyterToken, jupyterTls, mungeKey } = spec.secretArns;
  // Validation guarantees head and compute nodes have their secrets and bastions none.
  if (isCluster) {
    files.push(
      rootFile(
        FETCH_SCRIPT,
        "0700",
        fetchScript({ region: spec.region, clusterKey, jupyterToken, jupyterTls, mungeKey }),
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
    const mount = sharedFilesystemBootstrap(spec.region, spec.sharedFilesystem);
    packages.push(...mount.packages);
    files.push(...mount.files);
    runcmd.push(...mount.runcmd);
  }

  const { scheduler } = spec;
  if (scheduler !== undefined) {
    const slurm = slurmBootstrap({ ...spec, scheduler });
    files.push(...slurm.files);
    runcmd.push(...slurm.runcmd);
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
    // slurmctld only runs where the short host name is the one slurm.conf names (SlurmctldHost).
    ...(isHead && scheduler !== undefined ? { preserve_hostname: false, hostname: spec.nodeName } : {}),
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
