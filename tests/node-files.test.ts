/**
 * Every file the program puts on a node, checked by the program that reads it there: for every
 * node of every planned stack (stacks/ and the fixtures, however many), the whole user data by
 * `cloud-init schema`, each sshd drop-in by `sshd -t`, each script by `bash -n` and `shellcheck`,
 * and each systemd unit and timer by `systemd-analyze verify` in a root holding the node's files.
 * The validators come from Debian packages (tests/validators.ts installs them under `npm test`).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { planSet } from "./plans";
import type { PlanFile } from "./stack-checks";
import { INSTALL_COMMAND, missingValidators, VALIDATOR_PATH } from "./validators";

/** One file of a node's cloud-config `write_files`. */
interface NodeFile {
  readonly path: string;
  readonly content: string;
}

/** A node of a planned stack: its label and its user data as cloud-init reads it. */
interface Node {
  readonly label: string;
  readonly userData: string;
  readonly files: readonly NodeFile[];
}

/**
 * What the units may run that no file of the node provides: the image's own commands and units
 * (the ParallelCluster image's MUNGE and Slurm, linked under /run/moat/slurm by the preflight), and
 * JupyterLab, installed at boot. Anything else a unit runs must be one of the node's own files.
 */
const IMAGE_PROVIDED = {
  commands: [
    "/bin/kill",
    "/usr/sbin/munged",
    "/opt/moat/jupyter/bin/jupyter-lab",
    "/run/moat/slurm/sbin/slurmctld",
    "/run/moat/slurm/sbin/slurmd",
    "/run/moat/slurm/sbin/sackd",
  ],
  units: {
    "munge.service": "[Unit]\nDescription=MUNGE (the image's)\n[Service]\nExecStart=/usr/sbin/munged\n",
  },
};

const NODE_TYPES = ["aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"];

function nodesOf(label: string, plan: PlanFile): Node[] {
  return plan.resources
    .filter((r) => NODE_TYPES.includes(r.type))
    .map((r) => {
      const raw = String(r.inputs.userData ?? "");
      const userData = raw.startsWith("#cloud-config") ? raw : Buffer.from(raw, "base64").toString("utf8");
      const doc = parse(userData) as { write_files?: { path: string; content?: string }[] };
      const files = (doc.write_files ?? []).map((f) => ({ path: f.path, content: f.content ?? "" }));
      return { label: `${label} ${r.name}`, userData, files };
    });
}

function plannedNodes(): Node[] {
  return (["stacks", "fixtures"] as const).flatMap((which) => {
    const set = planSet(which);
    return set.stacks.flatMap((stack) => {
      const plan = set.plan<PlanFile>(stack, false);
      return plan === undefined ? [] : nodesOf(set.file(stack), plan);
    });
  });
}

const env = { ...process.env, PATH: VALIDATOR_PATH };
const exec = (command: string, args: string[]) => spawnSync(command, args, { encoding: "utf8", env });
const said = (run: ReturnType<typeof exec>) => `${run.stdout}${run.stderr}`.trim();

const isScript = (f: NodeFile) => /^#!(\/usr)?\/bin\/(env )?bash\b/.test(f.content);
const isSshdDropIn = (f: NodeFile) => f.path.startsWith("/etc/ssh/sshd_config.d/");
const isUnit = (f: NodeFile) => /^\/etc\/systemd\/system\/[^/]+\.(service|timer)$/.test(f.path);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "moat-node-files-"));
const hostKey = path.join(work, "host-key");

/** What cloud-init's schema check says of a user data, or nothing when it passes. */
function userDataProblems(userData: string): string[] {
  const file = path.join(work, "user-data");
  fs.writeFileSync(file, userData);
  const run = exec("cloud-init", ["schema", "--config-file", file]);
  return run.status === 0 ? [] : [said(run)];
}

/** What `sshd -t` says of a drop-in included from a minimal main configuration. */
function sshdProblems(dropIn: NodeFile): string[] {
  const include = path.join(work, "sshd-drop-in.conf");
  const main = path.join(work, "sshd_config");
  fs.writeFileSync(include, dropIn.content);
  fs.writeFileSync(main, `HostKey ${hostKey}\nInclude ${include}\n`);
  const run = exec("sshd", ["-t", "-f", main]);
  return run.status === 0 ? [] : [`${dropIn.path}: ${said(run)}`];
}

/** What `bash -n` and `shellcheck` (warnings and errors) say of a script. */
function scriptProblems(script: NodeFile): string[] {
  const file = path.join(work, "script");
  fs.writeFileSync(file, script.content);
  const syntax = exec("bash", ["-n", file]);
  const lint = exec("shellcheck", ["--severity=warning", "--format=gcc", file]);
  return [syntax, lint].filter((r) => r.status !== 0).map((r) => `${script.path}: ${said(r)}`);
}

