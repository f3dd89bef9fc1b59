import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { descriptionProblem } from "../firewall-rule/rule-checks";
import type { EgressAllow } from "../security-group/security-group-args";
import { NodeGroupFlow, planNodeGroupFlows } from "./node-group-flows";

const https: EgressAllow = { cidr: "0.0.0.0/0", protocol: "tcp", fromPort: 443, description: "HTTPS out" };
const show = (flows: NodeGroupFlow[]) =>
  flows.map((f) => {
    const ports = f.ports === "all" ? "all" : `${f.protocol} ${f.ports.from}-${f.ports.to}`;
    const [from, to] = f.direction === "ingress" ? [f.peer, f.on] : [f.on, f.peer];
    return `${f.id}: ${from} -> ${to} ${ports} (on ${f.on})`;
  });
const plan = (efa: boolean, egress: "all" | EgressAllow[], quarantined = false) =>
  planNodeGroupFlows({ group: "train", efa, egress, quarantined });

describe("planNodeGroupFlows (NET-2, NET-3, CMP-1, NET-11)", () => {
  it("NET-3: the node group has all traffic with itself and with the head group, both ways", () => {
    assert.deepEqual(show(plan(false, "all")), [
      "nodes-ingress-self: nodes -> nodes all (on nodes)",
      "nodes-egress-self: nodes -> nodes all (on nodes)",
      "nodes-ingress-head: head -> nodes all (on nodes)",
      "head-from-group: nodes -> head all (on head)",
    ]);
  });

  it("CMP-1: an EFA group adds its self-only EFA group's two rules, and the node group's are unchanged", () => {
    const flows = plan(true, "all");
    assert.deepEqual(show(flows.slice(0, 2)), [
      "efa-ingress-self: efa -> efa all (on efa)",
      "efa-egress-self: efa -> efa all (on efa)",
    ]);
    assert.deepEqual(flows.slice(2), plan(false, "all"));
  });

  it("CMP-1: the EFA group is self-only: no flow names it besides its two self rules, whatever the egress", () => {
    for (const egress of ["all", [https]] as const) {
      const naming = plan(true, [...egress] as "all" | EgressAllow[]).filter(
        (f) => f.on === "efa" || f.peer === "efa",
      );
      assert.deepEqual(
        naming.map((f) => f.id),
        ["efa-ingress-self", "efa-egress-self"],
      );
      assert.ok(naming.every((f) => f.on === "efa" && f.peer === "efa" && f.protocol === "all"));
    }
  });

  it("CMP-1: the EFA rules keep the descriptions the EFA group was created with", () => {
    const [inSelf, outSelf] = plan(true, "all");
    assert.equal(inSelf.why, "CMP-1: all traffic between the EFA interfaces of compute group train");
    assert.equal(
      outSelf.why,
      "CMP-1: all traffic to the EFA interfaces of compute group train, as EFA requires",
    );
    const [plain] = plan(false, "all");
    assert.equal(plain.why, "NET-3: all traffic between the nodes of compute group train");
  });

  it("NET-2: with an allowlist, the outbound halves to the head group and HTTPS to the endpoints", () => {
    assert.deepEqual(show(plan(true, [https])).slice(6), [
      "nodes-egress-head: nodes -> head all (on nodes)",
      "head-to-group: head -> nodes all (on head)",
      "nodes-egress-endpoint-https: nodes -> endpoint tcp 443-443 (on nodes)",
    ]);
  });

  it("NET-11: a quarantined group gets no rule at all on either group, whatever the egress", () => {
    for (const efa of [true, false]) {
      assert.deepEqual(plan(efa, "all", true), []);
      assert.deepEqual(plan(efa, [https], true), []);
    }
  });

  it("every description is one AWS accepts, even for the longest group name, and cites a requirement", () => {
    const group = "a".repeat(32);
    for (const efa of [true, false]) {
      for (const flow of planNodeGroupFlows({ group, efa, egress: [https], quarantined: false })) {
        assert.equal(descriptionProblem(flow.why, "why"), undefined, flow.why);
        assert.match(flow.why, /^(NET-\d+|CMP-1): /);
      }
    }
  });

  it("ids are unique, prefixed by the group they sit on, and independent of egress and EFA", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (efa, allowlist) => {
        const flows = plan(efa, allowlist ? [https] : "all");
        const ids = flows.map((f) => f.id);
        assert.equal(new Set(ids).size, ids.length);
        for (const f of flows) {
          assert.ok(f.on === "head" ? !/^(nodes|efa)-/.test(f.id) : f.id.startsWith(`${f.on}-`), f.id);
        }
        const all = plan(true, [https]).map((f) => f.id);
        assert.ok(
          ids.every((id) => all.includes(id)),
          "a subset of the fullest plan's ids",
        );
      }),
    );
  });
});
