// Validation and the known-at-preview values of a SharedFilesystem: names, the EFS TLS policy and
// the boot-time discovery parameter. Pure, so each is tested without mocks.
import type { SharedFilesystemArgs } from "./shared-filesystem";
import { filesystemSpecProblems } from "./filesystem-spec";
import { cidrProblem } from "../firewall-rule/rule-checks";
import { PolicyDocument, policyDocument } from "../tenant-key/policy-document";
import { ArgsProblem, tenantNameId, TenantScope, validateTenantScope } from "../tenant-key/tenant-scope";

// Labels become parts of resource names and rule descriptions (AWS's character set applies).
// 40 characters: room for `compute-` and a 32-character compute group name.
const LABEL = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/;

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

// A literal ID is checked; an Output (the usual case: another component's ID) is trusted.
function idProblem(value: unknown, pattern: RegExp, example: string): string | undefined {
  if (value === undefined || value === null || value === "") {
    return `is missing; pass the ID, e.g. ${example}`;
  }
  if (typeof value === "string" && !pattern.test(value)) {
    return `${show(value)} is not well-formed; pass one such as ${example}`;
  }
  return undefined;
}

/**
 * Checks every {@link SharedFilesystemArgs} property and returns all problems at once; an empty
 * array means the filesystem can be created. Beyond the tenant scope and the spec
 * ({@link filesystemSpecProblems}): the VPC CIDR must be a network address (rules are judged
 * against it, NET-4); literal VPC, subnet and KMS key IDs must look like one (EFS takes a key ARN);
 * at least one client group, with unique labels that can name resources (NET-8: a filesystem
 * nobody may mount is a mistake, not a secure default).
 */
export function validateSharedFilesystemArgs(args: SharedFilesystemArgs): ArgsProblem[] {
  const problems: ArgsProblem[] = [...validateTenantScope(args)];
  const add = (propertyPath: string, reason: string | undefined) => {
    if (reason !== undefined) {
      problems.push({ propertyPath, reason });
    }
  };
  // The tenant scope checks a given environment; this one is required, as it names the parameter.
  if (args.environment === undefined || args.environment === null) {
    add(
      "environment",
      "set environment, e.g. prod: it names the parameter /moat/<tenantId>-<environment>/...",
    );
  }
  add("vpcId", idProblem(args.vpcId, VPC_ID, "vpc-0123456789abcdef0"));
  add("vpcCidr", cidrProblem(args.vpcCidr));
  add("subnetId", idProblem(args.subnetId, SUBNET_ID, "the storage subnet's subnet-0123456789abcdef0"));
  add(
    "kmsKeyArn",
    idProblem(
      args.kmsKeyArn,
      KMS_ARN,
      "the tenant key's ARN, arn:aws:kms:<region>:<account>:key/<id> (DAT-1)",
    ),
  );

  const clients = args.clientSecurityGroupIds;
  if (!Array.isArray(clients) || clients.length === 0) {
    add(
      "clientSecurityGroupIds",
      "is empty; list the head and compute groups' security groups that mount the filesystem (NET-8)",
    );
  } else {
    const seen = new Set<string>();
    clients.forEach((client, i) => {
      const at = `clientSecurityGroupIds[${i}]`;
      if (typeof client?.label !== "string" || !LABEL.test(client.label) || client.label === "self") {
        add(
          `${at}.label`,
          `${show(client?.label)} cannot name rules; use up to 40 lowercase letters, digits and hyphens, e.g. head (not "self")`,
        );
      } else if (seen.has(client.label)) {
        add(`${at}.label`, `repeats ${show(client.label)}; give each client group its own label`);
      } else {
        seen.add(client.label);
      }
      if (client?.quarantined !== undefined && typeof client.quarantined !== "boolean") {
        add(`${at}.quarantined`, `${show(client.quarantined)} is not true or false (NET-11)`);
      }
      add(`${at}.id`, idProblem(client?.id, /^sg-[0-9a-f]{8,17}$/, "sg-0123456789abcdef0"));
    });
  }
  problems.push(...filesystemSpecProblems(args.spec));
  return problems;
}

/**
 * Name of the SSM parameter that tells nodes where the filesystem is, e.g.
 * `/moat/acme-prod/shared-filesystem` for the name id `acme-prod` (`tenantNameId`). Under
 * `/moat/<nameId>/`, the only path a node role may read.
 */
export function filesystemParameterName(nameId: string): string {
  return `/moat/${nameId}/shared-filesystem`;
}

/** ARN of {@link filesystemParameterName}, known before the parameter exists (POL-2, CMP-7). */
export function filesystemParameterArn(scope: TenantScope): string {
  return `arn:${scope.partition}:ssm:${scope.region}:${scope.accountId}:parameter${filesystemParameterName(tenantNameId(scope))}`;
}

/** What the node bootstrap reads at boot to mount the filesystem. Not secret (CMP-8 does not apply). */
export interface FilesystemLocation {
  /** `lustre` or `efs`: which client and mount options to use. */
  readonly type: "lustre" | "efs";
  /** The file system's ID, e.g. `fs-0123456789abcdef0`. */
  readonly fileSystemId: string;
  /** DNS name the clients mount from. */
  readonly dnsName: string;
  /** Lustre only: the mount name, the part after `@tcp:/`. */
  readonly mountName?: string;
}

/** The parameter's value: the location as compact JSON, `mountName` left out for EFS. */
export function filesystemParameterValue(location: FilesystemLocation): string {
  return JSON.stringify({
    type: location.type,
    dnsName: location.dnsName,
    ...(location.type === "lustre" ? { mountName: location.mountName } : {}),
    fileSystemId: location.fileSystemId,
  });
}

/**
 * The EFS file-system policy (DAT-2): deny every action to everyone when the connection does not
 * use TLS. In a resource policy `Resource: "*"` is the file system itself, so the document holds
 * nothing the cloud computes and is readable at preview (POL-2). A Deny with the `*` principal
 * grants nothing; it is how AWS's own "enforce in-transit encryption" option is written.
 *
 * Consequence, on purpose: once any policy is set, EFS no longer lets anonymous clients in (its
 * default policy stops applying), so clients mount with IAM authorization (`-o tls,iam`) and their
 * instance role must be granted `elasticfilesystem:ClientMount` (and `ClientWrite`,
 * `ClientRootAccess` as needed) on the file system.
 * https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
 */
export function efsTlsOnlyPolicy(): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyWithoutTls",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}
