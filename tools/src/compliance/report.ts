/**
 * The compliance report as Markdown, pure (POL-1): per requirement its text, sources, policies,
 * tests and each stack's status. Everything is sorted and nothing depends on the clock, so the
 * committed docs/compliance.md changes only when the catalogue, the pack, its tests or a stack do.
 */
import type { Catalogue, Requirement } from "./requirements";
import {
  CoverageProblems,
  PACK_LEVEL_IDS,
  PolicySummary,
  RequirementTrace,
  TestEvidence,
  citedIds,
} from "./trace";

/** A policy finding on a stack, as the analyzer session reports it. */
export interface ReportedViolation {
  readonly policy: string;
  readonly level: string;
  readonly urn: string;
  readonly message: string;
  /** Set when the stack's policy config exempts the resource from the policy (POL-1). */
  readonly exemption?: { readonly reason: string };
}

/** One stack's verdict, or why it could not be planned. */
export interface StackOutcome {
  readonly stack: string;
  readonly violations: readonly ReportedViolation[];
  /** Why nothing was planned (invalid config, failed program); the stack then has no status. */
  readonly failure?: string;
}

/** Everything the report shows. */
export interface ComplianceModel {
  readonly catalogue: Catalogue;
  /** The pack's policies, with their effective enforcement level. */
  readonly policies: readonly PolicySummary[];
  readonly traces: readonly RequirementTrace[];
  readonly tests: ReadonlyMap<string, readonly TestEvidence[]>;
  readonly problems: CoverageProblems;
  readonly stacks: readonly StackOutcome[];
}

/** A requirement's status on one stack. */
export type Status = "pass" | "FAIL" | "exempt" | "advisory" | "incomplete" | "not planned" | "not enforced";

/** A status and the findings behind it. */
export interface StackStatus {
  readonly status: Status;
  /** Markdown for one table cell: policy names in code, foreign text escaped. */
  readonly findings: string[];
}

/**
 * The requirements a violation counts against: the catalogue IDs its message cites (the most
 * specific statement, e.g. "(DAT-4, POL-2)" for an unknown value), else those its policy cites.
 */
export function violationIds(violation: ReportedViolation, policy: PolicySummary | undefined): string[] {
  const fromMessage = citedIds(violation.message);
  return fromMessage.length > 0 ? fromMessage : citedIds(policy?.description ?? "");
}

/** Whether a violation stops the stack: mandatory and not exempted. */
export function isBlocking(violation: ReportedViolation): boolean {
  return violation.level === "mandatory" && violation.exemption === undefined;
}

/** Exit code of `moat compliance`: 1 when any planned stack has a blocking violation. */
export function complianceExitCode(stacks: readonly StackOutcome[]): 0 | 1 {
  return stacks.some((s) => s.violations.some(isBlocking)) ? 1 : 0;
}

/**
 * The status of one requirement on one stack; the worst finding wins: FAIL, exempt, advisory, pass.
 * POL-1 is about the pack: it is FAIL where an exemption gives no reason, and "incomplete" while
 * the pack has coverage gaps (which block no stack).
 */
export function requirementStatus(
  trace: RequirementTrace,
  model: Pick<ComplianceModel, "policies" | "problems">,
  stack: StackOutcome,
): StackStatus {
  if (stack.failure !== undefined) {
    return { status: "not planned", findings: [literal(stack.failure)] };
  }
  const id = trace.requirement.id;
  if (id === "POL-1") {
    return packCoverageStatus(model.problems, stack);
  }
  const byName = new Map(model.policies.map((p) => [p.name, p]));
  const relevant = stack.violations
    .filter((v) => violationIds(v, byName.get(v.policy)).includes(id))
    .sort((a, b) => a.policy.localeCompare(b.policy) || a.message.localeCompare(b.message));
  const findings = relevant.map((v) =>
    v.exemption
      ? `\`${v.policy}\`: ${literal(v.message)} (exempt: ${literal(v.exemption.reason)})`
      : `\`${v.policy}\`: ${literal(v.message)}`,
  );
  if (relevant.some(isBlocking)) return { status: "FAIL", findings };
  if (relevant.some((v) => v.exemption)) return { status: "exempt", findings };
  if (relevant.length > 0) return { status: "advisory", findings };
  const enforced = PACK_LEVEL_IDS.includes(id) ? trace.namedBy.length > 0 : trace.policies.length > 0;
  return { status: enforced ? "pass" : "not enforced", findings };
}

