/**
 * AUD-2's clause "a tenant's rules match only its own resources, so tenants that share an account
 * never receive each other's events", proven on real plans: every stack in stacks/ and
 * tests/fixtures/stacks, planned once with the cloud's values known (tests/plans.ts). For each
 * tenant B, one event is synthesised per event name of the catalogue and per resource of B's it
 * concerns, shaped as CloudTrail and GuardDuty record them; its rules' patterns are read from A's
 * plan and matched by components/security-alerts/pattern-match.ts (EventBridge's documented
 * semantics). For every ordered pair of tenants (A, B), with B placed in A's account and region as
 * if they shared it, none of A's rules matches any of B's events; and B's own rules match each of
 * them, so the first claim cannot hold by matching nothing.
 *
 * The IDs are those the offline cloud gave (tools/src/plan/fixtures.ts), checked against the IDs
 * the plan's own references carry. Written for any stacks: expectations come from the plans.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AUDIT_EVENT_RULES, GUARDDUTY_ALERT_TYPES } from "../components/security-alerts/audit-events";
import { matchesPattern } from "../components/security-alerts/pattern-match";
import { Fixtures, pinnedAccount } from "../tools/src/plan/fixtures";
import { planSet } from "./plans";
import type { PlanFile, PlannedResource } from "./stack-checks";

/** Where an event happens: the account and region EventBridge delivers it in. */
interface Place {
  readonly account: string;
  readonly region: string;
}

/** What a tenant's plan holds that events can be about, and its alert rules. */
interface Tenant {
  readonly label: string;
  readonly tenantId: string;
  readonly home: Place;
  readonly resources: Readonly<Record<Kind, readonly Owned[]>>;
  readonly rules: readonly { readonly name: string; readonly pattern: object }[];
}

/** A resource of the tenant an event can name: its ID (or name), and the resource it came from. */
interface Owned {
  readonly id: string;
  readonly from: string;
  /** For instances: the name of the instance profile the instance wears. */
  readonly profile?: string;
}

/** What an event can be about. */
type Kind =
  | "vpc"
  | "subnet"
  | "securityGroup"
  | "networkAcl"
  | "routeTable"
  | "internetGateway"
  | "natGateway"
  | "role"
  | "instanceProfile"
  | "key"
  | "instance"
  | "keyPair"
  | "defaultSecurityGroup"
  | "defaultNetworkAcl"
  | "mainRouteTable";

// IDs that belong to no tenant, for the other side of an event naming two resources.
const NOBODY = {
  vpc: "vpc-0000000000000000f",
  subnet: "subnet-0000000000000000f",
  routeTable: "rtb-0000000000000000f",
  internetGateway: "igw-0000000000000000f",
  role: "someone-elses-role",
  instanceProfile: "someone-elses-profile",
};

type Params = Record<string, unknown>;

/**
 * One row per event name and kind of resource it concerns: the request parameters CloudTrail
 * records for that call naming `id`, as the API references spell them (lower-case first letter;
 * the newer EC2 APIs wrapped in `<Action>Request`). Written apart from the catalogue's scoping
 * fields, so a wrong field there makes a tenant miss its own events here.
 */
