/**
 * What `moat plan --all` prints about the fleet, and the fleet report (`--fleet-report DIR`):
 * `fleet.md` for people and `fleet.json` for tools, listing every tenant, stack, account, region,
 * VPC range and the quota use of every account and region.
 */
import { GLOBAL_EVENTS_REGION } from "./baselines";
import { COLLISION_CHECKS, COVERAGE_CHECKS, LIMIT_CHECKS, stackRanges, type FleetResult } from "./check";
import { count, distinct } from "./placement";
import { QUOTA_IDS, QUOTAS, quotaLimit } from "./quotas";
import { TRAILS_PER_REGION } from "./singletons";
import type { Finding } from "./types";

const numberOf = (result: FleetResult, checks: readonly string[]) =>
  result.findings.filter((f) => f.level === "error" && checks.includes(f.check)).length;

/** `fleet: 4 stacks in 4 accounts, 0 collisions, 0 limit errors, 0 baseline errors, 1 quota warning`. */
export function summaryLine(result: FleetResult): string {
  const accounts = distinct(result.stacks.map((s) => s.account)).length;
  const unknown =
    result.unknownNames > 0
      ? `; ${count(result.unknownNames, "name")} unknown at preview ${result.unknownNames === 1 ? "was" : "were"} not compared`
      : "";
  return (
    `fleet: ${count(result.stacks.length, "stack")} in ${count(accounts, "account")}, ` +
    `${count(numberOf(result, COLLISION_CHECKS), "collision")}, ${count(numberOf(result, LIMIT_CHECKS), "limit error")}, ` +
    `${count(numberOf(result, COVERAGE_CHECKS), "baseline error")}, ` +
    `${count(result.findings.filter((f) => f.level === "warning").length, "quota warning")}${unknown}`
  );
}

/** True when two findings are printed under one heading, or at least with one fix. */
const sameRun = (a: Finding, b: Finding | undefined) =>
  b !== undefined && a.level === b.level && a.fix === b.fix && a.stacks.join() === b.stacks.join();

/**
 * The findings, with the fix once under each run of findings that share it. A run of findings
 * that share a heading prints it once, with one line per finding under it.
 */
export function findingLines(findings: readonly Finding[]): string[] {
  const lines: string[] = [];
  let i = 0;
  while (i < findings.length) {
    const first = findings[i];
    let end = i + 1;
    while (sameRun(first, findings[end])) end++;
    const run = findings.slice(i, end);
    const heading = first.grouped?.heading;
    const label = first.level.toUpperCase();
    if (run.length > 1 && heading !== undefined && run.every((f) => f.grouped?.heading === heading)) {
      lines.push(`  ${label} ${heading} (${run.length}):`, ...run.map((f) => `    ${f.grouped?.item}`));
    } else {
      lines.push(...run.map((f) => `  ${label} ${f.message}`));
    }
    lines.push(`    fix: ${first.fix}`);
    i = end;
  }
  return lines;
}

/** The fleet section of `moat plan --all`: the summary line and every finding. */
export function fleetSection(result: FleetResult, notPlanned: readonly string[] = []): string[] {
  const left =
    notPlanned.length === 0
      ? []
      : [
          `  ${count(notPlanned.length, "stack")} did not plan and ${notPlanned.length === 1 ? "is" : "are"} left out: ${notPlanned.join(", ")}`,
        ];
  return [summaryLine(result), ...left, ...findingLines(result.findings)];
}