function packCoverageStatus(problems: CoverageProblems, stack: StackOutcome): StackStatus {
  const unexplained = stack.violations
    .filter((v) => v.exemption !== undefined && v.exemption.reason.trim() === "")
    .map((v) => `\`${v.policy}\`: exempts ${literal(v.urn)} without a reason; give every exemption a reason`)
    .sort();
  if (unexplained.length > 0) return { status: "FAIL", findings: unexplained };
  const gaps = Object.values(problems).flat().length;
  return gaps > 0
    ? { status: "incomplete", findings: [`the pack has ${gaps} coverage gaps (see Coverage gaps)`] }
    : { status: "pass", findings: [] };
}

/** Markdown from the catalogue, made safe for one table cell or list item. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/**
 * Text from elsewhere (test titles, violation messages, reasons) shown as written: on one line, with
 * the characters that Markdown or a table would read escaped (a title's `<domain>` is not HTML).
 */
export function literal(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\`*_<|]/g, "\\$&");
}

function anchor(id: string): string {
  return id.toLowerCase();
}

/** Tests of a requirement: named tests for pack-level IDs, else the tests of its policies. */
function testsOf(
  trace: RequirementTrace,
  tests: ReadonlyMap<string, readonly TestEvidence[]>,
): TestEvidence[] {
  if (PACK_LEVEL_IDS.includes(trace.requirement.id)) return trace.namedBy;
  const unique = new Map<string, TestEvidence>();
  for (const policy of trace.policies) {
    for (const t of tests.get(policy) ?? []) unique.set(`${t.file}\0${t.title}`, t);
  }
  return [...unique.values()];
}

function sourcesLine(requirement: Requirement, catalogue: Catalogue): string {
  if (requirement.sources.length === 0) return "Sources: none (a requirement on the pack itself).";
  const parts = requirement.sources.map((ref) => {
    const doc = catalogue.sources.find((s) => s.ref === ref);
    return doc ? `${ref} ${doc.title} (\`seeds/${doc.file}\`)` : `${ref} (not listed in seeds/README.md)`;
  });
  return `Sources: ${parts.join("; ")}.`;
}

function testLine(t: TestEvidence): string {
  const shows = t.evidence.length > 0 ? `: ${t.evidence.join(", ")}` : "";
  return `\`${t.file}\` ${literal(t.title)}${shows}`;
}

function summary(model: ComplianceModel): string[] {
  const stacks = model.stacks.map((s) => s.stack);
  const lines = [
    `| ID | Requirement | Policies | Tests | ${stacks.join(" | ")} |`,
    `|---|---|---|---|${stacks.map(() => "---|").join("")}`,
  ];
  for (const trace of model.traces) {
    const id = trace.requirement.id;
    const statuses = model.stacks.map((s) => requirementStatus(trace, model, s).status);
    const policies = PACK_LEVEL_IDS.includes(id) ? "pack" : String(trace.policies.length);
    lines.push(
      `| [${id}](#${anchor(id)}) | ${cell(trace.requirement.title)} | ${policies} | ${testsOf(trace, model.tests).length} | ${statuses.join(" | ")} |`,
    );
  }
  return lines;
}

function gaps(problems: CoverageProblems): string[] {
  const groups: [string, string[]][] = [
    ["Requirements without a policy", problems.uncovered],
    ["Policies without a failing test", problems.noFailingTest],
    ["Policies without a passing test", problems.noPassingTest],
    ["Policies that are not mandatory", problems.notMandatory],
    ["Policies citing an unknown ID", problems.unknownIds],
  ];
  const open = groups.filter(([, list]) => list.length > 0);
  if (open.length === 0) {
    return ["None: every requirement has a policy, and every policy a passing and a failing test."];
  }
  return open
    .flatMap(([title, list]) => [`${title}:`, "", ...list.map((p) => `- ${cell(p)}`), ""])
    .slice(0, -1);
}

/** The header of each requirement's table of stack status. */
const STACK_TABLE_HEADER = "| Stack | Status | Findings |";