const CLOUDTRAIL_CALLS: readonly {
  source: string;
  eventName: string;
  about: Kind;
  params(id: string): Params;
}[] = [
  ...[
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
  ].map((eventName) => ({
    source: "aws.ec2",
    eventName,
    about: "securityGroup" as Kind,
    params: (id: string) => ({
      groupId: id,
      ipPermissions: {
        items: [
          { ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: "0.0.0.0/0" }] } },
        ],
      },
    }),
  })),
  {
    source: "aws.ec2",
    eventName: "DeleteSecurityGroup",
    about: "securityGroup",
    params: (id) => ({ groupId: id }),
  },
  {
    source: "aws.ec2",
    eventName: "ModifySecurityGroupRules",
    about: "securityGroup",
    params: (id) => ({
      ModifySecurityGroupRulesRequest: {
        GroupId: id,
        SecurityGroupRule: {
          SecurityGroupRuleId: "sgr-0",
          SecurityGroupRule: { IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIpv4: "0.0.0.0/0" },
        },
      },
    }),
  },
  {
    source: "aws.ec2",
    eventName: "CreateSecurityGroup",
    about: "vpc",
    params: (id) => ({ groupName: "intruder", groupDescription: "x", vpcId: id }),
  },
  { source: "aws.ec2", eventName: "CreateNetworkAcl", about: "vpc", params: (id) => ({ vpcId: id }) },
  ...["CreateNetworkAclEntry", "ReplaceNetworkAclEntry", "DeleteNetworkAclEntry"].map((eventName) => ({
    source: "aws.ec2",
    eventName,
    about: "networkAcl" as Kind,
    params: (id: string) => ({
      networkAclId: id,
      ruleNumber: 1,
      egress: false,
      ruleAction: "allow",
      aclProtocol: "-1",
      cidrBlock: "0.0.0.0/0",
    }),
  })),
  {
    source: "aws.ec2",
    eventName: "DeleteNetworkAcl",
    about: "networkAcl",
    params: (id) => ({ networkAclId: id }),
  },
  {
    source: "aws.ec2",
    eventName: "ReplaceNetworkAclAssociation",
    about: "networkAcl",
    params: (id) => ({ associationId: "aclassoc-0", networkAclId: id }),
  },
  ...["CreateRoute", "ReplaceRoute", "DeleteRoute"].map((eventName) => ({
    source: "aws.ec2",
    eventName,
    about: "routeTable" as Kind,
    params: (id: string) => ({
      routeTableId: id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: NOBODY.internetGateway,
    }),
  })),
  {
    source: "aws.ec2",
    eventName: "DeleteRouteTable",
    about: "routeTable",
    params: (id) => ({ routeTableId: id }),
  },
  {
    source: "aws.ec2",
    eventName: "AssociateRouteTable",
    about: "routeTable",
    params: (id) => ({ routeTableId: id, subnetId: NOBODY.subnet }),
  },
  {
    source: "aws.ec2",
    eventName: "AssociateRouteTable",
    about: "subnet",
    params: (id) => ({ routeTableId: NOBODY.routeTable, subnetId: id }),
  },
  {
    source: "aws.ec2",
    eventName: "ReplaceRouteTableAssociation",
    about: "routeTable",
    params: (id) => ({ associationId: "rtbassoc-0", routeTableId: id }),
  },
  { source: "aws.ec2", eventName: "CreateRouteTable", about: "vpc", params: (id) => ({ vpcId: id }) },
  ...["AttachInternetGateway", "DetachInternetGateway"].map((eventName) => ({
    source: "aws.ec2",
    eventName,
    about: "vpc" as Kind,
    params: (id: string) => ({ internetGatewayId: NOBODY.internetGateway, vpcId: id }),
  })),
  {
    source: "aws.ec2",
    eventName: "DeleteInternetGateway",
    about: "internetGateway",
    params: (id) => ({ internetGatewayId: id }),
  },
  {
    source: "aws.ec2",
    eventName: "CreateNatGateway",
    about: "subnet",
    params: (id) => ({ CreateNatGatewayRequest: { SubnetId: id, AllocationId: "eipalloc-0" } }),
  },
  {
    source: "aws.ec2",
    eventName: "DeleteNatGateway",
    about: "natGateway",
    params: (id) => ({ DeleteNatGatewayRequest: { NatGatewayId: id } }),
  },
  {
    source: "aws.ec2",
    eventName: "CreateVpcPeeringConnection",
    about: "vpc",
    params: (id) => ({ vpcId: id, peerVpcId: NOBODY.vpc }),
  },
  {
    source: "aws.ec2",
    eventName: "CreateVpcPeeringConnection",
    about: "vpc",
    params: (id) => ({ vpcId: NOBODY.vpc, peerVpcId: id }),
  },
  ...["CreateKeyPair", "ImportKeyPair", "DeleteKeyPair"].map((eventName) => ({
    source: "aws.ec2",
    eventName,
    about: "keyPair" as Kind,
    params: (id: string) => ({ keyName: id }),
  })),
  ...[
    "CreateRole",
    "DeleteRole",
    "UpdateRole",
    "UpdateAssumeRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "AttachRolePolicy",
    "DetachRolePolicy",
  ].map((eventName) => ({
    source: "aws.iam",
    eventName,
    about: "role" as Kind,
    params: (id: string) => ({ roleName: id, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
  })),
  ...["AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile"].flatMap((eventName) => [
    {
      source: "aws.iam",
      eventName,
      about: "role" as Kind,
      params: (id: string) => ({ instanceProfileName: NOBODY.instanceProfile, roleName: id }),
    },
    {
      source: "aws.iam",
      eventName,
      about: "instanceProfile" as Kind,
      params: (id: string) => ({ instanceProfileName: id, roleName: NOBODY.role }),
    },
  ]),
];

/** KMS records the key as the caller named it, and always its ARN under `resources`. */
const KMS_CALLS = ["DisableKey", "ScheduleKeyDeletion"];

/** A sample finding type of each alerting kind: one per prefix, and the exact ones. */
const FINDING_TYPES = [
  ...GUARDDUTY_ALERT_TYPES.prefixes.map((prefix) => `${prefix}EC2/BitcoinTool.B!DNS`),
  ...GUARDDUTY_ALERT_TYPES.exact,
];

interface Event {
  readonly what: string;
  readonly kind: Kind;
  readonly body: object;
}

const apiCall = (place: Place, source: string, eventName: string, detail: Params) => ({
  version: "0",
  id: "00000000-0000-0000-0000-000000000000",
  "detail-type": "AWS API Call via CloudTrail",
  source,
  account: place.account,
  time: "2026-01-01T00:00:00Z",
  region: place.region,
  resources: [],
  detail: {
    eventVersion: "1.08",
    userIdentity: { type: "AssumedRole", accountId: place.account },
    eventTime: "2026-01-01T00:00:00Z",
    eventSource: `${source.slice("aws.".length)}.amazonaws.com`,
    eventName,
    awsRegion: place.region,
    eventType: "AwsApiCall",
    recipientAccountId: place.account,
    ...detail,
  },
});

const keyArn = (place: Place, keyId: string) => `arn:aws:kms:${place.region}:${place.account}:key/${keyId}`;
const profileArn = (place: Place, name: string) => `arn:aws:iam::${place.account}:instance-profile/${name}`;

/** Every event about the tenant's resources, as if they lived in `place`. */
function eventsOf(tenant: Tenant, place: Place): Event[] {
  const events: Event[] = [];
  for (const call of CLOUDTRAIL_CALLS) {
    for (const r of tenant.resources[call.about]) {
      events.push({
        what: `${call.eventName} on ${r.from}`,
        kind: call.about,
        body: apiCall(place, call.source, call.eventName, { requestParameters: call.params(r.id) }),
      });
    }
  }
  // The default group, ACL and main table take the same calls as the others of their kind.
  const alike: Partial<Record<Kind, Kind>> = {
    defaultSecurityGroup: "securityGroup",
    defaultNetworkAcl: "networkAcl",
    mainRouteTable: "routeTable",
  };
  for (const [kind, as] of Object.entries(alike) as [Kind, Kind][]) {
    for (const call of CLOUDTRAIL_CALLS.filter((c) => c.about === as)) {
      for (const r of tenant.resources[kind]) {
        events.push({
          what: `${call.eventName} on ${r.from}`,
          kind,
          body: apiCall(place, call.source, call.eventName, { requestParameters: call.params(r.id) }),
        });
      }
    }
  }
  for (const key of tenant.resources.key) {
    for (const eventName of KMS_CALLS) {
      const resources = [{ accountId: place.account, type: "AWS::KMS::Key", ARN: keyArn(place, key.id) }];
      events.push({
        what: `${eventName} on ${key.from}`,
        kind: "key",
        body: apiCall(place, "aws.kms", eventName, { requestParameters: { keyId: key.id }, resources }),
      });
    }
  }
  const [vpc] = tenant.resources.vpc;
  for (const instance of tenant.resources.instance) {
    for (const type of FINDING_TYPES) {
      events.push({
        what: `${type} on ${instance.from}`,
        kind: "instance",
        body: {
          version: "0",
          "detail-type": "GuardDuty Finding",
          source: "aws.guardduty",
          account: place.account,
          region: place.region,
          resources: [],
          detail: {
            schemaVersion: "2.0",
            accountId: place.account,
            region: place.region,
            type,
            severity: 8,
            resource: {
              resourceType: "Instance",
              instanceDetails: {
                instanceId: instance.id,
                iamInstanceProfile: { arn: profileArn(place, instance.profile!), id: "AIPA0" },
                networkInterfaces: [{ networkInterfaceId: "eni-0", vpcId: vpc?.id, subnetId: "subnet-0" }],
              },
            },
          },
        },
      });
    }
  }
  return events;
}

/** The ID a resource is referred to by elsewhere in the plan, when an input is built from it alone. */
function referencedId(plan: PlanFile, target: PlannedResource): string | undefined {
  for (const r of plan.resources) {
    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
      if (urns.length === 1 && urns[0] === target.urn && typeof r.inputs[key] === "string") {
        return r.inputs[key] as string;
      }
    }
  }
  return undefined;
}

