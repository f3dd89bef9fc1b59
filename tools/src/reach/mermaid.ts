/**
 * The allowed flows as a Mermaid `flowchart LR`: one node per end, one edge per flow labelled with
 * its protocol and ports, and the rule and its reason as a comment under each edge, so the file
 * reads on its own and renders on GitHub. Ends outside the VPC and internet-facing groups are
 * styled apart. Pure.
 */
import type { ReachRow, ReachRowEnd } from "./model";

// Mermaid takes a quoted label; a double quote inside would end it.
const label = (text: string) => text.replace(/"/g, "'");
const comment = (text: string) => text.replace(/\s+/g, " ");

function nodeLine(id: string, end: ReachRowEnd): string {
  const exposure = end.exposure === "public" || end.exposure === "assumed" ? "<br/>internet-facing" : "";
  const text = `"${label(end.label)}${exposure}"`;
  if (end.outside) {
    return `  ${id}([${text}]):::outside`;
  }
  return end.exposure === "public" || end.exposure === "assumed"
    ? `  ${id}[${text}]:::exposed`
    : `  ${id}[${text}]`;
}

/**
 * The diagram's text; `title` goes in the first comment line (e.g. the stack name). `isolated`
 * names quarantine groups (NET-11), drawn apart with no edge, so the deny-all posture shows.
 */
export function mermaidFlowchart(
  rows: readonly ReachRow[],
  title: string,
  isolated: readonly string[] = [],
): string {
  const ids = new Map<string, string>();
  const nodes: string[] = [];
  const idOf = (end: ReachRowEnd) => {
    let id = ids.get(end.id);
    if (id === undefined) {
      id = `n${ids.size + 1}`;
      ids.set(end.id, id);
      nodes.push(nodeLine(id, end));
    }
    return id;
  };
  const edges = rows.flatMap((r) => {
    const traffic = r.protocol === "all" ? "all traffic" : `${r.protocol} ${r.ports}`;
    const from = idOf(r.source);
    const to = idOf(r.destination);
    return [`  ${from} -->|"${label(traffic)}"| ${to}`, `  %% ${comment(`${r.rule}: ${r.why}`)}`];
  });
  const quarantined = isolated.map(
    (name, i) =>
      `  q${i + 1}["${label(`quarantine group "${name}"`)}<br/>deny-all, no flow in or out"]:::quarantine`,
  );
  return [
    `%% ${comment(title)}`,
    "flowchart LR",
    ...nodes,
    ...quarantined,
    ...edges,
    "  classDef outside fill:#fdecea,stroke:#c0392b",
    "  classDef exposed stroke:#c0392b,stroke-width:3px",
    ...(quarantined.length > 0
      ? ["  classDef quarantine fill:#eeeeee,stroke:#555555,stroke-dasharray:4"]
      : []),
    "",
  ].join("\n");
}
