// What a tenant may ask of its shared filesystem, and the values AWS accepts for each setting.
// Pure: every check is tested directly, and the component refuses a bad spec before creating
// anything, so a size AWS would reject fails at `pulumi preview`, not twenty minutes into `up`.
import type { ArgsProblem } from "../tenant-key/tenant-scope";

/** Per-unit storage throughput tiers of FSx for Lustre PERSISTENT_2 SSD, in MB/s per TiB. */
export const LUSTRE_THROUGHPUTS = [125, 250, 500, 1000] as const;

/** One of {@link LUSTRE_THROUGHPUTS}. */
export type LustreThroughput = (typeof LUSTRE_THROUGHPUTS)[number];

/**
 * An FSx for Lustre PERSISTENT_2 file system under the tenant key (DAT-1), backed up daily (DAT-4).
 * https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-fsx-lustre.html
 */
export interface LustreSpec {
  readonly type: "lustre";
  /**
   * Size in GiB. Without EFA: 1200, 2400 or a multiple of 2400. With EFA: a multiple of 4800,
   * 9600, 19200 or 38400 GiB at 1000, 500, 250 or 125 MB/s/TiB. It can grow in place, never shrink:
   * a smaller value replaces the file system.
   * https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystem.html
   * @default 1200
   */
  readonly storageCapacityGiB?: number;
  /**
   * Throughput per TiB of storage, in MB/s: 125, 250, 500 or 1000. Can change in place unless
   * `efa` is on, where AWS fixes it at creation.
   * https://docs.aws.amazon.com/fsx/latest/LustreGuide/managing-throughput-capacity.html
   * @default 250
   */
  readonly throughputPerUnitMiB?: LustreThroughput;
  /**
   * EFA-enabled Lustre, which GPUDirect Storage builds on (P5, P5e, P5en, P6-B200 clients). AWS
   * supports it only on PERSISTENT_2 with a metadata configuration (set here: AUTOMATIC unless
   * `metadataIops` is given), and only at creation: changing it replaces the file system. The
   * security group then allows all traffic between the file system and its clients, as AWS
   * requires. https://docs.aws.amazon.com/fsx/latest/LustreGuide/efa-file-systems.html
   * @default false
   */
  readonly efa?: boolean;
  /**
   * Provisioned metadata IOPS (USER_PROVISIONED mode): 1500, 3000, 6000, 12000 or a multiple of
   * 12000 up to 192000. Lowering it replaces the file system.
   * https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystemLustreMetadataConfiguration.html
   * @default AWS's default without EFA; AUTOMATIC mode with EFA
   */
  readonly metadataIops?: number;
  /**
   * Days each automatic daily backup is kept: 7 (DAT-4's floor) to 90 (AWS's ceiling).
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Start of the daily backup window, `HH:MM` in UTC.
   * @default "03:00"
   */
  readonly dailyBackupStartTime?: string;
}

/**
 * An Amazon EFS file system under the tenant key (DAT-1), reachable only over TLS (DAT-2), with
 * AWS Backup's daily plan on (DAT-4). https://docs.aws.amazon.com/efs/latest/ug/whatisefs.html
 */
export interface EfsSpec {
  readonly type: "efs";
  /**
   * `elastic` (pay per use, scales with the workload) or `bursting` (throughput grows with size).
   * https://docs.aws.amazon.com/efs/latest/ug/performance.html#throughput-modes
   * @default "elastic"
   */
  readonly throughputMode?: "elastic" | "bursting";
}

/** The shared filesystem of a tenant: FSx for Lustre or EFS. */
export type FilesystemSpec = LustreSpec | EfsSpec;

/** A {@link LustreSpec} with every default applied. */
export interface ResolvedLustreSpec {
  readonly storageCapacityGiB: number;
  readonly throughputPerUnitMiB: LustreThroughput;
  readonly efa: boolean;
  readonly metadataIops?: number;
  readonly backupRetentionDays: number;
  readonly dailyBackupStartTime: string;
}

/** Defaults of {@link LustreSpec}: the smallest file system AWS offers, backed up for a week. */
export const LUSTRE_DEFAULTS = {
  storageCapacityGiB: 1200,
  throughputPerUnitMiB: 250,
  efa: false,
  backupRetentionDays: 7,
  dailyBackupStartTime: "03:00",
} as const;

/**
 * Capacity step of an EFA-enabled file system per throughput tier: each file server holds this
 * much storage, so the size must be a whole number of servers. AWS documents these increments in
 * the FSx for Lustre User Guide (getting-started.html, increase-storage-capacity.html).
 */
export const EFA_CAPACITY_STEP_GIB: Readonly<Record<LustreThroughput, number>> = {
  125: 38400,
  250: 19200,
  500: 9600,
  1000: 4800,
};