/** The fleet report's machine-readable form. Fields are only ever added. */
export function fleetJson(result: FleetResult): object {
  const label = (account: string) => result.fleet?.accounts[account]?.label;
  return {
    formatVersion: 1,
    fleetFile: result.fleet?.file ?? null,
    summary: summaryLine(result),
    tenants: result.stacks
      .filter((s) => s.kind === "tenant")
      .map((s) => ({
        tenant: s.tenantId,
        environment: s.environment,
        stack: s.stack,
        file: s.file,
        account: s.account,
        accountLabel: label(s.account) ?? null,
        region: s.region,
        cidrs: stackRanges(result, s.stack),
        baseline: s.baseline ?? null,
      })),
    baselines: result.stacks
      .filter((s) => s.kind === "baseline")
      .map((s) => ({
        stack: s.stack,
        file: s.file,
        account: s.account,
        accountLabel: label(s.account) ?? null,
        region: s.region,
        home: s.region === GLOBAL_EVENTS_REGION,
        forwardsGlobalEventsTo: s.forwardsTo ?? [],
      })),
    usage: result.usage.map((u) => ({
      account: u.account,
      accountLabel: label(u.account) ?? null,
      region: u.region,
      stacks: u.stacks,
      trails: {
        use: result.trails.find((t) => t.account === u.account && t.region === u.region)?.trails ?? 0,
        limit: TRAILS_PER_REGION,
      },
      quotas: QUOTA_IDS.map((id) => {
        const limit = quotaLimit(id, u.account, u.region, result.fleet);
        return {
          id,
          name: QUOTAS[id].name,
          code: QUOTAS[id].code ?? null,
          use: u.use[id],
          limit: limit.value,
          limitFrom: limit.raised ? "fleet file" : "AWS default",
          over: u.use[id] > limit.value,
        };
      }),
      uncountedInstanceTypes: u.unknownTypes,
    })),
    unknownNames: result.unknownNames,
    findings: result.findings,
  };
}

const cell = (text: string | number) => String(text).replace(/\|/g, "\\|");
const row = (cells: readonly (string | number)[]) => `| ${cells.map(cell).join(" | ")} |`;

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}

/** The fleet report for people. */
export function fleetMarkdown(result: FleetResult): string {
  const label = (account: string) => {
    const name = result.fleet?.accounts[account]?.label;
    return name ? `${account} (${name})` : account;
  };
  const n = (value: number) => value.toLocaleString("en-US");
  const lines = [
    "# Fleet report",
    "",
    `Written by \`moat plan --all --fleet-report\` from the planned stacks${result.fleet ? ` and ${result.fleet.file}` : ""}.`,
    "",
    summaryLine(result),
    "",
    "## Tenants",
    "",
    ...table(
      ["tenant", "environment", "stack", "stack file", "account", "region", "VPC ranges", "baseline"],
      result.stacks
        .filter((s) => s.kind === "tenant")
        .map((s) => [
          s.tenantId,
          s.environment,
          s.stack,
          s.file,
          label(s.account),
          s.region,
          stackRanges(result, s.stack).join(", "),
          s.baseline ?? "",
        ]),
    ),
    "",
    "## Account baselines",
    "",
    ...table(
      ["stack", "stack file", "account", "region", "home", "forwards IAM events to"],
      result.stacks
        .filter((s) => s.kind === "baseline")
        .map((s) => [
          s.stack,
          s.file,
          label(s.account),
          s.region,
          s.region === GLOBAL_EVENTS_REGION ? "yes" : "",
          (s.forwardsTo ?? []).join(", "),
        ]),
    ),
  ];
  for (const u of result.usage) {
    const trails = result.trails.find((t) => t.account === u.account && t.region === u.region)?.trails ?? 0;
    lines.push(
      "",
      `## Account ${label(u.account)}, ${u.region}`,
      "",
      `Stacks: ${u.stacks.join(", ")}.`,
      "",
      ...table(
        ["quota", "use", "limit", "limit from", "status"],
        [
          [
            "CloudTrail trails in the region (hard limit)",
            trails,
            TRAILS_PER_REGION,
            "AWS",
            trails > TRAILS_PER_REGION ? "OVER" : "",
          ],
          ...QUOTA_IDS.map((id) => {
            const limit = quotaLimit(id, u.account, u.region, result.fleet);
            const quota = QUOTAS[id];
            return [
              `${quota.name}${quota.code ? ` (${quota.code})` : ""}`,
              n(u.use[id]),
              n(limit.value),
              limit.raised ? (result.fleet?.file ?? "fleet file") : "AWS default",
              u.use[id] > limit.value ? "OVER" : "",
            ];
          }),
        ],
      ),
    );
    if (u.unknownTypes.length > 0) {
      lines.push("", `Not counted (not in the instance catalogue): ${u.unknownTypes.join(", ")}.`);
    }
  }
  lines.push("", "## Findings", "");
  if (result.findings.length === 0) {
    lines.push("None.");
  }
  for (const f of result.findings) {
    lines.push(`- **${f.level}** (${f.check}; ${f.stacks.join(", ")}): ${f.message}. Fix: ${f.fix}.`);
  }
  return `${lines.join("\n")}\n`;
}
