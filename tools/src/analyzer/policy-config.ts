import { AnalyzerInfo, ENFORCEMENT_LEVELS, EnforcementLevel } from "./client";

/** What Configure sends for each policy. */
export type ResolvedPolicyConfig = Record<
  string,
  { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }
>;

/** The resolved configuration, the problems found in the file, and what weakens the pack. */
export interface PolicyConfigResolution {
  readonly config: ResolvedPolicyConfig;
  readonly problems: string[];
  /** Every policy whose level the file lowered, for the plan report. */
  readonly weakened: string[];
}

const RANK: Record<EnforcementLevel, number> = { disabled: 0, advisory: 1, remediate: 2, mandatory: 2 };

/**
 * Applies a `Pulumi.<stack>.policy.json` to the pack's policies the way `pulumi preview
 * --policy-pack-config` does: a policy's entry is a level (`"advisory"`) or an object with an
 * optional `enforcementLevel` and the policy's properties; `all` sets the level of every policy.
 * Unknown policy names and properties outside a policy's schema are errors, and every policy whose
 * level the file lowers is reported.
 */
export function resolvePolicyConfig(
  info: AnalyzerInfo,
  file: Record<string, unknown>,
  fileName: string,
): PolicyConfigResolution {
  const problems: string[] = [];
  const weakened: string[] = [];
  const config: ResolvedPolicyConfig = {};
  const names = new Set(info.policies.map((p) => p.name));
  for (const key of Object.keys(file)) {
    if (key !== "all" && !names.has(key)) {
      problems.push(
        `${fileName}: '${key}' is not a policy of pack ${info.name}; known policies: ${[...names].join(", ")}`,
      );
    }
  }
  const allLevel = levelOf(file.all, `${fileName}: all`, problems);
  for (const policy of info.policies) {
    const entry = file[policy.name];
    let level = allLevel ?? policy.enforcementLevel;
    let properties: Record<string, unknown> = {};
    if (typeof entry === "string") {
      level = levelOf(entry, `${fileName}: ${policy.name}`, problems) ?? level;
    } else if (typeof entry === "object" && entry !== null) {
      const { enforcementLevel, ...rest } = entry as Record<string, unknown>;
      if (enforcementLevel !== undefined) {
        level = levelOf(enforcementLevel, `${fileName}: ${policy.name}.enforcementLevel`, problems) ?? level;
      }
      properties = rest;
      const allowed = Object.keys(policy.configSchema?.properties ?? {});
      for (const prop of Object.keys(rest)) {
        if (!allowed.includes(prop)) {
          problems.push(
            `${fileName}: ${policy.name}.${prop} is not a setting of this policy; ${allowed.length ? `settings: ${allowed.join(", ")}` : "it takes none"}`,
          );
        }
      }
    } else if (entry !== undefined) {
      problems.push(`${fileName}: ${policy.name} must be an enforcement level or an object`);
    }
    if (RANK[level] < RANK[policy.enforcementLevel]) {
      weakened.push(`${policy.name}: ${policy.enforcementLevel} -> ${level} (set in ${fileName})`);
    }
    config[policy.name] = { enforcementLevel: level, properties };
  }
  return { config, problems, weakened };
}

function levelOf(value: unknown, where: string, problems: string[]): EnforcementLevel | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value)) {
    return value as EnforcementLevel;
  }
  problems.push(
    `${where} ${JSON.stringify(value)} is not an enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}`,
  );
  return undefined;
}