/** Days AWS keeps automatic backups at most; DAT-4 asks for at least {@link MIN_BACKUP_DAYS}. */
export const MAX_BACKUP_DAYS = 90;

/** DAT-4: automatic backups are kept at least a week. */
export const MIN_BACKUP_DAYS = 7;

const PERSISTENT_1_THROUGHPUTS = [50, 100, 200];
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const CAPACITY_DOC = "https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystem.html";
const EFA_DOC = "https://docs.aws.amazon.com/fsx/latest/LustreGuide/efa-file-systems.html";

const show = (value: unknown) => JSON.stringify(value) ?? String(value);
const isWholeNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value > 0;

/** Whether `iops` is a metadata IOPS value AWS accepts on SSD: 1500, 3000, 6000, n x 12000 <= 192000. */
export function isMetadataIops(iops: number): boolean {
  return [1500, 3000, 6000].includes(iops) || (iops % 12000 === 0 && iops >= 12000 && iops <= 192000);
}

// The accepted sizes just below and above `gib`, so the message offers a fix.
function neighbours(gib: number, step: number, smallest: readonly number[]): string {
  const candidates = [...smallest, Math.floor(gib / step) * step, Math.ceil(gib / step) * step].filter(
    (n) => n > 0,
  );
  const below = candidates.filter((n) => n < gib);
  const above = candidates.filter((n) => n > gib);
  const pick = [below.length > 0 ? Math.max(...below) : undefined, Math.min(...above)];
  return `${pick.filter((n) => n !== undefined).join(" or ")} GiB`;
}

function capacityProblem(gib: unknown, efa: boolean, throughput: unknown): string | undefined {
  if (!isWholeNumber(gib)) {
    return `${show(gib)} is not a size in GiB; use a whole number such as 1200`;
  }
  if (!efa) {
    if (gib === 1200 || gib % 2400 === 0) {
      return undefined;
    }
    return (
      `${gib} GiB is not a size FSx for Lustre PERSISTENT_2 (SSD) accepts: use 1200, 2400 or a multiple ` +
      `of 2400 GiB, e.g. ${neighbours(gib, 2400, [1200])} (${CAPACITY_DOC})`
    );
  }
  const step = EFA_CAPACITY_STEP_GIB[throughput as LustreThroughput];
  const steps = LUSTRE_THROUGHPUTS.map((t) => `${EFA_CAPACITY_STEP_GIB[t]} at ${t}`).join(", ");
  if (step === undefined) {
    return `EFA-enabled sizes depend on the throughput tier (multiples of ${steps} MB/s/TiB); fix throughputPerUnitMiB first (${EFA_DOC})`;
  }
  if (gib % step === 0) {
    return undefined;
  }
  return (
    `${gib} GiB is not a size an EFA-enabled file system accepts at ${show(throughput)} MB/s/TiB: use a ` +
    `multiple of ${step} GiB, e.g. ${neighbours(gib, step, [])} (EFA sizes are multiples of ${steps} MB/s/TiB; ${EFA_DOC})`
  );
}

function throughputProblem(throughput: unknown, efa: boolean): string | undefined {
  if ((LUSTRE_THROUGHPUTS as readonly unknown[]).includes(throughput)) {
    return undefined;
  }
  const persistent1 = PERSISTENT_1_THROUGHPUTS.includes(throughput as number)
    ? `; ${throughput} MB/s/TiB is a PERSISTENT_1 tier, and Moat deploys PERSISTENT_2${efa ? ", the only deployment type with EFA" : ""}`
    : "";
  return (
    `${show(throughput)} is not a PERSISTENT_2 throughput tier: use 125, 250, 500 or 1000 MB/s/TiB${persistent1} ` +
    "(https://docs.aws.amazon.com/fsx/latest/LustreGuide/managing-throughput-capacity.html)"
  );
}

/**
 * Checks a {@link LustreSpec} against what AWS accepts for PERSISTENT_2 SSD file systems and
 * returns every problem with its property path (under `spec.`). Enforced:
 * - `throughputPerUnitMiB`: 125, 250, 500 or 1000 (PERSISTENT_1's 50/100/200 are named as such);
 * - `storageCapacityGiB`: 1200 or a multiple of 2400 without EFA; with EFA a multiple of 4800,
 *   9600, 19200 or 38400 at 1000, 500, 250 or 125 MB/s/TiB (there is no 1200 GiB EFA file system);
 * - `efa`: a boolean; EFA is always created with a metadata configuration, as AWS requires;
 * - `metadataIops`: 1500, 3000, 6000, 12000 or a multiple of 12000 up to 192000;
 * - `backupRetentionDays`: a whole number of days from 7 (DAT-4) to 90 (AWS's maximum);
 * - `dailyBackupStartTime`: `HH:MM` (UTC).
 * The account's storage quota (100,800 GiB by default, adjustable) is not checked: it is per account.
 */
