/**
 * Tenant identity across the fleet: one stack per tenant environment in an account, and no new
 * stack under an id whose retired tenant's kept resources (the audit bucket and trail log group are
 * retained on destroy, secrets stay in their recovery window) still hold its names. The same tenant
 * id in another account is fine: the account is the boundary.
 */
import { distinct, listing } from "./placement";
import type { FleetFile, FleetStack, Finding } from "./types";

/** An error for every tenant environment that more than one stack declares in one account. */
export function checkTenantIds(stacks: readonly FleetStack[]): Finding[] {
  const groups = new Map<string, FleetStack[]>();
  for (const stack of stacks.filter((s) => s.kind === "tenant")) {
    const key = `${stack.account}\n${stack.tenantId}\n${stack.environment}`;
    groups.set(key, [...(groups.get(key) ?? []), stack]);
  }
  return [...groups.values()]
    .filter((group) => group.length > 1)
    .map((group) => {
      const [{ tenantId, environment, account }] = group;
      return {
        level: "error" as const,
        check: "tenant-id" as const,
        stacks: distinct(group.map((s) => s.stack)),
        message:
          `tenant ${tenantId}'s ${environment} environment is declared by ${group.length} stacks in account ${account}: ` +
          `${listing(group.map((s) => `${s.stack} (${s.file})`))} set the same moat:tenant.id and moat:tenant.environment, ` +
          `so they would manage the same tenant's resources`,
        fix: "remove the copy, or give it another moat:tenant.id or moat:tenant.environment",
      };
    });
}

/** An error for every stack that reuses a retired tenant id in the account it was retired from. */
export function checkRetiredTenants(stacks: readonly FleetStack[], fleet: FleetFile | undefined): Finding[] {
  const findings: Finding[] = [];
  fleet?.retiredTenants.forEach((retired, i) => {
    const reusing = stacks.filter(
      (s) => s.tenantId === retired.id && (retired.account === undefined || retired.account === s.account),
    );
    for (const stack of reusing) {
      findings.push({
        level: "error",
        check: "retired-tenant",
        stacks: [stack.stack],
        message:
          `${stack.stack} (${stack.file}) sets moat:tenant.id ${retired.id}, retired in ` +
          `${retired.account === undefined ? "every account" : `account ${retired.account}`} ` +
          `(${fleet.file} retiredTenants[${i}]: ${retired.reason}); its kept audit bucket, log groups and secrets ` +
          `still hold the names this stack would create`,
        fix: `pick another moat:tenant.id, or remove retiredTenants[${i}] from ${fleet.file} once the retired tenant's kept resources are deleted`,
      });
    }
  });
  return findings;
}
