/**
 * `moat plan --reachability` as a reviewer reads it, pinned on the fixtures (every stack's entry
 * points are checked in tests/stacks.test.ts): the table row and Mermaid diagram of a bastion
 * stack, and a quarantined compute group with no flow in or out (NET-6, NET-7, NET-11; the model is
 * the net-reachability-* policies' own, NET-4 to NET-8).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planSet } from "./plans";
import { edgesFromOutside } from "./stack-checks";

/** A table row whose source lies outside the VPC (the model's outside end labels). */
const OUTSIDE_SOURCE =
  /^ {2}(allowlist|internet|public|other network|prefix list|computed block|foreign group) \S/;

describe("moat plan --reachability (NET-6, NET-7)", () => {
  const fixtures = planSet("fixtures");

  it("fixture-bastion: the table and the diagram show only SSH from 198.51.100.0/24 to the bastion", () => {
    const section = fixtures.section("fixture-bastion", false);
    const table = section.slice(section.indexOf("Reachability of fixture-bastion"));
    assert.match(table, /^Reachability of fixture-bastion \(\d+ allowed flows\)/);
    const rows = table.split("\n").filter((l) => OUTSIDE_SOURCE.test(l));
    assert.equal(rows.length, 1, table);
    assert.match(
      rows[0],
      /^ {2}allowlist 198\.51\.100\.0\/24 +bastion group "dev-bastion-sg" +tcp +22 +dev-ingress-bastion-ssh-/,
    );
    assert.match(table, /diagram written to \S+fixture-bastion\.mmd$/m);
    const diagram = fixtures.diagram("fixture-bastion", false);
    assert.match(diagram, /^%% Moat reachability of stack fixture-bastion: allowed flows\nflowchart LR\n/);
    assert.deepEqual(edgesFromOutside(diagram), [
      "allowlist 198.51.100.0/24 -> bastion group 'dev-bastion-sg': tcp 22",
    ]);
    assert.match(
      diagram,
      /n1\(\["allowlist 198\.51\.100\.0\/24"\]\):::outside\n {2}n2\["bastion group 'dev-bastion-sg'<br\/>internet-facing"\]:::exposed/,
    );
    assert.match(diagram, /\n {2}n1 -->\|"tcp 22"\| n2\n/);
  });

  it("fixture-direct-quarantine --unknowns: the head group from both ranges, the quarantined group deny-all (NET-11, POL-2)", () => {
    const stack = "fixture-direct-quarantine";
    assert.deepEqual(edgesFromOutside(fixtures.diagram(stack, true)), [
      "allowlist 198.51.100.200/32 -> head group 'initech-head-sg': tcp 22",
      "allowlist 203.0.113.32/27 -> head group 'initech-head-sg': tcp 22",
    ]);
    const section = fixtures.section(stack, true);
    // Its compute group 'lab' is quarantined: both of its groups are deny-all.
    for (const group of ["initech-compute-lab-efa-sg", "initech-compute-lab-nodes-sg"]) {
      assert.match(section, new RegExp(`quarantined: security group "${group}" has no flow in or out`));
    }
    assert.doesNotMatch(fixtures.run(true).stdout, /QUARANTINE BREACHED/);
  });
});
