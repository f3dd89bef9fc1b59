import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as ts from "typescript";
import { registerTypeScript, TRANSPILE_CACHE } from "./ts-loader";

/** A project folder with a tsconfig and one TypeScript module. */
function project(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-ts-loader-"));
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "commonjs", strict: true } }),
  );
  fs.mkdirSync(path.join(dir, "program"));
  fs.writeFileSync(path.join(dir, "program", "index.ts"), source);
  return dir;
}

const cacheFiles = () => (fs.existsSync(TRANSPILE_CACHE) ? fs.readdirSync(TRANSPILE_CACHE) : []);

describe("registerTypeScript", () => {
  it("loads a program folder's index.ts as the language host would, and caches the JavaScript", () => {
    const marker = `m${Date.now()}${process.pid}`;
    const source = `interface Shape { readonly sides: number }\nconst square: Shape = { sides: 4 };\nexport const ${marker} = square.sides;\n`;
    const dir = project(source);
    const before = new Set(cacheFiles());
    const unregister = registerTypeScript(dir);
    try {
      // A folder resolves to its index.ts, as `main: infra/` does for the language host.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(path.join(dir, "program"));
      assert.equal(loaded[marker], 4);
      const added = cacheFiles().filter((f) => !before.has(f));
      assert.equal(added.length, 1, "one new cache entry for one new source");
      const expected = ts.transpileModule(source, {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true },
        fileName: "index.ts",
      }).outputText;
      assert.equal(fs.readFileSync(path.join(TRANSPILE_CACHE, added[0]), "utf8"), expected);
    } finally {
      unregister();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reuses the cache for an unchanged source and makes a new entry when it changes", () => {
    const source = `export const same = "${process.pid}-${Date.now()}";\n`;
    const first = project(source);
    const second = project(source);
    const third = project(source.replace("same", "changed"));
    const unregister = registerTypeScript(first);
    try {
      const before = cacheFiles().length;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(first, "program"));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(second, "program"));
      assert.equal(cacheFiles().length, before + 1);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      assert.equal(require(path.join(third, "program")).changed, source.split('"')[1]);
      assert.equal(cacheFiles().length, before + 2);
    } finally {
      unregister();
      [first, second, third].forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
    }
  });

  it("puts back the hook it replaced when asked", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extensions = require("module").Module._extensions;
    const previous = extensions[".ts"];
    const unregister = registerTypeScript(os.tmpdir());
    assert.equal(typeof extensions[".ts"], "function");
    assert.notEqual(extensions[".ts"], previous);
    unregister();
    assert.equal(extensions[".ts"], previous);
  });
});
