import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { auditServiceStatements } from "./audit-statements";
import { tenantKeyPolicy } from "./key-policy";
import { TenantKey } from "./tenant-key";
import {
  installRecordingMocks,
  mockArns,
  Recorded,
  RecordingMocks,
  valueOf,
} from "../testing/recording-mocks";

let mocks: RecordingMocks;
before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
});

describe("TenantKey (DAT-3, DAT-4, CMP-3)", () => {
  const name = "acme-key";
  let component: TenantKey;
  let children: Recorded[];
  const child = (role: string) => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };

  before(async () => {
    component = new TenantKey(name, {
      tenantId: "acme",
      accountId: pulumi.output("123456789012"),
      region: "eu-west-1",
    });
    await mocks.settle();
    children = mocks.named(name).filter((r) => r.name !== name);
  });

  it("registers itself with the moat:security:TenantKey type", () => {
    assert.equal(mocks.named(name).find((r) => r.name === name)?.type, "moat:security:TenantKey");
  });

  it("creates exactly a key and its alias, parented to the component", async () => {
    assert.deepEqual(children.map((c) => `${c.type} ${c.name}`).sort(), [
      `aws:kms/alias:Alias ${name}-alias`,
      `aws:kms/key:Key ${name}-key`,
    ]);
    const urn = await valueOf(component.urn);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the TenantKey`);
    }
  });

  it("DAT-3: a symmetric customer-managed key rotating every 90 days with a 30-day deletion window", () => {
    const key = child("key").inputs;
    assert.equal(key.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
    assert.equal(key.keyUsage, "ENCRYPT_DECRYPT");
    assert.equal(key.enableKeyRotation, true);
    assert.equal(key.rotationPeriodInDays, 90);
    assert.equal(key.deletionWindowInDays, 30);
  });

  it("DAT-3: carries the tenant-scoped key policy built from the account ID", () => {
    const expected = tenantKeyPolicy({
      tenantId: "acme",
      accountId: "123456789012",
      region: "eu-west-1",
      partition: "aws",
    });
    assert.deepEqual(JSON.parse(child("key").inputs.policy as string), expected);
  });

  it("DAT-4: protects the key and keeps it on destroy", () => {
    assert.equal(child("key").protect, true);
    assert.equal(child("key").retainOnDelete, true);
  });

  it("names the alias alias/moat-<tenantId> and points it at the key", () => {
    assert.deepEqual(child("alias").inputs, { name: "alias/moat-acme", targetKeyId: `${name}-key-id` });
  });

  it("exposes the key ARN, ID and alias name", async () => {
    assert.equal(await valueOf(component.keyArn), `arn:mock:${name}-key`);
    assert.equal(await valueOf(component.keyId), `${name}-key-id`);
    assert.equal(await valueOf(component.aliasName), "alias/moat-acme");
  });

  it("DAT-3: uses the requested rotation period", async () => {
    new TenantKey("slow-key", {
      tenantId: "slow",
      accountId: "123456789012",
      region: "us-east-1",
      rotationPeriodDays: 365,
    });
    await mocks.settle();
    assert.equal(
      mocks.named("slow-key").find((r) => r.name === "slow-key-key")?.inputs.rotationPeriodInDays,
      365,
    );
  });
});

describe("TenantKey of one environment, for an account two environments share (DAT-3)", () => {
  const name = "acme-prod-key";
  before(async () => {
    new TenantKey(name, {
      tenantId: "acme",
      environment: "prod",
      accountId: "123456789012",
      region: "eu-west-1",
    });
    await mocks.settle();
  });

  it("names the alias alias/moat-<tenantId>-<environment>", () => {
    assert.deepEqual(mocks.named(`${name}-alias`)[0].inputs, {
      name: "alias/moat-acme-prod",
      targetKeyId: `${name}-key-id`,
    });
  });

  it("trusts the environment's roles and log groups by name, not the other environments'", () => {
    const policy = JSON.parse(mocks.named(`${name}-key`)[0].inputs.policy as string);
    assert.deepEqual(
      policy,
      tenantKeyPolicy({
        tenantId: "acme",
        environment: "prod",
        accountId: "123456789012",
        region: "eu-west-1",
        partition: "aws",
      }),
    );
    const text = JSON.stringify(policy);
    assert.match(text, /role\/moat-acme-prod-head"/);
    assert.match(text, /log-group:\/moat\/acme-prod\/\*"/);
    assert.doesNotMatch(text, /moat-acme-(head|compute|bastion|admin|member)"|\/moat\/acme\//);
  });

  it("refuses an environment the stack schema does not know", () => {
    assert.throws(
      () =>
        new TenantKey("qa-key", {
          tenantId: "acme",
          environment: "qa",
          accountId: "123456789012",
          region: "eu-west-1",
        }),
      /environment: "qa" is not an environment; use one of dev, staging, prod/,
    );
  });
});

describe("TenantKey: invalid args (DAT-3)", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () => new TenantKey("bad-key", { tenantId: "A", accountId: "1", region: "x", rotationPeriodDays: 400 }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["tenantId", "accountId", "region", "rotationPeriodDays"],
        );
        assert.match(err.message, /^Invalid TenantKey "bad-key" args:\n {2}- tenantId: /);
        return true;
      },
    );
    await mocks.settle();
    assert.deepEqual(mocks.named("bad-key"), []);
  });
});

describe("TenantKey: audit services (AUD-1, AUD-2)", () => {
  const scope = {
    tenantId: "audit",
    accountId: "123456789012",
    region: "us-east-1",
    partition: "aws",
  } as const;

  it("adds the CloudTrail and alert-publisher statements only when asked for", async () => {
    new TenantKey("audit-key", { ...scope, allowAuditServices: true });
    new TenantKey("plain-key", { ...scope, tenantId: "plain" });
    await mocks.settle();
    const policyOf = (name: string) =>
      JSON.parse(mocks.named(name).find((r) => r.name === `${name}-key`)?.inputs.policy as string);
    assert.deepEqual(policyOf("audit-key"), tenantKeyPolicy(scope, auditServiceStatements(scope)));
    assert.deepEqual(policyOf("plain-key"), tenantKeyPolicy({ ...scope, tenantId: "plain" }));
  });
});
