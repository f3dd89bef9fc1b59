/**
 * Assertions that hold for every valid stack, whatever its tenant, sizes or access mode: what the
 * whole-stack tests check on each stack in stacks/ and on each fixture. Expected values come from
 * the stack's own configuration, read here as README documents it, never from the program's code.
 */
import assert from "node:assert/strict";
import * as ipaddr from "ipaddr.js";

/** A resource of the JSON plan (`moat plan --json`). */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, unknown>;
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  secretPaths: string[];
}

/** A policy finding of the JSON plan. */
export interface PlannedViolation {
  policy: string;
  level: string;
  urn: string;
  message: string;
  requirements: string[];
  exemption?: { resource: string; reason: string };
}

/** The JSON plan. */
export interface PlanFile {
  project: string;
  stack: string;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  policy: { pack: { name: string; version: string }; violations: PlannedViolation[] };
}

/** The fields of a resource in the JSON plan, in order; the shape only ever grows. */
const RESOURCE_KEYS = [
  "urn",
  "type",
  "name",
  "custom",
  "parent",
  "provider",
  "inputs",
  "dependencies",
  "propertyDependencies",
  "protect",
  "retainOnDelete",
  "deleteBeforeReplace",
  "ignoreChanges",
  "aliases",
  "additionalSecretOutputs",
  "secretPaths",
];

/** The documented shape of the JSON plan (README, "The JSON plan"). */
export function assertPlanShape(plan: PlanFile): void {
  assert.deepEqual(Object.keys(plan).sort(), [
    "formatVersion",
    "outputSecretPaths",
    "outputs",
    "policy",
    "project",
    "resources",
    "stack",
    "unknowns",
  ]);
  for (const resource of plan.resources) {
    assert.deepEqual(Object.keys(resource), RESOURCE_KEYS, resource.urn);
  }
  assert.deepEqual(Object.keys(plan.policy), ["pack", "violations", "weakened", "exemptions"]);
}

/** Mandatory findings that stop the stack (not exempted), as `policy urn`. */
export const blocking = (plan: PlanFile): string[] =>
  plan.policy.violations
    .filter((v) => v.level === "mandatory" && !v.exemption)
    .map((v) => `${v.policy} ${v.urn}`);

/** No mandatory violation, and the tenant network with a default-deny default group (NET-1). */
export function assertPlansClean(file: string, plan: PlanFile): void {
  assert.equal(plan.project, "moat");
  assert.equal(plan.policy.pack.name, "moat");
  const found = plan.policy.violations.filter((v) => v.level === "mandatory" && !v.exemption);
  if (found.length > 0) {
    assert.fail(
      `${file} fails ${found.length} mandatory polic${found.length === 1 ? "y" : "ies"}: ` +
        `${[...new Set(found.map((v) => v.policy))].join(", ")}\n` +
        found.map((v) => `  ${v.policy} ${v.urn}: ${v.message}`).join("\n"),
    );
  }
  const types = plan.resources.map((r) => r.type);
  assert.ok(types.includes("moat:network:Network"));
  assert.equal(types.filter((t) => t === "aws:ec2/subnet:Subnet").length, 4, "one subnet per tier");
  assert.equal(types.filter((t) => t === "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").length, 1);
}

