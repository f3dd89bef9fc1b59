/**
 * Generated fleets for `npm run bench`: copies of one stack file as many tenants, each with its own
 * tenant id, account and VPC block, so a fleet plans like an operator's stacks/ folder would.
 */
import { parse, stringify } from "yaml";

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

/**
 * Stack files (`Pulumi.<stack>.yaml` and, if the base has one, `Pulumi.<stack>.policy.json`) for
 * `count` tenants made from the base stack file's text.
 */
export function generateFleet(
  baseYaml: string,
  basePolicy: string | undefined,
  count: number,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const doc = parse(baseYaml);
    const id = fleetTenantId(i);
    doc.config["aws:allowedAccountIds"] = [fleetAccountId(i)];
    doc.config["moat:tenant"] = { ...doc.config["moat:tenant"], id };
    doc.config["moat:network"] = { ...doc.config["moat:network"], cidr: fleetCidr(i) };
    files[`Pulumi.${id}.yaml`] = stringify(doc);
    if (basePolicy !== undefined) {
      files[`Pulumi.${id}.policy.json`] = basePolicy;
    }
  }
  return files;
}
