// What the fleet decides before creating a group: which groups are quarantined (NET-11), and the
// labels its groups mount the shared filesystem under (NET-8). Pure, so both are tested directly.
import type { RuleProblem } from "../firewall-rule/rule-checks";

/** How `moat:quarantine` names the head nodes; HeadNodes acts on it, the fleet passes it by. */
export const HEAD_NODE_GROUP = "head";

/**
 * The label a compute group's own security group carries as a shared filesystem client, e.g.
 * `compute-train`: prefixed, so no group name can collide with the `head` client.
 */
export function storageClientLabel(groupName: string): string {
  return `compute-${groupName}`;
}

/**
 * Checks the fleet's quarantine list against its groups and returns every problem with its path:
 * each entry must name a compute group of the fleet, or `head`, and appear once. A mistyped name
 * must fail loudly: a quarantine that silently isolates nothing is worse than none (NET-11).
 */
export function quarantineProblems(
  quarantine: readonly string[] | undefined,
  groupNames: readonly string[],
): RuleProblem[] {
  if (quarantine === undefined) {
    return [];
  }
  if (!Array.isArray(quarantine)) {
    return [{ propertyPath: "quarantine", reason: "must be a list of node group names, e.g. [train]" }];
  }
  const known = [HEAD_NODE_GROUP, ...groupNames];
  const seen = new Set<string>();
  const problems: RuleProblem[] = [];
  quarantine.forEach((entry, i) => {
    const at = `quarantine[${i}]`;
    if (!known.includes(entry)) {
      problems.push({
        propertyPath: at,
        reason: `${JSON.stringify(entry)} is not a node group; use one of ${known.join(", ")}`,
      });
    } else if (seen.has(entry)) {
      problems.push({ propertyPath: at, reason: `${JSON.stringify(entry)} is listed twice; list it once` });
    }
    seen.add(entry);
  });
  return problems;
}
