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
import { NodeRole } from "./node-role";
import { nodeRolePolicy, nodeTrustPolicy } from "./node-role-policy";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
});

const scope = { tenantId: "acme", accountId: "123456789012", region: "us-east-1", partition: "aws" } as const;

describe("NodeRole (CMP-7)", () => {
  const name = "acme-head";
  const secretNames = ["moat/acme/cluster-ssh-key", "moat/acme/jupyter-token/head-0"];
  let component: NodeRole;
  let children: Recorded[];
  const child = (role: string) => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };

  before(async () => {
    component = new NodeRole(name, {
      tenantId: "acme",
      role: "head",
      accountId: pulumi.output("123456789012"),
      region: "us-east-1",
      secretNames,
    });
    await mocks.settle();
    children = mocks.named(name).filter((r) => r.name !== name);
  });

  it("registers itself with the moat:security:NodeRole type", () => {
    assert.equal(mocks.named(name).find((r) => r.name === name)?.type, "moat:security:NodeRole");
  });

  it("creates exactly a role, the SSM attachment, the inline policy and a profile, parented to it", async () => {
    assert.deepEqual(children.map((c) => `${c.type} ${c.name}`).sort(), [
      `aws:iam/instanceProfile:InstanceProfile ${name}-profile`,
      `aws:iam/role:Role ${name}-role`,
      `aws:iam/rolePolicy:RolePolicy ${name}-access`,
      `aws:iam/rolePolicyAttachment:RolePolicyAttachment ${name}-ssm-core`,
    ]);
    const urn = await valueOf(component.urn);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the NodeRole`);
    }
  });

  it("names the role moat-<tenantId>-<role>, tags it and lets only EC2 assume it", () => {
    const role = child("role").inputs;
    assert.equal(role.name, "moat-acme-head");
    assert.deepEqual(role.tags, { "moat:role": "head" });
    assert.deepEqual(JSON.parse(role.assumeRolePolicy as string), nodeTrustPolicy());
    assert.equal(role.managedPolicyArns, undefined, "attachments are standalone resources");
    assert.equal(role.inlinePolicies, undefined, "the inline policy is a standalone RolePolicy");
  });

  it("attaches the SSM managed core policy for Session Manager", () => {
    assert.deepEqual(child("ssm-core").inputs, {
      role: "moat-acme-head",
      policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
  });

  it("CMP-7: the inline policy is the least-privilege document for exactly the listed secrets", () => {
    const access = child("access").inputs;
    assert.equal(access.role, "moat-acme-head");
    assert.equal(access.name, "node-access");
    assert.deepEqual(JSON.parse(access.policy as string), nodeRolePolicy(scope, secretNames, true));
  });

  it("gives the instance profile the role, its name and tag", () => {
    assert.deepEqual(child("profile").inputs, {
      name: "moat-acme-head",
      role: "moat-acme-head",
      tags: { "moat:role": "head" },
    });
  });

  it("exposes the role and profile names and ARNs", async () => {
    assert.equal(await valueOf(component.roleArn), `arn:mock:${name}-role`);
    assert.equal(await valueOf(component.roleName), "moat-acme-head");
    assert.equal(await valueOf(component.instanceProfileName), "moat-acme-head");
    assert.equal(await valueOf(component.instanceProfileArn), `arn:mock:${name}-profile`);
  });

  it("CMP-7: a bastion with no secrets gets no secret or key permission", async () => {
    new NodeRole("acme-bastion", {
      tenantId: "acme",
      role: "bastion",
      accountId: "123456789012",
      region: "us-east-1",
      secretNames: [],
    });
    await mocks.settle();
    const access = mocks.named("acme-bastion").find((r) => r.name === "acme-bastion-access");
    assert.ok(access);
    const policy = JSON.parse(access.inputs.policy as string);
    assert.deepEqual(policy, nodeRolePolicy(scope, []));
    assert.doesNotMatch(access.inputs.policy as string, /secretsmanager:GetSecretValue|kms:Decrypt/);
  });
});

describe("NodeRole of one environment, for an account two environments share (CMP-7)", () => {
  const name = "acme-prod-compute";
  const secretNames = ["moat/acme-prod/cluster-ssh-key"];
  before(async () => {
    new NodeRole(name, {
      tenantId: "acme",
      environment: "prod",
      role: "compute",
      accountId: "123456789012",
      region: "us-east-1",
      secretNames,
    });
    await mocks.settle();
  });

  it("names the role and its instance profile moat-<tenantId>-<environment>-<role>", () => {
    const [role] = mocks.named(`${name}-role`);
    assert.equal(role.inputs.name, "moat-acme-prod-compute");
    assert.deepEqual(role.inputs.tags, { "moat:role": "compute" });
    assert.deepEqual(mocks.named(`${name}-profile`)[0].inputs, {
      name: "moat-acme-prod-compute",
      role: "moat-acme-prod-compute",
      tags: { "moat:role": "compute" },
    });
  });

  it("grants the environment's own document", () => {
    const [access] = mocks.named(`${name}-access`);
    assert.equal(access.inputs.role, "moat-acme-prod-compute");
    assert.deepEqual(
      JSON.parse(access.inputs.policy as string),
      nodeRolePolicy({ ...scope, environment: "prod" }, secretNames, true),
    );
  });
});

describe("NodeRole: invalid args (CMP-7)", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new NodeRole("bad-role", {
          tenantId: "acme",
          role: "gpu" as "head",
          accountId: "123456789012",
          region: "us-east-1",
          secretNames: ["moat/globex/cluster-ssh-key", "*"],
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["role", "secretNames[0]", "secretNames[1]"],
        );
        assert.match(err.message, /^Invalid NodeRole "bad-role" args:/);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad-role"), []);
  });
});
