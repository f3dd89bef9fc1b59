/**
 * `moat plan --reachability` on the example stacks, as a reviewer reads it: the only flows from
 * outside the VPC are SSH from the stack's allowlist into the access mode's entry point, and the
 * Mermaid diagram has exactly those edges (NET-6, NET-7; the model is the net-reachability-*
 * policies' own, NET-4 to NET-8).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ROOT, exampleStacks, moat, scratchProject } from "./moat-cli";

/** What each example stack lets in from outside: SSH from its allowlist into one group. */
const ENTRY_POINTS: Record<string, string[]> = {
  dev: ["allowlist 198.51.100.0/24 -> bastion group 'dev-bastion-sg': tcp 22"],
  "acme-prod": [
    "allowlist 198.51.100.64/26 -> bastion group 'acme-bastion-sg': tcp 22",
    "allowlist 203.0.113.0/25 -> bastion group 'acme-bastion-sg': tcp 22",
  ],
  "globex-research": [],
  "initech-lab": [
    "allowlist 198.51.100.200/32 -> head group 'initech-head-sg': tcp 22",
    "allowlist 203.0.113.32/27 -> head group 'initech-head-sg': tcp 22",
  ],
};

/** A table row whose source lies outside the VPC (the model's outside end labels). */
const OUTSIDE_SOURCE =
  /^ {2}(allowlist|internet|public|other network|prefix list|computed block|foreign group) \S/;

/** The edges of a diagram that start outside the VPC, as `source -> destination: traffic`. */
function edgesFromOutside(diagram: string): string[] {
  const nodes = new Map<string, { label: string; outside: boolean }>();
  for (const m of diagram.matchAll(/^ {2}(n\d+)(\(\[|\[)"([^"]*)"[\])]+(:::\w+)?$/gm)) {
    nodes.set(m[1], { label: m[3].replace("<br/>internet-facing", ""), outside: m[2] === "([" });
  }
  return [...diagram.matchAll(/^ {2}(n\d+) -->\|"([^"]*)"\| (n\d+)$/gm)]
    .filter((m) => nodes.get(m[1])?.outside)
    .map((m) => `${nodes.get(m[1])?.label} -> ${nodes.get(m[3])?.label}: ${m[2]}`)
    .sort();
}

/** A scratch project with copies of the example stack files, so the default folder is its own. */
function projectWithStacks(stacks: string[]): string {
  const files: Record<string, string> = {};
  for (const stack of stacks) {
    for (const file of [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.policy.json`]) {
      const from = path.join(ROOT, "stacks", file);
      if (fs.existsSync(from)) {
        files[file] = fs.readFileSync(from, "utf8");
      }
    }
  }
  return scratchProject(files);
}

describe("moat plan --reachability (NET-6, NET-7)", () => {
  it("dev: the table and reachability/dev.mmd show only SSH from the allowlist to the bastion", () => {
    const dir = projectWithStacks(["dev"]);
    try {
      const run = moat(["plan", "dev", "--reachability"], dir);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      const table = run.stdout.slice(run.stdout.indexOf("Reachability of dev"));
      const rows = table.split("\n").filter((l) => OUTSIDE_SOURCE.test(l));
      assert.equal(rows.length, 1, table);
      assert.match(
        rows[0],
        /^ {2}allowlist 198\.51\.100\.0\/24 +bastion group "dev-bastion-sg" +tcp +22 +dev-ingress-bastion-ssh-/,
      );
      assert.match(table, /diagram written to reachability\/dev\.mmd/);
      const diagram = fs.readFileSync(path.join(dir, "reachability", "dev.mmd"), "utf8");
      assert.match(diagram, /^%% Moat reachability of stack dev: allowed flows\nflowchart LR\n/);
      assert.deepEqual(edgesFromOutside(diagram), ENTRY_POINTS.dev);
      assert.match(
        diagram,
        /n1\(\["allowlist 198\.51\.100\.0\/24"\]\):::outside\n {2}n2\["bastion group 'dev-bastion-sg'<br\/>internet-facing"\]:::exposed/,
      );
      assert.match(diagram, /\n {2}n1 -->\|"tcp 22"\| n2\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--all --unknowns: one diagram per stack, each letting in only its entry point's SSH (POL-2)", () => {
    const stacks = exampleStacks();
    const dir = projectWithStacks(stacks);
    try {
      const run = moat(["plan", "--all", "--unknowns", "--reachability=diagrams"], dir);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      for (const stack of stacks) {
        const diagram = fs.readFileSync(path.join(dir, "diagrams", `${stack}.mmd`), "utf8");
        assert.deepEqual(edgesFromOutside(diagram), ENTRY_POINTS[stack] ?? [], stack);
        assert.match(run.stdout, new RegExp(`diagram written to diagrams/${stack}\\.mmd`));
      }
      // initech-lab quarantines its compute group: both of its groups are deny-all (NET-11).
      for (const group of ["initech-compute-lab-efa-sg", "initech-compute-lab-nodes-sg"]) {
        assert.match(run.stdout, new RegExp(`quarantined: security group "${group}" has no flow in or out`));
      }
      assert.doesNotMatch(run.stdout, /QUARANTINE BREACHED/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
