import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { validateNetworkCidr } from "../../components/network/subnet-plan";
import { userKeyProblem } from "./ssh-key";

/**
 * The schema of every `moat:` key in `stacks/Pulumi.<stack>.yaml`. Objects are strict, so a typo is
 * an error instead of a silent fall-back to a default. Messages are written to follow the key path
 * (the loader prefixes the stack file and key): they say what is wrong and how to fix it. Every
 * default documented here is repeated in the README's config reference.
 */

const TENANT_ID = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;
const GROUP_NAME = /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const AZ = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** Access modes (NET-6, NET-7). */
export const ACCESS_MODES = ["bastion", "direct", "ssm"] as const;
/** Environments a tenant stack can be. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
/** Shared filesystem kinds (DAT-1). */
export const FILESYSTEM_TYPES = ["lustre", "efs"] as const;

const quoted = (v: unknown) => JSON.stringify(v);

const ipv4Cidr = z.string().superRefine((value, ctx) => {
  if (!ipaddr.IPv4.isValidCIDR(value)) {
    ctx.addIssue({
      code: "custom",
      message: `${quoted(value)} is not a valid IPv4 CIDR; write an address and prefix, e.g. 203.0.113.0/24`,
    });
  }
});

const tenant = z.strictObject({
  id: z
    .string()
    .regex(
      TENANT_ID,
      "must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter, e.g. acme",
    ),
  environment: z.enum(ENVIRONMENTS, { message: `must be one of ${ENVIRONMENTS.join(", ")}` }),
  owner: z.string().regex(EMAIL, "must be the owner's contact e-mail address, e.g. gpu-admins@acme.example"),
});

const network = z.strictObject({
  cidr: z.string().superRefine((value, ctx) => {
    for (const problem of validateNetworkCidr(value)) {
      ctx.addIssue({ code: "custom", message: problem });
    }
  }),
  availabilityZone: z
    .string()
    .regex(AZ, "must be an availability zone name such as us-east-1a (compute and storage live in it)"),
});

const sshPublicKey = z.strictObject({
  name: z.string().min(1, "must name the key's owner, e.g. alice"),
  publicKey: z.string().superRefine((value, ctx) => {
    const problem = userKeyProblem(value);
    if (problem) {
      ctx.addIssue({
        code: "custom",
        message: `${problem}; use an ssh-ed25519 key (ssh-keygen -t ed25519) or ssh-rsa of at least 4096 bits`,
      });
    }
  }),
});

const access = z
  .strictObject({
    mode: z.enum(ACCESS_MODES, { message: `must be one of ${ACCESS_MODES.join(", ")}` }).default("bastion"),
    allowSshFrom: z.array(ipv4Cidr).default([]),
    acknowledgeWorldSsh: z.boolean().default(false),
    sshPublicKeys: z
      .array(sshPublicKey)
      .min(1, "must list at least one user key: nodes accept key-based SSH only (CMP-4)"),
  })
  .superRefine((value, ctx) => {
    const world = value.allowSshFrom.findIndex((cidr) => cidr.endsWith("/0"));
    if (world >= 0 && !value.acknowledgeWorldSsh) {
      ctx.addIssue({
        code: "custom",
        path: ["allowSshFrom", world],
        message:
          `${quoted(value.allowSshFrom[world])} opens SSH to the whole internet (NET-6); ` +
          "list your office or VPN ranges instead, or set moat:access.acknowledgeWorldSsh: true to accept the risk",
      });
    }
    if (value.mode !== "ssm" && value.allowSshFrom.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["allowSshFrom"],
        message: `is empty, so nobody could reach the cluster in '${value.mode}' mode; list the CIDRs allowed to SSH in (e.g. [203.0.113.0/24]) or use mode: ssm`,
      });
    }
    const names = value.sshPublicKeys.map((k) => k.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: "custom",
          path: ["sshPublicKeys", i, "name"],
          message: `${quoted(name)} is used twice; give each key a unique name`,
        });
      }
    });
  });

const headNodes = z
  .strictObject({
    count: z.number().int().min(1).max(3, "must be between 1 and 3 head nodes").default(1),
    instanceType: z
      .string()
      .regex(INSTANCE_TYPE, "must be an EC2 instance type such as m7i.2xlarge")
      .default("m7i.2xlarge"),
  })
  .prefault({});

const computeGroup = z.strictObject({
  name: z.string().regex(GROUP_NAME, "must be 2 to 24 lowercase letters, digits or hyphens, e.g. gpu-a"),
  instanceType: z.string().regex(INSTANCE_TYPE, "must be an EC2 instance type such as p5.48xlarge"),
  nodeCount: z.number().int().min(1, "must be at least 1").max(4096, "must be at most 4096 nodes per group"),
  capacityReservationId: z
    .string()
    .regex(/^cr-[0-9a-f]{8,17}$/, "must be a capacity reservation id such as cr-0123456789abcdef0")
    .optional(),
  imageId: z
    .string()
    .regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0")
    .optional(),
  efa: z.boolean().optional(),
});

const computeGroups = z
  .array(computeGroup)
  .min(1, "must list at least one compute group")
  .superRefine((groups, ctx) => {
    const names = groups.map((g) => g.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `${quoted(name)} is used by two compute groups; names must be unique`,
        });
      }
    });
  });

const sharedFilesystem = z
  .strictObject({
    type: z
      .enum(FILESYSTEM_TYPES, { message: `must be one of ${FILESYSTEM_TYPES.join(", ")}` })
      .default("lustre"),
    mountPath: z
      .string()
      .regex(/^\/[A-Za-z0-9/_-]+$/, "must be an absolute path such as /shared")
      .default("/shared"),
  })
  .prefault({});

const audit = z
  .strictObject({
    retentionDays: z.number().int().min(180, "must be at least 180 days (six months, AUD-1)").default(365),
    alertEmails: z.array(z.string().regex(EMAIL, "must be an e-mail address")).default([]),
  })
  .prefault({});

/** The whole `moat:` namespace, keyed by the part after `moat:`. */
export const moatConfigSchema = z.strictObject({
  tenant,
  network,
  access,
  headNodes,
  computeGroups,
  sharedFilesystem,
  audit,
});

/** A validated tenant configuration with every default filled in. */
export type MoatConfig = z.infer<typeof moatConfigSchema>;

/** The AWS region key, the one setting outside the `moat:` namespace. */
export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1");
