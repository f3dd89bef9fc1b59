/**
 * `npm run plan` builds before it plans; when nothing changed, the build must not compile again
 * (it is `tsc -b`, which compares sources with the last build's record and leaves outputs alone).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..");
const OUTPUTS = [
  "tools/dist/cli.js",
  "tools/dist/.tsbuildinfo",
  "policies/bin/index.js",
  "policies/bin/.tsbuildinfo",
];

function build(): void {
  const run = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout + run.stderr);
}

describe("npm run build", () => {
  it("leaves every output untouched when no source changed", () => {
    build();
    const before = OUTPUTS.map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs);
    build();
    assert.deepEqual(
      OUTPUTS.map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs),
      before,
    );
    const dry = spawnSync(
      process.execPath,
      [
        require.resolve("typescript/bin/tsc"),
        "-b",
        "--dry",
        "--verbose",
        "policies/tsconfig.json",
        "tools/tsconfig.json",
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.match(dry.stdout, /Project 'policies\/tsconfig\.json' is up to date/);
    assert.match(dry.stdout, /Project 'tools\/tsconfig\.json' is up to date/);
  });
});
