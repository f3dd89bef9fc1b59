/**
 * The allowed flows as a text table (source, destination, protocol, ports, why), the form
 * `moat plan --reachability` prints, and the line naming what faces the internet. Pure.
 */
import type { ReachRow, ReachRowEnd } from "./model";

const EXPOSURE: Readonly<Record<string, string>> = {
  public: "public address, routed to the internet",
  assumed: "the access mode's entry point",
  possible: "may be public: a value is unknown at preview",
};

/** The flows as a table; rows keep the model's order (outside sources first). */
export function flowTable(rows: readonly ReachRow[]): string {
  if (rows.length === 0) {
    return "No flows allowed.";
  }
  const head = ["SOURCE", "DESTINATION", "PROTOCOL", "PORTS", "WHY"];
  const cells = rows.map((r) => [
    r.source.label,
    r.destination.label,
    r.protocol,
    r.ports,
    `${r.rule}: ${r.why}`,
  ]);
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const fmt = (line: string[]) =>
    line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [fmt(head), ...cells.map(fmt)].join("\n");
}

/** One line per group the internet can reach, and why; nothing when none can. */
export function exposureLines(rows: readonly ReachRow[]): string[] {
  const ends = new Map<string, ReachRowEnd>();
  for (const end of rows.flatMap((r) => [r.source, r.destination])) {
    if (end.exposure && EXPOSURE[end.exposure]) {
      ends.set(end.id, end);
    }
  }
  return [...ends.values()].map((e) => `internet-facing: ${e.label} (${EXPOSURE[e.exposure ?? ""]})`);
}
