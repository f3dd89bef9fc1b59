/**
 * Traceability, pure (POL-1): requirement ID -> the policies that cite it in their description ->
 * the tests that ran those policies, and the coverage problems that make the chain incomplete.
 */
import { REQUIREMENT_ID } from "../analyzer/session";
import type { RecorderOutput } from "./test-index";
import type { Requirement } from "./requirements";

/**
 * Requirements about the pack as a whole, which no single policy enforces: they are covered by
 * tests that name the ID in their title (e.g. "fails a window that is unknown at preview (POL-2)").
 */
export const PACK_LEVEL_IDS: readonly string[] = ["POL-1", "POL-2"];

/**
 * Policies allowed to be advisory: a report-only twin of a mandatory policy (NET-6: acknowledged
 * world SSH is still reported). policies/src/pack.test.ts pins the same list.
 */
export const ADVISORY_POLICIES: readonly string[] = ["net-world-ssh-reported"];

/** The enforcement level the pack applies to a policy that sets none (policies/src/index.ts). */
export const PACK_DEFAULT_LEVEL = "mandatory";

/** What the trace needs to know of a policy. */
export interface PolicySummary {
  readonly name: string;
  readonly description: string;
  /** The policy's own level; undefined means the pack default. */
  readonly enforcementLevel?: string;
}

/** What a test showed about one policy, or, for pack-level IDs, about the pack. */
export type Evidence = "passes" | "fails" | "not applicable";

/** A test and what it showed. */
export interface TestEvidence {
  readonly file: string;
  readonly title: string;
  readonly evidence: Evidence[];
}

/** One requirement and everything traced to it. */
export interface RequirementTrace {
  readonly requirement: Requirement;
  /** Policies whose description cites the ID, by name. */
  readonly policies: string[];
  /** Pack-level IDs only: tests naming the ID in their title. */
  readonly namedBy: TestEvidence[];
}

/** IDs cited in a text, unique, in catalogue-friendly order. */
export function citedIds(text: string): string[] {
  return [...new Set(text.match(REQUIREMENT_ID) ?? [])].sort(compareIds);
}

