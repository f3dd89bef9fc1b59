/**
 * Generated fleets for `npm run bench`: copies of one stack file as many tenants, each with its own
 * tenant id, account and VPC block, so a fleet plans like an operator's stacks/ folder would.
 */
import { parse, stringify } from "yaml";
import { GLOBAL_EVENTS_REGION } from "../fleet/baselines";

/** The tenant id of the `index`-th generated tenant (a valid id: see moat:tenant.id). */
export function fleetTenantId(index: number): string {
  return `fleet-${String(index + 1).padStart(3, "0")}`;
}

/**
 * The account of the `index`-th generated tenant: each has its own, as Moat recommends, so the fleet
 * checks of `moat plan --all` find no shared-account limits in the benchmark's fleet.
 */
export function fleetAccountId(index: number): string {
  return String(900_000_000_000 + index);
}

/**
 * The `index`-th /20 of 10.128.0.0/9: 2,048 tenants before the blocks run out, none overlapping one
 * another or the example stacks' blocks (all below 10.128.0.0 or outside 10.0.0.0/8).
 */
export function fleetCidr(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 2048) {
    throw new RangeError(`a generated fleet has at most 2,048 tenants, not ${index + 1}`);
  }
  return `10.${128 + Math.floor(index / 16)}.${(index % 16) * 16}.0/20`;
}

/** A generated fleet: tenant stack files for stacks/, and their account baselines for accounts/stacks/. */
export interface GeneratedFleet {
  /** `Pulumi.<stack>.yaml` and, if the base has one, `Pulumi.<stack>.policy.json`, per tenant. */
  readonly stacks: Record<string, string>;
  /** `Pulumi.<baseline>.yaml` of each tenant's account: one in its region, and the home in us-east-1. */
  readonly baselines: Record<string, string>;
}

/** A baseline stack file of `account` in `region`, forwarding IAM events to `forwardTo`. */
function baselineFile(account: string, region: string, forwardTo: readonly string[]): string {
  return stringify({
    config: {
      "aws:region": region,
      "aws:allowedAccountIds": [account],
      "moat-account:owner": "ops@example.com",
      "moat-account:operatorAlertEmails": ["secops@example.com"],
      ...(forwardTo.length > 0 ? { "moat-account:forwardGlobalEventsTo": [...forwardTo] } : {}),
    },
  });
}

/**
 * `count` tenants made from the base stack file's text, each with its own id, account and block,
 * and the account baselines each one's `moat:baseline` names.
 */
export function generateFleet(
  baseYaml: string,
  basePolicy: string | undefined,
  count: number,
): GeneratedFleet {
  const stacks: Record<string, string> = {};
  const baselines: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const doc = parse(baseYaml);
    const id = fleetTenantId(i);
    const account = fleetAccountId(i);
    const region = String(doc.config["aws:region"]);
    doc.config["aws:allowedAccountIds"] = [account];
    doc.config["moat:baseline"] = `fleet/moat-account/${id}-${region}`;
    doc.config["moat:tenant"] = { ...doc.config["moat:tenant"], id };
    doc.config["moat:network"] = { ...doc.config["moat:network"], cidr: fleetCidr(i) };
    stacks[`Pulumi.${id}.yaml`] = stringify(doc);
    if (basePolicy !== undefined) {
      stacks[`Pulumi.${id}.policy.json`] = basePolicy;
    }
    const away = region === GLOBAL_EVENTS_REGION ? [] : [region];
    baselines[`Pulumi.${id}-${GLOBAL_EVENTS_REGION}.yaml`] = baselineFile(
      account,
      GLOBAL_EVENTS_REGION,
      away,
    );
    if (away.length > 0) {
      baselines[`Pulumi.${id}-${region}.yaml`] = baselineFile(account, region, []);
    }
  }
  return { stacks, baselines };
}
