import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** What a scratch project shares with the real one; `infra` only when no program is given. */
const SHARED = ["Pulumi.yaml", "package.json", "tsconfig.json", "components", "policies", "node_modules"];

/**
 * Copied (unless the caller asks for none) rather than linked, so that a test writing into its scratch project never writes into the
 * real one: the account baseline project, whose stack files answer tenants' stack references.
 */
const COPIED = ["accounts"];

/**
 * A throw-away project that shares a real project's program, components, pack and dependencies but
 * has its own stacks/ folder (and, if given, its own program), for planning stack files that must
 * not live in the real one: tests' variants and the benchmark's generated tenants.
 */
export function scratchProject(
  root: string,
  stacks: Record<string, string>,
  program?: string,
  { accounts = true }: { accounts?: boolean } = {},
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-project-"));
  for (const entry of program === undefined ? [...SHARED, "infra"] : SHARED) {
    fs.symlinkSync(path.join(root, entry), path.join(dir, entry));
  }
  if (program !== undefined) {
    fs.mkdirSync(path.join(dir, "infra"));
    fs.writeFileSync(path.join(dir, "infra", "index.ts"), program);
  }
  for (const entry of COPIED.filter((e) => accounts && fs.existsSync(path.join(root, e)))) {
    fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  }
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const [name, text] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, "stacks", name), text);
  }
  return dir;
}