/** A stack's tenant environment, `<id>-<environment>`: its identity in an account. */
function tenantEnvironment(config: Readonly<Record<string, string>>): string {
  const tenant = JSON.parse(config["moat:tenant"] ?? "{}") as { id?: unknown; environment?: unknown };
  return `${String(tenant.id)}-${String(tenant.environment)}`;
}

/** Reads a planned tenant: what its events can be about, and its rules' literal patterns. */
function readTenant(label: string, plan: PlanFile, config: Readonly<Record<string, string>>): Tenant {
  const tenantId = tenantEnvironment(config);
  const cloud = new Fixtures(config["aws:region"] ?? "", pinnedAccount(config));
  const home = { account: cloud.account, region: config["aws:region"] ?? "" };
  const id = (r: PlannedResource) =>
    cloud.computed(r.type, `${plan.stack}::${plan.project}::${r.type}::${r.name}`, r.name).id;
  const of = (type: string) => plan.resources.filter((r) => r.type === type);
  const owned = (type: string, value: (r: PlannedResource) => unknown = id) =>
    of(type).map((r) => ({ id: String(value(r)), from: r.name }));
  const profileOf = (r: PlannedResource) => {
    const given = r.inputs.iamInstanceProfile;
    return String(typeof given === "object" && given !== null ? (given as { name?: unknown }).name : given);
  };
  // The IDs recomputed here must be those the plan itself passes around.
  for (const r of [...of("aws:ec2/vpc:Vpc"), ...of("aws:ec2/securityGroup:SecurityGroup")]) {
    const seen = referencedId(plan, r);
    assert.ok(
      seen === undefined || seen === id(r),
      `${label}: ${r.name} is ${seen} in the plan, not ${id(r)}`,
    );
  }
  assert.equal(
    referencedId(plan, of("aws:ec2/vpc:Vpc")[0]),
    id(of("aws:ec2/vpc:Vpc")[0]),
    `${label}: the VPC's ID`,
  );
  const resources: Record<Kind, readonly Owned[]> = {
    vpc: owned("aws:ec2/vpc:Vpc"),
    subnet: owned("aws:ec2/subnet:Subnet"),
    securityGroup: owned("aws:ec2/securityGroup:SecurityGroup"),
    networkAcl: owned("aws:ec2/networkAcl:NetworkAcl"),
    routeTable: owned("aws:ec2/routeTable:RouteTable"),
    internetGateway: owned("aws:ec2/internetGateway:InternetGateway"),
    natGateway: owned("aws:ec2/natGateway:NatGateway"),
    role: owned("aws:iam/role:Role", (r) => r.inputs.name),
    instanceProfile: owned("aws:iam/instanceProfile:InstanceProfile", (r) => r.inputs.name),
    key: owned("aws:kms/key:Key"),
    instance: [...of("aws:ec2/instance:Instance"), ...of("aws:ec2/launchTemplate:LaunchTemplate")].map(
      (r) => ({
        id: id(r),
        from: r.name,
        profile: profileOf(r),
      }),
    ),
    keyPair: owned("aws:ec2/keyPair:KeyPair", (r) => r.inputs.keyName),
    defaultSecurityGroup: owned("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"),
    defaultNetworkAcl: owned(
      "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
      (r) => r.inputs.defaultNetworkAclId,
    ),
    mainRouteTable: owned("aws:ec2/defaultRouteTable:DefaultRouteTable", (r) => r.inputs.defaultRouteTableId),
  };
  const rules = of("aws:cloudwatch/eventRule:EventRule").map((r) => {
    assert.equal(typeof r.inputs.eventPattern, "string", `${label}: ${r.name} has no literal pattern`);
    return { name: r.name, pattern: JSON.parse(r.inputs.eventPattern as string) as object };
  });
  return { label, tenantId, home, resources, rules };
}

