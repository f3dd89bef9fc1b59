// NET policies on security groups and the rules between them, each from the compliant fixture
// stack with one thing changed. Every stack verdict is asserted with group and rule IDs never
// read, unknown and known (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StackValidationPolicy } from "@pulumi/policy";
import { StackSpec, assertStackVerdict, compliantStack, urnIn, urnOf } from "./net-fixtures";
import {
  netClusterSecurityGroupSelfIngress,
  netNodeSecurityGroupEgressExplicit,
  netSecurityGroupReferencesOwnStack,
  netSecurityGroupRoleTagged,
  netStorageIngressFilesystemOnly,
} from "./net-groups";
import { NetType } from "./net-stack";
import { StackViolation, runResourcePolicy, unknown } from "./testing";

const verdict = (
  policy: StackValidationPolicy,
  change: (s: StackSpec) => void,
  ...expected: StackViolation[]
) => assertStackVerdict(policy, change, expected);

const on = (name: string, message: string) => ({ message, urn: urnIn(compliantStack(), name) });

describe("net-security-group-role-tagged", () => {
  const policy = netSecurityGroupRoleTagged;
  const group = (tags: unknown) => ({
    type: NetType.securityGroup,
    name: "head-sg",
    props: { vpcId: unknown.string, tags },
  });

  it("passes a group tagged with a known role", async () => {
    assert.deepEqual(await runResourcePolicy(policy, group({ "moat:role": "head" })), { violations: [] });
  });

  it("fails a group without a role (NET-2, NET-8)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, group({ Name: "head" })), {
      violations: [
        'Tag security group "head-sg" with moat:role set to one of bastion, head, compute, cluster, endpoint, storage, quarantine: the NET policies decide by role (NET-2, NET-8).',
      ],
    });
  });

  it("fails a role the policies do not know", async () => {
    const run = await runResourcePolicy(policy, group({ "moat:role": "gpu" }));
    assert.match(run.violations[0], /instead of "gpu"/);
  });

  it("fails a role or tag map unknown at preview instead of skipping it (POL-2)", async () => {
    const message =
      'Set the moat:role tag of security group "head-sg" to a literal value: it is unknown at preview, so the NET policies cannot tell which rules apply (POL-2).';
    assert.deepEqual(await runResourcePolicy(policy, group({ "moat:role": unknown.string })), {
      violations: [message],
    });
    assert.deepEqual(await runResourcePolicy(policy, group(unknown.object)), { violations: [message] });
  });
});

