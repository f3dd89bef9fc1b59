// A compliant tenant stack for the NET access-path tests, as plain data: resources keyed by name,
// linked by name through the property dependencies the engine would record. Tests change one
// thing in a fresh copy, then build it as the stack policies (or the resource policies) see it.
// Test support only: nothing in the pack imports it.
import assert from "node:assert/strict";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { NetType } from "./net-stack";
import {
  ResourceFixture,
  StackViolation,
  neverRead,
  runStackPolicy,
  stackResource,
  unknown,
} from "./testing";

/** One resource of a fixture stack. */
export interface Spec {
  readonly type: string;
  /** Inputs as the user declared them, without the linked IDs (the builder supplies those). */
  props: Record<string, unknown>;
  /** Property -> names of the fixture resources it was built from (`{ vpcId: ["vpc"] }`). */
  links?: Record<string, string[]>;
  /**
   * Linked values a policy may read, such as a CIDR built from `vpc.cidrBlock`: unknown at
   * preview, the given literal once deployed.
   */
  computed?: Record<string, string>;
}

/** A fixture stack: resources keyed by their name. */
export type StackSpec = Record<string, Spec>;

/**
 * How linked IDs appear: "never-read" makes reading one fail the test (policies must decide
 * from links), "unknown" gives the engine's preview sentinel, "known" a deployed literal ID.
 */
export type IdMode = "never-read" | "unknown" | "known";

/** Every ID mode, for tests asserting the same verdict in each (POL-2). */
export const ID_MODES: readonly IdMode[] = ["never-read", "unknown", "known"];

/** The tenant's VPC block in the fixture. */
export const VPC_CIDR = "10.42.0.0/16";

/** An SSH allowlist entry: a documentation range outside the VPC. */
export const OFFICE_CIDR = "203.0.113.0/24";

/** The flow-log group's explicit name, as components/network names it. */
export const FLOW_LOG_GROUP = "/moat/acme/vpc-flow-logs";

/** User data that hardens the bastion (NET-7). */
export const HARDENED_USER_DATA =
  "#!/bin/bash\ndnf install -y fail2ban\nsystemctl enable --now fail2ban\n" +
  "sed -i 's/^#\\?PasswordAuthentication.*/PasswordAuthentication no/' /etc/ssh/sshd_config\n";

const role = (value: string) => ({ tags: { "moat:role": value } });
const tier = (value: string) => ({ tags: { "moat:tier": value } });

function group(name: string, roleName: string): Spec {
  return {
    type: NetType.securityGroup,
    props: { description: name, ...role(roleName) },
    links: { vpcId: ["vpc"] },
  };
}

function rule(type: string, onto: string, props: Record<string, unknown>, peer?: string): Spec {
  const links: Record<string, string[]> = { securityGroupId: [onto] };
  if (peer) {
    links[type === NetType.legacyRule ? "sourceSecurityGroupId" : "referencedSecurityGroupId"] = [peer];
  }
  return { type, props: { description: `fixture ${onto}`, ...props }, links };
}

const allTraffic = { ipProtocol: "-1" };
const tcp = (from: number, to = from) => ({ ipProtocol: "tcp", fromPort: from, toPort: to });

/** A fresh compliant stack in bastion mode: one VPC with four tiers, a bastion, a head node and compute. */
export function compliantStack(): StackSpec {
  const stack: StackSpec = {
    vpc: { type: NetType.vpc, props: { cidrBlock: VPC_CIDR, tags: { "moat:access-mode": "bastion" } } },
    igw: { type: NetType.internetGateway, props: {}, links: { vpcId: ["vpc"] } },
    nat: { type: NetType.natGateway, props: {}, links: { subnetId: ["public"] } },
    "tenant-key": { type: "aws:kms/key:Key", props: { enableKeyRotation: true } },
    "public-internet": {
      type: NetType.route,
      props: { destinationCidrBlock: "0.0.0.0/0" },
      links: { routeTableId: ["public-rt"], gatewayId: ["igw"] },
    },
    "bastion-ssh": rule(NetType.ingressRule, "bastion", { ...tcp(22), cidrIpv4: OFFICE_CIDR }),
    "head-ssh-bastion": rule(NetType.ingressRule, "head", tcp(22), "bastion"),
    "cluster-all-cluster": rule(NetType.ingressRule, "cluster", allTraffic, "cluster"),
    "cluster-out-cluster": rule(NetType.egressRule, "cluster", allTraffic, "cluster"),
    "storage-lustre": rule(NetType.ingressRule, "storage", tcp(988), "cluster"),
    "storage-lustre-servers": rule(NetType.ingressRule, "storage", tcp(1018, 1023), "storage"),
    "endpoint-https": {
      ...rule(NetType.ingressRule, "endpoint", tcp(443)),
      links: { securityGroupId: ["endpoint"], cidrIpv4: ["vpc"] },
      computed: { cidrIpv4: VPC_CIDR },
    },
    bastion: { type: NetType.instance, props: { ...role("bastion"), userData: HARDENED_USER_DATA } },
    "head-0": { type: NetType.instance, props: { ...role("head"), associatePublicIpAddress: false } },
    "compute-a": {
      type: NetType.launchTemplate,
      props: {
        tagSpecifications: [{ resourceType: "instance", ...role("compute") }],
        networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }],
      },
    },
    "flow-logs": {
      type: NetType.logGroup,
      props: { name: FLOW_LOG_GROUP, retentionInDays: 365 },
      links: { kmsKeyId: ["tenant-key"] },
    },
    "vpc-flow-log": {
      type: NetType.flowLog,
      props: {
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        // Built from the group's name, as components do, so it is known at preview.
        logDestination: `arn:aws:logs:us-east-1:123456789012:log-group:${FLOW_LOG_GROUP}`,
      },
      links: { vpcId: ["vpc"] },
    },
  };
  for (const name of ["public", "management", "compute", "storage"]) {
    stack[name] = { type: NetType.subnet, props: { ...tier(name) }, links: { vpcId: ["vpc"] } };
    stack[`${name}-rt`] = { type: NetType.routeTable, props: { ...tier(name) }, links: { vpcId: ["vpc"] } };
    stack[`${name}-rta`] = {
      type: NetType.routeTableAssociation,
      props: {},
      links: { subnetId: [name], routeTableId: [`${name}-rt`] },
    };
  }
  for (const name of ["management", "compute"]) {
    stack[`${name}-nat`] = {
      type: NetType.route,
      props: { destinationCidrBlock: "0.0.0.0/0" },
      links: { routeTableId: [`${name}-rt`], natGatewayId: ["nat"] },
    };
  }
  for (const [name, roleName] of [
    ["bastion", "bastion"],
    ["head", "head"],
    ["cluster", "cluster"],
    ["storage", "storage"],
    ["endpoint", "endpoint"],
  ]) {
    stack[`${name}-sg`] = group(name, roleName);
  }
  // Rules name groups by their role above; point them at the group resources.
  for (const spec of Object.values(stack)) {
    for (const key of ["securityGroupId", "referencedSecurityGroupId", "sourceSecurityGroupId"]) {
      if (spec.links?.[key]) {
        spec.links[key] = spec.links[key].map((n) => `${n}-sg`);
      }
    }
  }
  for (const name of ["bastion", "head", "cluster"]) {
    stack[`${name}-out`] = rule(NetType.egressRule, `${name}-sg`, { ...allTraffic, cidrIpv4: "0.0.0.0/0" });
  }
  return stack;
}

