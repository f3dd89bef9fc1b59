/**
 * Account baselines across the fleet (AUD-1, AUD-2, AUD-4): every tenant references a planned
 * baseline of its own account and region (its `moat:baseline`); every account with tenants has its
 * home baseline in us-east-1, which holds the trail and forwards IAM events to each other region
 * with tenants; no account and region has two baselines. Run only when baselines were planned.
 */
import { distinct, listing } from "./placement";
import type { FleetStack, Finding } from "./types";

/**
 * Where EventBridge receives IAM events, so where each account's home baseline is: the tools' one
 * copy of components/account-baseline/account-scope.ts's, which this compiled CLI cannot import.
 */
export const GLOBAL_EVENTS_REGION = "us-east-1";

/** The stack name a `moat:baseline` reference ends with. */
function referencedName(reference: string | undefined): string | undefined {
  return reference?.split("/").pop();
}

/** The baseline stack's own name: its label without the project folder. */
function ownName(stack: FleetStack): string {
  return stack.stack.split("/").pop() ?? stack.stack;
}

/** Every baseline problem of the fleet; none when no baseline was planned. */
export function checkBaselines(stacks: readonly FleetStack[]): Finding[] {
  const baselines = stacks.filter((s) => s.kind === "baseline");
  if (baselines.length === 0) {
    return [];
  }
  const tenants = stacks.filter((s) => s.kind === "tenant");
  const findings: Finding[] = [];
  const error = (stackNames: string[], message: string, fix: string) =>
    findings.push({ level: "error", check: "baseline", stacks: distinct(stackNames), message, fix });

  const byPlace = new Map<string, FleetStack[]>();
  for (const b of baselines) {
    const key = `${b.account}\n${b.region}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), b]);
  }
  for (const [key, group] of byPlace) {
    if (group.length > 1) {
      const [account, region] = key.split("\n");
      error(
        group.map((b) => b.stack),
        `${listing(group.map((b) => b.stack))} are all baselines of account ${account} in ${region}; each would create its region's GuardDuty detector`,
        "keep one baseline per account and region",
      );
    }
  }

  for (const tenant of tenants) {
    const name = referencedName(tenant.baseline);
    const baseline = baselines.find((b) => ownName(b) === name);
    if (baseline === undefined) {
      error(
        [tenant.stack],
        `${tenant.stack} (${tenant.file}) names baseline ${tenant.baseline ?? "(none)"} in moat:baseline, but no planned baseline stack is called ${name ?? "that"}`,
        `add accounts/stacks/Pulumi.${name ?? "<stack>"}.yaml for account ${tenant.account} in ${tenant.region}, or fix moat:baseline`,
      );
    } else if (baseline.account !== tenant.account || baseline.region !== tenant.region) {
      error(
        [tenant.stack, baseline.stack],
        `${tenant.stack} deploys to account ${tenant.account} in ${tenant.region}, but its baseline ${baseline.stack} is in account ${baseline.account}, ${baseline.region}; that baseline's trail and detector do not cover it`,
        `name the baseline of account ${tenant.account} in ${tenant.region} in moat:baseline`,
      );
    }
  }

  for (const account of distinct(tenants.map((t) => t.account))) {
    const inAccount = tenants.filter((t) => t.account === account);
    const home = baselines.find((b) => b.account === account && b.region === GLOBAL_EVENTS_REGION);
    if (home === undefined) {
      error(
        inAccount.map((t) => t.stack),
        `account ${account} has tenants (${listing(inAccount.map((t) => t.stack))}) but no baseline in ${GLOBAL_EVENTS_REGION}: nothing creates its trail, and its IAM events reach no tenant (AUD-1, AUD-2)`,
        `add accounts/stacks/Pulumi.<label>-${GLOBAL_EVENTS_REGION}.yaml for account ${account}`,
      );
      continue;
    }
    for (const region of distinct(inAccount.map((t) => t.region))) {
      if (region !== GLOBAL_EVENTS_REGION && !(home.forwardsTo ?? []).includes(region)) {
        const here = inAccount.filter((t) => t.region === region);
        error(
          [home.stack, ...here.map((t) => t.stack)],
          `${listing(here.map((t) => t.stack))} deploy to ${region}, but the home baseline ${home.stack} does not forward IAM events there, so their IAM alert rules never fire (AUD-2)`,
          `add "${region}" to moat-account:forwardGlobalEventsTo in ${home.file}`,
        );
      }
    }
  }
  return findings;
}
