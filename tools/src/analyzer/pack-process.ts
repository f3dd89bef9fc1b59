import { ChildProcess, spawn } from "child_process";
import * as os from "os";
import * as path from "path";

/** A running policy pack: its analyzer's address, and how long it took to start. */
export interface PackProcess {
  readonly address: string;
  readonly startupMs: number;
  readonly child: ChildProcess;
  /** Everything the pack printed besides its port, for error reports. */
  readonly output: () => string;
}

/**
 * Launches a policy pack as the Pulumi CLI does for `--policy-pack <dir>`: runs
 * `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> .` with the pack folder as working
 * directory (the SDK resolved from the pack, as the CLI's pulumi-analyzer-policy script does) and
 * waits for the port the pack's gRPC server prints on its first line of output.
 *
 * `niceness` (0 to 19) lowers the pack's scheduling priority: `moat plan` starts the pack beside the
 * program it will judge, and on a machine with few cores the program is the longer path; the pack
 * catches up on its backlog once the program is done. Where priorities cannot be set, it is ignored.
 */
export function launchPack(
  packDir: string,
  engineAddress: string,
  { timeoutMs = 60_000, niceness = 0 }: { timeoutMs?: number; niceness?: number } = {},
): Promise<PackProcess> {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] }));
  const entry = path.join(sdkDir, "cmd", "run-policy-pack");
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [entry, engineAddress, "."], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (niceness > 0 && child.pid !== undefined) {
    try {
      os.setPriority(child.pid, niceness);
    } catch {
      // Only speed depends on it.
    }
  }
  let stdout = "";
  let stderr = "";
  const output = () => `${stdout}${stderr}`.trim();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(`policy pack in ${packDir} did not print its port within ${timeoutMs} ms:\n${output()}`),
      );
    }, timeoutMs);
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) {
        clearTimeout(timer);
        const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
        resolve({ address: `127.0.0.1:${line[1]}`, startupMs, child, output });
      }
    });
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`policy pack in ${packDir} exited with code ${code} before serving:\n${output()}`));
    });
  });
}
