// Firewall building blocks for the NET mutations: standalone rules declared the way a user writes
// them (built from the group they attach to), and the groups and rules of a planned stack.
import type { RecordedResource } from "../../plan/types";
import { declare, remove } from "../edit";
import { T, TAG_ACCESS_MODE, firstOf, idOf, ofType, rulesOf, tagsOf, the } from "../resources";

/** A CIDR outside every example stack and allowlist: someone's office, not the tenant's. */
export const OUTSIDE_CIDR = "192.0.2.0/24";
/** A security group of another tenant, as a literal ID copied from its console. */
export const FOREIGN_GROUP = "sg-0f1e2d3c4b5a69788";

/** A peer for {@link ruleOn}: a CIDR, a group of the stack, or a literal group ID. */
export type Peer = { cidr: unknown } | { group: RecordedResource } | { groupId: string };

/** What {@link ruleOn} declares. */
export interface Rule {
  readonly name: string;
  readonly direction: "ingress" | "egress";
  readonly group: RecordedResource;
  readonly peer: Peer;
  readonly protocol: string;
  readonly ports?: readonly [number, number];
  readonly description?: string;
}

/** A standalone rule resource as a user declares one: built from the group it attaches to. */
export function ruleOn(resources: readonly RecordedResource[], rule: Rule): RecordedResource {
  const peer: Record<string, unknown> =
    "cidr" in rule.peer
      ? { cidrIpv4: rule.peer.cidr }
      : {
          referencedSecurityGroupId:
            "group" in rule.peer ? idOf(resources, rule.peer.group) : rule.peer.groupId,
        };
  return declare(resources, {
    type: rule.direction === "ingress" ? T.ingressRule : T.egressRule,
    name: rule.name,
    inputs: {
      securityGroupId: idOf(resources, rule.group),
      ipProtocol: rule.protocol,
      ...(rule.ports ? { fromPort: rule.ports[0], toPort: rule.ports[1] } : {}),
      ...peer,
      ...(rule.description ? { description: rule.description } : {}),
    },
    from: {
      securityGroupId: [rule.group],
      ...("group" in rule.peer ? { referencedSecurityGroupId: [rule.peer.group] } : {}),
    },
  });
}

/** The first security group with the given `moat:role`. */
export const group = (resources: readonly RecordedResource[], role: string) =>
  firstOf(resources, T.securityGroup, role);

/** A test that the stack has a security group of each of `roles`. */
export const hasGroup =
  (...roles: string[]) =>
  (resources: readonly RecordedResource[]) =>
    roles.every((role) => group(resources, role) !== undefined);

/** The VPC's `moat:access-mode` tag: bastion, direct or ssm. */
export const accessMode = (resources: readonly RecordedResource[]) =>
  tagsOf(the(resources, T.vpc))[TAG_ACCESS_MODE];

/** Adds an ingress rule from `peer` to the group of `role`. */
export function openIngress(
  role: string,
  name: string,
  peer: (resources: readonly RecordedResource[]) => Peer,
  protocol: string,
  ports: readonly [number, number] | undefined,
  description: string,
) {
  return (resources: readonly RecordedResource[]) => [
    ...resources,
    ruleOn(resources, {
      name,
      direction: "ingress",
      group: group(resources, role)!,
      peer: peer(resources),
      protocol,
      ports,
      description,
    }),
  ];
}

/** Removes a rule and the FirewallRule component wrapping it, when that wraps nothing else. */
export function removeRules(resources: readonly RecordedResource[], rules: readonly RecordedResource[]) {
  const wrappers = rules
    .map((rule) => resources.find((r) => r.urn === rule.parent && r.type === "moat:network:FirewallRule"))
    .filter((w): w is RecordedResource => w !== undefined)
    .filter((w) => resources.filter((r) => r.parent === w.urn).every((child) => rules.includes(child)));
  return remove(resources, ...rules, ...wrappers);
}

/** External SSH rules on the bastion or head group (the allowlist), in access modes that have one. */
export const allowlistRules = (resources: readonly RecordedResource[]) =>
  ofType(resources, T.securityGroup, "bastion", "head").flatMap((g) =>
    rulesOf(resources, g).filter((r) => r.type === T.ingressRule && typeof r.inputs.cidrIpv4 === "string"),
  );
