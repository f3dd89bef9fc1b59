import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { UsageError } from "../plan/project";
import { PROJECT_ROOT, runMoat } from "../plan/testing";
import { fleetRunMain, parseFleetRunArgs } from "./command";
import { DEFAULT_JOBS, DEFAULT_PER_ACCOUNT } from "./limits";
import { FakeWorkspace, baselineStackText, scratchFleetProjects, tenantStackText } from "./testing";

const A = "111111111111";
const B = "222222222222";
const { project, removeAll } = scratchFleetProjects();
after(removeAll);
const baselineText = baselineStackText;
const FLEET = () =>
  project(
    {
      "Pulumi.acme.yaml": tenantStackText(A, "us-east-1", "  moat:baseline: o/moat-account/home-a"),
      "Pulumi.acme.policy.json": "{}",
      "Pulumi.beta.yaml": tenantStackText(A, "us-east-1"),
      "Pulumi.globex.yaml": tenantStackText(B, "eu-west-1", "  moat:baseline: o/moat-account/globex-euw1"),
    },
    {
      "Pulumi.home-a.yaml": baselineText(A, "us-east-1"),
      "Pulumi.globex-euw1.yaml": baselineText(B, "eu-west-1"),
      "Pulumi.globex-euw1.policy.json": "{}",
    },
  );

describe("parseFleetRunArgs", () => {
  it("reads --all with the defaults, and every option", () => {
    assert.deepEqual(parseFleetRunArgs("up", ["--all"]), {
      command: "up",
      all: true,
      jobs: DEFAULT_JOBS,
      perAccount: DEFAULT_PER_ACCOUNT,
      dryRun: false,
    });
    const args = [
      "--stack",
      "acme",
      "--jobs",
      "3",
      "--per-account",
      "1",
      "--org",
      "o",
      "--log-dir",
      "l",
      "--dry-run",
    ];
    assert.deepEqual(parseFleetRunArgs("refresh", args), {
      command: "refresh",
      all: false,
      stack: "acme",
      jobs: 3,
      perAccount: 1,
      org: "o",
      logDir: "l",
      dryRun: true,
    });
    assert.equal(parseFleetRunArgs("up", ["--all", "--canary", "acme"]).canary, "acme");
  });

  it("refuses a run that names no stacks, both --all and --stack, and bad options, with the fix", () => {
    const first = (args: string[]) => {
      try {
        parseFleetRunArgs("up", args);
      } catch (e) {
        assert.ok(e instanceof UsageError);
        return e.problems[0].split("\n")[0];
      }
      return "accepted";
    };
    assert.equal(first([]), "moat up runs real operations: say which stacks, with --all or --stack NAME");
    assert.equal(
      first(["--dry-run"]),
      "moat up runs real operations: say which stacks, with --all or --stack NAME",
    );
    assert.equal(first(["--all", "--stack", "a"]), "--all runs every stack; do not also name --stack a");
    assert.equal(first(["--all", "--jobs", "0"]), "--jobs must be a whole number of at least 1, not '0'");
    assert.equal(
      first(["--all", "--per-account", "two"]),
      "--per-account must be a whole number of at least 1, not 'two'",
    );
    assert.equal(first(["--all", "--stack"]), "--stack needs a value");
    assert.equal(first(["--all", "--force"]), "unknown option --force");
    assert.equal(first(["acme"]), "unexpected argument 'acme': name a stack with --stack acme");
  });
});

