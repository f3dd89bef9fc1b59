/**
 * `moat`: the offline preview. Runs the real program under Pulumi's mock runtime with a stack's real
 * configuration, then drives the real policy pack over the analyzer protocol, as
 * `pulumi preview --policy-pack policies --policy-pack-config stacks/Pulumi.<stack>.policy.json`
 * would, without a Pulumi CLI or a cloud account.
 *
 * Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad configuration or usage,
 * 3 the program or the policy pack failed for another reason.
 */
import { runCompliance, COMPLIANCE_USAGE } from "./compliance/compliance";
import { MUTATE_USAGE, mutateMain } from "./mutation/command";
import { EXIT, parsePlanArgs, plan, PLAN_USAGE } from "./plan/command";
import { UsageError } from "./plan/project";
import { TENANT_USAGE, tenantMain } from "./tenant/command";

export { EXIT, parsePlanArgs } from "./plan/command";

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[], root = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      console.log(`${PLAN_USAGE}\n\n${TENANT_USAGE}\n\n${COMPLIANCE_USAGE}\n\n${MUTATE_USAGE}`);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === "compliance") {
      return await runCompliance(root, rest);
    }
    if (command === "mutate") {
      return await mutateMain(rest, root);
    }
    if (command === "tenant") {
      return await tenantMain(rest, root);
    }
    if (command !== "plan") {
      throw new UsageError([
        `unknown command '${command}'; commands: plan, tenant, compliance, mutate\n\n${PLAN_USAGE}`,
      ]);
    }
    if (rest.includes("-h") || rest.includes("--help")) {
      console.log(PLAN_USAGE);
      return EXIT.ok;
    }
    return await plan(root, parsePlanArgs(rest));
  } catch (e) {
    if (e instanceof UsageError) {
      e.problems.forEach((p) => console.error(p));
      return EXIT.usage;
    }
    console.error(`moat: ${(e as Error).stack ?? e}`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