function section(trace: RequirementTrace, model: ComplianceModel): string[] {
  const { requirement } = trace;
  const id = requirement.id;
  const lines = [
    `### <a id="${anchor(id)}"></a>${id} ${requirement.title}`,
    "",
    `> ${requirement.text}`,
    "",
    sourcesLine(requirement, model.catalogue),
    "",
    STACK_TABLE_HEADER,
    "|---|---|---|",
  ];
  for (const stack of model.stacks) {
    const { status, findings } = requirementStatus(trace, model, stack);
    lines.push(`| ${stack.stack} | ${status} | ${findings.join("<br>")} |`);
  }
  lines.push("");
  if (PACK_LEVEL_IDS.includes(id)) {
    lines.push(`Policies: the whole pack. Tests naming ${id} (${trace.namedBy.length}):`, "");
    lines.push(...(trace.namedBy.length > 0 ? trace.namedBy.map((t) => `- ${testLine(t)}`) : ["- none"]));
    return lines;
  }
  if (trace.policies.length === 0) {
    lines.push("Policies: none yet, so no stack is checked for this requirement.");
    return lines;
  }
  lines.push("Policies and their tests:", "");
  for (const name of trace.policies) {
    const policy = model.policies.find((p) => p.name === name);
    const tests = model.tests.get(name) ?? [];
    const checks = policy?.description ? `: ${literal(policy.description)}` : "";
    lines.push(`- \`${name}\` (${policy?.enforcementLevel ?? "mandatory"}, ${tests.length} tests)${checks}`);
    lines.push(...(tests.length > 0 ? tests.map((t) => `  - ${testLine(t)}`) : ["  - no tests"]));
  }
  return lines;
}

/**
 * The report without what depends on the stacks: the list of stacks, the status columns of the
 * summary and each requirement's table of stack status. What remains comes from the catalogue, the
 * pack and its tests alone, so an operator adding or editing a tenant stack never changes it;
 * tests/compliance.test.ts compares this part of the committed report.
 */
export function withoutStackStatus(markdown: string): string {
  const out: string[] = [];
  let section = "";
  let stackRows = false;
  for (const line of markdown.split("\n")) {
    section = line.startsWith("## ") ? line : section;
    stackRows = line === STACK_TABLE_HEADER || (stackRows && line.startsWith("|"));
    if (stackRows) continue;
    if (section === "## Summary" && line.startsWith("|")) {
      // The first four cells (ID, requirement, policies, tests); a cell never holds an unescaped |.
      out.push(
        `${line
          .split(/(?<!\\)\|/)
          .slice(0, 5)
          .join("|")}|`,
      );
    } else {
      out.push(line.replace(/ its status on the stacks .*\.$/, " its status on each stack."));
    }
  }
  return out.join("\n");
}

/** Renders the whole report. */
export function renderComplianceReport(model: ComplianceModel): string {
  const stacks = model.stacks.map((s) => `\`${s.stack}\``).join(", ");
  const lines = [
    "# Compliance report",
    "",
    "<!-- Generated by `npm run moat -- compliance`; do not edit. tests/compliance.test.ts fails when it is stale. -->",
    "",
    `Every requirement of REQUIREMENTS.md, traced to the policies that cite it, the policy tests that ran those policies, and its status on the stacks ${stacks}.`,
    "",
    "Status: **pass** (no policy reports a violation for it), **FAIL** (a mandatory violation: the finding says what to fix), **exempt** (violations exempted by the stack's policy config, with the reason), **advisory** (reported by an advisory policy only), **incomplete** (POL-1 only: the pack has coverage gaps, which block no stack), **not enforced** (no policy cites it yet), **not planned** (the stack could not be planned).",
    "",
    "A test is listed for a policy when it ran the policy, names it in its file and passed: **passes** means the policy reported nothing, **fails** that it reported a violation, **not applicable** that it declared the resource out of its scope. A violation counts against the IDs its message cites, else against those its policy cites. POL-1 and POL-2 concern the pack as a whole; they are traced to the tests that name them.",
    "",
    "## Summary",
    "",
    ...summary(model),
    "",
    "## Coverage gaps",
    "",
    ...gaps(model.problems),
  ];
  const domains = [...new Set(model.traces.map((t) => t.requirement.domain))];
  for (const domain of domains) {
    const title = model.catalogue.domains.find((d) => d.prefix === domain)?.title;
    lines.push("", `## ${domain}${title ? `: ${title}` : ""}`);
    for (const trace of model.traces.filter((t) => t.requirement.domain === domain)) {
      lines.push("", ...section(trace, model));
    }
  }
  return `${lines.join("\n")}\n`;
}
