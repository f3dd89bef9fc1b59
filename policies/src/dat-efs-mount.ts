// Finds the EFS mounts in a node's decoded user data, for DAT-2: an fstab line, a mount command or
// a systemd mount unit, in a shell script or a cloud-config (whose run commands are often YAML flow
// lists such as `[ mount, -t, efs, -o, "tls", fs-1:/, /shared ]`). Pure text: the policy decides
// what a finding means.

/** One EFS mount found in user data. */
export interface EfsMount {
  /** The mount point, or how the mount was written when it has none (e.g. "a systemd mount unit"). */
  readonly where: string;
  /** `efs`: through the EFS mount helper; `nfs`: plain NFS to an EFS DNS name, which has no TLS. */
  readonly via: "efs" | "nfs";
  /** Whether the `tls` mount option is given. */
  readonly tls: boolean;
}

// fs-0123.efs.us-east-1.amazonaws.com, also with an access point or AZ prefix.
const EFS_DNS = /\.efs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\b/i;
const NFS_TYPES = ["nfs", "nfs4"];

// Splits one shell command or YAML flow item list into words: separators are blanks, optionally
// after a comma (flow lists), and quotes and brackets around a word are dropped. Option lists such
// as `_netdev,tls` have no blank after their commas, so they stay one word.
function words(segment: string): string[] {
  return segment
    .split(/,?\s+/)
    .map((w) => w.replace(/^[[("']+/, "").replace(/[\])"',]+$/, ""))
    .filter((w) => w !== "" && w !== "-");
}

const hasTls = (options: readonly string[]) =>
  options.some((list) => list.split(",").some((o) => o.trim() === "tls"));

// `<source> <mount point> <type> <options> ...`, as in /etc/fstab.
function fstabMount(w: readonly string[]): EfsMount | undefined {
  for (let i = 2; i < w.length; i++) {
    const type = w[i];
    if (!w[i - 1].startsWith("/") || w[i - 2].startsWith("-")) {
      continue;
    }
    if (type === "efs") {
      return { where: w[i - 1], via: "efs", tls: hasTls(w[i + 1] === undefined ? [] : [w[i + 1]]) };
    }
    if (NFS_TYPES.includes(type) && EFS_DNS.test(w[i - 2])) {
      return { where: w[i - 1], via: "nfs", tls: false };
    }
  }
  return undefined;
}

const MOUNT_OPTIONS = [
  ["-t", "--types", "type"],
  ["-o", "--options", "options"],
] as const;

// Reads `-t efs`, `-tefs`, `--types=efs` and the same forms of `-o`; `value` is undefined when
// the value is the next word.
function mountOption(word: string): { key: "type" | "options"; value?: string } | undefined {
  for (const [short, long, key] of MOUNT_OPTIONS) {
    if (word === short || word === long) {
      return { key };
    }
    if (word.startsWith(`${long}=`)) {
      return { key, value: word.slice(long.length + 1) };
    }
    if (word.startsWith(short) && !word.startsWith("--") && word.length > short.length) {
      return { key, value: word.slice(short.length) };
    }
  }
  return undefined;
}

// `mount [-t type] [-o options] source target`, and `mount.efs source target [-o options]`.
// `mount -a` mounts the fstab entries, which are judged on their own lines.
function mountCommand(w: readonly string[]): EfsMount | undefined {
  const start = w.findIndex((x) => x === "mount" || x.endsWith("/mount") || x.endsWith("mount.efs"));
  if (start < 0 || w.includes("-a") || w.includes("--all")) {
    return undefined;
  }
  let type = w[start].endsWith("mount.efs") ? "efs" : undefined;
  const options: string[] = [];
  const operands: string[] = [];
  for (let i = start + 1; i < w.length; i++) {
    const option = mountOption(w[i]);
    if (option === undefined) {
      if (!w[i].startsWith("-")) {
        operands.push(w[i]);
      }
      continue;
    }
    const value = option.value ?? w[++i] ?? "";
    if (option.key === "type") {
      type = value;
    } else {
      options.push(value);
    }
  }
  const where = operands.filter((x) => x.startsWith("/")).pop() ?? "a mount command";
  if (type === "efs") {
    return { where, via: "efs", tls: hasTls(options) };
  }
  if (type !== undefined && NFS_TYPES.includes(type) && operands.some((x) => EFS_DNS.test(x))) {
    return { where, via: "nfs", tls: false };
  }
  return undefined;
}

/**
 * Every EFS mount in `text`: fstab lines, mount commands (`mount -t efs`, `mount.efs`, and NFS
 * mounts of an EFS DNS name) and systemd mount units of `Type=efs`. Commands are read per line
 * and per shell command (`;`, `&&`, `||`, `|`).
 */
export function findEfsMounts(text: string): EfsMount[] {
  const mounts: EfsMount[] = [];
  for (const line of text.split(/\r?\n/)) {
    for (const segment of line.split(/;|&&|\|\|?/)) {
      const w = words(segment);
      const found = mountCommand(w) ?? fstabMount(w);
      if (found !== undefined) {
        mounts.push(found);
      }
    }
  }
  // A systemd unit spreads one mount over several lines, so it is read as a whole.
  if (/^\s*Type\s*=\s*efs\s*$/m.test(text)) {
    const options = [...text.matchAll(/^\s*Options\s*=\s*(\S+)\s*$/gm)].map((m) => m[1]);
    const where = /^\s*Where\s*=\s*(\/\S*)\s*$/m.exec(text)?.[1] ?? "a systemd mount unit";
    mounts.push({ where, via: "efs", tls: hasTls(options) });
  }
  return mounts;
}