const KNOWN_ID: Readonly<Record<string, (name: string) => string>> = {
  [NetType.logGroup]: (name) => `arn:aws:logs:us-east-1:123456789012:log-group:${name}:*`,
  "aws:kms/key:Key": (name) => `arn:aws:kms:us-east-1:123456789012:key/${name}`,
};
const knownId = (type: string, name: string) =>
  KNOWN_ID[type]?.(name) ?? `${type.slice(type.lastIndexOf(":") + 1).toLowerCase()}-${name}`;

function propsOf(spec: Spec, specs: StackSpec, mode: IdMode): Record<string, unknown> {
  const props: Record<string, unknown> = { ...spec.props };
  const idKeys: string[] = [];
  for (const [key, names] of Object.entries(spec.links ?? {})) {
    if (key in props) {
      continue;
    }
    if (spec.computed?.[key] !== undefined) {
      props[key] = mode === "known" ? spec.computed[key] : unknown.string;
    } else {
      props[key] = mode === "known" ? knownId(specs[names[0]].type, names[0]) : unknown.string;
      idKeys.push(key);
    }
  }
  return mode === "never-read" ? neverRead(props, ...idKeys) : props;
}

/** Builds the stack as a stack policy receives it, with property dependencies as resource objects. */
export function buildStack(specs: StackSpec, mode: IdMode = "never-read"): PolicyResource[] {
  const built = new Map<string, PolicyResource>();
  const build = (name: string): PolicyResource => {
    const existing = built.get(name);
    if (existing) {
      return existing;
    }
    const spec = specs[name];
    if (!spec) {
      throw new Error(`fixture links to "${name}", which the stack does not declare`);
    }
    const propertyDependencies = Object.fromEntries(
      Object.entries(spec.links ?? {}).map(([key, names]) => [key, names.map(build)]),
    );
    const resource = stackResource(
      { type: spec.type, name, props: propsOf(spec, specs, mode) },
      { propertyDependencies },
    );
    built.set(name, resource);
    return resource;
  };
  return Object.keys(specs).map(build);
}

/** The stack's resources as a resource policy receives them: inputs, linked IDs unknown. */
export function resourceFixtures(specs: StackSpec): ResourceFixture[] {
  return Object.entries(specs).map(([name, spec]) => ({
    type: spec.type,
    name,
    props: propsOf(spec, specs, "unknown"),
  }));
}

/** The URN a resource of `type` named `name` gets when built. */
export function urnOf(type: string, name: string): string {
  return stackResource({ type, name, props: {} }).urn;
}

/** The URN resource `name` of `specs` gets when built. */
export const urnIn = (specs: StackSpec, name: string) => urnOf(specs[name].type, name);

/**
 * Runs a stack policy on a compliant stack (by default {@link compliantStack}) after `change`, in
 * every ID mode, and asserts the same violations in each: the verdict never depends on values the
 * cloud computes (POL-2).
 */
export async function assertStackVerdict(
  policy: StackValidationPolicy,
  change: (specs: StackSpec) => void,
  expected: readonly StackViolation[],
  config: object = {},
  compliant: () => StackSpec = compliantStack,
): Promise<void> {
  for (const mode of ID_MODES) {
    const specs = compliant();
    change(specs);
    const run = await runStackPolicy(policy, buildStack(specs, mode), config);
    assert.deepEqual(run, { violations: expected }, `ID mode ${mode}`);
  }
}
