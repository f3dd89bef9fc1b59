import { AnalyzerInfo, ENFORCEMENT_LEVELS, EnforcementLevel } from "./client";

/** What Configure sends for each policy. */
export type ResolvedPolicyConfig = Record<
  string,
  { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }
>;

/** One exemption of the file: a resource (name or URN) a policy does not apply to, and why (POL-1). */
export interface ConfiguredExemption {
  readonly policy: string;
  readonly resource: string;
  readonly reason: string;
}

/** The resolved configuration, the problems found in the file, and what weakens the pack. */
export interface PolicyConfigResolution {
  /**
   * What Configure sends. Exemptions are left out: the pack then reports every finding and the
   * plan marks the exempted ones, which is what the pack itself drops under `pulumi preview`.
   */
  readonly config: ResolvedPolicyConfig;
  readonly problems: string[];
  /** Every policy whose level the file lowered, with the reason, for the plan report. */
  readonly weakened: string[];
  /** Every exemption of the file, in file order. */
  readonly exemptions: ConfiguredExemption[];
}

/** Shortest reason accepted for an exemption or a lowered level (the pack's schema agrees). */
export const MIN_REASON_LENGTH = 10;

const RANK: Record<EnforcementLevel, number> = { disabled: 0, advisory: 1, remediate: 2, mandatory: 2 };

/**
 * Applies a `Pulumi.<stack>.policy.json` to the pack's policies the way `pulumi preview
 * --policy-pack-config` does: a policy's entry is a level (`"advisory"`) or an object with an
 * optional `enforcementLevel` and the policy's properties; `all` sets the level of every policy.
 * Unknown policy names and properties outside a policy's schema are errors, and every policy whose
 * level the file lowers is reported. Nothing is weakened silently (POL-1): a lowered level needs a
 * `reason`, `all` may not lower the pack, and each exemption needs a resource and a reason.
 */
export function resolvePolicyConfig(
  info: AnalyzerInfo,
  file: Record<string, unknown>,
  fileName: string,
): PolicyConfigResolution {
  const problems: string[] = [];
  const weakened: string[] = [];
  const exemptions: ConfiguredExemption[] = [];
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
  if (allLevel !== undefined && info.policies.some((p) => RANK[allLevel] < RANK[p.enforcementLevel])) {
    problems.push(
      `${fileName}: all "${allLevel}" would lower every mandatory policy at once, with no reason; lower single policies with { "enforcementLevel": ..., "reason": "..." }, or exempt resources`,
    );
  }
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
      const { exemptions: listed, ...settings } = rest;
      exemptions.push(
        ...readExemptions(listed, `${fileName}: ${policy.name}.exemptions`, policy.name, problems),
      );
      properties = settings;
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
      const reason =
        typeof entry === "object" && entry !== null ? (entry as { reason?: unknown }).reason : undefined;
      if (typeof reason !== "string" || reason.trim().length < MIN_REASON_LENGTH) {
        problems.push(
          `${fileName}: ${policy.name} lowers a ${policy.enforcementLevel} policy to ${level}; give the reason: { "enforcementLevel": "${level}", "reason": "<why, at least ${MIN_REASON_LENGTH} characters>" }`,
        );
      }
      weakened.push(
        `${policy.name}: ${policy.enforcementLevel} -> ${level} (set in ${fileName}${typeof reason === "string" ? `: ${reason}` : ""})`,
      );
    }
    config[policy.name] = { enforcementLevel: level, properties };
  }
  return { config, problems, weakened, exemptions };
}

function readExemptions(
  value: unknown,
  where: string,
  policy: string,
  problems: string[],
): ConfiguredExemption[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push(`${where} must be a list of { "resource": "<name or URN>", "reason": "<why>" }`);
    return [];
  }
  const found: ConfiguredExemption[] = [];
  value.forEach((item: unknown, i) => {
    const { resource, reason, ...extra } = (typeof item === "object" && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const at = `${where}[${i}]`;
    if (typeof resource !== "string" || resource.length === 0) {
      problems.push(`${at}.resource must name the exempted resource (its name or URN)`);
    } else if (typeof reason !== "string" || reason.trim().length < MIN_REASON_LENGTH) {
      problems.push(
        `${at}.reason must say why ${resource} may break ${policy} (at least ${MIN_REASON_LENGTH} characters)`,
      );
    } else {
      found.push({ policy, resource, reason });
    }
    Object.keys(extra).forEach((k) =>
      problems.push(`${at}.${k} is not a field of an exemption; use resource and reason`),
    );
  });
  return found;
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