/** Orders IDs by domain as written, then by number: NET-2 before NET-10. */
export function compareIds(a: string, b: string): number {
  const [da, na] = a.split("-");
  const [db, nb] = b.split("-");
  return da === db ? Number(na) - Number(nb) : da.localeCompare(db);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Tests per policy. A test counts for a policy when it passed, it ran the policy, and its file names
 * the policy (its name or an identifier it is exported under), so a sweep that runs the whole pack
 * over a fixture does not count as a test of every policy in it. A run that reported a violation is
 * a failing test; a run that reported none and was not cut short by an unknown value or an error is
 * a passing test ("not applicable" when the policy declared the resource out of its scope).
 */
export function testsByPolicy(
  recorded: RecorderOutput,
  fileText: (file: string) => string,
): Map<string, TestEvidence[]> {
  const names = (policy: string) => [policy, ...(recorded.exports[policy] ?? [])];
  const mentions = new Map<string, boolean>();
  const fileNames = (file: string, policy: string) => {
    const key = `${file}\0${policy}`;
    if (!mentions.has(key)) {
      const text = fileText(file);
      const named = names(policy).some((n) =>
        new RegExp(`(?<![\\w-])${escapeRegExp(n)}(?![\\w-])`).test(text),
      );
      mentions.set(key, named);
    }
    return mentions.get(key)!;
  };
  const byPolicy = new Map<string, TestEvidence[]>();
  for (const test of recorded.tests) {
    if (!test.ok) continue;
    const evidence = new Map<string, Set<Evidence>>();
    for (const run of test.runs) {
      const kind: Evidence | undefined =
        run.violations > 0
          ? "fails"
          : run.outcome === "completed"
            ? "passes"
            : run.outcome === "notApplicable"
              ? "not applicable"
              : undefined;
      if (kind && fileNames(test.file, run.policy)) {
        const set = evidence.get(run.policy) ?? new Set();
        evidence.set(run.policy, set.add(kind));
      }
    }
    for (const [policy, kinds] of evidence) {
      const list = byPolicy.get(policy) ?? [];
      list.push({ file: test.file, title: test.title, evidence: EVIDENCE_ORDER.filter((k) => kinds.has(k)) });
      byPolicy.set(policy, list);
    }
  }
  return byPolicy;
}

const EVIDENCE_ORDER: readonly Evidence[] = ["passes", "not applicable", "fails"];

/** Passing tests whose title names `id`, for the pack-level requirements. */
export function testsNaming(recorded: RecorderOutput, id: string): TestEvidence[] {
  const pattern = new RegExp(`\\b${escapeRegExp(id)}\\b`);
  return recorded.tests
    .filter((t) => t.ok && pattern.test(t.title))
    .map((t) => ({ file: t.file, title: t.title, evidence: [] }));
}

/** Traces every requirement to the policies citing it and, for pack-level IDs, to named tests. */
export function traceRequirements(
  requirements: readonly Requirement[],
  policies: readonly PolicySummary[],
  recorded: RecorderOutput,
): RequirementTrace[] {
  return requirements.map((requirement) => ({
    requirement,
    policies: policies
      .filter((p) => citedIds(p.description).includes(requirement.id))
      .map((p) => p.name)
      .sort(),
    namedBy: PACK_LEVEL_IDS.includes(requirement.id) ? testsNaming(recorded, requirement.id) : [],
  }));
}

/** Every way the chain ID -> policy -> test is broken, grouped, each entry a sentence. */
export interface CoverageProblems {
  /** Requirement IDs without a policy (or, pack-level, without a test naming them). */
  readonly uncovered: string[];
  /** Policies without a test that sees them report a violation. */
  readonly noFailingTest: string[];
  /** Policies without a test that sees them report nothing. */
  readonly noPassingTest: string[];
  /** Policies that are not mandatory by default, other than the documented advisory ones. */
  readonly notMandatory: string[];
  /** Policies citing an ID the catalogue does not define. */
  readonly unknownIds: string[];
}

/** Checks the whole chain; an empty group means that part of POL-1 holds. */
export function coverageProblems(
  traces: readonly RequirementTrace[],
  policies: readonly PolicySummary[],
  tests: ReadonlyMap<string, readonly TestEvidence[]>,
): CoverageProblems {
  const ids = new Set(traces.map((t) => t.requirement.id));
  const has = (policy: string, kind: Evidence) =>
    (tests.get(policy) ?? []).some((t) => t.evidence.includes(kind));
  return {
    uncovered: traces
      .filter((t) => (PACK_LEVEL_IDS.includes(t.requirement.id) ? t.namedBy : t.policies).length === 0)
      .map((t) =>
        PACK_LEVEL_IDS.includes(t.requirement.id)
          ? `${t.requirement.id} (${t.requirement.title}): no policy test names it in its title`
          : `${t.requirement.id} (${t.requirement.title}): no policy cites it in its description`,
      ),
    noFailingTest: policies
      .filter((p) => !has(p.name, "fails"))
      .map((p) => `${p.name}: no passing test in which it reports a violation`),
    noPassingTest: policies
      .filter((p) => !has(p.name, "passes") && !has(p.name, "not applicable"))
      .map((p) => `${p.name}: no passing test in which it reports nothing`),
    notMandatory: policies
      .filter((p) => (p.enforcementLevel ?? PACK_DEFAULT_LEVEL) !== "mandatory")
      .filter((p) => !(ADVISORY_POLICIES.includes(p.name) && p.enforcementLevel === "advisory"))
      .map((p) => `${p.name}: is ${p.enforcementLevel}, not mandatory`),
    unknownIds: policies.flatMap((p) =>
      citedIds(p.description)
        .filter((id) => !ids.has(id))
        .map((id) => `${p.name}: cites ${id}, which REQUIREMENTS.md does not define`),
    ),
  };
}
