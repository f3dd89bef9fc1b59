// The renderers of `moat plan --reachability`: the table and the Mermaid diagram of the allowed
// flows (NET-4 to NET-8), and how the option and the stack's allowlist are read.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { RecordedResource } from "../plan/types";
import { SIG_KEY, SECRET_SIG, UNKNOWN } from "../plan/wire";
import { diagramFile, quarantineGroups, quarantineLines, reachabilityOption } from "./index";
import { mermaidFlowchart } from "./mermaid";
import type { ReachRow, ReachRowEnd } from "./model";
import { reachRecords, stackAllowlist } from "./records";
import { exposureLines, flowTable } from "./table";

const end = (
  id: string,
  kind: ReachRowEnd["kind"],
  label: string,
  extra: Partial<ReachRowEnd> = {},
): ReachRowEnd => ({
  id,
  kind,
  label,
  outside: ["internet", "allowlist", "public", "other-network", "unplaced", "foreign-group"].includes(kind),
  ...extra,
});

const allowlist = end("allowlist:198.51.100.0/24", "allowlist", "allowlist 198.51.100.0/24");
const bastion = end("urn:bastion", "group", 'bastion group "dev-bastion-sg"', { exposure: "public" });
const head = end("urn:head", "group", 'head group "dev-head-sg"', { exposure: "private" });

const ROWS: ReachRow[] = [
  {
    source: allowlist,
    destination: bastion,
    protocol: "tcp",
    ports: "22",
    rule: "bastion-ssh",
    why: "NET-7: SSH to the bastion",
  },
  {
    source: bastion,
    destination: head,
    protocol: "tcp",
    ports: "22",
    rule: "head-ssh",
    why: 'NET-7: "ssh -J"',
  },
  { source: head, destination: head, protocol: "all", ports: "all", rule: "self", why: "no description" },
];

describe("flowTable (NET-6, NET-7)", () => {
  it("prints source, destination, protocol, ports and why, aligned", () => {
    assert.equal(
      flowTable(ROWS),
      [
        "SOURCE                          DESTINATION                     PROTOCOL  PORTS  WHY",
        'allowlist 198.51.100.0/24       bastion group "dev-bastion-sg"  tcp       22     bastion-ssh: NET-7: SSH to the bastion',
        'bastion group "dev-bastion-sg"  head group "dev-head-sg"        tcp       22     head-ssh: NET-7: "ssh -J"',
        'head group "dev-head-sg"        head group "dev-head-sg"        all       all    self: no description',
      ].join("\n"),
    );
    assert.equal(flowTable([]), "No flows allowed.");
  });

  it("names each internet-facing group once", () => {
    assert.deepEqual(exposureLines(ROWS), [
      'internet-facing: bastion group "dev-bastion-sg" (public address, routed to the internet)',
    ]);
  });
});

describe("mermaidFlowchart (NET-6, NET-7)", () => {
  it("draws one node per end and one edge per flow, with the rule as a comment", () => {
    assert.equal(
      mermaidFlowchart(ROWS, "stack dev"),
      [
        "%% stack dev",
        "flowchart LR",
        '  n1(["allowlist 198.51.100.0/24"]):::outside',
        "  n2[\"bastion group 'dev-bastion-sg'<br/>internet-facing\"]:::exposed",
        "  n3[\"head group 'dev-head-sg'\"]",
        '  n1 -->|"tcp 22"| n2',
        "  %% bastion-ssh: NET-7: SSH to the bastion",
        '  n2 -->|"tcp 22"| n3',
        '  %% head-ssh: NET-7: "ssh -J"',
        '  n3 -->|"all traffic"| n3',
        "  %% self: no description",
        "  classDef outside fill:#fdecea,stroke:#c0392b",
        "  classDef exposed stroke:#c0392b,stroke-width:3px",
        "",
      ].join("\n"),
    );
  });
});

