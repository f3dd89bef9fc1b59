// Loads TypeScript in the test runner's processes: `npm test` starts tests/run.ts, and through it
// every test file, with `--require ./tests/register-ts.js`. Each .ts file is transformed to
// CommonJS by esbuild, as tsx does, with an inline source map so that failures point at TypeScript
// lines. tsx also hooks the loading of every JavaScript file, which made each test process (most
// load @pulumi/aws) about a third slower. `node --import tsx --test <file>` still runs any test
// file on its own. Outputs are cached by content under .moat/cache, so a warm run loads no esbuild.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const CACHE = path.join(__dirname, "..", ".moat", "cache", "test-transpile");
const OPTIONS = { loader: "ts", format: "cjs", target: "node20", sourcemap: "inline" };

/** tsx's own esbuild: the transform tsx would apply. */
const ESBUILD = require.resolve("esbuild", { paths: [path.dirname(require.resolve("tsx/package.json"))] });
const SALT = `${JSON.stringify(OPTIONS)}\0${require(path.join(path.dirname(ESBUILD), "..", "package.json")).version}`;
let esbuild;

function compiled(source, filename) {
  const key = crypto.createHash("sha256").update(SALT).update(`\0${filename}\0`).update(source).digest("hex");
  const file = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    esbuild ??= require(ESBUILD);
    const code = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
    try {
      fs.mkdirSync(CACHE, { recursive: true });
      // Test files run in parallel: write aside and rename, so no reader sees half a file.
      fs.writeFileSync(`${file}.${process.pid}.tmp`, code);
      fs.renameSync(`${file}.${process.pid}.tmp`, file);
    } catch {
      // A read-only checkout only costs speed.
    }
    return code;
  }
}

process.setSourceMapsEnabled(true);
Module._extensions[".ts"] = (module, filename) => {
  module._compile(compiled(fs.readFileSync(filename, "utf8"), filename), filename);
};
