// NET-11: a quarantine group carries no rule of any style, no rule names it, and the quarantined
// nodes are in no other group; rules and nodes are tied to groups by dependency, so every ID mode
// gives the same verdict (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  netQuarantineGroupDenyAll,
  netQuarantineGroupNoInlineRules,
  netQuarantineNodeIsolated,
} from "./net-quarantine";
import { StackSpec, assertStackVerdict, urnOf } from "./net-fixtures";
import { NetType } from "./net-stack";
import { runResourcePolicy, unknown } from "./testing";

const QUARANTINE = 'security group "quarantine-sg" (moat:role quarantine)';

// The compliant stack with its compute group quarantined: the launch template sits in the
// quarantine group alone.
function quarantined(s: StackSpec): void {
  s["quarantine-sg"] = {
    type: NetType.securityGroup,
    props: { description: "deny all", tags: { "moat:role": "quarantine" } },
    links: { vpcId: ["vpc"] },
  };
  s["compute-a"].props.vpcSecurityGroupIds = [unknown.string];
  s["compute-a"].links = { vpcSecurityGroupIds: ["quarantine-sg"] };
}

describe("net-quarantine-group-no-inline-rules (NET-11)", () => {
  const policy = netQuarantineGroupNoInlineRules;
  const group = (props: Record<string, unknown>, role = "quarantine") => ({
    type: NetType.securityGroup,
    name: "quarantine-sg",
    props: { tags: { "moat:role": role }, ...props },
  });
  const remove = (direction: string) =>
    `Remove the inline ${direction} rules from quarantine security group "quarantine-sg": a quarantine group denies all traffic, so it carries no rule at all (NET-11).`;

  it("passes a quarantine group without inline rules, and other groups whatever they declare", async () => {
    assert.deepEqual(await runResourcePolicy(policy, group({})), { violations: [] });
    assert.deepEqual(await runResourcePolicy(policy, group({ ingress: [], egress: [] })), { violations: [] });
    assert.deepEqual(await runResourcePolicy(policy, group({ ingress: [{}] }, "head")), { violations: [] });
  });

  it("fails inline rules on a quarantine group, and lists unknown at preview (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      group({ ingress: [{ protocol: "-1" }], egress: unknown.array }),
    );
    assert.deepEqual(run.violations, [remove("ingress"), remove("egress")]);
  });
});

describe("net-quarantine-group-deny-all (NET-11)", () => {
  const policy = netQuarantineGroupDenyAll;
  const onRule = (type: string, name: string, message: string) => ({ message, urn: urnOf(type, name) });

  it("passes a quarantine group no rule touches", () => assertStackVerdict(policy, quarantined, []));

  it("fails standalone rules of every type attached to the quarantine group", () =>
    assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        s["q-in"] = {
          type: NetType.ingressRule,
          props: { ipProtocol: "tcp", fromPort: 22, toPort: 22 },
          links: { securityGroupId: ["quarantine-sg"], referencedSecurityGroupId: ["bastion-sg"] },
        };
        s["q-out"] = {
          type: NetType.egressRule,
          props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
          links: { securityGroupId: ["quarantine-sg"] },
        };
        s["q-legacy"] = {
          type: NetType.legacyRule,
          props: { type: "ingress", protocol: "-1", fromPort: 0, toPort: 0, self: true },
          links: { securityGroupId: ["quarantine-sg"] },
        };
      },
      [
        onRule(
          NetType.ingressRule,
          "q-in",
          `Remove ingress rule "q-in" from ${QUARANTINE}: a quarantine group has no inbound or outbound rule, so the quarantined nodes can reach nothing and nothing can reach them (NET-11).`,
        ),
        onRule(
          NetType.egressRule,
          "q-out",
          `Remove egress rule "q-out" from ${QUARANTINE}: a quarantine group has no inbound or outbound rule, so the quarantined nodes can reach nothing and nothing can reach them (NET-11).`,
        ),
        onRule(
          NetType.legacyRule,
          "q-legacy",
          `Remove security group rule "q-legacy" from ${QUARANTINE}: a quarantine group has no inbound or outbound rule, so the quarantined nodes can reach nothing and nothing can reach them (NET-11).`,
        ),
      ],
    ));

  it("fails a rule on another group that names the quarantine group as its peer", () =>
    assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        s["storage-from-q"] = {
          type: NetType.ingressRule,
          props: { ipProtocol: "tcp", fromPort: 988, toPort: 988 },
          links: { securityGroupId: ["storage-sg"], referencedSecurityGroupId: ["quarantine-sg"] },
        };
        s["head-from-q"] = {
          type: NetType.legacyRule,
          props: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22 },
          links: { securityGroupId: ["head-sg"], sourceSecurityGroupId: ["quarantine-sg"] },
        };
      },
      [
        onRule(
          NetType.ingressRule,
          "storage-from-q",
          `Remove ${QUARANTINE} from referencedSecurityGroupId of ingress rule "storage-from-q": a rule naming the quarantine group opens a path to or from the quarantined nodes (NET-11).`,
        ),
        onRule(
          NetType.legacyRule,
          "head-from-q",
          `Remove ${QUARANTINE} from sourceSecurityGroupId of security group rule "head-from-q": a rule naming the quarantine group opens a path to or from the quarantined nodes (NET-11).`,
        ),
      ],
    ));
});