export function lustreSpecProblems(spec: LustreSpec): ArgsProblem[] {
  const problems: ArgsProblem[] = [];
  const add = (field: string, reason: string | undefined) => {
    if (reason !== undefined) {
      problems.push({ propertyPath: `spec.${field}`, reason });
    }
  };
  const efa = spec.efa ?? LUSTRE_DEFAULTS.efa;
  const throughput = spec.throughputPerUnitMiB ?? LUSTRE_DEFAULTS.throughputPerUnitMiB;
  if (typeof efa !== "boolean") {
    add("efa", `${show(efa)} is not true or false`);
  }
  add("throughputPerUnitMiB", throughputProblem(throughput, efa === true));
  add(
    "storageCapacityGiB",
    capacityProblem(spec.storageCapacityGiB ?? LUSTRE_DEFAULTS.storageCapacityGiB, efa === true, throughput),
  );
  const iops = spec.metadataIops;
  if (iops !== undefined && !(isWholeNumber(iops) && isMetadataIops(iops))) {
    add(
      "metadataIops",
      `${show(iops)} is not a metadata IOPS value AWS accepts: use 1500, 3000, 6000, 12000 or a multiple of ` +
        "12000 up to 192000, or leave it out for AWS's default " +
        "(https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystemLustreMetadataConfiguration.html)",
    );
  }
  const days = spec.backupRetentionDays ?? LUSTRE_DEFAULTS.backupRetentionDays;
  if (!(isWholeNumber(days) && days >= MIN_BACKUP_DAYS && days <= MAX_BACKUP_DAYS)) {
    add(
      "backupRetentionDays",
      `${show(days)} is outside ${MIN_BACKUP_DAYS}-${MAX_BACKUP_DAYS}: backups are kept at least ${MIN_BACKUP_DAYS} days (DAT-4) ` +
        `and AWS keeps them at most ${MAX_BACKUP_DAYS}; use a whole number of days in that range`,
    );
  }
  const start = spec.dailyBackupStartTime ?? LUSTRE_DEFAULTS.dailyBackupStartTime;
  if (typeof start !== "string" || !HH_MM.test(start)) {
    add("dailyBackupStartTime", `${show(start)} is not a time of day; write HH:MM in UTC, e.g. 03:00`);
  }
  return problems;
}

/** {@link lustreSpecProblems} as one line per problem, `<propertyPath>: <reason>`; empty means valid. */
export function validateLustreSpec(spec: LustreSpec): string[] {
  return lustreSpecProblems(spec).map((p) => `${p.propertyPath}: ${p.reason}`);
}

/** Checks an {@link EfsSpec}: only the `elastic` and `bursting` throughput modes are offered. */
export function efsSpecProblems(spec: EfsSpec): ArgsProblem[] {
  const mode = spec.throughputMode ?? "elastic";
  if (mode === "elastic" || mode === "bursting") {
    return [];
  }
  return [
    {
      propertyPath: "spec.throughputMode",
      reason: `${show(mode)} is not offered; use elastic (the default) or bursting`,
    },
  ];
}

/** Checks either kind of spec; an unknown `type` is one problem. */
export function filesystemSpecProblems(spec: FilesystemSpec): ArgsProblem[] {
  switch (spec?.type) {
    case "lustre":
      return lustreSpecProblems(spec);
    case "efs":
      return efsSpecProblems(spec);
    default:
      return [
        {
          propertyPath: "spec.type",
          reason: `${show((spec as { type?: unknown } | undefined)?.type)} is not a filesystem type; use lustre or efs`,
        },
      ];
  }
}

/** A valid {@link LustreSpec} with every default filled in. */
export function resolveLustreSpec(spec: LustreSpec): ResolvedLustreSpec {
  return {
    storageCapacityGiB: spec.storageCapacityGiB ?? LUSTRE_DEFAULTS.storageCapacityGiB,
    throughputPerUnitMiB: spec.throughputPerUnitMiB ?? LUSTRE_DEFAULTS.throughputPerUnitMiB,
    efa: spec.efa ?? LUSTRE_DEFAULTS.efa,
    ...(spec.metadataIops === undefined ? {} : { metadataIops: spec.metadataIops }),
    backupRetentionDays: spec.backupRetentionDays ?? LUSTRE_DEFAULTS.backupRetentionDays,
    dailyBackupStartTime: spec.dailyBackupStartTime ?? LUSTRE_DEFAULTS.dailyBackupStartTime,
  };
}
