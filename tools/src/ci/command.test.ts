// `moat ci changed-stacks` in a scratch git repository whose origin/main is the first commit.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it, type TestContext } from "node:test";
import { UsageError } from "../plan/project";
import { scratchRepository } from "../deployments/testing";
import { changedStacks, ciMain, CI_USAGE, parseBase } from "./command";

const scratch: string[] = [];
after(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function git(root: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=moat", "-c", "user.email=moat@example.invalid", ...args], {
    cwd: root,
    encoding: "utf8",
  });
}

/** A repository with two tenants on one baseline, committed, and origin/main at that commit. */
function repository(): string {
  const root = scratchRepository({
    tenants: {
      "acme-prod": { account: "111111111111", baseline: "acme/moat-account/acme-use1", policy: "{}" },
      "globex-dev": { account: "222222222222" },
    },
    baselines: { "acme-use1": { account: "111111111111" } },
  });
  scratch.push(root);
  git(root, "init", "--quiet");
  git(root, "add", ".");
  git(root, "commit", "--quiet", "-m", "base");
  git(root, "update-ref", "refs/remotes/origin/main", "HEAD");
  return root;
}

/** Commits `files` (path -> text; undefined removes it) on top of HEAD. */
function commit(root: string, files: Record<string, string | undefined>): void {
  for (const [file, text] of Object.entries(files)) {
    if (text === undefined) fs.rmSync(path.join(root, file));
    else {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
  }
  git(root, "add", "-A");
  git(root, "commit", "--quiet", "-m", "change");
}

/** Runs the command, returning its exit code and what it printed to each stream. */
async function run(t: TestContext, root: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  t.mock.method(console, "log", (text: string) => out.push(text));
  t.mock.method(console, "error", (text: string) => err.push(text));
  const code = await ciMain(args, root);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("moat ci changed-stacks", () => {
  it("prints the stacks changed since the base branch as one JSON line", async (t) => {
    const root = repository();
    commit(root, {
      "stacks/Pulumi.globex-dev.yaml":
        'config:\n  aws:region: eu-west-1\n  aws:allowedAccountIds: ["222222222222"]\n',
    });
    assert.deepEqual(await run(t, root, ["changed-stacks", "--base", "main"]), {
      code: 0,
      out: '["globex-dev"]',
      err: "",
    });
    commit(root, {
      "accounts/stacks/Pulumi.acme-use1.yaml":
        'config:\n  aws:region: us-east-2\n  aws:allowedAccountIds: ["111111111111"]\n',
    });
    assert.deepEqual(JSON.parse((await run(t, root, ["changed-stacks", "--base", "main"])).out), [
      "acme-prod",
      "globex-dev",
      "accounts/acme-use1",
    ]);
  });

  it("prints an empty list for documentation, and names an unknown file on stderr", async (t) => {
    const root = repository();
    commit(root, { "README.md": "# moat\n" });
    assert.deepEqual(await run(t, root, ["changed-stacks", "--base", "main"]), {
      code: 0,
      out: "[]",
      err: "",
    });
    commit(root, { Makefile: "all:\n" });
    assert.deepEqual(await run(t, root, ["changed-stacks", "--base", "main"]), {
      code: 0,
      out: '["acme-prod","globex-dev","accounts/acme-use1"]',
      err: "moat ci: Makefile is not a file moat knows; previewing every stack",
    });
  });

  it("sees a renamed stack as the old one removed and the new one added", async (t) => {
    const root = repository();
    const text = fs.readFileSync(path.join(root, "stacks", "Pulumi.globex-dev.yaml"), "utf8");
    commit(root, { "stacks/Pulumi.globex-dev.yaml": undefined, "stacks/Pulumi.globex-staging.yaml": text });
    assert.equal((await run(t, root, ["changed-stacks", "--base", "main"])).out, '["globex-staging"]');
  });

  it("refuses a base branch that was not fetched, and says how to fetch it", async (t) => {
    const root = repository();
    const error = await run(t, root, ["changed-stacks", "--base", "develop"]).then(
      () => assert.fail("expected a refusal"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UsageError);
    assert.match(error.problems[0], /^git diff origin\/develop\.\.\.HEAD failed: /);
    assert.equal(
      error.problems[1],
      "fetch the base branch first: actions/checkout with fetch-depth: 0, or git fetch origin develop",
    );
  });

  it("reads the stack folder of a repository without baselines", () => {
    const root = scratchRepository({ tenants: { dev: { account: "222222222222" } } });
    scratch.push(root);
    assert.deepEqual(changedStacks(root, ["stacks/Pulumi.dev.yaml", "accounts/stacks/Pulumi.x.yaml"]), {
      entries: ["dev"],
      unknown: [],
    });
  });
});

describe("moat ci arguments", () => {
  it("needs --base and nothing else", () => {
    assert.equal(parseBase(["--base", "main"]), "main");
    for (const [args, problems] of [
      [[], ["--base is required, e.g. --base main"]],
      [["--base"], ["--base needs a value, the pull request's base branch, e.g. --base main"]],
      [
        ["--base", "--json"],
        ["--base needs a value, the pull request's base branch, e.g. --base main", "unknown argument --json"],
      ],
      [["main"], ["unknown argument main"]],
    ] as const) {
      assert.throws(
        () => parseBase(args),
        (e: unknown) =>
          e instanceof UsageError && assert.deepEqual(e.problems, [...problems, "", CI_USAGE]) === undefined,
      );
    }
  });

  it("shows its usage, and names its one subcommand", async (t) => {
    assert.deepEqual(await run(t, ".", ["--help"]), { code: 0, out: CI_USAGE, err: "" });
    await assert.rejects(
      ciMain(["changed"], "."),
      (e: unknown) =>
        e instanceof UsageError &&
        e.problems[0].startsWith("moat ci: unknown subcommand 'changed'; subcommands: changed-stacks"),
    );
  });
});
