// NET policies on the network's edges: connections to other networks (NET-4), public addresses
// on compute (NET-5) and internet routes from compute and storage subnets (NET-5, NET-8).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CROSS_NETWORK_TYPES,
  netComputeNoPublicIp,
  netPrivateSubnetsNoInternetRoute,
  netVpcCrossNetworkLinksAbsent,
} from "./net-edge";
import {
  StackSpec,
  assertStackVerdict,
  compliantStack,
  resourceFixtures,
  urnIn,
  urnOf,
} from "./net-fixtures";
import { NetType } from "./net-stack";
import { StackViolation, runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };

describe("net-vpc-cross-network-links-absent (NET-4)", () => {
  const policy = netVpcCrossNetworkLinksAbsent;

  it("passes every resource of the compliant stack", async () => {
    for (const resource of resourceFixtures(compliantStack())) {
      const run = await runResourcePolicy(policy, resource);
      assert.deepEqual(run.violations, [], resource.name);
    }
  });

  for (const type of CROSS_NETWORK_TYPES) {
    it(`fails ${type}`, async () => {
      const kind = type.slice(type.lastIndexOf(":") + 1);
      assert.deepEqual(
        await runResourcePolicy(policy, { type, name: "link", props: { vpcId: unknown.string } }),
        {
          violations: [
            `Remove ${kind} "link": a tenant's VPC connects to no other network, so no path leads to another tenant's cluster (NET-4).`,
          ],
        },
      );
    });
  }

  it("fails a standalone route to a peering connection even when its ID is unknown (POL-2)", async () => {
    const route = {
      type: NetType.route,
      name: "to-peer",
      props: { routeTableId: unknown.string, vpcPeeringConnectionId: unknown.string },
    };
    assert.deepEqual(await runResourcePolicy(policy, route), {
      violations: ['Remove route "to-peer": its vpcPeeringConnectionId leads into another network (NET-4).'],
    });
  });

  it("fails an inline transit gateway route and a literal VPN gateway, and passes NAT", async () => {
    const routes = [
      { cidrBlock: "0.0.0.0/0", natGatewayId: unknown.string },
      { cidrBlock: "10.0.0.0/8", transitGatewayId: "tgw-0123" },
      { cidrBlock: "172.16.0.0/12", gatewayId: "vgw-0123" },
    ];
    assert.deepEqual(
      await runResourcePolicy(policy, { type: NetType.routeTable, name: "compute-rt", props: { routes } }),
      {
        violations: [
          'Remove routes[1] from route table "compute-rt": its transitGatewayId leads into another network or cannot be verified (NET-4).',
          'Remove routes[2] from route table "compute-rt": its gatewayId (a VPN gateway) leads into another network or cannot be verified (NET-4).',
        ],
      },
    );
  });

  it("fails an inline route entry that is unknown as a whole", async () => {
    const run = await runResourcePolicy(policy, {
      type: NetType.defaultRouteTable,
      name: "main",
      props: { routes: [unknown.object] },
    });
    assert.deepEqual(run.violations, [
      'Remove routes[0] from route table "main": its value (unknown at preview) leads into another network or cannot be verified (NET-4).',
    ]);
  });
});

describe("net-compute-no-public-ip (NET-5)", () => {
  const policy = netComputeNoPublicIp;
  const instance = (props: Record<string, unknown>) => ({
    type: NetType.instance,
    name: "compute-0",
    props: { subnetId: unknown.string, tags: { "moat:role": "compute" }, ...props },
  });
  const template = (
    nic: Record<string, unknown>,
    tags: Record<string, unknown> = { "moat:role": "compute" },
    more: Record<string, unknown> = {},
  ) => ({
    type: NetType.launchTemplate,
    name: "compute-a",
    props: { tags, networkInterfaces: [{ deviceIndex: 0, ...nic }], ...more },
  });

  it("passes compute nodes without a public IP", async () => {
    assert.deepEqual(await runResourcePolicy(policy, instance({})), passes);
    assert.deepEqual(await runResourcePolicy(policy, instance({ associatePublicIpAddress: false })), passes);
    assert.deepEqual(
      await runResourcePolicy(policy, template({ associatePublicIpAddress: "false" })),
      passes,
    );
  });

  it("does not apply to the bastion, which needs an address", async () => {
    const run = await runResourcePolicy(policy, {
      ...instance({ associatePublicIpAddress: true }),
      props: { tags: { "moat:role": "bastion" } },
    });
    assert.equal(run.notApplicable, "Policy only applies to compute nodes");
  });

  it("fails a compute instance with a public IP", async () => {
    assert.deepEqual(await runResourcePolicy(policy, instance({ associatePublicIpAddress: true })), {
      violations: [
        'Set associatePublicIpAddress of compute instance "compute-0" to false or leave it out: compute nodes have no public IP and leave the VPC only through NAT (NET-5).',
      ],
    });
  });

  it("fails a flag unknown at preview (POL-2)", async () => {
    const run = await runResourcePolicy(policy, instance({ associatePublicIpAddress: unknown.boolean }));
    assert.equal(run.violations.length, 1);
  });

  it("fails a launch template interface with a public IP, found through its instance tag specification", async () => {
    const spec = template(
      { associatePublicIpAddress: "true" },
      {},
      {
        tagSpecifications: [
          { resourceType: "volume" },
          { resourceType: "instance", tags: { "moat:role": "compute" } },
        ],
      },
    );
    assert.deepEqual(await runResourcePolicy(policy, spec), {
      violations: [
        'Set networkInterfaces[0].associatePublicIpAddress of compute launch template "compute-a" to false or leave it out: compute nodes have no public IP and leave the VPC only through NAT (NET-5).',
      ],
    });
  });

  it("checks a node whose role is unknown at preview as compute (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      template({ associateCarrierIpAddress: true }, { "moat:role": unknown.string }),
    );
    assert.deepEqual(run.violations, [
      'Set networkInterfaces[0].associateCarrierIpAddress of compute launch template "compute-a" to false or leave it out: compute nodes have no public IP and leave the VPC only through NAT (NET-5).',
    ]);
  });
});

