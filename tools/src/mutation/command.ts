import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../plan/project";
import { catchRateLine, problemLines, runMutationSuite, suitePassed, type StackResult } from "./suite";

/** Usage of `moat mutate`. */
export const MUTATE_USAGE = `usage: moat mutate [stack ...] [options]

Plans each stack once, applies every mutation that breaks a requirement (NET, CMP, IAM, DAT, AUD,
K8S, and POL-2 through unknown values) to a copy of the plan, and checks that the policy pack
reports each one as a mandatory violation citing that requirement.

  stack            stacks from stacks/Pulumi.<stack>.yaml (default: every stack)
  --known          plan with computed values known (default: unknown, as in a first preview)
  --pack DIR       policy pack folder (default: policies)
  --verbose        list every mutation and the policies that caught it
  -h, --help       show this help

Exit codes: 0 every mutation caught, 1 a mutation missed, a requirement without an applicable
mutation, or a stack that fails the pack unmutated, 2 usage, 3 the program or the pack failed.`;

interface MutateOptions {
  readonly stacks: string[];
  readonly unknowns: boolean;
  readonly pack: string;
  readonly verbose: boolean;
}

/** Parses `moat mutate` arguments; throws UsageError on anything it does not understand. */
export function parseMutateArgs(args: readonly string[]): MutateOptions {
  const stacks: string[] = [];
  let unknowns = true;
  let pack = "policies";
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--known") unknowns = false;
    else if (arg === "--verbose") verbose = true;
    else if (arg === "--pack") {
      const value = args[++i];
      if (value === undefined || value.startsWith("-")) {
        throw new UsageError([`--pack needs a value\n\n${MUTATE_USAGE}`]);
      }
      pack = value;
    } else if (arg.startsWith("-")) throw new UsageError([`unknown option ${arg}\n\n${MUTATE_USAGE}`]);
    else stacks.push(arg);
  }
  return { stacks, unknowns, pack, verbose };
}

/** Every mutation of every stack, with the policies that caught it or what was said instead. */
export function verboseLines(results: readonly StackResult[]): string[] {
  return results.flatMap((r) =>
    r.outcomes.map((o) => {
      const policies = [...new Set(o.added.filter((v) => v.level === "mandatory").map((v) => v.policy))];
      const verdict = o.caught ? "caught" : "MISSED";
      return `${r.stack} ${verdict} ${o.mutation.id}${o.mutation.unknown ? " (POL-2)" : ""} ${o.mutation.title}: ${policies.join(", ") || "no mandatory violation"}`;
    }),
  );
}

/**
 * `moat mutate [stack ...] [--known] [--pack DIR] [--verbose]`: runs the mutation suite, prints the
 * catch rate per stack and overall and every problem, and returns the exit code (0 all caught,
 * 1 a miss, 2 usage, 3 failure). Needs the pack built (`npm run build`).
 */
export async function mutateMain(args: readonly string[], root = process.cwd()): Promise<number> {
  try {
    if (args.includes("-h") || args.includes("--help")) {
      console.log(MUTATE_USAGE);
      return 0;
    }
    const options = parseMutateArgs(args);
    if (!fs.existsSync(path.join(root, options.pack, "bin", "index.js"))) {
      throw new UsageError([
        `${options.pack}/bin/index.js not found: build the policy pack first with 'npm run build'`,
      ]);
    }
    const results = await runMutationSuite({
      root,
      stacks: options.stacks.length > 0 ? options.stacks : undefined,
      unknowns: options.unknowns,
      pack: options.pack,
    });
    if (options.verbose) {
      verboseLines(results).forEach((l) => console.log(l));
    }
    problemLines(results).forEach((l) => console.log(l));
    console.log(catchRateLine(results));
    return suitePassed(results) ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      e.problems.forEach((p) => console.error(p));
      return 2;
    }
    console.error(`moat mutate: ${(e as Error).stack ?? e}`);
    return 3;
  }
}
