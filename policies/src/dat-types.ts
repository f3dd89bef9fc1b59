// Resource type tokens the DAT policies look at, grouped by the shape they share, so each check is
// written once for every file system type that carries the same properties.

/** Type tokens of the shared file systems and the resources attached to them. */
export const DatType = {
  lustre: "aws:fsx/lustreFileSystem:LustreFileSystem",
  openZfs: "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
  ontap: "aws:fsx/ontapFileSystem:OntapFileSystem",
  windows: "aws:fsx/windowsFileSystem:WindowsFileSystem",
  efs: "aws:efs/fileSystem:FileSystem",
  efsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  efsBackupPolicy: "aws:efs/backupPolicy:BackupPolicy",
  efsMountTarget: "aws:efs/mountTarget:MountTarget",
  subnet: "aws:ec2/subnet:Subnet",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
} as const;

/** Every FSx file system type: all take `kmsKeyId` and `automaticBackupRetentionDays`. */
export const FSX_TYPES: readonly string[] = [DatType.lustre, DatType.openZfs, DatType.ontap, DatType.windows];

/** Every shared file system type (DAT-1, DAT-4). */
export const FILESYSTEM_TYPES: readonly string[] = [...FSX_TYPES, DatType.efs];

const LABELS: Readonly<Record<string, string>> = {
  [DatType.lustre]: "FSx for Lustre file system",
  [DatType.openZfs]: "FSx for OpenZFS file system",
  [DatType.ontap]: "FSx for ONTAP file system",
  [DatType.windows]: "FSx for Windows file system",
  [DatType.efs]: "EFS file system",
  [DatType.efsPolicy]: "EFS file system policy",
  [DatType.efsBackupPolicy]: "EFS backup policy",
  [DatType.efsMountTarget]: "EFS mount target",
};

/** How messages name a resource: its kind and name, e.g. `EFS file system "shared"`. */
export function datLabel(type: string, name: string): string {
  return `${LABELS[type] ?? type} "${name}"`;
}
