// DAT-4: the shared file system is never lost. It is protected from deletion, and backed up
// automatically: FSx through its own daily backups, EFS through an enabled backup policy linked by
// the `fileSystemId` dependency. Settings must be literals, as computed values cannot be compared
// at preview (POL-2).
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DatType, FILESYSTEM_TYPES, FSX_TYPES, datLabel } from "./dat-types";
import { linked, overlaps } from "./net-stack";
import { Props, UNKNOWN, forTypes, readBoolean, readNumber, readString, readValue } from "./props";

/** DAT-4's floor on automatic backup retention, in days. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/** The longest automatic backup retention FSx accepts, in days. */
export const MAX_BACKUP_RETENTION_DAYS = 90;

/** Settings of {@link datFsxAutomaticBackups}. */
export interface BackupConfig {
  /**
   * Fewest days automatic backups are kept; it can only be raised above DAT-4's floor.
   * @default 7
   */
  readonly minimumBackupRetentionDays?: number;
}

// FSx for ONTAP has no copyTagsToBackups: its backups are per volume.
const COPIES_TAGS: readonly string[] = [DatType.lustre, DatType.openZfs, DatType.windows];

const literal = (property: string, label: string) =>
  `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify it (DAT-4, POL-2).`;

/**
 * DAT-4: a destroy or a replacement never deletes the shared file system. One check for every
 * FSx type and EFS.
 */
export const datFilesystemProtected: ResourceValidationPolicy = {
  name: "dat-filesystem-protected",
  description:
    "Checks that every FSx and EFS file system is created with the protect resource option, so no destroy or replacement deletes the tenant's data (DAT-4).",
  validateResource: forTypes(FILESYSTEM_TYPES, (args, reportViolation) => {
    if (args.opts.protect !== true) {
      reportViolation(
        `Create ${datLabel(args.type, args.name)} with the resource option protect: true (e.g. { parent: this, protect: true }): without it a destroy or a replacement deletes the file system and the tenant's data with it (DAT-4).`,
      );
    }
  }),
};

/**
 * DAT-4: FSx takes automatic daily backups kept at least 7 days (configurable upwards), with the
 * file system's tags copied to them, so a backup stays attributable to its tenant (AUD-5).
 */
export const datFsxAutomaticBackups: ResourceValidationPolicy = {
  name: "dat-fsx-automatic-backups",
  description:
    "Checks that every FSx file system keeps automatic daily backups at least 7 days (automaticBackupRetentionDays, or the configured minimum) and copies its tags to them (copyTagsToBackups true, where the type has it) (DAT-4).",
  configSchema: {
    properties: {
      minimumBackupRetentionDays: {
        type: "integer",
        minimum: MIN_BACKUP_RETENTION_DAYS,
        maximum: MAX_BACKUP_RETENTION_DAYS,
        default: MIN_BACKUP_RETENTION_DAYS,
      },
    },
  },
  validateResource: forTypes(FSX_TYPES, (args, reportViolation) => {
    const label = datLabel(args.type, args.name);
    // The schema keeps configured values at or above the floor; the max guards direct callers too.
    const minimum = Math.max(
      args.getConfig<BackupConfig>().minimumBackupRetentionDays ?? MIN_BACKUP_RETENTION_DAYS,
      MIN_BACKUP_RETENTION_DAYS,
    );
    const days = readNumber(args.props, "automaticBackupRetentionDays");
    if (days === UNKNOWN) {
      reportViolation(literal("automaticBackupRetentionDays", label));
    } else if (days === undefined || days < minimum) {
      const now = days === undefined ? "it is not set" : days === 0 ? "0 turns backups off" : `not ${days}`;
      reportViolation(
        `Set automaticBackupRetentionDays on ${label} to at least ${minimum} days, ${now}: daily backups are what bring the data back after a mistaken delete (DAT-4).`,
      );
    }
    if (!COPIES_TAGS.includes(args.type)) {
      return;
    }
    const copies = readBoolean(args.props, "copyTagsToBackups");
    if (copies === UNKNOWN) {
      reportViolation(literal("copyTagsToBackups", label));
    } else if (copies !== true) {
      reportViolation(
        `Set copyTagsToBackups: true on ${label}: its backups then carry the tenant, environment and owner tags, so each stays attributable to its tenant (DAT-4).`,
      );
    }
  }),
};

/**
 * DAT-4: every EFS file system has an AWS Backup policy, linked through `fileSystemId`, with
 * status ENABLED. EFS takes no automatic backups without one.
 */
export const datEfsBackupPolicyEnabled: StackValidationPolicy = {
  name: "dat-efs-backup-policy-enabled",
  description:
    'Checks that every EFS file system has a backup policy, built from the file system\'s id, with backupPolicy.status "ENABLED" (DAT-4).',
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const backups = resources.filter((r) => r.type === DatType.efsBackupPolicy);
    for (const fs of resources.filter((r) => r.type === DatType.efs)) {
      const own = backups.filter((b) => overlaps(linked(b, "fileSystemId", DatType.efs), [fs]));
      if (own.length === 0) {
        reportViolation(
          `Add an aws.efs.BackupPolicy to ${datLabel(fs.type, fs.name)} with fileSystemId set to its id output and backupPolicy { status: "ENABLED" }: without it EFS takes no automatic backups (DAT-4).`,
          fs.urn,
        );
      }
      for (const backup of own) {
        const label = datLabel(backup.type, backup.name);
        const policy = readValue(backup.props, "backupPolicy");
        const status =
          policy === UNKNOWN
            ? UNKNOWN
            : typeof policy === "object"
              ? readString(policy as Props, "status")
              : undefined;
        if (status === UNKNOWN) {
          reportViolation(literal("backupPolicy.status", label), backup.urn);
        } else if (status !== "ENABLED") {
          reportViolation(
            `Set backupPolicy.status on ${label} to "ENABLED", not ${status === undefined ? "unset" : `"${status}"`}: EFS takes no automatic backups otherwise (DAT-4).`,
            backup.urn,
          );
        }
      }
    }
  },
};
