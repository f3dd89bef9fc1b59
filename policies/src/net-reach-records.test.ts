// The entry point the CLI loads from the compiled pack: recorded resources in, the same rows the
// policies' model gives out, unknowns read as unknown (POL-2), and rows as plain text.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildStack, urnOf } from "./net-fixtures";
import { reachStack } from "./net-reach-fixtures";
import { reachGraph } from "./net-reach-graph";
import { ReachRecord, policyResources, reachabilityOfRecords } from "./net-reach-records";
import { portsText, reachRows } from "./net-reach-rows";
import { UNKNOWN, readString } from "./props";
import { unknown } from "./testing";

/** The fixture stack as the offline preview records it: linked IDs unknown, dependencies as URNs. */
function records(): ReachRecord[] {
  const stack = reachStack("bastion");
  return Object.entries(stack).map(([name, spec]) => {
    const links = spec.links ?? {};
    return {
      urn: urnOf(spec.type, name),
      type: spec.type,
      name,
      props: { ...spec.props, ...Object.fromEntries(Object.keys(links).map((k) => [k, unknown.string])) },
      propertyDependencies: Object.fromEntries(
        Object.entries(links).map(([k, names]) => [k, names.map((n) => urnOf(stack[n].type, n))]),
      ),
    };
  });
}

describe("reachabilityOfRecords (NET-4 to NET-8)", () => {
  it("gives the rows of the policies' model for the same stack", () => {
    const expected = reachRows(reachGraph(buildStack(reachStack("bastion"), "unknown")));
    assert.deepEqual(reachabilityOfRecords(records()), expected);
  });

  it("reads the engine's unknown sentinel as UNKNOWN and resolves dependencies by URN (POL-2)", () => {
    const [rule] = policyResources([
      {
        urn: "urn:a",
        type: "t",
        name: "a",
        props: { cidrIpv4: unknown.string },
        propertyDependencies: { x: ["urn:b", "urn:gone"] },
      },
      { urn: "urn:b", type: "t", name: "b", props: {}, propertyDependencies: {} },
    ]);
    assert.equal(readString(rule.props, "cidrIpv4"), UNKNOWN);
    assert.deepEqual(
      rule.propertyDependencies.x.map((r) => r.name),
      ["b"],
    );
    assert.deepEqual(
      rule.dependencies.map((r) => r.name),
      ["b"],
    );
  });

  it("labels the allowlist from the options and marks ends outside the VPC", () => {
    const [first] = reachabilityOfRecords(records(), { allowlist: ["203.0.113.0/24"] });
    assert.deepEqual(first.source, {
      id: "public:198.51.100.0/24",
      kind: "public",
      label: "public 198.51.100.0/24",
      outside: true,
    });
    assert.equal(first.destination.exposure, "public");
  });
});

describe("portsText", () => {
  const flow = (protocol: unknown, fromPort?: unknown, toPort?: unknown) =>
    ({ rule: { protocol, fromPort, toPort } }) as Parameters<typeof portsText>[0];

  it("shows one port, a range, all, or unknown", () => {
    assert.equal(portsText(flow("tcp", 22, 22)), "22");
    assert.equal(portsText(flow("tcp", 1018, 1023)), "1018-1023");
    assert.equal(portsText(flow("all", 0, 0)), "all");
    assert.equal(portsText(flow("tcp", UNKNOWN, 22)), "unknown");
  });
});
