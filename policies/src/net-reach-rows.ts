// The reachability model as plain rows of text, the form `moat plan --reachability` prints as a
// table and draws as a diagram: no resource objects, no UNKNOWN symbol, nothing behind the SDK's
// proxy. Pure, so the rows are tested here and the CLI renders them without knowing the model.
import type { EndKind, Flow, FlowEnd, ReachGraph } from "./net-reach-graph";
import { OUTSIDE_KINDS } from "./net-reach-graph";
import type { Exposure } from "./net-reach-exposure";
import { NetType } from "./net-stack";
import { UNKNOWN } from "./props";

/** One end of a row. */
export interface ReachRowEnd {
  /** Stable key for diagrams: the same end has the same id in every row. */
  readonly id: string;
  readonly kind: EndKind;
  readonly label: string;
  /** True for ends outside the stack's VPCs (internet, allowlist, other networks, foreign groups). */
  readonly outside: boolean;
  /** For a group of the stack: how the internet can reach it (net-reach-exposure.ts). */
  readonly exposure?: Exposure["level"];
}

/** One allowed flow as text. */
export interface ReachRow {
  readonly source: ReachRowEnd;
  readonly destination: ReachRowEnd;
  /** "tcp", "udp", "icmp", "all", or "unknown" when computed. */
  readonly protocol: string;
  /** "22", "1018-1023", "all", or "unknown". */
  readonly ports: string;
  /** The resource name of the rule responsible; for an inline rule, which entry of which group. */
  readonly rule: string;
  /** The rule's description. */
  readonly why: string;
}

/** The protocol as a table shows it. */
export function protocolText(flow: Pick<Flow, "rule">): string {
  const { protocol } = flow.rule;
  return protocol === UNKNOWN || protocol === undefined ? "unknown" : protocol;
}

/** The port range as a table shows it: one port, a range, or "all". */
export function portsText(flow: Pick<Flow, "rule">): string {
  const { protocol, fromPort, toPort } = flow.rule;
  if (protocol === "all") {
    return "all";
  }
  if (fromPort === UNKNOWN || toPort === UNKNOWN || protocol === UNKNOWN) {
    return "unknown";
  }
  if (fromPort === undefined && toPort === undefined) {
    return "all";
  }
  return fromPort === toPort ? String(fromPort) : `${fromPort ?? 0}-${toPort ?? 65535}`;
}

// An inline rule's resource is its security group; its label names the entry.
const inline = (flow: Flow) =>
  flow.rule.resource.type === NetType.securityGroup ||
  flow.rule.resource.type === NetType.defaultSecurityGroup;

// Outside ends first, in the order a reviewer worries about them, then the VPC, then groups.
const ORDER: readonly EndKind[] = [
  "internet",
  "public",
  "allowlist",
  "other-network",
  "unplaced",
  "foreign-group",
  "vpc",
  "group",
];

/** The graph's flows as rows, outside sources first, then by source, destination and rule. */
export function reachRows(graph: ReachGraph): ReachRow[] {
  const exposure = new Map(graph.groups.map((g) => [g.resource.urn, g.exposure.level]));
  const end = (e: FlowEnd): ReachRowEnd => ({
    id: e.id,
    kind: e.kind,
    label: e.label,
    outside: OUTSIDE_KINDS.includes(e.kind),
    ...(e.group && exposure.has(e.group.urn) ? { exposure: exposure.get(e.group.urn) } : {}),
  });
  return graph.flows
    .map((flow): ReachRow => ({
      source: end(flow.source),
      destination: end(flow.destination),
      protocol: protocolText(flow),
      ports: portsText(flow),
      rule: inline(flow) ? flow.rule.label : flow.rule.resource.name,
      why: flow.why,
    }))
    .sort(
      (a, b) =>
        ORDER.indexOf(a.source.kind) - ORDER.indexOf(b.source.kind) ||
        a.source.label.localeCompare(b.source.label) ||
        a.destination.label.localeCompare(b.destination.label) ||
        a.rule.localeCompare(b.rule),
    );
}
