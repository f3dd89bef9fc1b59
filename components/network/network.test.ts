import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { planSubnets, SUBNET_TIERS } from "./subnet-plan";
import {
  ACCOUNT,
  BuiltNetwork,
  buildNetwork,
  goodArgs,
  installRecordingMocks,
  KEY,
  recordedNamed,
  valueOf,
} from "./testing";

before(installRecordingMocks);

describe("Network (NET-1, NET-4, NET-5, NET-8, NET-10)", () => {
  const name = "acme-net";
  let built: BuiltNetwork;
  before(async () => {
    built = await buildNetwork(name, goodArgs);
  });

  it("registers itself with the moat:network:Network type", () => {
    assert.equal(recordedNamed(name).find((r) => r.name === name)?.type, "moat:network:Network");
  });

  it("creates exactly the expected children, named after the component", () => {
    const expected = [
      ["aws:ec2/vpc:Vpc", "vpc"],
      ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg"],
      ["aws:ec2/defaultRouteTable:DefaultRouteTable", "default-rt"],
      ["aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "default-nacl"],
      ["aws:ec2/internetGateway:InternetGateway", "igw"],
      ["aws:ec2/eip:Eip", "nat-eip"],
      ["aws:ec2/natGateway:NatGateway", "nat"],
      ["aws:ec2/route:Route", "public-internet"],
      ["aws:ec2/route:Route", "management-internet"],
      ["aws:ec2/route:Route", "compute-internet"],
      ["aws:ec2/vpcEndpoint:VpcEndpoint", "s3"],
      ["aws:cloudwatch/logGroup:LogGroup", "flow-logs"],
      ["aws:iam/role:Role", "flow-logs-role"],
      ["aws:iam/rolePolicy:RolePolicy", "flow-logs-policy"],
      ["aws:ec2/flowLog:FlowLog", "flow-log"],
      ...SUBNET_TIERS.flatMap((tier) => [
        ["aws:ec2/subnet:Subnet", tier],
        ["aws:ec2/routeTable:RouteTable", `${tier}-rt`],
        ["aws:ec2/routeTableAssociation:RouteTableAssociation", `${tier}-rta`],
      ]),
    ].map(([type, role]) => `${type} ${name}-${role}`);
    assert.deepEqual(built.children.map((c) => `${c.type} ${c.name}`).sort(), expected.sort());
  });

  it("parents every child to the component", async () => {
    const urn = await valueOf(built.network.urn);
    for (const c of built.children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the Network`);
    }
  });

  it("creates a VPC with DNS on, the tenant's Name tag and its access mode (NET-7)", () => {
    const vpc = built.child("vpc").inputs;
    assert.equal(vpc.cidrBlock, "10.42.0.0/16");
    assert.equal(vpc.enableDnsHostnames, true);
    assert.equal(vpc.enableDnsSupport, true);
    assert.deepEqual(vpc.tags, { Name: "acme-prod", "moat:access-mode": "bastion" });
  });

  it("NET-5/NET-8: puts each tier in its planned CIDR in the zone, with no public IP on launch", () => {
    const plan = planSubnets(goodArgs.cidr);
    for (const tier of SUBNET_TIERS) {
      const subnet = built.child(tier).inputs;
      assert.equal(subnet.cidrBlock, plan[tier], tier);
      assert.equal(subnet.vpcId, `${name}-vpc-id`, tier);
      assert.equal(subnet.availabilityZone, "us-east-1a", tier);
      assert.equal(subnet.mapPublicIpOnLaunch, false, tier);
      assert.deepEqual(subnet.tags, { Name: `acme-prod-${tier}`, "moat:tier": tier });
    }
  });

  it("NET-5/NET-8: associates each tier with its own route table, without inline routes", () => {
    for (const tier of SUBNET_TIERS) {
      assert.equal(built.child(`${tier}-rt`).inputs.vpcId, `${name}-vpc-id`);
      assert.equal(built.child(`${tier}-rt`).inputs.routes, undefined, `${tier} table has inline routes`);
      assert.deepEqual(built.child(`${tier}-rt`).inputs.tags, {
        Name: `acme-prod-${tier}`,
        "moat:tier": tier,
      });
      const association = built.child(`${tier}-rta`).inputs;
      assert.equal(association.subnetId, `${name}-${tier}-id`);
      assert.equal(association.routeTableId, `${name}-${tier}-rt-id`);
    }
  });

  it("NET-5/NET-8: routes public to the internet gateway, management and compute to the NAT, storage nowhere", () => {
    assert.equal(built.child("igw").inputs.vpcId, `${name}-vpc-id`);
    assert.deepEqual(built.routes, {
      public: { name: "public-internet", destinationCidrBlock: "0.0.0.0/0", gatewayId: `${name}-igw-id` },
      management: {
        name: "management-internet",
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: `${name}-nat-id`,
      },
      compute: {
        name: "compute-internet",
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: `${name}-nat-id`,
      },
    });
  });

  it("NET-5: puts one NAT gateway with its own Elastic IP in the public subnet, after the internet gateway", () => {
    assert.deepEqual(built.child("nat-eip").inputs, { domain: "vpc", tags: { Name: "acme-prod-nat" } });
    assert.deepEqual(built.child("nat").inputs, {
      connectivityType: "public",
      allocationId: `${name}-nat-eip-id`,
      subnetId: `${name}-public-id`,
      tags: { Name: "acme-prod" },
    });
    for (const role of ["nat", "nat-eip"]) {
      assert.ok(
        built.child(role).dependencies.some((urn) => urn.endsWith(`::${name}-igw`)),
        `${role} does not wait for the internet gateway`,
      );
    }
  });

  it("NET-1: adopts the default security group with no ingress and no egress rules", () => {
    const sg = built.child("default-sg").inputs;
    assert.equal(sg.vpcId, `${name}-vpc-id`);
    assert.deepEqual(sg.ingress, []);
    assert.deepEqual(sg.egress, []);
  });

  it("NET-4: adopts the main route table with no routes beyond the VPC's own", () => {
    assert.deepEqual(built.child("default-rt").inputs, {
      defaultRouteTableId: `${name}-vpc-main-rtb`,
      routes: [],
      tags: { Name: "acme-prod-default-local-only" },
    });
  });

  it("NET-1/NET-4: makes the default NACL explicit on every subnet, leaving filtering to security groups", () => {
    const allowAll = {
      ruleNo: 100,
      action: "allow",
      protocol: "-1",
      cidrBlock: "0.0.0.0/0",
      fromPort: 0,
      toPort: 0,
    };
    assert.deepEqual(built.child("default-nacl").inputs, {
      defaultNetworkAclId: `${name}-vpc-default-acl`,
      subnetIds: SUBNET_TIERS.map((tier) => `${name}-${tier}-id`),
      ingress: [allowAll],
      egress: [allowAll],
      tags: { Name: "acme-prod-sg-enforced" },
    });
  });

  it("NET-4: creates no peering, transit gateway, VPN or other route to outside the tenant", () => {
    const outward = built.children.filter((c) =>
      /vpcPeering|transitGateway|vpnGateway|vpnConnection|customerGateway|egressOnly/i.test(c.type),
    );
    assert.deepEqual(outward, []);
    for (const route of Object.values(built.routes)) {
      assert.equal(route.destinationCidrBlock, "0.0.0.0/0");
    }
  });

  it("attaches the S3 gateway endpoint to the management, compute and storage tables only", () => {
    assert.deepEqual(built.child("s3").inputs, {
      vpcId: `${name}-vpc-id`,
      serviceName: "com.amazonaws.us-east-1.s3",
      vpcEndpointType: "Gateway",
      routeTableIds: ["management", "compute", "storage"].map((tier) => `${name}-${tier}-rt-id`),
      tags: { Name: "acme-prod-s3", "moat:role": "endpoint" },
    });
  });

  it("NET-10/DAT-4: sends flow logs to a named, KMS-encrypted group kept 365 days, protected and retained", () => {
    const group = built.child("flow-logs");
    assert.deepEqual(group.inputs, {
      name: "/moat/acme-prod/vpc-flow-logs",
      kmsKeyId: KEY,
      retentionInDays: 365,
      tags: { "moat:role": "flow-logs" },
    });
    assert.equal(group.protect, true);
    assert.equal(group.retainOnDelete, true);
  });

  it("NET-10: logs ALL traffic of the VPC to that group through the flow-log role, by known ARNs", () => {
    const flowLog = built.child("flow-log");
    assert.deepEqual(flowLog.inputs, {
      vpcId: `${name}-vpc-id`,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/moat/acme-prod/vpc-flow-logs`,
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/moat-acme-prod-flow-logs`,
      maxAggregationInterval: 60,
      tags: { Name: "acme-prod", "moat:role": "flow-logs" },
    });
    for (const role of ["flow-logs", "flow-logs-role", "flow-logs-policy"]) {
      assert.ok(
        flowLog.dependencies.some((urn) => urn.endsWith(`::${name}-${role}`)),
        `the flow log does not wait for ${role}`,
      );
    }
  });

  it("NET-10/IAM-3: lets only this account's flow logs assume the role, tagged flow-logs", () => {
    const role = built.child("flow-logs-role").inputs;
    assert.equal(role.name, "moat-acme-prod-flow-logs");
    assert.deepEqual(role.tags, { "moat:role": "flow-logs" });
    assert.deepEqual(JSON.parse(String(role.assumeRolePolicy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "VpcFlowLogsOfThisAccountOnly",
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": ACCOUNT },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/*` },
          },
        },
      ],
    });
  });

  it("NET-10/CMP-7: grants the role only stream writes on its own log group, never *", () => {
    const policy = built.child("flow-logs-policy").inputs;
    assert.equal(policy.role, "moat-acme-prod-flow-logs");
    const group = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/moat/acme-prod/vpc-flow-logs`;
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteTenantFlowLogGroupOnly",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [group, `${group}:*`],
        },
      ],
    });
  });

  it("exposes the VPC, per-tier subnets and route tables, gateways and flow-log group", async () => {
    const { network } = built;
    const plan = planSubnets(goodArgs.cidr);
    assert.equal(await valueOf(network.vpcId), `${name}-vpc-id`);
    assert.equal(await valueOf(network.vpcCidr), "10.42.0.0/16");
    for (const tier of SUBNET_TIERS) {
      assert.equal(await valueOf(network.subnetIds[tier]), `${name}-${tier}-id`);
      assert.equal(await valueOf(network.subnetCidrs[tier]), plan[tier]);
      assert.equal(await valueOf(network.routeTableIds[tier]), `${name}-${tier}-rt-id`);
    }
    assert.equal(await valueOf(network.natGatewayId), `${name}-nat-id`);
    assert.equal(await valueOf(network.internetGatewayId), `${name}-igw-id`);
    assert.equal(await valueOf(network.flowLogGroupName), "/moat/acme-prod/vpc-flow-logs");
  });
});
