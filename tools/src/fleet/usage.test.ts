import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { lookupInstanceType } from "../../../components/compute-group/instance-catalogue";
import { placeStack } from "./placement";
import { registration, tenantStack, testStack } from "./testing";
import { isPFamily, usageByRegion, type Catalogue } from "./usage";

/** The program's own catalogue, as `moat plan` loads it. */
const catalogue: Catalogue = (type) => lookupInstanceType(type);

describe("quota use per account and region", () => {
  it("counts what one tenant declares, nodes times the launch template's interfaces and the type's vCPUs", () => {
    const [usage] = usageByRegion([placeStack(tenantStack({ stack: "acme-prod" }))], catalogue);
    assert.equal(usage.account, "111111111111");
    assert.equal(usage.region, "us-east-1");
    assert.deepEqual(usage.stacks, ["acme-prod"]);
    assert.deepEqual(usage.use, {
      elasticIps: 2,
      vpcs: 1,
      internetGateways: 1,
      natGatewaysPerAz: 1,
      gatewayEndpoints: 1,
      interfaceEndpointsPerVpc: 1,
      // 2 nodes x 32 EFA interfaces, the endpoint's interface, the NAT gateway's.
      networkInterfaces: 2 * 32 + 1 + 1,
      // p5.48xlarge: 192 vCPUs.
      pInstanceVcpus: 2 * 192,
      lustreStorageGiB: 0,
      lustreFileSystems: 0,
      eventBridgeRules: 1,
    });
  });

  it("adds up the stacks of one account and region, and keeps other accounts and regions apart", () => {
    const usage = usageByRegion(
      [
        tenantStack({ stack: "a-prod" }),
        tenantStack(
          { stack: "b-prod", cidr: "10.0.16.0/20" },
          { instanceType: "p5en.48xlarge", nodes: 3, cards: 16 },
        ),
        tenantStack({ stack: "c-prod", account: "222222222222" }),
        tenantStack({ stack: "d-prod", region: "eu-west-1" }),
      ].map(placeStack),
      catalogue,
    );
    assert.deepEqual(
      usage.map((u) => [u.account, u.region, u.stacks.join(" "), u.use.elasticIps, u.use.pInstanceVcpus]),
      [
        ["111111111111", "us-east-1", "a-prod b-prod", 4, 2 * 192 + 3 * 192],
        ["222222222222", "us-east-1", "c-prod", 2, 384],
        ["111111111111", "eu-west-1", "d-prod", 2, 384],
      ],
    );
    const [shared] = usage;
    assert.equal(shared.use.networkInterfaces, 2 * 32 + 2 + 3 * 16 + 2);
    // Per VPC and per zone quotas take the largest VPC and zone, not the sum.
    assert.equal(shared.use.interfaceEndpointsPerVpc, 1);
    assert.equal(shared.use.natGatewaysPerAz, 2);
  });

  it("counts Lustre storage, rules on the default bus only, and names P types the catalogue lacks", () => {
    const [usage] = usageByRegion(
      [
        placeStack(
          testStack({ stack: "x" }, (s) => [
            registration(s, "aws:fsx/lustreFileSystem:LustreFileSystem", "fs", { storageCapacity: 38400 }),
            registration(s, "aws:fsx/lustreFileSystem:LustreFileSystem", "fs2", { storageCapacity: 1200 }),
            registration(s, "aws:cloudwatch/eventRule:EventRule", "own-bus", { eventBusName: "tenant" }),
            registration(s, "aws:cloudwatch/eventRule:EventRule", "default-bus", { eventBusName: "default" }),
            registration(s, "aws:ec2/instance:Instance", "p6e", { instanceType: "p6e-gb200.36xlarge" }),
            registration(s, "aws:ec2/instance:Instance", "head", { instanceType: "m7i.xlarge" }),
          ]),
        ),
      ],
      catalogue,
    );
    assert.equal(usage.use.lustreStorageGiB, 39600);
    assert.equal(usage.use.lustreFileSystems, 2);
    assert.equal(usage.use.eventBridgeRules, 1);
    assert.equal(usage.use.networkInterfaces, 2);
    assert.equal(usage.use.pInstanceVcpus, 0);
    assert.deepEqual(usage.unknownTypes, ["p6e-gb200.36xlarge"]);
  });

  it("takes P-family types only: p4d to p6, never g, trn or inf", () => {
    for (const type of ["p4d.24xlarge", "p5en.48xlarge", "p6-b200.48xlarge"])
      assert.ok(isPFamily(type), type);
    fc.assert(
      fc.property(fc.constantFrom("g", "trn", "inf", "m", "c", "t"), fc.nat(9), (family, generation) => {
        assert.equal(isPFamily(`${family}${generation}.xlarge`), false);
      }),
    );
  });
});
