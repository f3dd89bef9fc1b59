import { parse } from "yaml";
import { SSHD_DROP_IN } from "./node-files";

/** The sshd settings every node must carry, in its drop-in (CMP-4). */
export const SSHD_HARDENING: readonly string[] = [
  "PasswordAuthentication no",
  "KbdInteractiveAuthentication no",
  "PermitRootLogin no",
  "PubkeyAuthentication yes",
  "AuthenticationMethods publickey",
];

// Public material that looks random but is not secret: OpenSSH public key blobs and ARNs.
const PUBLIC_KEY =
  /\b(ssh-ed25519|sk-ssh-ed25519@openssh\.com|ssh-rsa|ecdsa-sha2-[a-z0-9]+) [A-Za-z0-9+/=]+/g;
const ARN = /arn:[A-Za-z0-9:/_+=.@?*-]+/g;
// A run of 32+ letters and digits mixing both: a generated token, password or key, never prose.
const RANDOM_RUN = /[A-Za-z0-9]{32,}/g;
const SECRET_MARKERS: readonly [RegExp, string][] = [
  [/PRIVATE KEY/, "contains a PEM/OpenSSH private key; deliver it as a secret fetched by ARN (CMP-4, CMP-8)"],
  [
    /JUPYTER_TOKEN=[A-Za-z0-9]/,
    "sets JUPYTER_TOKEN to a literal value; fetch the token at boot (CMP-6, CMP-8)",
  ],
  [
    /--(ServerApp|NotebookApp|IdentityProvider)\.token[= ]\S/,
    "passes a JupyterLab token on a command line (CMP-6, CMP-8)",
  ],
  [
    /aws_secret_access_key|AKIA[0-9A-Z]{16}/,
    "contains AWS access keys; nodes use their instance role (IAM-2, CMP-8)",
  ],
];

/**
 * Reports every way a rendered cloud-config (user data) breaks the node bootstrap rules: not
 * `#cloud-config` YAML, password or root SSH left on (CMP-4), sshd not enabled under systemd
 * (CMP-5), secret material in the text or a MUNGE key file written from it (CMP-8), JupyterLab
 * bound beyond loopback or without TLS (NET-6, DAT-2). An empty array means none were found. Usable on any user data, so the policy
 * pack can apply the same rules to launch templates.
 */
export function cloudConfigProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.startsWith("#cloud-config\n")) {
    problems.push("user data does not start with #cloud-config");
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return [...problems, `user data is not valid YAML: ${(err as Error).message.split("\n")[0]}`];
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return [...problems, "user data is not a YAML mapping"];
  }
  const config = doc as Record<string, unknown>;
  if (config.ssh_pwauth !== false) {
    problems.push("ssh_pwauth is not false; password SSH must stay off (CMP-4)");
  }
  if (config.disable_root !== true) {
    problems.push("disable_root is not true; root SSH must stay off (CMP-4)");
  }

  const files = Array.isArray(config.write_files) ? (config.write_files as Record<string, unknown>[]) : [];
  const contentOf = (path: string) => files.find((f) => f?.path === path)?.content;
  const dropIn = contentOf(SSHD_DROP_IN);
  if (typeof dropIn !== "string") {
    problems.push(`no sshd drop-in at ${SSHD_DROP_IN} (CMP-4)`);
  } else {
    const lines = new Set(dropIn.split("\n").map((l) => l.trim()));
    for (const setting of SSHD_HARDENING) {
      if (!lines.has(setting)) {
        problems.push(`the sshd drop-in lacks "${setting}" (CMP-4)`);
      }
    }
  }

  const commands = Array.isArray(config.runcmd) ? config.runcmd : [];
  const asText = (cmd: unknown) => (Array.isArray(cmd) ? cmd.join(" ") : String(cmd));
  if (!commands.some((cmd) => /^systemctl enable --now sshd(\.service)?$/.test(asText(cmd)))) {
    problems.push("runcmd does not run `systemctl enable --now sshd` (CMP-5)");
  }

  for (const file of files) {
    const content = typeof file?.content === "string" ? file.content : "";
    if (typeof file?.path === "string" && /(^|\/)munge\.key$/.test(file.path)) {
      problems.push(`user data writes the MUNGE key to ${file.path}; fetch it by ARN at boot (CMP-8)`);
    }
    if (/jupyter(-lab| lab)\b/.test(content) && /^ExecStart=/m.test(content)) {
      if (!/--(ServerApp\.)?ip=127\.0\.0\.1\b/.test(content)) {
        problems.push(`${String(file.path)} starts JupyterLab without --ip=127.0.0.1 (NET-6)`);
      }
      if (!/--(ServerApp\.)?certfile=\S/.test(content) || !/--(ServerApp\.)?keyfile=\S/.test(content)) {
        problems.push(`${String(file.path)} starts JupyterLab without --certfile and --keyfile (DAT-2)`);
      }
    }
  }

  for (const [marker, reason] of SECRET_MARKERS) {
    if (marker.test(text)) {
      problems.push(`user data ${reason}`);
    }
  }
  const withoutPublic = text.replace(PUBLIC_KEY, " ").replace(ARN, " ");
  for (const run of withoutPublic.match(RANDOM_RUN) ?? []) {
    if (/[0-9]/.test(run) && /[A-Za-z]/.test(run)) {
      problems.push(`user data contains a token-like value "${run.slice(0, 4)}..." (CMP-8)`);
    }
  }
  return problems;
}
