#!/usr/bin/env node
// The `moat` command. The CLI is TypeScript compiled to tools/dist by `npm run build` (run by
// `npm ci` through the prepare script), so it starts without a TypeScript compiler.
require("../dist/cli.js")
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
