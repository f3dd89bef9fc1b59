// The shared model behind the NET access-path policies: tag conventions pinned to the components
// that set them, rules of all three types in one shape, and where their sources lie (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TAG_TIER as NETWORK_TIER } from "../../components/network/subnet-plan";
import {
  MOAT_ROLES,
  TAG_ACCESS_MODE as TENANT_ACCESS_MODE,
  TAG_ROLE as TENANT_ROLE,
} from "../../components/tenant/tags";
import { buildStack, compliantStack } from "./net-fixtures";
import { RulePeer, describePeer, mayAdmitTcp, netRule, originOf } from "./net-rules";
import {
  NetType,
  SECURITY_GROUP_ROLES,
  TAG_ACCESS_MODE,
  TAG_ROLE,
  TAG_TIER,
  readTag,
  stackVpcs,
} from "./net-stack";
import { UNKNOWN } from "./props";
import { neverRead, stackResource, unknown } from "./testing";

describe("tag conventions", () => {
  it("uses the tag keys the components set (the pack cannot import them)", () => {
    assert.equal(TAG_ROLE, TENANT_ROLE);
    assert.equal(TAG_ACCESS_MODE, TENANT_ACCESS_MODE);
    assert.equal(TAG_TIER, NETWORK_TIER);
  });

  it("knows only security group roles the components define", () => {
    for (const role of SECURITY_GROUP_ROLES) {
      assert.ok((MOAT_ROLES as readonly string[]).includes(role), role);
    }
  });

  it("reads a tag, an absent one, and an unknown tag map without throwing", () => {
    assert.equal(readTag({ tags: { [TAG_ROLE]: "head" } }, TAG_ROLE), "head");
    assert.equal(readTag({ tags: {} }, TAG_ROLE), undefined);
    assert.equal(readTag({}, TAG_ROLE), undefined);
    const computed = stackResource({ type: NetType.securityGroup, props: { tags: unknown.object } });
    assert.equal(readTag(computed.props, TAG_ROLE), UNKNOWN);
  });
});

describe("netRule", () => {
  const group = stackResource({ type: NetType.securityGroup, name: "head", props: {} });

  it("shapes a legacy rule with several CIDRs, self and an unknown type, without reading securityGroupId", () => {
    const legacy = stackResource(
      {
        type: NetType.legacyRule,
        name: "legacy",
        props: neverRead(
          {
            type: unknown.string,
            protocol: "6",
            fromPort: 22,
            toPort: 22,
            cidrBlocks: ["10.0.0.0/8", unknown.string],
            self: true,
          },
          "securityGroupId",
        ),
      },
      { propertyDependencies: { securityGroupId: [group] } },
    );
    const rule = netRule(legacy);
    assert.equal(rule?.direction, UNKNOWN);
    assert.equal(rule?.protocol, "tcp");
    assert.deepEqual(
      rule?.peers.map((p) => [p.property, p.kind, p.cidr === UNKNOWN ? "unknown" : p.cidr]),
      [
        ["cidrBlocks[0]", "cidr", "10.0.0.0/8"],
        ["cidrBlocks[1]", "cidr", "unknown"],
        ["self", "group", undefined],
      ],
    );
    assert.deepEqual(rule?.groups, [group]);
  });

  it("gives a group reference with no link in the stack no groups (NET-4)", () => {
    const external = stackResource({
      type: NetType.ingressRule,
      props: { ipProtocol: "-1", referencedSecurityGroupId: "sg-0other" },
    });
    assert.deepEqual(netRule(external)?.peers, [
      { property: "referencedSecurityGroupId", kind: "group", networks: [], groups: [] },
    ]);
  });

  it("ignores other resource types", () => {
    assert.equal(netRule(group), undefined);
  });

  it("counts an unknown protocol or port range as admitting any port", () => {
    const rule = (props: object) =>
      netRule(stackResource({ type: NetType.ingressRule, props: { cidrIpv4: "0.0.0.0/0", ...props } }))!;
    assert.ok(mayAdmitTcp(rule({ ipProtocol: unknown.string }), 8888));
    assert.ok(mayAdmitTcp(rule({ ipProtocol: "tcp", fromPort: 22, toPort: unknown.number }), 8888));
    assert.ok(!mayAdmitTcp(rule({ ipProtocol: "tcp", fromPort: 22, toPort: 22 }), 8888));
    assert.ok(!mayAdmitTcp(rule({ ipProtocol: "udp", fromPort: 0, toPort: 65535 }), 22));
  });
});

describe("originOf", () => {
  const resources = buildStack(compliantStack());
  const vpcs = stackVpcs(resources);
  const vpc = resources.find((r) => r.type === NetType.vpc)!;
  const cidr = (value: unknown, networks = [] as typeof resources): RulePeer => ({
    property: "cidrIpv4",
    kind: "cidr",
    cidr: value as string,
    networks,
    groups: [],
  });

  for (const [value, origin] of [
    ["10.42.3.0/24", "inside"],
    ["10.43.0.0/24", "outside"],
    ["0.0.0.0/0", "world"],
    ["::/0", "world"],
    ["not a cidr", "outside"],
  ] as const) {
    it(`places literal ${value} ${origin}`, () => {
      assert.equal(originOf(cidr(value), vpcs, resources), origin);
    });
  }

  it("places a computed block inside only when built from the stack's VPC or one of its subnets", () => {
    const subnet = resources.find((r) => r.name === "compute")!;
    assert.equal(originOf(cidr(UNKNOWN, [vpc]), vpcs, resources), "inside");
    assert.equal(originOf(cidr(UNKNOWN, [subnet]), vpcs, resources), "inside");
    assert.equal(originOf(cidr(UNKNOWN), vpcs, resources), "outside");
  });

  it("places a prefix list outside and a group reference as a group", () => {
    const prefix: RulePeer = { property: "prefixListId", kind: "prefix-list", networks: [], groups: [] };
    assert.equal(originOf(prefix, vpcs, resources), "outside");
    assert.equal(originOf({ ...prefix, kind: "group" }, vpcs, resources), "group");
  });

  it("names a literal peer with its value and a computed one by property", () => {
    assert.equal(describePeer(cidr("10.0.0.0/8")), 'cidrIpv4 "10.0.0.0/8"');
    assert.equal(describePeer(cidr(UNKNOWN)), "cidrIpv4");
  });
});