describe("quarantine groups in the reachability report (NET-11)", () => {
  it("finds groups tagged quarantine and shows each as deny-all, or as breached when a flow names it", () => {
    const group = (name: string, role: string) =>
      ({
        type: "aws:ec2/securityGroup:SecurityGroup",
        name,
        inputs: { tags: { "moat:role": role } },
      }) as unknown as RecordedResource;
    assert.deepEqual(quarantineGroups([group("lab-nodes-sg", "quarantine"), group("dev-head-sg", "head")]), [
      "lab-nodes-sg",
    ]);
    assert.deepEqual(quarantineLines(["lab-nodes-sg"], ROWS), [
      'quarantined: security group "lab-nodes-sg" has no flow in or out (deny-all, NET-11)',
    ]);
    assert.deepEqual(quarantineLines(["dev-head-sg"], ROWS), [
      'QUARANTINE BREACHED: security group "dev-head-sg" still has 2 flow(s): head-ssh, self',
    ]);
  });

  it("draws quarantine groups apart, with no edge", () => {
    const diagram = mermaidFlowchart(ROWS, "t", ["lab-nodes-sg"]);
    assert.match(
      diagram,
      /^ {2}q1\["quarantine group 'lab-nodes-sg'<br\/>deny-all, no flow in or out"\]:::quarantine$/m,
    );
    assert.doesNotMatch(diagram, /q1 -->|--> q1/);
  });
});

describe("--reachability [FILE]", () => {
  it("takes a file only when it looks like one, so a stack name stays a stack name", () => {
    assert.deepEqual(reachabilityOption(["--reachability"], 0), [true, 0]);
    assert.deepEqual(reachabilityOption(["--reachability", "dev"], 0), [true, 0]);
    assert.deepEqual(reachabilityOption(["--reachability", "--all"], 0), [true, 0]);
    assert.deepEqual(reachabilityOption(["x", "--reachability", "out/dev.mmd"], 1), ["out/dev.mmd", 2]);
    assert.deepEqual(reachabilityOption(["--reachability", "dev.mmd"], 0), ["dev.mmd", 1]);
    assert.deepEqual(reachabilityOption(["--reachability=diagrams"], 0), ["diagrams", 0]);
  });

  it("writes reachability/<stack>.mmd by default, FILE as given, and <FILE>/<stack>.mmd with --all", () => {
    assert.equal(diagramFile("/p", "dev", true, false), path.join("/p", "reachability", "dev.mmd"));
    assert.equal(diagramFile("/p", "dev", true, true), path.join("/p", "reachability", "dev.mmd"));
    assert.equal(diagramFile("/p", "dev", "out/x.mmd", false), path.join("/p", "out", "x.mmd"));
    assert.equal(diagramFile("/p", "dev", "out", true), path.join("/p", "out", "dev.mmd"));
  });
});

describe("reachRecords and stackAllowlist", () => {
  it("hands the model analyzer-form properties with every secret replaced by unknown (CMP-8)", () => {
    const recorded = {
      urn: "urn:rule",
      type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      name: "rule",
      inputs: { description: { [SIG_KEY]: SECRET_SIG, value: "hidden" }, cidrIpv4: "198.51.100.0/24" },
      propertyDependencies: { securityGroupId: ["urn:sg"] },
    } as unknown as RecordedResource;
    assert.deepEqual(reachRecords([recorded]), [
      {
        urn: "urn:rule",
        type: recorded.type,
        name: "rule",
        props: { description: UNKNOWN, cidrIpv4: "198.51.100.0/24" },
        propertyDependencies: { securityGroupId: ["urn:sg"] },
      },
    ]);
  });

  it("reads allowSshFrom and the per-role rulesets, plain or with a description", () => {
    const access = {
      allowSshFrom: ["198.51.100.0/24"],
      rulesets: { bastion: [{ cidr: "203.0.113.0/25", description: "office" }], head: [] },
    };
    assert.deepEqual(stackAllowlist({ "moat:access": JSON.stringify(access) }), [
      "198.51.100.0/24",
      "203.0.113.0/25",
    ]);
    assert.deepEqual(stackAllowlist({}), []);
  });
});
