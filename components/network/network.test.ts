import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { Network, NetworkArgs } from "./network";
import { planSubnets, SUBNET_TIERS } from "./subnet-plan";

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly parent: string;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
}

// setMocks is process-global; node's test runner gives each test file its own process.
const registered = new Map<string, { type: string; inputs: Record<string, unknown> }>();
const parentByName = new Map<string, string>();

// waitForRPCs is internal to the SDK but is what `pulumi up` itself awaits before exiting; it
// resolves once every pending registration has reached the mock monitor.
const waitForRegistrations = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

function recordedNamed(prefix: string): Recorded[] {
  return [...registered.entries()]
    .filter(([name]) => name === prefix || name.startsWith(`${prefix}-`))
    .map(([name, { type, inputs }]) => ({ name, type, inputs, parent: parentByName.get(name) ?? "" }));
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

before(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.name, { type: args.type, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "moat",
    "test",
  );
  const monitor = settings.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): unknown;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    parentByName.set(req.getName(), req.getParent());
    return registerResource(req, callback);
  };
});

const goodArgs: NetworkArgs = {
  tenantId: "acme",
  environment: "prod",
  cidr: "10.42.0.0/16",
  availabilityZone: "us-east-1a",
};

describe("Network (NET-1, NET-5, NET-8)", () => {
  const name = "acme-net";
  let network: Network;
  let children: Recorded[];
  const child = (role: string) => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };

  before(async () => {
    network = new Network(name, goodArgs);
    await waitForRegistrations();
    children = recordedNamed(name).filter((r) => r.name !== name);
  });

  it("registers itself with the moat:network:Network type", () => {
    assert.equal(recordedNamed(name).find((r) => r.name === name)?.type, "moat:network:Network");
  });

  it("creates exactly the expected children, named after the component", () => {
    const expected = [
      ["aws:ec2/vpc:Vpc", "vpc"],
      ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg"],
      ["aws:ec2/internetGateway:InternetGateway", "igw"],
      ["aws:ec2/route:Route", "public-internet"],
      ...SUBNET_TIERS.flatMap((tier) => [
        ["aws:ec2/subnet:Subnet", tier],
        ["aws:ec2/routeTable:RouteTable", `${tier}-rt`],
        ["aws:ec2/routeTableAssociation:RouteTableAssociation", `${tier}-rta`],
      ]),
    ].map(([type, role]) => `${type} ${name}-${role}`);
    assert.deepEqual(children.map((c) => `${c.type} ${c.name}`).sort(), expected.sort());
  });

  it("parents every child to the component", async () => {
    const urn = await valueOf(network.urn);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the Network`);
    }
  });

  it("creates a VPC with DNS on and the tenant's Name tag", () => {
    const vpc = child("vpc").inputs;
    assert.equal(vpc.cidrBlock, "10.42.0.0/16");
    assert.equal(vpc.enableDnsHostnames, true);
    assert.equal(vpc.enableDnsSupport, true);
    assert.deepEqual(vpc.tags, { Name: "acme-prod" });
  });

  it("NET-5/NET-8: puts each tier in its planned CIDR in the zone, with no public IP on launch", () => {
    const plan = planSubnets(goodArgs.cidr);
    for (const tier of SUBNET_TIERS) {
      const subnet = child(tier).inputs;
      assert.equal(subnet.cidrBlock, plan[tier], tier);
      assert.equal(subnet.vpcId, `${name}-vpc-id`, tier);
      assert.equal(subnet.availabilityZone, "us-east-1a", tier);
      assert.equal(subnet.mapPublicIpOnLaunch, false, tier);
      assert.deepEqual(subnet.tags, { Name: `acme-prod-${tier}`, "moat:tier": tier });
    }
  });

  it("NET-5/NET-8: associates each tier with its own route table", () => {
    for (const tier of SUBNET_TIERS) {
      assert.equal(child(`${tier}-rt`).inputs.vpcId, `${name}-vpc-id`);
      assert.equal(child(`${tier}-rt`).inputs.routes, undefined, `${tier} table has inline routes`);
      const association = child(`${tier}-rta`).inputs;
      assert.equal(association.subnetId, `${name}-${tier}-id`);
      assert.equal(association.routeTableId, `${name}-${tier}-rt-id`);
    }
  });

  it("NET-5/NET-8: routes only the public tier to the internet gateway, never compute or storage", () => {
    assert.equal(child("igw").inputs.vpcId, `${name}-vpc-id`);
    const routes = children.filter((c) => c.type === "aws:ec2/route:Route");
    assert.deepEqual(
      routes.map((r) => r.inputs),
      [
        {
          routeTableId: `${name}-public-rt-id`,
          destinationCidrBlock: "0.0.0.0/0",
          gatewayId: `${name}-igw-id`,
        },
      ],
    );
    for (const tier of ["compute", "storage", "management"]) {
      assert.ok(!routes.some((r) => r.inputs.routeTableId === `${name}-${tier}-rt-id`), tier);
    }
  });

  it("NET-1: adopts the default security group with no ingress and no egress rules", () => {
    const sg = child("default-sg").inputs;
    assert.equal(sg.vpcId, `${name}-vpc-id`);
    assert.deepEqual(sg.ingress, []);
    assert.deepEqual(sg.egress, []);
  });

  it("exposes the VPC and per-tier subnet IDs and CIDRs", async () => {
    const plan = planSubnets(goodArgs.cidr);
    assert.equal(await valueOf(network.vpcId), `${name}-vpc-id`);
    assert.equal(await valueOf(network.vpcCidr), "10.42.0.0/16");
    for (const tier of SUBNET_TIERS) {
      assert.equal(await valueOf(network.subnetIds[tier]), `${name}-${tier}-id`);
      assert.equal(await valueOf(network.subnetCidrs[tier]), plan[tier]);
    }
  });
});

describe("Network: invalid args (NET-5, NET-8)", () => {
  const invalid = (args: NetworkArgs) => () => new Network("bad-net", args);

  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      invalid({ tenantId: "", environment: "prod", cidr: "10.0.0.0/33", availabilityZone: "us-east-1" }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["tenantId", "cidr", "availabilityZone"],
        );
        assert.match(err.message, /tenantId: set tenantId, e\.g\. acme/);
        assert.match(err.message, /cidr: "10\.0\.0\.0\/33" is not an IPv4 CIDR block/);
        assert.match(err.message, /availabilityZone: "us-east-1" is a region; .* us-east-1a/);
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-net"), []);
  });

  it("refuses a public range, reporting each CIDR problem with its fix", async () => {
    assert.throws(invalid({ ...goodArgs, cidr: "8.8.8.0/25" }), (err: pulumi.InputPropertiesError) => {
      assert.deepEqual(
        err.errors.map((e) => e.propertyPath),
        ["cidr", "cidr"],
      );
      assert.match(err.message, /is a \/25/);
      assert.match(err.message, /not inside a private range .*e\.g\. 10\.42\.0\.0\/16/);
      return true;
    });
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-net"), []);
  });
});