/**
 * What `systemd-analyze verify` says of a node's units and timers, in a root holding the system's
 * units, every file of the node, and stubs of what the image provides (nothing else).
 */
function unitProblems(files: readonly NodeFile[]): string[] {
  const units = files.filter(isUnit);
  if (units.length === 0) return [];
  const root = path.join(work, "root");
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, "usr", "lib", "systemd"), { recursive: true });
  fs.cpSync("/lib/systemd/system", path.join(root, "usr", "lib", "systemd", "system"), { recursive: true });
  for (const f of files) {
    const target = path.join(root, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content, { mode: f.path.includes("/sbin/") || isScript(f) ? 0o755 : 0o644 });
  }
  for (const command of IMAGE_PROVIDED.commands) {
    const target = path.join(root, command);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (!fs.existsSync(target)) fs.writeFileSync(target, "#!/bin/sh\n", { mode: 0o755 });
  }
  for (const [unit, text] of Object.entries(IMAGE_PROVIDED.units)) {
    fs.writeFileSync(path.join(root, "usr", "lib", "systemd", "system", unit), text);
  }
  const run = exec("systemd-analyze", ["verify", "--man=no", `--root=${root}`, ...units.map((u) => u.path)]);
  return run.status === 0 && said(run) === "" ? [] : [said(run) || `exit code ${run.status}`];
}

before(() => {
  const missing = missingValidators();
  assert.deepEqual(missing, [], `the validators ${missing.join(", ")} are missing: run ${INSTALL_COMMAND}`);
  exec("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  fs.mkdirSync("/run/sshd", { recursive: true });
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe("the node-file checks bite", () => {
  it("refuse a cloud-config, an sshd option, a script and a unit that the real programs refuse", () => {
    assert.notDeepEqual(userDataProblems("#cloud-config\nwrite_files: 5\n"), []);
    assert.notDeepEqual(
      sshdProblems({ path: "/etc/ssh/sshd_config.d/x.conf", content: "PermitRootLogn no\n" }),
      [],
    );
    assert.notDeepEqual(
      scriptProblems({ path: "/usr/local/sbin/x", content: "#!/bin/bash\nif [ 1; then\n" }),
      [],
    );
    assert.notDeepEqual(
      scriptProblems({ path: "/usr/local/sbin/y", content: "#!/bin/bash\nrm -rf $DIR/*\n" }),
      [],
    );
    const unit = (text: string) => [{ path: "/etc/systemd/system/x.service", content: text }];
    assert.notDeepEqual(unitProblems(unit("[Service]\nExecStart=/usr/local/sbin/not-on-the-node\n")), []);
    assert.notDeepEqual(unitProblems(unit("[Service]\nExecStrat=/bin/kill\n")), []);
    assert.deepEqual(unitProblems(unit("[Service]\nExecStart=/bin/kill\n")), []);
  });
});

describe("node files, checked by the programs that read them on the node", () => {
  const nodes = plannedNodes();
  // Scripts and drop-ins repeat across nodes: each distinct text is checked once.
  const checked = new Map<string, string[]>();
  const once = (key: string, check: () => string[]) => {
    const hash = createHash("sha256").update(key).digest("hex");
    if (!checked.has(hash)) checked.set(hash, check());
    return checked.get(hash)!;
  };

  it("finds nodes to check in the planned stacks", () => {
    assert.ok(nodes.length > 0, "no node in any planned stack");
  });

  for (const node of nodes) {
    describe(node.label, () => {
      it("has user data cloud-init's own schema accepts", () => {
        assert.deepEqual(userDataProblems(node.userData), []);
      });

      it("has sshd drop-ins sshd -t accepts", () => {
        const dropIns = node.files.filter(isSshdDropIn);
        assert.ok(dropIns.length > 0, "no sshd drop-in: nodes must harden sshd (CMP-4)");
        for (const dropIn of dropIns) {
          assert.deepEqual(
            once(`sshd\0${dropIn.content}`, () => sshdProblems(dropIn)),
            [],
          );
        }
      });

      it("has scripts bash -n and shellcheck accept", () => {
        for (const script of node.files.filter(isScript)) {
          assert.deepEqual(
            once(`script\0${script.content}`, () => scriptProblems(script)),
            [],
          );
        }
      });

      it("has systemd units and timers systemd-analyze verify accepts, running only its own files or the image's", () => {
        assert.deepEqual(unitProblems(node.files), []);
      });
    });
  }
});
