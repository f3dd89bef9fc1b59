// DAT-3 and DAT-4 for KMS keys (REQUIREMENTS.md). A key's settings are plain config values and
// its policy is built from the account ID, region and tenant id, all known at preview; a setting
// that is unknown there cannot be verified, so it is a violation, never a pass (POL-2).
import type { Policies, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { readPolicyDocument, unreadableDocument } from "./iam-document";
import { IamType } from "./iam-resources";
import { keyPolicyPrincipalProblems } from "./kms-key-policy";
import { UNKNOWN, forTypes, readBoolean, readNumber, readString } from "./props";

/** The longest automatic rotation period DAT-3 accepts, in days. */
export const MAX_ROTATION_PERIOD_DAYS = 365;

/** The deletion window DAT-3 asks for, in days (also the longest AWS allows). */
export const DELETION_WINDOW_DAYS = 30;

const literal = (property: string, args: ResourceValidationArgs) =>
  `Set ${property} on KMS key "${args.name}" to a literal value: it is unknown at preview, so this policy cannot verify it (DAT-3, POL-2).`;

/** Settings of kms-key-rotation-enabled. */
export interface RotationConfig {
  /** Longest accepted `rotationPeriodInDays`. @default 365 */
  readonly maxRotationPeriodDays?: number;
}

/**
 * DAT-3: keys rotate automatically, with the period stated rather than left to AWS's default,
 * so the stack shows how often the tenant's key material changes.
 */
export const kmsKeyRotationEnabled: ResourceValidationPolicy = {
  name: "kms-key-rotation-enabled",
  description:
    "Checks that every KMS key has enableKeyRotation true and an explicit rotationPeriodInDays of at most 365 days, or the configured maximum (DAT-3).",
  configSchema: {
    properties: {
      maxRotationPeriodDays: {
        type: "integer",
        minimum: 90,
        maximum: MAX_ROTATION_PERIOD_DAYS,
        default: MAX_ROTATION_PERIOD_DAYS,
      },
    },
  },
  validateResource: forTypes([IamType.kmsKey], (args, reportViolation) => {
    const max = args.getConfig<RotationConfig>().maxRotationPeriodDays ?? MAX_ROTATION_PERIOD_DAYS;
    const enabled = readBoolean(args.props, "enableKeyRotation");
    if (enabled === UNKNOWN) {
      reportViolation(literal("enableKeyRotation", args));
    } else if (enabled !== true) {
      reportViolation(
        `Set enableKeyRotation: true on KMS key "${args.name}": AWS then replaces its key material on a schedule, limiting what one exposed key version can decrypt (DAT-3).`,
      );
    }
    const period = readNumber(args.props, "rotationPeriodInDays");
    if (period === UNKNOWN) {
      reportViolation(literal("rotationPeriodInDays", args));
    } else if (period === undefined || period > max) {
      const now = period === undefined ? "it is not set" : `not ${period}`;
      reportViolation(
        `Set rotationPeriodInDays on KMS key "${args.name}" to at most ${max} days (Moat uses 90), ${now} (DAT-3).`,
      );
    }
  }),
};

/**
 * DAT-3: a key scheduled for deletion stays recoverable for 30 days. Stated explicitly, so the
 * window does not depend on a provider default.
 */
export const kmsKeyDeletionWindow: ResourceValidationPolicy = {
  name: "kms-key-deletion-window",
  description:
    "Checks that every KMS key sets deletionWindowInDays to 30 days, the longest AWS allows; not tunable, as a shorter window only makes a mistaken deletion harder to undo (DAT-3).",
  validateResource: forTypes([IamType.kmsKey], (args, reportViolation) => {
    const window = readNumber(args.props, "deletionWindowInDays");
    if (window === UNKNOWN) {
      reportViolation(literal("deletionWindowInDays", args));
    } else if (window !== DELETION_WINDOW_DAYS) {
      const now = window === undefined ? "it is not set" : `not ${window}`;
      reportViolation(
        `Set deletionWindowInDays on KMS key "${args.name}" to ${DELETION_WINDOW_DAYS}, ${now}: a key deleted by mistake stays recoverable that long, and with it every volume and secret it encrypts (DAT-3).`,
      );
    }
  }),
};

/** DAT-3: only symmetric keys rotate automatically and encrypt EBS, EFS, FSx and secrets. */
export const kmsKeySymmetric: ResourceValidationPolicy = {
  name: "kms-key-symmetric",
  description:
    "Checks that every KMS key is a symmetric encryption key: customerMasterKeySpec SYMMETRIC_DEFAULT or left out (DAT-3).",
  validateResource: forTypes([IamType.kmsKey], (args, reportViolation) => {
    const spec = readString(args.props, "customerMasterKeySpec");
    if (spec === UNKNOWN) {
      reportViolation(literal("customerMasterKeySpec", args));
    } else if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") {
      reportViolation(
        `Set customerMasterKeySpec on KMS key "${args.name}" to SYMMETRIC_DEFAULT or leave it out, not ${spec}: only symmetric keys rotate automatically and encrypt volumes, file systems and secrets (DAT-3).`,
      );
    }
  }),
};

/**
 * DAT-3: the key policy is written out and names principals of one account only. AWS's default
 * policy is not accepted: the stack would not show who may use the tenant's key.
 */
export const kmsKeyPolicySingleAccount: ResourceValidationPolicy = {
  name: "kms-key-policy-single-account",
  description:
    'Checks that every KMS key has an explicit key policy whose Allow statements name the account root and only principals of that account or AWS services, never "*" (DAT-3).',
  validateResource: forTypes([IamType.kmsKey], (args, reportViolation) => {
    const subject = `the policy of KMS key "${args.name}"`;
    const document = readPolicyDocument(args.props, "policy");
    if (document.kind === "absent") {
      reportViolation(
        `Set policy on KMS key "${args.name}" to a key policy that grants the account root and the tenant's roles: without one AWS applies its default policy, which the stack does not show (DAT-3).`,
      );
      return;
    }
    const problem = unreadableDocument(document, subject, "DAT-3");
    if (problem) {
      reportViolation(problem);
      return;
    }
    if (document.kind === "document") {
      keyPolicyPrincipalProblems(document.statements, subject).forEach((m) => reportViolation(m));
    }
  }),
};

/**
 * DAT-4: a key whose deletion is scheduled takes every volume, file system and secret it
 * encrypts with it, so neither a `pulumi destroy` nor a replacement may reach it.
 */
export const kmsKeyProtected: ResourceValidationPolicy = {
  name: "kms-key-protected",
  description:
    "Checks that every KMS key is created with the protect resource option, so no destroy or replacement schedules its deletion (DAT-4).",
  validateResource: forTypes([IamType.kmsKey], (args, reportViolation) => {
    if (args.opts.protect !== true) {
      reportViolation(
        `Create KMS key "${args.name}" with the resource option protect: true (e.g. { parent: this, protect: true }): without it a destroy or replacement schedules the key's deletion, and the tenant's encrypted data goes with it (DAT-4).`,
      );
    }
  }),
};

/** The KMS policies, in report order (DAT-3, DAT-4). */
export const kmsPolicies: Policies = [
  kmsKeyRotationEnabled,
  kmsKeyDeletionWindow,
  kmsKeySymmetric,
  kmsKeyPolicySingleAccount,
  kmsKeyProtected,
];
