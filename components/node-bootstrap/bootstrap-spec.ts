import type { NodeBootstrapSpec, NodeRole } from "./node-bootstrap";
import { userKeyProblem } from "./ssh-public-key";
import { checkFilesystem, checkScheduler, Report } from "./workload-spec";
import { clusterSecretNames, parseSecretArn } from "../cluster-secrets/secret-names";
import { environmentProblem, tenantNameId } from "../tenant-key/tenant-scope";

/** One invalid {@link NodeBootstrapSpec} property: where it is and what to do about it. */
export interface NodeBootstrapProblem {
  /** Property path inside the spec, e.g. `secretArns.jupyterToken`. */
  readonly propertyPath: string;
  /** What is wrong, why it matters and how to fix it. */
  readonly reason: string;
}

/** The node roles a bootstrap can be rendered for. */
export const NODE_ROLES: readonly NodeRole[] = ["bastion", "head", "compute"];

// Interpolated into shell scripts and systemd units: the patterns keep each value to characters
// that need no escaping there; quoting is a second line of defence.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

type SecretKey = keyof NodeBootstrapSpec["secretArns"];

const SECRET_KEYS: readonly SecretKey[] = ["clusterKey", "jupyterToken", "jupyterTls", "mungeKey"];

// Which secrets each role must have; any other is refused. A bastion holds none: it is the one
// internet-facing host (NET-7), and least privilege (CMP-7) keeps cluster credentials off it.
// Only Slurm nodes get the MUNGE key.
function wantedSecrets(spec: NodeBootstrapSpec): readonly SecretKey[] {
  const slurm: SecretKey[] = spec.scheduler === undefined ? [] : ["mungeKey"];
  switch (spec.role) {
    case "head":
      return ["clusterKey", "jupyterToken", "jupyterTls", ...slurm];
    case "compute":
      return ["clusterKey", ...slurm];
    default:
      return [];
  }
}

function expectedSecretName(spec: NodeBootstrapSpec, key: SecretKey): string {
  const names = clusterSecretNames(tenantNameId(spec), [spec.nodeName ?? ""]);
  switch (key) {
    case "clusterKey":
      return names.clusterKey;
    case "jupyterToken":
      return names.jupyterTokens[spec.nodeName ?? ""];
    case "jupyterTls":
      return names.jupyterTls[spec.nodeName ?? ""];
    case "mungeKey":
      return names.mungeKey;
  }
}

const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

// Returns whether tenant, environment, region and node name are usable: secret references are
// compared with names built from them, and with one of them wrong every reference would be
// reported too, burying the one real mistake.
function checkIdentity(spec: NodeBootstrapSpec, problem: Report): boolean {
  let ok = true;
  const fail: Report = (path, reason) => {
    ok = false;
    problem(path, reason);
  };
  if (typeof spec.tenantId !== "string" || !LABEL.test(spec.tenantId)) {
    fail(
      "tenantId",
      `${shown(spec.tenantId)} is not a tenant id; use lower-case letters, digits and hyphens, e.g. acme`,
    );
  }
  const environment = environmentProblem(spec.environment);
  if (environment !== undefined) {
    fail("environment", environment);
  }
  if (typeof spec.region !== "string" || !REGION.test(spec.region)) {
    fail("region", `${shown(spec.region)} is not a region name; use one such as us-east-1`);
  }
  if (spec.nodeName !== undefined && (typeof spec.nodeName !== "string" || !LABEL.test(spec.nodeName))) {
    fail("nodeName", `${shown(spec.nodeName)} is not a node name; use the stable form head-0, head-1, ...`);
  } else if (spec.nodeName === undefined && spec.role === "head") {
    fail(
      "nodeName",
      "set nodeName, e.g. head-0: a head node's JupyterLab token and certificate are per node (CMP-6)",
    );
  }
  return ok;
}

