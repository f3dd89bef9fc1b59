/**
 * Recorded resources (wire form) to the records the reachability model takes: properties as the
 * analyzer sends them (resource references downgraded to IDs), and every secret replaced by the
 * unknown sentinel, so a table or diagram can never print a secret value; the model reads an
 * unknown as "cannot tell", never as allowed (POL-2).
 */
import type { RecordedResource } from "../plan/types";
import { UNKNOWN, forAnalyzer, isSecret } from "../plan/wire";
import type { ReachRecord } from "./model";

function withoutSecrets(value: unknown): unknown {
  if (isSecret(value)) {
    return UNKNOWN;
  }
  if (Array.isArray(value)) {
    return value.map(withoutSecrets);
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
  }
  return value;
}

/** The model's input for one stack's recorded resources. */
export function reachRecords(resources: readonly RecordedResource[]): ReachRecord[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: forAnalyzer(withoutSecrets(r.inputs)) as Record<string, unknown>,
    propertyDependencies: r.propertyDependencies,
  }));
}

/**
 * The SSH allowlist of a stack's configuration: moat:access.allowSshFrom and its per-role rulesets,
 * each entry a CIDR or `{ cidr, description }`. The stack file is already validated by the program.
 */
export function stackAllowlist(config: Readonly<Record<string, string>>): string[] {
  let access: { allowSshFrom?: unknown[]; rulesets?: Record<string, unknown[]> } | undefined;
  try {
    access = config["moat:access"] === undefined ? undefined : JSON.parse(config["moat:access"]);
  } catch {
    return [];
  }
  const entries = [...(access?.allowSshFrom ?? []), ...Object.values(access?.rulesets ?? {}).flat()];
  return entries
    .map((e) => (typeof e === "string" ? e : (e as { cidr?: unknown } | null)?.cidr))
    .filter((c): c is string => typeof c === "string");
}