describe("net-quarantine-node-isolated (NET-11)", () => {
  const policy = netQuarantineNodeIsolated;
  const also = (name: string, type: string, others: string) => ({
    message: `Leave ${name} in quarantine security groups only, such as ${QUARANTINE}: it is also in ${others}, which keeps paths to and from the quarantined nodes open (NET-11).`,
    urn: urnOf(type, name.replace(/^.*"(.*)"$/, "$1")),
  });

  it("passes nodes alone in the quarantine group, and nodes never quarantined", () =>
    assertStackVerdict(policy, quarantined, []));

  it("fails a quarantined launch template also in its old group, by link or literal ID", async () => {
    await assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        s["compute-a"].props.vpcSecurityGroupIds = [unknown.string, unknown.string];
        s["compute-a"].links = { vpcSecurityGroupIds: ["quarantine-sg", "cluster-sg"] };
      },
      [
        also(
          'launch template "compute-a"',
          NetType.launchTemplate,
          'security group "cluster-sg" (moat:role cluster)',
        ),
      ],
    );
    await assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        s["compute-a"].props.vpcSecurityGroupIds = [unknown.string, "sg-0123456789abcdef0"];
      },
      [
        also(
          'launch template "compute-a"',
          NetType.launchTemplate,
          "1 security group given by literal ID or name",
        ),
      ],
    );
  });

  it("fails a quarantined instance whose interface gets a second group through an attachment", () =>
    assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        s["head-0"].props.vpcSecurityGroupIds = [unknown.string];
        s["head-0"].links = { vpcSecurityGroupIds: ["quarantine-sg"] };
        s["head-extra"] = {
          type: "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment",
          props: {},
          links: { networkInterfaceId: ["head-0"], securityGroupId: ["head-sg"] },
        };
      },
      [also('instance "head-0"', NetType.instance, 'security group "head-sg" (moat:role head)')],
    ));

  it("counts launch-template interface groups, a list of computed IDs by its length (POL-2)", () =>
    assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        delete s["compute-a"].props.vpcSecurityGroupIds;
        s["compute-a"].props.networkInterfaces = [
          { deviceIndex: 0, securityGroups: [unknown.string, unknown.string] },
        ];
        s["compute-a"].links = { networkInterfaces: ["quarantine-sg"] };
      },
      [
        also(
          'launch template "compute-a"',
          NetType.launchTemplate,
          "1 security group given by literal ID or name",
        ),
      ],
    ));

  it("passes a multi-card EFA template that repeats the quarantine group on every card", () =>
    assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        delete s["compute-a"].props.vpcSecurityGroupIds;
        s["compute-a"].props.networkInterfaces = Array.from({ length: 32 }, (_, card) => ({
          networkCardIndex: card,
          deviceIndex: card === 0 ? 0 : 1,
          interfaceType: card === 0 ? "efa" : "efa-only",
          securityGroups: [unknown.string],
        }));
        s["compute-a"].links = { networkInterfaces: ["quarantine-sg"] };
      },
      [],
    ));

  it("passes a node in two quarantine groups, such as an EFA group and its node group", () =>
    assertStackVerdict(
      policy,
      (s) => {
        quarantined(s);
        s["quarantine-efa-sg"] = { ...s["quarantine-sg"], props: { ...s["quarantine-sg"].props } };
        s["compute-a"].props.vpcSecurityGroupIds = [unknown.string, unknown.string];
        s["compute-a"].links = { vpcSecurityGroupIds: ["quarantine-sg", "quarantine-efa-sg"] };
      },
      [],
    ));
});