describe("net-private-subnets-no-internet-route (NET-5, NET-8)", () => {
  const policy = netPrivateSubnetsNoInternetRoute;
  const verdict = (change: (s: StackSpec) => void, ...expected: StackViolation[]) =>
    assertStackVerdict(policy, change, expected);
  const computeIgw = {
    message:
      'Remove route "compute-igw" from route table "compute-rt" of compute subnet "compute": compute nodes leave the VPC only through NAT, never through an internet gateway (NET-5).',
    urn: urnOf(NetType.route, "compute-igw"),
  };
  const addRoute =
    (table: string, links: Record<string, string[]>, props: Record<string, unknown> = {}) =>
    (s: StackSpec) => {
      s[`${table}-igw`] = {
        type: NetType.route,
        props: { destinationCidrBlock: "0.0.0.0/0", ...props },
        links: { routeTableId: [`${table}-rt`], ...links },
      };
    };

  it("passes compute through NAT and the internet route only on the public table", () => verdict(() => {}));

  it("fails a compute route to the stack's internet gateway", () =>
    verdict(addRoute("compute", { gatewayId: ["igw"] }), computeIgw));

  it("fails a compute route to a literal internet gateway ID", () =>
    verdict(addRoute("compute", {}, { gatewayId: "igw-0123" }), computeIgw));

  it("fails a gateway computed outside the stack, which it cannot place (POL-2)", () =>
    verdict(addRoute("compute", {}, { gatewayId: unknown.string }), {
      message:
        'Build the target of route "compute-igw" from a gateway of this stack or a literal: it is unknown at preview and linked to no gateway, so this policy cannot tell whether route table "compute-rt" of compute subnet "compute" reaches the internet (NET-5, POL-2).',
      urn: urnOf(NetType.route, "compute-igw"),
    }));

  it("fails a storage route through NAT (NET-8)", () =>
    verdict(addRoute("storage", { natGatewayId: ["nat"] }), {
      message:
        'Remove route "storage-igw" from route table "storage-rt" of storage subnet "storage": storage routes nothing to the internet, not even through NAT (NET-5, NET-8).',
      urn: urnOf(NetType.route, "storage-igw"),
    }));

  it("fails an inline internet route on the compute table, linked through routes", () =>
    verdict(
      (s) => {
        s["compute-rt"].props.routes = [{ cidrBlock: "0.0.0.0/0", gatewayId: unknown.string }];
        s["compute-rt"].links = { ...s["compute-rt"].links, routes: ["igw"] };
      },
      {
        message:
          'Remove routes[0] from route table "compute-rt" of compute subnet "compute": compute nodes leave the VPC only through NAT, never through an internet gateway (NET-5).',
        urn: urnIn(compliantStack(), "compute-rt"),
      },
    ));

  it("treats an unknown routes list as the provider's echo of a table that declares none", () =>
    verdict((s) => (s["compute-rt"].props.routes = unknown.array)));

  it("fails a compute subnet with no route table of its own", () =>
    verdict((s) => delete s["compute-rta"], {
      message:
        'Associate compute subnet "compute" with a route table of this stack: otherwise it uses the VPC\'s main route table, whose routes this policy cannot see (NET-5).',
      urn: urnIn(compliantStack(), "compute"),
    }));

  it("fails a subnet tier unknown at preview (POL-2)", () =>
    verdict((s) => (s.compute.props.tags = { "moat:tier": unknown.string }), {
      message:
        'Set the moat:tier tag of subnet "compute" to a literal value: it is unknown at preview, so this policy cannot tell whether the subnet may reach the internet (NET-5, POL-2).',
      urn: urnIn(compliantStack(), "compute"),
    }));
});