function checkKeys(spec: NodeBootstrapSpec, problem: Report): void {
  if (!Array.isArray(spec.userKeys)) {
    problem(
      "userKeys",
      "list the users' OpenSSH public keys (an empty list is allowed for Session Manager access)",
    );
  } else {
    spec.userKeys.forEach((key, i) => {
      const reason = userKeyProblem(key);
      if (reason !== undefined) {
        problem(`userKeys[${i}]`, `the key ${reason} (CMP-4)`);
      }
    });
  }
  if (spec.clusterPublicKey === undefined) {
    return;
  }
  if (spec.role === "bastion") {
    problem("clusterPublicKey", "remove it: the bastion does not trust the cluster-internal key (NET-7)");
  } else if (
    !String(spec.clusterPublicKey).startsWith("ssh-ed25519 ") ||
    userKeyProblem(spec.clusterPublicKey)
  ) {
    problem("clusterPublicKey", "pass ClusterSecrets.clusterPublicKey, an ssh-ed25519 public key (CMP-4)");
  }
}

function checkSecrets(spec: NodeBootstrapSpec, identityOk: boolean, problem: Report): void {
  const roleKnown = NODE_ROLES.includes(spec.role);
  const wanted = wantedSecrets(spec);
  for (const key of SECRET_KEYS) {
    const ref = spec.secretArns?.[key];
    const path = `secretArns.${key}`;
    if (ref === undefined) {
      if (wanted.includes(key)) {
        problem(path, `set it to the ClusterSecrets ARN a ${spec.role} node fetches at boot (CMP-8)`);
      }
    } else if (roleKnown && !wanted.includes(key)) {
      problem(
        path,
        key === "mungeKey" && spec.role !== "bastion"
          ? "remove it, or set scheduler: only Slurm nodes need the MUNGE key (CMP-7)"
          : `remove it: a ${spec.role} node must not be able to read it (CMP-7)`,
      );
    } else if (identityOk) {
      const arn = typeof ref === "string" ? parseSecretArn(ref) : undefined;
      const expected = expectedSecretName(spec, key);
      if ((arn?.name ?? ref) !== expected) {
        problem(
          path,
          `${shown(ref)} is not the ARN (or name) of ${expected}; pass the matching ClusterSecrets output (CMP-7)`,
        );
      } else if (arn !== undefined && arn.region !== spec.region) {
        problem(
          path,
          `the secret is in ${arn.region} but the node runs in ${spec.region}; use the tenant's region`,
        );
      }
    }
  }
}

/**
 * Checks every {@link NodeBootstrapSpec} property and returns all problems at once; an empty array
 * means the spec renders. Secrets are referenced by ARN or by full name, and each must be the one
 * this tenant and node own (CMP-6, CMP-7); user keys must meet CMP-4; the shared filesystem and
 * the scheduler go to head and compute nodes only (NET-8, NET-7).
 */
export function validateNodeBootstrapSpec(spec: NodeBootstrapSpec): NodeBootstrapProblem[] {
  const problems: NodeBootstrapProblem[] = [];
  const problem: Report = (propertyPath, reason) => problems.push({ propertyPath, reason });

  if (!NODE_ROLES.includes(spec.role)) {
    problem("role", `${shown(spec.role)} is not a node role; use one of ${NODE_ROLES.join(", ")}`);
  }
  const identityOk = checkIdentity(spec, problem);
  checkKeys(spec, problem);
  checkSecrets(spec, identityOk, problem);
  const nameIdOk =
    typeof spec.tenantId === "string" &&
    LABEL.test(spec.tenantId) &&
    environmentProblem(spec.environment) === undefined;
  checkFilesystem(spec, nameIdOk, problem);
  checkScheduler(spec, problem);
  const minutes = spec.refreshMinutes;
  if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440)) {
    problem(
      "refreshMinutes",
      `${shown(minutes)} is not a whole number of minutes from 1 to 1440; rotated secrets reach nodes within this time (CMP-9)`,
    );
  }
  return problems;
}
