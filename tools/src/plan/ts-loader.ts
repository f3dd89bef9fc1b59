/**
 * Loads the program's TypeScript the way the Pulumi CLI's Node.js language host does with
 * `PULUMI_NODEJS_TRANSPILE_ONLY=true`: each file is transpiled on its own (`ts.transpileModule`, which
 * is what ts-node does in transpile-only mode) with the language host's compiler options under the
 * project's tsconfig.json. Two things differ, both for speed, neither for meaning:
 *
 * - The JavaScript is kept in a cache folder keyed by a hash of the compiler, the options and the
 *   source, so a plan whose sources did not change loads no compiler at all.
 * - No source-map-support is installed. The SDK captures a stack trace for every promise it makes
 *   (runtime/debuggable.ts), and mapping each of those through source maps was a third of a plan's
 *   time. Stack traces of a failing program therefore show JavaScript line numbers;
 *   `moat plan --typecheck` runs the language host's own ts-node, with its source maps.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the compiler is the project's own, resolved at run time and only on a cache miss */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as ts from "typescript";

/** Where transpiled files are kept, beside the tool (its `.moat/` folder is git-ignored). */
export const TRANSPILE_CACHE = path.resolve(__dirname, "..", "..", "..", ".moat", "cache", "transpile");

/** Options the language host puts under the tsconfig's own (cmd/run/run.js in @pulumi/pulumi). */
const LANGUAGE_HOST_DEFAULTS = { target: "ES2020", module: "commonjs", moduleResolution: "node" };

interface Transpiler {
  transpile(source: string, fileName: string): string;
}

/**
 * Registers a `.ts` require hook for files outside node_modules, reading compiler options from
 * `tsconfigPath` (the language host's default, `tsconfig.json` in the working directory). Returns a
 * function that removes the hook.
 */
export function registerTypeScript(projectRoot: string, tsconfigPath = "tsconfig.json"): () => void {
  const tsconfigFile = path.resolve(projectRoot, tsconfigPath);
  const tsconfigText = fs.existsSync(tsconfigFile) ? fs.readFileSync(tsconfigFile, "utf8") : "{}";
  let transpiler: Transpiler | undefined;
  const compiler = () => (transpiler ??= loadTranspiler(projectRoot, tsconfigFile, tsconfigText));

  const extensions = require("module").Module._extensions as Record<
    string,
    (module: NodeJS.Module, filename: string) => void
  >;
  const previous = extensions[".ts"];
  extensions[".ts"] = (module, filename) => {
    if (filename.split(path.sep).includes("node_modules")) {
      throw new Error(`${filename}: TypeScript inside node_modules is not compiled; publish JavaScript`);
    }
    const source = fs.readFileSync(filename, "utf8");
    const js = cached(projectRoot, tsconfigText, source, () => compiler().transpile(source, filename));
    (module as unknown as { _compile(code: string, file: string): void })._compile(js, filename);
  };
  return () => {
    if (previous) extensions[".ts"] = previous;
    else delete extensions[".ts"];
  };
}

/** The cached JavaScript for `source`, or `make()`'s, stored for next time. */
function cached(projectRoot: string, tsconfigText: string, source: string, make: () => string): string {
  const hash = createHash("sha256")
    .update(cacheSalt(projectRoot))
    .update(tsconfigText)
    .update("\0")
    .update(source);
  const file = path.join(TRANSPILE_CACHE, `${hash.digest("hex")}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    const js = make();
    try {
      fs.mkdirSync(TRANSPILE_CACHE, { recursive: true });
      // Plans run in parallel: write aside and rename, so no reader sees half a file.
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, js);
      fs.renameSync(temp, file);
    } catch {
      // A read-only tool folder only costs speed.
    }
    return js;
  }
}

let salt: string | undefined;
/** The compiler's version and this loader's defaults: a change to either invalidates the cache. */
function cacheSalt(projectRoot: string): string {
  if (salt === undefined) {
    const versionOf = (pkg: string) =>
      JSON.parse(
        fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [projectRoot, __dirname] }), "utf8"),
      ).version as string;
    let compiler: string;
    try {
      compiler = `typescript@${versionOf("typescript")}`;
    } catch {
      // No project compiler: the SDK's vendored one, fixed by the SDK's version.
      compiler = `vendored by @pulumi/pulumi@${versionOf("@pulumi/pulumi")}`;
    }
    salt = `${compiler}\0${JSON.stringify(LANGUAGE_HOST_DEFAULTS)}\0`;
  }
  return salt;
}

function loadTranspiler(projectRoot: string, tsconfigFile: string, tsconfigText: string): Transpiler {
  const tsModule = loadCompiler(projectRoot);
  const parsed = tsModule.parseConfigFileTextToJson(tsconfigFile, tsconfigText);
  const raw = { ...LANGUAGE_HOST_DEFAULTS, ...(parsed.config?.compilerOptions ?? {}) };
  const { options } = tsModule.convertCompilerOptionsFromJson(raw, path.dirname(tsconfigFile));
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    noEmit: false,
  };
  return {
    transpile(source, fileName) {
      const out = tsModule.transpileModule(source, { compilerOptions, fileName, reportDiagnostics: false });
      return out.outputText;
    },
  };
}

/** The project's TypeScript if it has one, else the SDK's vendored copy, as the language host picks. */
function loadCompiler(projectRoot: string): typeof ts {
  try {
    return require(require.resolve("typescript", { paths: [projectRoot, __dirname] }));
  } catch {
    const sdk = path.dirname(
      require.resolve("@pulumi/pulumi/package.json", { paths: [projectRoot, __dirname] }),
    );
    return require(path.join(sdk, "vendor", "typescript@3.8.3", "typescript.js"));
  }
}
