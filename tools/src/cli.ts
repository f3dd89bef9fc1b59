/**
 * `moat`: the offline preview. Runs the real program under Pulumi's mock runtime with a stack's real
 * configuration, then drives the real policy pack over the analyzer protocol, as
 * `pulumi preview --policy-pack policies --policy-pack-config stacks/Pulumi.<stack>.policy.json`
 * would, without a Pulumi CLI or a cloud account.
 *
 * Each command is loaded when it is asked for: a plan starts its program sooner when the process
 * has not first loaded the compliance report, the mutation suite and the tenant writer.
 *
 * Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad configuration or usage,
 * 3 the program or the policy pack failed for another reason.
 */
import { EXIT } from "./exit-codes";
import { UsageError } from "./plan/project";

export { EXIT } from "./exit-codes";

const COMMANDS = "plan, tenant, compliance, mutate, up, preview, refresh, ci";

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[], root = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      console.log(await fullUsage());
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    if (command === "compliance") {
      return await (await import("./compliance/compliance")).runCompliance(root, rest);
    }
    if (command === "mutate") {
      return await (await import("./mutation/command")).mutateMain(rest, root);
    }
    if (command === "tenant") {
      return await (await import("./tenant/command")).tenantMain(rest, root);
    }
    if (command === "ci") {
      return await (await import("./ci/command")).ciMain(rest, root);
    }
    if (command === "up" || command === "preview" || command === "refresh") {
      return await (await import("./fleet-run/command")).fleetRunMain(command, rest, root);
    }
    const { parsePlanArgs, plan, PLAN_USAGE } = await import("./plan/command");
    if (command !== "plan") {
      throw new UsageError([`unknown command '${command}'; commands: ${COMMANDS}\n\n${PLAN_USAGE}`]);
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

/** Every command's usage, for `moat --help`. */
async function fullUsage(): Promise<string> {
  const [plan, tenant, compliance, mutate, fleetRun, ci] = await Promise.all([
    import("./plan/command"),
    import("./tenant/command"),
    import("./compliance/compliance"),
    import("./mutation/command"),
    import("./fleet-run/command"),
    import("./ci/command"),
  ]);
  return [
    plan.PLAN_USAGE,
    tenant.TENANT_USAGE,
    compliance.COMPLIANCE_USAGE,
    mutate.MUTATE_USAGE,
    fleetRun.FLEET_RUN_USAGE,
    ci.CI_USAGE,
  ].join("\n\n");
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
