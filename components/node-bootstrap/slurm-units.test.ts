import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { slurmPreflight } from "./slurm-files";
import { SLURM_PREFIX_LINK, slurmReaperScript } from "./slurm-units";

// The rendered scripts run for real here, against a fake image: a temporary folder stands in for
// each absolute path, and stub commands on the PATH stand in for systemctl, getent and Slurm's own.

function sandbox() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "moat-slurm-"));
  const bin = path.join(root, "stubs");
  fs.mkdirSync(bin);
  const stub = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  const run = (script: string) =>
    spawnSync("bash", ["-c", script], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
  return { root, stub, run };
}

/** A Slurm install under `prefix` whose commands report `version`. */
function install(prefix: string, daemon: string, version: string) {
  for (const dir of ["sbin", "bin"]) fs.mkdirSync(path.join(prefix, dir), { recursive: true });
  fs.writeFileSync(path.join(prefix, "sbin", daemon), "#!/bin/bash\n", { mode: 0o755 });
  fs.writeFileSync(path.join(prefix, "bin", "sinfo"), `#!/bin/bash\necho "slurm ${version}"\n`, {
    mode: 0o755,
  });
}

function preflight(box: ReturnType<typeof sandbox>, daemon: "slurmd" | "sackd") {
  const opt = path.join(box.root, "opt-slurm");
  const usr = path.join(box.root, "usr");
  const link = path.join(box.root, "run", "moat", "slurm");
  const script = slurmPreflight(daemon)
    .replace("for candidate in /opt/slurm /usr;", `for candidate in ${opt} ${usr};`)
    .replaceAll(SLURM_PREFIX_LINK, link)
    .replace("install -d -m 0755 /run/moat", `install -d -m 0755 ${path.dirname(link)}`);
  return { opt, usr, link, result: box.run(script) };
}

describe("slurmPreflight, run against fake images", () => {
  it("finds ParallelCluster's /opt/slurm install and links it for the units", () => {
    const box = sandbox();
    box.stub("systemctl", '[ "$1 $2" = "cat munge.service" ]');
    box.stub("getent", "exit 0");
    const opt = path.join(box.root, "opt-slurm");
    install(opt, "slurmd", "25.11.8");
    const { link, result } = preflight(box, "slurmd");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(fs.readlinkSync(link), opt);
    assert.match(result.stdout, /^moat: Slurm 25\.11\.8 from .*opt-slurm$/m);
  });

  it("falls back to a packaged install under /usr", () => {
    const box = sandbox();
    box.stub("systemctl", "exit 0");
    box.stub("getent", "exit 0");
    install(path.join(box.root, "usr"), "sackd", "24.05.8");
    const { usr, link, result } = preflight(box, "sackd");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(fs.readlinkSync(link), usr);
  });

  it("fails loudly, naming everything missing, on plain Amazon Linux", () => {
    const box = sandbox();
    box.stub("systemctl", "exit 1");
    box.stub("getent", "exit 2");
    const { link, result } = preflight(box, "slurmd");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /MOAT BOOTSTRAP ERROR: this image lacks slurmd \(looked in .*\)/);
    assert.match(result.stderr, /MUNGE \(munge\.service\) user munge\./);
    assert.ok(!fs.existsSync(link), "no daemon may start from a half-found install");
  });

  it("refuses a Slurm older than 23.11 (no sackd, no dynamic nodes)", () => {
    const box = sandbox();
    box.stub("systemctl", "exit 0");
    box.stub("getent", "exit 0");
    install(path.join(box.root, "opt-slurm"), "slurmd", "23.02.7");
    const { result } = preflight(box, "slurmd");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /lacks Slurm 23\.11 or later \(found 23\.02\.7\)/);
  });
});

describe("slurmReaperScript, run against a fake controller", () => {
  it("deletes only nodes that have not responded for longer than the grace period", () => {
    const box = sandbox();
    const bin = path.join(box.root, "slurm", "bin");
    fs.mkdirSync(bin, { recursive: true });
    const iso = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString().slice(0, 19);
    const log = path.join(box.root, "deleted");
    fs.writeFileSync(
      path.join(bin, "sinfo"),
      `#!/bin/bash\nprintf '%s\\n' "gone-1 ${iso(95)}" "gone-1 ${iso(95)}" "blip-2 ${iso(5)}" "new-3 Unknown"\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, "scontrol"), `#!/bin/bash\necho "$*" >> ${log}\n`, { mode: 0o755 });
    const script = slurmReaperScript().replaceAll(SLURM_PREFIX_LINK, path.join(box.root, "slurm"));
    const result = box.run(script);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(fs.readFileSync(log, "utf8"), "delete nodename=gone-1\n");
    assert.match(result.stdout, /^moat: deleted dynamic node gone-1, not responding since /m);
  });
});