/** A planned stack, read as a tenant on first use; a stack that did not plan fails there. */
interface Planned {
  readonly label: string;
  readonly tenantId: string;
  tenant(): Tenant;
}

/** Every stack of both folders: named from its file, read from its plan when a test needs it. */
function plannedStacks(): Planned[] {
  return (["stacks", "fixtures"] as const).flatMap((which) => {
    const set = planSet(which);
    return set.stacks.map((stack) => {
      const { config } = set.stackFile(stack);
      let tenant: Tenant | undefined;
      return {
        label: set.file(stack),
        tenantId: tenantEnvironment(config),
        tenant: () => {
          const missing = set.notPlanned(stack);
          assert.equal(missing, undefined, missing);
          return (tenant ??= readTenant(set.file(stack), set.plan<PlanFile>(stack, false)!, config));
        },
      };
    });
  });
}

const matching = (tenant: Tenant, event: Event) =>
  tenant.rules.filter((rule) => matchesPattern(rule.pattern, event.body)).map((rule) => rule.name);

describe("alert rules of tenants sharing an account (AUD-2)", () => {
  const planned = plannedStacks();

  it("has tenants to compare, each with rules and resources of every kind the catalogue alerts on", () => {
    assert.ok(new Set(planned.map((p) => p.tenantId)).size >= 2, "fewer than two planned tenants");
    for (const t of planned.map((p) => p.tenant())) {
      assert.ok(t.rules.length > 0, `${t.label}: no alert rules`);
      for (const kind of [
        "vpc",
        "subnet",
        "securityGroup",
        "routeTable",
        "role",
        "instanceProfile",
        "key",
        "instance",
      ] as const) {
        assert.ok(t.resources[kind].length > 0, `${t.label}: no ${kind}`);
      }
    }
  });

  it("synthesises an event for every event name of the tenant catalogue", () => {
    const sampled = new Set([...CLOUDTRAIL_CALLS.map((c) => c.eventName), ...KMS_CALLS]);
    for (const rule of AUDIT_EVENT_RULES) {
      for (const name of rule.eventNames) {
        assert.ok(sampled.has(name), `${rule.key}: no sample event for ${name}`);
      }
    }
  });

  it("finds no key pair in any tenant: key pair events belong to no tenant (ACCOUNT_EVENT_RULES)", () => {
    for (const t of planned.map((p) => p.tenant())) {
      assert.deepEqual(t.resources.keyPair, [], t.label);
    }
  });

  for (const pb of planned) {
    describe(`${pb.label} (tenant ${pb.tenantId})`, () => {
      it("receives, through its own rules, every event about its own resources, and each rule receives some", () => {
        const b = pb.tenant();
        const events = eventsOf(b, b.home);
        const unmatched = events.filter((e) => matching(b, e).length === 0).map((e) => e.what);
        assert.deepEqual(unmatched, [], `${b.label}: events its own rules miss`);
        const idle = b.rules.filter((rule) => !events.some((e) => matchesPattern(rule.pattern, e.body)));
        assert.deepEqual(
          idle.map((r) => r.name),
          [],
          `${b.label}: rules no event of its own reaches`,
        );
      });

      // A tenant environment is one identity in an account (the fleet checks refuse two stacks of
      // it there), so every other one is compared: another tenant, or the same tenant's other
      // environment, which may share the account.
      for (const pa of planned.filter((p) => p.tenantId !== pb.tenantId)) {
        it(`sends none of them to ${pa.label} (tenant ${pa.tenantId}) sharing its account and region`, () => {
          const [a, b] = [pa.tenant(), pb.tenant()];
          const leaks = eventsOf(b, a.home).flatMap((e) =>
            matching(a, e).map((rule) => `${e.what} -> ${rule}`),
          );
          assert.deepEqual(leaks, [], `${a.label}'s rules match ${b.label}'s events`);
        });
      }
    });
  }
});
