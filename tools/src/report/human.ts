import type { PolicyVerdict, Violation } from "../analyzer/session";
import type { StackFile } from "../plan/project";
import type { ProgramRun, RecordedResource } from "../plan/types";

/** Counts behind a stack's summary line. */
export interface PlanCounts {
  readonly resources: number;
  readonly mandatory: number;
  readonly advisory: number;
  /** Findings the stack's policy config exempts, with a reason (POL-1). */
  readonly exempted: number;
}

/** Counts the resources (without Pulumi's stack root) and the violations by level; exempted apart. */
export function countPlan(run: ProgramRun, verdict: PolicyVerdict): PlanCounts {
  const open = verdict.violations.filter((v) => v.exemption === undefined);
  return {
    resources: run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").length,
    mandatory: open.filter((v) => v.level === "mandatory").length,
    advisory: open.filter((v) => v.level === "advisory").length,
    exempted: verdict.violations.length - open.length,
  };
}

/** The one-line verdict for a stack, also used by `--all`. */
export function summaryLine(stack: string, counts: PlanCounts): string {
  const verdict = counts.mandatory > 0 ? "FAIL" : "PASS";
  const exempted = counts.exempted > 0 ? `, ${counts.exempted} exempted` : "";
  return `${verdict} ${stack}: ${counts.resources} resources, ${counts.mandatory} mandatory and ${counts.advisory} advisory policy violations${exempted}`;
}

/** The stack's exemptions: policy, resource, how many findings each covered, and why (POL-1). */
export function exemptionTable(exemptions: PolicyVerdict["exemptions"]): string {
  if (exemptions.length === 0) {
    return "No exemptions.";
  }
  return exemptions
    .map(
      (e) =>
        `${e.policy} exempts ${e.resource}: ${e.matched === 0 ? "matched no finding (remove it, or fix the resource name)" : `${e.matched} finding(s)`}; reason: ${e.reason}`,
    )
    .join("\n");
}

/** Header naming the stack, tenant and region. Reads the raw stack file, which is already validated. */
export function header(stack: StackFile, packLabel: string, unknowns: boolean): string {
  const tenant = safeJson(stack.config["moat:tenant"]) as { id?: string; environment?: string } | undefined;
  const access = safeJson(stack.config["moat:access"]) as { mode?: string } | undefined;
  const quarantine = safeJson(stack.config["moat:quarantine"]);
  const isolated = Array.isArray(quarantine) ? quarantine.map(String) : [];
  const region = stack.config["aws:region"] ?? "?";
  const account = (safeJson(stack.config["aws:allowedAccountIds"]) as string[] | undefined)?.[0] ?? "?";
  return [
    `Moat offline preview: stack ${stack.stack} (${stack.file})`,
    tenant === undefined
      ? `  account baseline · account ${account} · region ${region}`
      : `  tenant ${tenant.id ?? "?"} · environment ${tenant.environment ?? "?"} · region ${region} · access ${access?.mode ?? "bastion"}`,
    `  policy pack ${packLabel} · computed values ${unknowns ? "unknown (first preview)" : "known (fixtures)"}`,
    ...(isolated.length > 0
      ? [
          `  QUARANTINED (NET-11): ${isolated.join(", ")}: deny-all security groups, no Auto Scaling replacement, volumes kept`,
        ]
      : []),
  ].join("\n");
}

/** The resources as a tree by component, each component with its count of descendants. */
export function resourceTree(resources: readonly RecordedResource[]): string {
  const children = new Map<string, RecordedResource[]>();
  for (const r of resources) {
    const list = children.get(r.parent ?? "") ?? [];
    list.push(r);
    children.set(r.parent ?? "", list);
  }
  const count = (urn: string): number =>
    (children.get(urn) ?? []).reduce((n, child) => n + 1 + count(child.urn), 0);
  const lines: string[] = [];
  const walk = (r: RecordedResource, prefix: string, last: boolean, root: boolean) => {
    const descendants = count(r.urn);
    const label = `${r.type} ${r.name}${r.custom ? "" : ` (${descendants})`}${r.protect ? " [protected]" : ""}`;
    lines.push(root ? label : `${prefix}${last ? "└─ " : "├─ "}${label}`);
    const kids = children.get(r.urn) ?? [];
    kids.forEach((k, i) =>
      walk(k, root ? "" : `${prefix}${last ? "   " : "│  "}`, i === kids.length - 1, false),
    );
  };
  for (const root of children.get("") ?? []) {
    walk(root, "", true, true);
  }
  return lines.join("\n");
}

/** The policy results as a table: level, policy, resource, message, requirement IDs. */
export function policyTable(violations: readonly Violation[]): string {
  if (violations.length === 0) {
    return "No policy violations.";
  }
  const order = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };
  const rank = (v: Violation) => (v.exemption ? 4 : order[v.level]);
  const rows = [...violations]
    .sort((a, b) => rank(a) - rank(b) || a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn))
    .map((v) => [
      v.exemption ? `EXEMPT (${v.level})` : v.level.toUpperCase(),
      v.policy,
      shortUrn(v.urn),
      v.message.replace(/\s+/g, " "),
      v.requirements.join(","),
    ]);
  const head = ["LEVEL", "POLICY", "RESOURCE", "MESSAGE", "REQUIREMENTS"];
  const widths = head.map((h, i) =>
    Math.min(i === 3 ? 80 : 60, Math.max(h.length, ...rows.map((r) => r[i].length))),
  );
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [fmt(head), ...rows.map(fmt)].join("\n");
}

/** `type::name` of a URN, which is what a reader recognises. */
function shortUrn(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? `${parts[2].split("$").pop()}::${parts[3]}` : urn;
}

function safeJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