describe("moat up|preview|refresh", () => {
  it("refuses bad usage and bad stack files with exit code 2 and no stack trace", () => {
    const dir = FLEET();
    const broken = project({ "Pulumi.x.yaml": "config:\n  aws:region: us-east-1\n" });
    const runs: [string, string[], RegExp][] = [
      [
        dir,
        ["up"],
        /^moat up runs real operations: say which stacks, with --all or --stack NAME\n\nusage: moat up/,
      ],
      [dir, ["refresh", "--all", "--jobs", "0"], /^--jobs must be a whole number of at least 1, not '0'\n$/],
      [
        dir,
        ["preview", "--stack", "nope", "--dry-run"],
        /^--stack nope: no such stack; known stacks: moat\/acme, /,
      ],
      [dir, ["preview", "--all", "--canary", "acme"], /^--canary is for `moat up --all`/],
      [
        broken,
        ["up", "--all", "--dry-run"],
        /^invalid stack files, nothing was run:\n {2}stacks\/Pulumi\.x\.yaml: aws:allowedAccountIds is not set/,
      ],
    ];
    for (const [cwd, args, stderr] of runs) {
      const run = runMoat(cwd, args, 20_000);
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      assert.equal(run.stdout, "");
    }
  });

  it("prints the waves with --dry-run, runs nothing and does not load the Automation API", () => {
    const dir = FLEET();
    const run = runMoat(dir, ["up", "--all", "--dry-run", "--jobs", "3"], 20_000);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        "moat up --all: 2 baselines, 3 tenants, 6 waves; at most 3 operations at once, 2 per account × region",
        "wave 1/6: baselines, home region (us-east-1) (1 stack)",
        `  up      moat-account/home-a       ${A} us-east-1  no policy config  org o`,
        "wave 2/6: baselines, other regions (1 stack)",
        `  up      moat-account/globex-euw1  ${B} eu-west-1  policy config  org o`,
        "wave 3/6: preview every tenant (3 stacks)",
        `  preview moat/acme                 ${A} us-east-1  policy config  org o`,
        `  preview moat/beta                 ${A} us-east-1  no policy config  org o`,
        `  preview moat/globex               ${B} eu-west-1  no policy config  org o`,
        "wave 4/6: gate: deploy tenants only if every preview succeeded",
        "wave 5/6: canary (1 stack)",
        `  up      moat/globex               ${B} eu-west-1  no policy config  org o`,
        `wave 6/6: batch ${A} us-east-1 (2 stacks)`,
        `  up      moat/acme                 ${A} us-east-1  policy config  org o`,
        `  up      moat/beta                 ${A} us-east-1  no policy config  org o`,
        "dry run: nothing was run (5 stacks planned)",
        "",
      ].join("\n"),
    );
    assert.ok(!fs.existsSync(path.join(dir, ".moat")), "a dry run writes no logs");
    const probe = spawnSync(
      process.execPath,
      [
        "-e",
        `require(${JSON.stringify(path.join(PROJECT_ROOT, "tools", "dist", "cli.js"))})
           .main(["refresh", "--all", "--dry-run"], ${JSON.stringify(dir)})
           .then(() => console.error(Object.keys(require.cache).filter((f) => f.includes("automation")).join(",")));`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(probe.status, 0, probe.stderr);
    assert.equal(probe.stderr.trim(), "");
  });

  it("runs every wave through the workspace, writes each operation's output to its log, and exits 1 on a failure", async () => {
    const dir = FLEET();
    const lines: string[] = [];
    const ok = new FakeWorkspace();
    const code = await fleetRunMain("up", ["--all", "--log-dir", "logs", "--per-account", "1"], dir, {
      workspace: ok,
      print: (l) => lines.push(l),
    });
    assert.equal(code, 0, lines.join("\n"));
    assert.equal(ok.calls.length, 8);
    assert.ok(ok.calls.every((c) => (c.options.policyPacks as string[])[0] === path.join(dir, "policies")));
    assert.deepEqual(lines.slice(-2), ["5 stacks: 5 succeeded, 0 failed, 0 not started", "logs: logs"]);
    assert.equal(fs.readFileSync(path.join(dir, "logs", "moat.acme.up.log"), "utf8"), "up moat/acme\n");
    assert.equal(fs.readdirSync(path.join(dir, "logs")).length, 8);

    const failing = new FakeWorkspace({ fail: ["home-a"] });
    lines.length = 0;
    assert.equal(
      await fleetRunMain("up", ["--all"], dir, { workspace: failing, print: (l) => lines.push(l) }),
      1,
    );
    assert.deepEqual(
      failing.calls.map((c) => c.stack),
      ["moat-account/home-a"],
    );
    assert.equal(lines.at(-2), "5 stacks: 0 succeeded, 1 failed, 4 not started");
    assert.match(lines.at(-1) ?? "", /^logs: \.moat\/runs\/up-\d{8}-\d{6}$/);
  });

  it("lists the fleet commands in moat --help", () => {
    const run = runMoat(PROJECT_ROOT, ["--help"], 20_000);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /usage: moat up\|preview\|refresh \(--all \| --stack NAME\) \[options\]/);
  });
});
