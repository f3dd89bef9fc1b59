/**
 * `moat plan --reachability [FILE]`: after a stack's verdict, the allowed flows of the reachability
 * model (the one the net-reachability-* policies judge) as a table, and a Mermaid diagram of the
 * same flows written to FILE, by default `reachability/<stack>.mmd` under the project root; with
 * `--all`, FILE is a folder and each stack gets `<stack>.mmd` (NET-4 to NET-8).
 */
import * as fs from "fs";
import * as path from "path";
import type { StackFile } from "../plan/project";
import type { RecordedResource } from "../plan/types";
import { mermaidFlowchart } from "./mermaid";
import { loadReachModel, type ReachRow } from "./model";
import { reachRecords, stackAllowlist } from "./records";
import { exposureLines, flowTable } from "./table";

export { REACHABILITY_USAGE, reachabilityOption } from "./option";

/** The file a stack's diagram goes to. */
export function diagramFile(root: string, stack: string, target: string | true, all: boolean): string {
  if (target === true) {
    return path.join(root, "reachability", `${stack}.mmd`);
  }
  return all ? path.resolve(root, target, `${stack}.mmd`) : path.resolve(root, target);
}

// Relative to the project root when the file lies under it, absolute otherwise.
function shown(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/** Builds the stack's flows with the pack's model, writes the diagram, and returns what to print. */
export function reachabilityReport(
  root: string,
  packDir: string,
  stack: StackFile,
  resources: readonly RecordedResource[],
  target: string | true,
  all: boolean,
): string {
  const rows = loadReachModel(packDir).reachabilityOfRecords(reachRecords(resources), {
    allowlist: stackAllowlist(stack.config),
  });
  const isolated = quarantineGroups(resources);
  const file = diagramFile(root, stack.stack, target, all);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    mermaidFlowchart(rows, `Moat reachability of stack ${stack.stack}: allowed flows`, isolated),
  );
  const lines = flowTable(rows).split("\n");
  return [
    `\nReachability of ${stack.stack} (${rows.length} allowed flows)`,
    ...[...lines, ...exposureLines(rows), ...quarantineLines(isolated, rows)].map((l) => `  ${l}`),
    `  diagram written to ${shown(root, file)}`,
  ].join("\n");
}

/** Names of the security groups tagged `moat:role quarantine` (NET-11). */
export function quarantineGroups(resources: readonly RecordedResource[]): string[] {
  return resources
    .filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")
    .filter((r) => (r.inputs.tags as Record<string, unknown> | undefined)?.["moat:role"] === "quarantine")
    .map((r) => r.name)
    .sort();
}

/** One line per quarantine group: deny-all when no flow names it, else a warning naming the flows. */
export function quarantineLines(isolated: readonly string[], rows: readonly ReachRow[]): string[] {
  return isolated.map((name) => {
    const flows = rows.filter((r) =>
      [r.source.label, r.destination.label].some((l) => l.includes(`"${name}`)),
    );
    return flows.length === 0
      ? `quarantined: security group "${name}" has no flow in or out (deny-all, NET-11)`
      : `QUARANTINE BREACHED: security group "${name}" still has ${flows.length} flow(s): ${flows.map((f) => f.rule).join(", ")}`;
  });
}
