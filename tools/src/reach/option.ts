/**
 * The `--reachability [FILE]` option of `moat plan`, apart from the report it asks for, so that
 * parsing a plan's arguments does not load the reachability model.
 */

/** Usage text of the option, for the CLI's help. */
export const REACHABILITY_USAGE = `  --reachability [FILE]
                   print the allowed network flows and write them as a Mermaid diagram to FILE
                   (default reachability/<stack>.mmd; with --all a folder); FILE ends in .mmd
                   or contains a /, or use --reachability=FILE`;

/**
 * Parses the option at `args[i]`: its value comes after "=", or is the next argument when that looks
 * like a file (ends in .mmd or holds a /), so `moat plan --reachability dev` still names a stack.
 * Returns the target (true for the default file) and the index of the last argument it used.
 */
export function reachabilityOption(args: readonly string[], i: number): [string | true, number] {
  const arg = args[i];
  if (arg.startsWith("--reachability=")) {
    return [arg.slice("--reachability=".length) || true, i];
  }
  const next = args[i + 1];
  if (next !== undefined && !next.startsWith("-") && (next.endsWith(".mmd") || next.includes("/"))) {
    return [next, i + 1];
  }
  return [true, i];
}
