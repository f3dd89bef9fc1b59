import { z } from "zod";
import { ACCOUNT_SCOPE_ID, BASELINE_PROJECT } from "../../components/account-baseline/account-scope";
import { resolveGroupHardware } from "../../components/compute-group/instance-catalogue";
import { validateNetworkCidr } from "../../components/network/subnet-plan";
import { LustreThroughput, validateLustreSpec } from "../../components/shared-filesystem/filesystem-spec";
import { ENVIRONMENTS } from "../../components/tenant/tags";
import { access } from "./access-schema";
import { AMI_ID, INSTANCE_TYPE } from "./patterns";

/**
 * The schema of every `moat:` key in `stacks/Pulumi.<stack>.yaml`. Objects are strict, so a typo is
 * an error instead of a silent fall-back to a default. Messages are written to follow the key path
 * (the loader prefixes the stack file and key): they say what is wrong and how to fix it. Every
 * default documented here is repeated in the README's config reference.
 */

const TENANT_ID = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;
const GROUP_NAME = /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const AZ = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
/** An IAM principal a person signs in as: a role, user, assumed role or account root. */
const IAM_PRINCIPAL = /^arn:aws(-[a-z]+)*:(iam|sts)::\d{12}:(root|(role|user|assumed-role)\/[\w+=,.@/-]+)$/;

export { ACCESS_MODES } from "./access-schema";
/** Environments a tenant stack can be; components own the list, as physical names include them. */
export { ENVIRONMENTS };
/** Shared filesystem kinds (DAT-1). */
export const FILESYSTEM_TYPES = ["lustre", "efs"] as const;

const tenant = z.strictObject({
  id: z
    .string()
    .regex(
      TENANT_ID,
      "must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter, e.g. acme",
    )
    .refine((id) => id !== ACCOUNT_SCOPE_ID, {
      message: `must not be "${ACCOUNT_SCOPE_ID}": the account baseline's resources carry that name`,
    }),
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

const headNodes = z
  .strictObject({
    count: z.number().int().min(1).max(3, "must be between 1 and 3 head nodes").default(1),
    instanceType: z
      .string()
      .regex(INSTANCE_TYPE, "must be an EC2 instance type such as m7i.2xlarge")
      .default("m7i.2xlarge"),
    imageId: z.string().regex(AMI_ID, "must be an AMI id such as ami-0123456789abcdef0").optional(),
  })
  .prefault({});

const bastion = z
  .strictObject({
    instanceType: z
      .string()
      .regex(INSTANCE_TYPE, "must be an EC2 instance type such as t3.small")
      .default("t3.small"),
    imageId: z.string().regex(AMI_ID, "must be an AMI id such as ami-0123456789abcdef0").optional(),
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
  imageId: z.string().regex(AMI_ID, "must be an AMI id such as ami-0123456789abcdef0").optional(),
  efa: z.boolean().optional(),
  networkCards: z.number().int().min(1).max(64, "must be at most 64 network cards").optional(),
  capacityBlock: z.boolean().optional(),
});

const computeGroups = z
  .array(computeGroup)
  .min(1, "must list at least one compute group")
  .superRefine((groups, ctx) => {
    groups.forEach((group, i) => {
      for (const problem of resolveGroupHardware(group).problems) {
        const [property, reason] = splitProblem(problem);
        ctx.addIssue({ code: "custom", path: [i, property], message: reason });
      }
    });
    const names = groups.map((g) => g.name);
    names.forEach((name, i) => {
      if (name === "head") {
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `"head" names the head nodes in moat:quarantine; give the compute group another name`,
        });
      } else if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `${JSON.stringify(name)} is used by two compute groups; names must be unique`,
        });
      }
    });
  });

const LUSTRE_ONLY = [
  "storageCapacityGiB",
  "throughputPerUnitMiB",
  "efa",
  "metadataIops",
  "backupRetentionDays",
] as const;

const sharedFilesystem = z
  .strictObject({
    type: z
      .enum(FILESYSTEM_TYPES, { message: `must be one of ${FILESYSTEM_TYPES.join(", ")}` })
      .default("lustre"),
    mountPath: z
      .string()
      .regex(/^\/[A-Za-z0-9/_-]+$/, "must be an absolute path such as /shared")
      .default("/shared"),
    storageCapacityGiB: z.number().int().optional(),
    throughputPerUnitMiB: z.number().int().optional(),
    efa: z.boolean().optional(),
    metadataIops: z.number().int().optional(),
    backupRetentionDays: z.number().int().optional(),
    throughputMode: z.enum(["elastic", "bursting"], { message: "must be elastic or bursting" }).optional(),
  })
  .superRefine((fs, ctx) => {
    if (fs.type === "efs") {
      for (const key of LUSTRE_ONLY.filter((k) => fs[k] !== undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "applies to type lustre only; remove it for efs",
        });
      }
      return;
    }
    if (fs.throughputMode !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["throughputMode"],
        message: "applies to type efs only; remove it for lustre",
      });
    }
    const spec = {
      ...fs,
      type: "lustre" as const,
      throughputPerUnitMiB: fs.throughputPerUnitMiB as LustreThroughput,
    };
    for (const problem of validateLustreSpec(spec)) {
      const [property, reason] = splitProblem(problem);
      ctx.addIssue({ code: "custom", path: [property.replace(/^spec\./, "")], message: reason });
    }
  })
  .prefault({});

