import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  installRecordingMocks,
  mockArns,
  Recorded,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";
import { adminPolicy, memberPolicy, peopleTrustPolicy } from "./people-policy";
import { PeopleRoles } from "./people-roles";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
});

const scope = { tenantId: "acme", accountId: "123456789012", region: "us-east-1", partition: "aws" } as const;
const admins = ["arn:aws:iam::123456789012:role/acme-sso-admins"];
const members = ["arn:aws:iam::123456789012:role/acme-sso-members", "arn:aws:iam::123456789012:user/carol"];

describe("PeopleRoles (IAM-1, IAM-2)", () => {
  const name = "acme-people";
  let component: PeopleRoles;
  let children: Recorded[];
  const child = (role: string) => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };

  before(async () => {
    component = new PeopleRoles(name, {
      tenantId: "acme",
      accountId: pulumi.output("123456789012"),
      region: "us-east-1",
      admins,
      members,
    });
    await mocks.settle();
    children = mocks.named(name).filter((r) => r.name !== name);
  });

  it("registers itself with the moat:security:PeopleRoles type", () => {
    assert.equal(mocks.named(name).find((r) => r.name === name)?.type, "moat:security:PeopleRoles");
  });

  it("IAM-2: creates exactly two roles and their inline policies, no user or access key, parented to it", async () => {
    assert.deepEqual(children.map((c) => `${c.type} ${c.name}`).sort(), [
      `aws:iam/role:Role ${name}-admin`,
      `aws:iam/role:Role ${name}-member`,
      `aws:iam/rolePolicy:RolePolicy ${name}-admin-access`,
      `aws:iam/rolePolicy:RolePolicy ${name}-member-access`,
    ]);
    const urn = await valueOf(component.urn);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to PeopleRoles`);
    }
  });

  for (const [kind, people, permissions] of [
    ["admin", admins, adminPolicy],
    ["member", members, memberPolicy],
  ] as const) {
    it(`IAM-1: the ${kind} role trusts exactly its people with MFA, for at most an hour`, () => {
      const role = child(kind).inputs;
      assert.equal(role.name, `moat-acme-${kind}`);
      assert.equal(role.maxSessionDuration, 3600);
      assert.deepEqual(role.tags, { "moat:role": `people-${kind}` });
      assert.deepEqual(JSON.parse(role.assumeRolePolicy as string), peopleTrustPolicy(people));
    });

    it(`IAM-1: the ${kind} role's inline policy is the tenant-scoped ${kind} document`, () => {
      const access = child(`${kind}-access`).inputs;
      assert.equal(access.role, `moat-acme-${kind}`);
      assert.equal(access.name, "people-access");
      assert.deepEqual(JSON.parse(access.policy as string), permissions(scope));
    });
  }

  it("exposes both roles' names and ARNs", async () => {
    assert.equal(await valueOf(component.adminRoleArn!), `arn:mock:${name}-admin`);
    assert.equal(await valueOf(component.adminRoleName!), "moat-acme-admin");
    assert.equal(await valueOf(component.memberRoleArn!), `arn:mock:${name}-member`);
    assert.equal(await valueOf(component.memberRoleName!), "moat-acme-member");
  });

  it("IAM-1: an empty list creates no role for it", async () => {
    const onlyMembers = new PeopleRoles("solo", {
      tenantId: "solo",
      accountId: "123456789012",
      region: "us-east-1",
      admins: [],
      members,
    });
    await mocks.settle();
    assert.deepEqual(
      mocks
        .named("solo")
        .filter((r) => r.name !== "solo")
        .map((r) => r.name)
        .sort(),
      ["solo-member", "solo-member-access"],
    );
    assert.equal(onlyMembers.adminRoleArn, undefined);
    assert.equal(onlyMembers.adminRoleName, undefined);
  });
});

describe("PeopleRoles of one environment, for an account two environments share (IAM-1)", () => {
  const name = "acme-prod-people";
  let component: PeopleRoles;
  before(async () => {
    component = new PeopleRoles(name, {
      tenantId: "acme",
      environment: "prod",
      accountId: "123456789012",
      region: "us-east-1",
      admins,
      members,
    });
    await mocks.settle();
  });

  for (const [kind, permissions] of [
    ["admin", adminPolicy],
    ["member", memberPolicy],
  ] as const) {
    it(`names the ${kind} role after the tenant and environment, with the environment's document`, async () => {
      const [role] = mocks.named(`${name}-${kind}`).filter((r) => r.type === "aws:iam/role:Role");
      assert.equal(role.inputs.name, `moat-acme-prod-${kind}`);
      assert.deepEqual(role.inputs.tags, { "moat:role": `people-${kind}` });
      const [access] = mocks.named(`${name}-${kind}-access`);
      assert.equal(access.inputs.role, `moat-acme-prod-${kind}`);
      assert.deepEqual(
        JSON.parse(access.inputs.policy as string),
        permissions({ ...scope, environment: "prod" }),
      );
    });
  }

  it("exposes the environment's role names", async () => {
    assert.equal(await valueOf(component.adminRoleName!), "moat-acme-prod-admin");
    assert.equal(await valueOf(component.memberRoleName!), "moat-acme-prod-member");
  });
});

describe("PeopleRoles: invalid args (IAM-1, IAM-3)", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new PeopleRoles("bad-people", {
          tenantId: "acme",
          accountId: "123",
          region: "us-east-1",
          admins: ["*"],
          members: ["arn:aws:iam::123456789012:user/dave", "bob"],
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["accountId", "admins[0]", "members[1]"],
        );
        assert.match(err.message, /^Invalid PeopleRoles "bad-people" args:/);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad-people"), []);
  });
});
