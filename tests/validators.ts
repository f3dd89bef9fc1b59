/**
 * The programs that read Moat's node files on a node, used by tests/node-files.test.ts to check
 * every file the program puts there: cloud-init for the user data, sshd for its drop-ins, bash and
 * shellcheck for scripts, systemd for units and timers. On Debian or Ubuntu as root, `npm test`
 * installs the missing ones itself (once, with a progress line); elsewhere the test fails and
 * names the one command to run. It never skips a check.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";

/** Each validator's command and the Debian package that provides it. */
export const VALIDATORS: readonly { readonly command: string; readonly pkg: string }[] = [
  { command: "cloud-init", pkg: "cloud-init" },
  { command: "sshd", pkg: "openssh-server" },
  { command: "shellcheck", pkg: "shellcheck" },
  { command: "systemd-analyze", pkg: "systemd" },
];

/** Where the validators live; sshd is in sbin, which a non-root PATH may lack. */
export const VALIDATOR_PATH = `${process.env.PATH ?? ""}:/usr/sbin:/sbin`;

/** The command that installs every validator, for a person to run. */
export const INSTALL_COMMAND = `sudo apt-get install -y --no-install-recommends ${VALIDATORS.map((v) => v.pkg).join(" ")}`;

/** The validators this machine lacks. */
export function missingValidators(): string[] {
  return VALIDATORS.filter(
    (v) =>
      spawnSync("sh", ["-c", `command -v ${v.command}`], { env: { ...process.env, PATH: VALIDATOR_PATH } })
        .status !== 0,
  ).map((v) => v.command);
}

function run(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

/**
 * Installs the missing validators with apt when this is Debian or Ubuntu and the process is root.
 * Returns the line to print: what was installed and how long it took, or why nothing was.
 */
export async function installValidators(): Promise<string | undefined> {
  const missing = missingValidators();
  if (missing.length === 0) {
    return undefined;
  }
  const packages = VALIDATORS.filter((v) => missing.includes(v.command)).map((v) => v.pkg);
  if (process.getuid?.() !== 0 || !fs.existsSync("/etc/debian_version")) {
    return `✖ node-file validators missing (${missing.join(", ")}): run ${INSTALL_COMMAND}`;
  }
  const started = Date.now();
  const ok =
    (await run("apt-get", ["update", "-qq"])) &&
    (await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages]));
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  return ok
    ? `✔ installed the node-file validators: ${packages.join(", ")} (${took})`
    : `✖ could not install ${packages.join(", ")} with apt-get (${took}): run ${INSTALL_COMMAND}`;
}