/** Splits a component's "<property>: <reason>" problem so the config names its own key. */
function splitProblem(problem: string): [string, string] {
  const colon = problem.indexOf(": ");
  return colon < 0 ? ["", problem] : [problem.slice(0, colon), problem.slice(colon + 2)];
}

const audit = z
  .strictObject({
    retentionDays: z.number().int().min(180, "must be at least 180 days (six months, AUD-1)").default(365),
    alertEmails: z.array(z.string().regex(EMAIL, "must be an e-mail address")).default([]),
    alertHttpsEndpoint: z
      .string()
      .regex(/^https:\/\/[^\s/]+(\/\S*)?$/, "must be an https:// URL, e.g. a pager's events endpoint")
      .optional(),
  })
  .prefault({})
  .superRefine((audit, ctx) => {
    if (audit.alertEmails.length === 0 && audit.alertHttpsEndpoint === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["alertEmails"],
        message:
          "must name at least one address (or set alertHttpsEndpoint): security alerts that reach nobody protect nobody (AUD-2)",
      });
    }
  });

/**
 * Node groups to isolate (NET-11): `head` or a compute group's name. A quarantined group's nodes
 * keep running with a deny-all security group, their Auto Scaling stops replacing them and their
 * volumes are kept; removing the entry lifts the quarantine.
 */
const quarantine = z.array(z.string().min(1, "must name a node group: head or a compute group")).default([]);

const PRINCIPAL_HINT =
  "must be the ARN of an IAM role, user or account root people sign in as, e.g. arn:aws:iam::123456789012:role/acme-sso-admins";

const people = z
  .strictObject({
    admins: z.array(z.string().regex(IAM_PRINCIPAL, PRINCIPAL_HINT)).default([]),
    members: z.array(z.string().regex(IAM_PRINCIPAL, PRINCIPAL_HINT)).default([]),
  })
  .prefault({});

const rotation = z
  .strictObject({
    epoch: z.number().int().min(0, "must be a whole number from 0 up; raise it by one to rotate").default(0),
  })
  .prefault({});

const kms = z
  .strictObject({
    rotationPeriodDays: z
      .number()
      .int()
      .min(90, "must be at least 90 days (the shortest period AWS KMS accepts)")
      .max(365, "must be at most 365 days (DAT-3)")
      .default(90),
  })
  .prefault({});

/**
 * The account baseline stack of this tenant's account and region (accounts/), as a stack
 * reference: `<organization>/moat-account/<stack>`. It owns the trail and the GuardDuty detector,
 * which a tenant stack never creates (AUD-1, AUD-4).
 */
const baseline = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_.-]+/${BASELINE_PROJECT}/[A-Za-z0-9_.-]+$`),
    `must name the account baseline stack of the tenant's account and region as <organization>/${BASELINE_PROJECT}/<stack>, e.g. acme-corp/${BASELINE_PROJECT}/acme-production-us-east-1 (README, "Account models")`,
  );

/** The whole `moat:` namespace, keyed by the part after `moat:`. */
export const moatConfigSchema = z
  .strictObject({
    tenant,
    baseline,
    network,
    access,
    bastion,
    headNodes,
    computeGroups,
    sharedFilesystem,
    audit,
    people,
    rotation,
    kms,
    quarantine,
  })
  .superRefine((config, ctx) => {
    const groups = ["head", ...config.computeGroups.map((g) => g.name)];
    config.quarantine.forEach((entry, i) => {
      if (!groups.includes(entry)) {
        ctx.addIssue({
          code: "custom",
          path: ["quarantine", i],
          message: `"${entry}" is not a node group; use one of ${groups.join(", ")}`,
        });
      } else if (config.quarantine.indexOf(entry) !== i) {
        ctx.addIssue({ code: "custom", path: ["quarantine", i], message: `"${entry}" is listed twice` });
      }
    });
  });

/** A validated tenant configuration with every default filled in. */
export type MoatConfig = z.infer<typeof moatConfigSchema>;

/** The AWS region key; with `aws:allowedAccountIds` (./account.ts), the settings outside `moat:`. */
export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1");
