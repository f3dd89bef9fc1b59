/**
 * The fleet planner: which operation runs on which stack, in which wave. Pure: it reads nothing and
 * runs nothing, so `--dry-run` prints exactly what a run would do and the tests check it with tables.
 *
 * `moat up`:
 *   1. baselines, home region (us-east-1) first: an account's home baseline holds what its other
 *      baselines and its tenants build on, so it goes first; the other regions' baselines follow.
 *   2. a preview of every tenant stack, through the policy pack;
 *   3. a gate: nothing is deployed to a tenant unless every preview succeeded;
 *   4. one canary tenant, deployed on its own;
 *   5. the other tenants in batches, one per account × region: the canary's batch first, then the
 *      others in account and region order. A failure stops the run at the end of its batch, so a
 *      bad change reaches at most one account × region beyond the canary.
 * `moat preview`: the baselines' previews, then every tenant's preview. No gate and no canary: a
 *   preview changes nothing.
 * `moat refresh`: drift detection (`refresh --preview-only --expect-no-changes`) of the baselines,
 *   then of every tenant; drift counts as a failure.
 */
import { UsageError } from "../plan/project";
import {
  HOME_REGION,
  placeKey,
  stackLabel,
  type FleetCommand,
  type Operation,
  type RunStack,
  type RunWave,
  type Wave,
} from "./types";

/** What to plan beyond the stacks themselves. */
export interface PlanRequest {
  readonly command: FleetCommand;
  /**
   * Run only this stack: `<stack>`, or `<project>/<stack>` when both projects have a stack of
   * that name. Its waves are the same as in a full run, with every other stack left out.
   */
  readonly only?: string;
  /** `up` only: the canary tenant. Default: see {@link defaultCanary}. */
  readonly canary?: string;
}

const byName = (a: RunStack, b: RunStack) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0);
const byPlace = (a: RunStack, b: RunStack) => {
  const [ka, kb] = [placeKey(a), placeKey(b)];
  return ka < kb ? -1 : ka > kb ? 1 : byName(a, b);
};

/** Stacks grouped by account × region, groups in account and region order, stacks by name. */
export function batches(stacks: readonly RunStack[]): RunStack[][] {
  const groups = new Map<string, RunStack[]>();
  for (const stack of [...stacks].sort(byPlace)) {
    const key = placeKey(stack);
    groups.set(key, [...(groups.get(key) ?? []), stack]);
  }
  return [...groups.values()];
}

/**
 * The default canary: the first tenant, by name, of the smallest account × region batch (ties: the
 * batch first in account and region order). A canary that fails then shares its account and region
 * with as few other tenants as possible. Undefined when there are no tenants.
 */
export function defaultCanary(tenants: readonly RunStack[]): RunStack | undefined {
  const groups = batches(tenants);
  const smallest = groups.reduce<RunStack[] | undefined>(
    (best, group) => (best === undefined || group.length < best.length ? group : best),
    undefined,
  );
  return smallest?.[0];
}

/** The stacks named by `only`, or every stack; throws UsageError for an unknown or ambiguous name. */
function selectStacks(stacks: readonly RunStack[], only: string | undefined): RunStack[] {
  if (only === undefined) return [...stacks];
  const matches = stacks.filter((s) => s.stack === only || stackLabel(s) === only);
  if (matches.length === 1) return matches;
  if (matches.length > 1) {
    throw new UsageError([
      `--stack ${only}: both projects have a stack of that name; write ${matches.map(stackLabel).join(" or ")}`,
    ]);
  }
  const known = [...stacks].sort(byName).map(stackLabel).join(", ") || "none";
  throw new UsageError([`--stack ${only}: no such stack; known stacks: ${known}`]);
}

const steps = (stacks: readonly RunStack[], operation: Operation) =>
  stacks.map((stack) => ({ stack, operation }));

/** A run wave, or nothing when it would have no stacks. */
function wave(title: string, stacks: readonly RunStack[], operation: Operation): RunWave[] {
  return stacks.length === 0 ? [] : [{ kind: "run", title, steps: steps(stacks, operation) }];
}

/** The baselines' waves: home region first, then the others (for `up`; one wave otherwise). */
function baselineWaves(baselines: readonly RunStack[], operation: Operation): RunWave[] {
  const sorted = [...baselines].sort(byPlace);
  if (operation !== "up") {
    return wave("baselines", sorted, operation);
  }
  return [
    ...wave(
      `baselines, home region (${HOME_REGION})`,
      sorted.filter((b) => b.region === HOME_REGION),
      "up",
    ),
    ...wave(
      "baselines, other regions",
      sorted.filter((b) => b.region !== HOME_REGION),
      "up",
    ),
  ];
}

/** The canary tenant of an `up`: the one asked for, or the default; throws UsageError for a non-tenant. */
function canaryOf(tenants: readonly RunStack[], request: PlanRequest): RunStack | undefined {
  if (request.canary === undefined) return defaultCanary(tenants);
  const canary = tenants.find((t) => t.stack === request.canary || stackLabel(t) === request.canary);
  if (canary === undefined) {
    const known =
      [...tenants]
        .sort(byName)
        .map((t) => t.stack)
        .join(", ") || "none";
    throw new UsageError([`--canary ${request.canary}: not a tenant stack; tenant stacks: ${known}`]);
  }
  return canary;
}

/** The waves of a fleet run, in order. Throws UsageError when `only` or `canary` names no stack. */
export function planWaves(stacks: readonly RunStack[], request: PlanRequest): Wave[] {
  if (request.canary !== undefined && (request.command !== "up" || request.only !== undefined)) {
    throw new UsageError([
      "--canary is for `moat up --all`: previews, drift checks and single stacks have no canary",
    ]);
  }
  const selected = selectStacks(stacks, request.only);
  const baselines = selected.filter((s) => s.role === "baseline");
  const tenants = selected.filter((s) => s.role === "tenant").sort(byName);
  if (request.command !== "up") {
    const operation: Operation = request.command === "preview" ? "preview" : "drift";
    return [...baselineWaves(baselines, operation), ...wave("tenants", tenants, operation)];
  }
  const canary = request.only === undefined ? canaryOf(tenants, request) : undefined;
  const groups = batches(tenants.filter((t) => t !== canary));
  const canaryGroup = groups.findIndex((g) => canary !== undefined && placeKey(g[0]) === placeKey(canary));
  const ordered =
    canaryGroup < 0 ? groups : [groups[canaryGroup], ...groups.filter((_, i) => i !== canaryGroup)];
  const previews = wave("preview every tenant", tenants, "preview");
  return [
    ...baselineWaves(baselines, "up"),
    ...previews,
    ...(previews.length === 0
      ? []
      : [{ kind: "gate" as const, title: "gate: deploy tenants only if every preview succeeded" }]),
    ...wave("canary", canary === undefined ? [] : [canary], "up"),
    ...ordered.flatMap((group) => wave(`batch ${placeKey(group[0])}`, group, "up")),
  ];
}

/** Every step of a plan, in wave order. */
export function planSteps(waves: readonly Wave[]): RunWave["steps"] {
  return waves.flatMap((w) => (w.kind === "run" ? w.steps : []));
}