describe("net-node-security-group-egress-explicit (NET-2)", () => {
  const policy = netNodeSecurityGroupEgressExplicit;
  const missing = (group: string, role: string) =>
    on(
      group,
      `Add a standalone egress rule to security group "${group}" (moat:role ${role}): an all-traffic aws.vpc.SecurityGroupEgressRule (ipProtocol "-1", cidrIpv4 "0.0.0.0/0") or the tenant's egress allowlist, as the provider removes AWS's implicit one and the nodes would have no outbound access (NET-2).`,
    );

  it("passes node groups with egress rules; storage and endpoint groups need none", () =>
    verdict(policy, () => {}));

  it("fails a head group without an egress rule", () =>
    verdict(policy, (s) => delete s["head-out"], missing("head-sg", "head")));

  it("counts a legacy SecurityGroupRule of type egress, linked by dependency", () =>
    verdict(policy, (s) => {
      s["head-out"] = {
        type: NetType.legacyRule,
        props: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
        links: { securityGroupId: ["head-sg"] },
      };
    }));

  it("does not count a legacy rule whose type is unknown at preview (POL-2)", () =>
    verdict(
      policy,
      (s) => {
        s["head-out"] = {
          type: NetType.legacyRule,
          props: { type: unknown.string, protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
          links: { securityGroupId: ["head-sg"] },
        };
      },
      missing("head-sg", "head"),
    ));

  it("does not count an egress rule on a group outside the stack", () =>
    verdict(
      policy,
      (s) => {
        s["bastion-out"].props.securityGroupId = "sg-0123";
        delete s["bastion-out"].links;
      },
      missing("bastion-sg", "bastion"),
    ));

  it("exempts quarantine groups, which deny everything (NET-11)", () =>
    verdict(policy, (s) => {
      s["quarantine-sg"] = { ...s["head-sg"], props: { tags: { "moat:role": "quarantine" } } };
    }));
});

describe("net-cluster-security-group-self-ingress (NET-3)", () => {
  const policy = netClusterSecurityGroupSelfIngress;
  const missing = on(
    "cluster-sg",
    'Add an all-traffic ingress rule from security group "cluster-sg" (moat:role cluster) to itself (aws.vpc.SecurityGroupIngressRule with ipProtocol "-1" and referencedSecurityGroupId set to the group\'s own id): cluster nodes must reach each other on every port, as EFA requires (NET-3).',
  );

  it("passes a self-referencing all-traffic ingress rule", () => verdict(policy, () => {}));

  it("passes a legacy rule with self: true", () =>
    verdict(policy, (s) => {
      s["cluster-all-cluster"] = {
        type: NetType.legacyRule,
        props: { type: "ingress", protocol: "all", fromPort: 0, toPort: 0, self: true },
        links: { securityGroupId: ["cluster-sg"] },
      };
    }));

  it("fails when only the egress half of the self rule exists", () =>
    verdict(policy, (s) => delete s["cluster-all-cluster"], missing));

  it("fails a self rule limited to tcp", () =>
    verdict(
      policy,
      (s) => Object.assign(s["cluster-all-cluster"].props, { ipProtocol: "tcp", fromPort: 0, toPort: 65535 }),
      missing,
    ));

  it("fails an all-traffic rule from another group", () =>
    verdict(
      policy,
      (s) => (s["cluster-all-cluster"].links!.referencedSecurityGroupId = ["head-sg"]),
      missing,
    ));
});

describe("net-security-group-references-own-stack (NET-4)", () => {
  const policy = netSecurityGroupReferencesOwnStack;

  it("passes rules attached to and referencing groups of the stack", () => verdict(policy, () => {}));

  it("fails a rule that references a literal group ID", () =>
    verdict(
      policy,
      (s) => {
        delete s["head-ssh-bastion"].links!.referencedSecurityGroupId;
        s["head-ssh-bastion"].props.referencedSecurityGroupId = "sg-0another-tenant";
      },
      on(
        "head-ssh-bastion",
        'Reference a security group of this stack in referencedSecurityGroupId of ingress rule "head-ssh-bastion": the referenced group does not come from this stack, so the rule crosses the tenant boundary (NET-4).',
      ),
    ));

  it("fails a legacy rule whose source group is computed outside the stack", () =>
    verdict(
      policy,
      (s) => {
        s["head-ssh-legacy"] = {
          type: NetType.legacyRule,
          props: {
            type: "ingress",
            protocol: "tcp",
            fromPort: 22,
            toPort: 22,
            sourceSecurityGroupId: unknown.string,
          },
          links: { securityGroupId: ["head-sg"] },
        };
      },
      {
        message:
          'Reference a security group of this stack in sourceSecurityGroupId of security group rule "head-ssh-legacy": the referenced group does not come from this stack, so the rule crosses the tenant boundary (NET-4).',
        urn: urnOf(NetType.legacyRule, "head-ssh-legacy"),
      },
    ));

  it("reports a legacy self rule on a group outside the stack once, for its target", () =>
    verdict(
      policy,
      (s) => {
        s["legacy-self"] = {
          type: NetType.legacyRule,
          props: {
            type: "ingress",
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            self: true,
            securityGroupId: "sg-0123",
          },
        };
      },
      {
        message:
          "Attach security group rule \"legacy-self\" to a security group of this stack by passing the group's id output: its securityGroupId does not come from a group in the stack, so it may open another tenant's group (NET-4).",
        urn: urnOf(NetType.legacyRule, "legacy-self"),
      },
    ));

  it("fails a rule attached to a group outside the stack", () =>
    verdict(
      policy,
      (s) => {
        delete s["bastion-ssh"].links;
        s["bastion-ssh"].props.securityGroupId = "sg-0another-tenant";
      },
      on(
        "bastion-ssh",
        "Attach ingress rule \"bastion-ssh\" to a security group of this stack by passing the group's id output: its securityGroupId does not come from a group in the stack, so it may open another tenant's group (NET-4).",
      ),
    ));
});

describe("net-storage-ingress-filesystem-only (NET-8)", () => {
  const policy = netStorageIngressFilesystemOnly;
  const into = 'ingress rule "storage-lustre" into security group "storage-sg" (moat:role storage)';
  const ports = on(
    "storage-lustre",
    `Narrow ${into} to tcp 988, 1018-1023 (Lustre) or 2049 (NFS): storage accepts only its filesystem's ports, and a protocol or range unknown at preview cannot be verified (NET-8).`,
  );
  const source = (what: string) =>
    on(
      "storage-lustre",
      `Replace the source ${what} of ${into} with the cluster's head, compute or cluster security group: storage accepts traffic only from the cluster's own nodes (NET-8).`,
    );

  it("passes Lustre ports from the cluster group and from the storage group itself", () =>
    verdict(policy, () => {}));

  it("passes NFS from the head group", () =>
    verdict(policy, (s) => {
      Object.assign(s["storage-lustre"].props, { fromPort: 2049, toPort: 2049 });
      s["storage-lustre"].links!.referencedSecurityGroupId = ["head-sg"];
    }));

  it("fails SSH into storage", () =>
    verdict(policy, (s) => Object.assign(s["storage-lustre"].props, { fromPort: 22, toPort: 22 }), ports));

  it("fails a range that spills past the Lustre ports", () =>
    verdict(policy, (s) => Object.assign(s["storage-lustre"].props, { fromPort: 988, toPort: 1023 }), ports));

  it("fails a port unknown at preview (POL-2)", () =>
    verdict(policy, (s) => Object.assign(s["storage-lustre"].props, { toPort: unknown.number }), ports));

  const allTraffic = (efaEnabled: boolean) => (s: StackSpec) => {
    const props = s["storage-lustre"].props;
    delete props.fromPort;
    delete props.toPort;
    props.ipProtocol = "-1";
    s.fs = {
      type: "aws:fsx/lustreFileSystem:LustreFileSystem",
      props: { efaEnabled, deploymentType: "PERSISTENT_2" },
      links: { securityGroupIds: ["storage-sg"] },
    };
  };

  it("passes all traffic into the group of an EFA-enabled Lustre file system, as AWS requires", () =>
    verdict(policy, allTraffic(true)));

  it("fails all traffic into the group of a Lustre file system without EFA", () =>
    verdict(policy, allTraffic(false), ports));

  it("fails a source from the bastion group", () =>
    verdict(
      policy,
      (s) => (s["storage-lustre"].links!.referencedSecurityGroupId = ["bastion-sg"]),
      source('security group "bastion-sg" (moat:role bastion)'),
    ));

  it("fails a CIDR source, even the VPC's own", () =>
    verdict(
      policy,
      (s) => {
        delete s["storage-lustre"].links!.referencedSecurityGroupId;
        s["storage-lustre"].props.cidrIpv4 = "10.42.0.0/16";
      },
      source('cidrIpv4 "10.42.0.0/16"'),
    ));
});