/** The same mandatory verdicts and the same resources with computed values unknown (POL-2). */
export function assertSameWithUnknowns(known: PlanFile, unknown: PlanFile): void {
  const mandatory = (p: PlanFile) =>
    p.policy.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} ${v.urn}`);
  assert.deepEqual(mandatory(unknown), mandatory(known));
  // Registration order follows when outputs resolve, so compare the sets of resources.
  assert.deepEqual(unknown.resources.map((r) => r.urn).sort(), known.resources.map((r) => r.urn).sort());
  const cantRun = unknown.policy.violations.filter((v) => /can't run/.test(JSON.stringify(v)));
  assert.deepEqual(cantRun, [], "a policy read an unknown value and stopped protecting");
  assert.ok(JSON.stringify(unknown).includes("[unknown]"), "expected unknown values in a first-preview plan");
}

/**
 * What a stack lets in from outside, from its configuration (README, "Reaching the cluster"): SSH
 * from `allowSshFrom` plus the entry role's ruleset into the access mode's entry point, the bastion
 * (`bastion`, the default) or the head nodes (`direct`); nothing at all in `ssm` mode.
 */
export function entryPoints(config: Readonly<Record<string, string>>): { role?: string; cidrs: string[] } {
  const access = JSON.parse(config["moat:access"] ?? "{}") as {
    mode?: string;
    allowSshFrom?: unknown[];
    rulesets?: Record<string, unknown[]>;
  };
  const role = { bastion: "bastion", direct: "head" }[access.mode ?? "bastion"];
  if (role === undefined) {
    return { cidrs: [] };
  }
  const sources = [...(access.allowSshFrom ?? []), ...(access.rulesets?.[role] ?? [])];
  const cidrs = sources.map((s) => (typeof s === "string" ? s : (s as { cidr: string }).cidr));
  return { role, cidrs: [...new Set(cidrs)].sort() };
}

/**
 * In the plan itself: every ingress rule from outside the VPC is SSH from an allowlisted block into
 * the entry role's group, every allowlisted block has one, and only the entry point has a public
 * address (NET-5, NET-6, NET-7).
 */
export function assertEntryPointsInPlan(plan: PlanFile, config: Readonly<Record<string, string>>): void {
  const { role, cidrs } = entryPoints(config);
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const vpc = ipaddr.IPv4.parseCIDR(
    plan.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!.inputs.cidrBlock as string,
  );
  const external = plan.resources
    .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    .filter(
      (r) =>
        typeof r.inputs.cidrIpv4 === "string" &&
        !ipaddr.IPv4.parse(r.inputs.cidrIpv4.split("/")[0]).match(vpc),
    );
  for (const r of external) {
    const group = byUrn.get(r.propertyDependencies.securityGroupId?.[0] ?? "");
    const tags = (group?.inputs.tags ?? {}) as Record<string, string>;
    assert.deepEqual(
      [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, tags["moat:role"]],
      ["tcp", 22, 22, role],
      `${r.name} lets ${r.inputs.cidrIpv4} in`,
    );
  }
  const open = [...new Set(external.map((r) => String(r.inputs.cidrIpv4)))].sort();
  assert.deepEqual(
    open,
    cidrs,
    `SSH is open from [${open.join(", ")}], moat:access allows [${cidrs.join(", ")}]`,
  );
  assert.equal(plan.resources.filter((r) => r.inputs.cidrIpv6 !== undefined).length, 0, "no IPv6 rule");
  const publicRoles = plan.resources
    .filter((r) => r.type === "aws:ec2/instance:Instance" && r.inputs.associatePublicIpAddress !== false)
    .map((r) => (r.inputs.tags as Record<string, string>)["moat:role"]);
  const elasticIps = plan.resources.filter(
    (r) => r.type === "aws:ec2/eip:Eip" && r.inputs.instance !== undefined,
  );
  if (role === "head") {
    assert.ok(publicRoles.length > 0 && publicRoles.every((r) => r === "head"), "direct: head nodes only");
    assert.equal(elasticIps.length, 0);
  } else {
    assert.deepEqual(publicRoles, [], "no node has a public address but the bastion's Elastic IP");
    assert.equal(elasticIps.length, role === "bastion" ? 1 : 0, "the bastion's Elastic IP");
  }
}

/** The edges of a reachability diagram that start outside the VPC, as `source -> destination: traffic`. */
export function edgesFromOutside(diagram: string): string[] {
  const nodes = new Map<string, { label: string; outside: boolean }>();
  for (const m of diagram.matchAll(/^ {2}(n\d+)(\(\[|\[)"([^"]*)"[\])]+(:::\w+)?$/gm)) {
    nodes.set(m[1], { label: m[3].replace("<br/>internet-facing", ""), outside: m[2] === "([" });
  }
  return [...diagram.matchAll(/^ {2}(n\d+) -->\|"([^"]*)"\| (n\d+)$/gm)]
    .filter((m) => nodes.get(m[1])?.outside)
    .map((m) => `${nodes.get(m[1])?.label} -> ${nodes.get(m[3])?.label}: ${m[2]}`)
    .sort();
}

/**
 * In the reachability diagram (the model the net-reachability-* policies judge): the only edges
 * from outside are SSH from the allowlisted blocks into the entry role's group (NET-6, NET-7).
 */
export function assertEntryPointsInDiagram(diagram: string, config: Readonly<Record<string, string>>): void {
  const { role, cidrs } = entryPoints(config);
  // `allowlist 198.51.100.0/24 -> bastion group 'dev-bastion-sg': tcp 22` becomes
  // `198.51.100.0/24 -> bastion group: tcp 22`; a /0 block is labelled `internet`, not `allowlist`.
  const edges = edgesFromOutside(diagram).map((e) =>
    e.replace(/^\S+ (\S+) -> (\w+) group '[^']*': /, "$1 -> $2 group: "),
  );
  const expected = cidrs.map((c) => `${c} -> ${role} group: tcp 22`).sort();
  const found = [...new Set(edges)].sort();
  assert.deepEqual(
    found,
    expected,
    `the diagram lets in [${found.join("; ")}], expected [${expected.join("; ")}]`,
  );
}

/** `moat:quarantine` holds: each entry isolates at least one group, and nothing reaches one (NET-11). */
export function assertQuarantineHolds(section: string, config: Readonly<Record<string, string>>): void {
  assert.doesNotMatch(section, /QUARANTINE BREACHED.*/);
  const entries = JSON.parse(config["moat:quarantine"] ?? "[]") as string[];
  const isolated = section.match(/^ {2}quarantined: security group "[^"]+" has no flow in or out/gm) ?? [];
  assert.ok(
    isolated.length >= entries.length,
    `quarantined ${entries.join(", ")}, but only:\n${isolated.join("\n")}`,
  );
}

/** No generated secret in plain text in the plan or the report (CMP-6, CMP-8). */
export function assertSecretsRedacted(planText: string, section: string, plan: PlanFile): void {
  // The offline fixtures give generated secrets values that start with this marker.
  assert.doesNotMatch(planText + section, /offline-fake/);
  assert.doesNotMatch(planText, /PRIVATE KEY/);
  const versions = plan.resources.filter((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion");
  assert.ok(versions.length > 0, "the plan holds secret versions to check");
  for (const v of versions) {
    // At a first preview the value is not computed yet: the SDK sends an unknown, secret or not.
    const value = v.inputs.secretString === "[unknown]" ? [] : ["secretString"];
    assert.deepEqual(v.secretPaths, value, `${v.name}: its secretString must be marked secret`);
  }
}
