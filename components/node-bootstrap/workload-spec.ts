// Checks of the workload parts of a node bootstrap spec: the shared filesystem and the scheduler.
// Every value checked here ends up in shell scripts, systemd units or slurm.conf; the patterns keep
// each to characters that need no escaping there.
import type { NodeBootstrapSpec, SharedFilesystemMount, SlurmScheduler } from "./node-bootstrap";
import { tenantNameId } from "../tenant-key/tenant-scope";

/** Reports one problem: its property path, and what is wrong, why and how to fix it. */
export type Report = (propertyPath: string, reason: string) => void;

const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
// Slurm stores the cluster name in lower case and its accounting tables take at most 40 characters.
const CLUSTER_NAME = /^[a-z0-9]([a-z0-9_-]{0,38}[a-z0-9])?$/;
const MOUNT_PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const PARAMETER_NAME = /^(\/[A-Za-z0-9_.-]+)+$/;
const RESERVED_MOUNTS = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib64",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/tmp",
  "/usr",
  "/var",
];
// Slurm's own ceiling on node counts is far higher, but a larger MaxNodeCount only costs memory
// in slurmctld for nodes that will never exist.
const MAX_NODES_LIMIT = 65536;

/**
 * Checks the shared filesystem mount (DAT-2, NET-8). `tenantOk` says whether `spec.tenantId` and
 * `spec.environment` are usable; without them the parameter's tenant prefix is not compared.
 */
export function checkFilesystem(spec: NodeBootstrapSpec, tenantOk: boolean, problem: Report): void {
  const fs: SharedFilesystemMount | undefined = spec.sharedFilesystem;
  if (fs === undefined) {
    return;
  }
  if (spec.role === "bastion") {
    problem(
      "sharedFilesystem",
      "remove it: the filesystem accepts head and compute nodes only, never the bastion (NET-8)",
    );
    return;
  }
  const path = fs.mountPath;
  if (
    typeof path !== "string" ||
    !MOUNT_PATH.test(path) ||
    RESERVED_MOUNTS.some((p) => path === p || path.startsWith(`${p}/`))
  ) {
    problem(
      "sharedFilesystem.mountPath",
      `${shown(path)} is not a usable mount point; use an absolute path outside system directories, e.g. /shared`,
    );
  }
  if (fs.type !== "efs" && fs.type !== "lustre") {
    problem("sharedFilesystem.type", `${shown(fs.type)} is not a filesystem type; use efs or lustre`);
  }
  const name = fs.parameterName;
  const prefix = `/moat/${tenantNameId(spec)}/`;
  if (typeof name !== "string" || name.length > 1011 || !PARAMETER_NAME.test(name)) {
    problem(
      "sharedFilesystem.parameterName",
      `${shown(name)} is not an SSM parameter name; pass SharedFilesystem.parameterName, e.g. /moat/acme-prod/shared-filesystem`,
    );
  } else if (tenantOk && !name.startsWith(prefix)) {
    problem(
      "sharedFilesystem.parameterName",
      `${shown(name)} is outside ${prefix}, the only parameters this tenant's nodes may read (CMP-7); ` +
        "pass SharedFilesystem.parameterName",
    );
  }
}

function checkSlurm(scheduler: SlurmScheduler, problem: Report): void {
  if (scheduler.kind !== "slurm") {
    problem("scheduler.kind", `${shown(scheduler.kind)} is not a scheduler Moat sets up; use slurm`);
  }
  if (typeof scheduler.controllerHost !== "string" || !HOSTNAME.test(scheduler.controllerHost)) {
    problem(
      "scheduler.controllerHost",
      `${shown(scheduler.controllerHost)} is not a DNS name; use a stable name known at preview, ` +
        "e.g. slurmControllerHost(tenantId) = head-0.acme.moat.internal",
    );
  }
  if (typeof scheduler.clusterName !== "string" || !CLUSTER_NAME.test(scheduler.clusterName)) {
    problem(
      "scheduler.clusterName",
      `${shown(scheduler.clusterName)} is not a Slurm cluster name; use up to 40 lower-case letters, digits, ` +
        "hyphens and underscores, e.g. the tenant id",
    );
  }
  const controller = scheduler.controllerNode;
  if (controller !== undefined && (typeof controller !== "string" || !LABEL.test(controller))) {
    problem(
      "scheduler.controllerNode",
      `${shown(controller)} is not a node name; name the head node that runs slurmctld, e.g. head-0`,
    );
  }
  const max = scheduler.maxNodes;
  if (max !== undefined && !(Number.isSafeInteger(max) && max >= 1 && max <= MAX_NODES_LIMIT)) {
    problem(
      "scheduler.maxNodes",
      `${shown(max)} is not a whole number from 1 to ${MAX_NODES_LIMIT}; it must cover every compute node ` +
        "that may register with Slurm at once",
    );
  }
}

/** Checks the scheduler and the compute group that names a compute node's Slurm feature. */
export function checkScheduler(spec: NodeBootstrapSpec, problem: Report): void {
  if (spec.scheduler !== undefined) {
    if (spec.role === "bastion") {
      problem(
        "scheduler",
        "remove it: the bastion runs no Slurm daemon and holds no MUNGE key (NET-7, CMP-7)",
      );
    } else {
      checkSlurm(spec.scheduler, problem);
    }
  }
  const group = spec.computeGroup;
  if (group === undefined) {
    return;
  }
  if (spec.role !== "compute" || spec.scheduler === undefined) {
    problem(
      "computeGroup",
      "remove it, or set scheduler on a compute node: it names the node's Slurm feature and nothing else",
    );
  } else if (typeof group !== "string" || !LABEL.test(group)) {
    problem(
      "computeGroup",
      `${shown(group)} is not a compute group name; use lower-case letters, digits and hyphens, e.g. gpu-a`,
    );
  }
}
