import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { flowLogRoleName } from "../network/flow-logs";
import { ENVIRONMENTS } from "../tenant/tags";
import { valueOf } from "../testing/recording-mocks";
import {
  nodeLogGroupsArn,
  resolveScope,
  tenantKeyAliasName,
  tenantLogGroupsArn,
  tenantNameId,
  tenantRoleArn,
  tenantRoleName,
  TENANT_ROLES,
  TenantScope,
  tenantSecretPrefix,
  tenantTagConditions,
  tenantTrailArn,
  validateTenantScope,
} from "./tenant-scope";

const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};
const prod: TenantScope = { ...scope, environment: "prod" };

// The stack schema's tenant id: 3 to 20 lowercase letters, digits or hyphens, from a letter.
const tenantIds = fc.stringMatching(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/);

describe("tenantNameId", () => {
  const cases: [{ tenantId: string; environment?: string }, string][] = [
    [{ tenantId: "acme" }, "acme"],
    [{ tenantId: "acme", environment: "prod" }, "acme-prod"],
    [{ tenantId: "acme-labs", environment: "staging" }, "acme-labs-staging"],
    [{ tenantId: "acme", environment: undefined }, "acme"],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      assert.equal(tenantNameId(input), expected);
    });
  }

  it("gives every tenant environment its own name id, so two never share a physical name", () => {
    fc.assert(
      fc.property(
        tenantIds,
        fc.constantFrom(...ENVIRONMENTS),
        tenantIds,
        fc.constantFrom(...ENVIRONMENTS),
        (a, ea, b, eb) => {
          const same =
            tenantNameId({ tenantId: a, environment: ea }) === tenantNameId({ tenantId: b, environment: eb });
          return same === (a === b && ea === eb);
        },
      ),
    );
  });

  it("keeps the longest role name within IAM's 64 characters", () => {
    const longest = tenantNameId({ tenantId: "a".repeat(20), environment: "staging" });
    for (const role of TENANT_ROLES) {
      assert.ok(tenantRoleName(longest, role).length <= 64, role);
    }
    assert.equal(flowLogRoleName(longest), `moat-${"a".repeat(20)}-staging-flow-logs`);
    assert.equal(flowLogRoleName(longest).length, 43);
  });
});

describe("names and ARNs of a scope with an environment (CMP-7, DAT-3)", () => {
  it("builds them from the name id", () => {
    assert.equal(tenantRoleArn(prod, "head"), "arn:aws:iam::123456789012:role/moat-acme-prod-head");
    assert.equal(tenantLogGroupsArn(prod), "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme-prod/*");
    assert.equal(
      nodeLogGroupsArn(prod),
      "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme-prod/nodes/*",
    );
    assert.equal(tenantKeyAliasName(tenantNameId(prod)), "alias/moat-acme-prod");
    assert.equal(tenantSecretPrefix(tenantNameId(prod)), "moat/acme-prod/");
  });

  it("keeps them as they were without an environment", () => {
    assert.equal(tenantRoleArn(scope, "member"), "arn:aws:iam::123456789012:role/moat-acme-member");
    assert.equal(nodeLogGroupsArn(scope), "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/nodes/*");
  });

  it("names the trail from the tenant id alone, as the AuditTrail component does", () => {
    assert.equal(tenantTrailArn(prod), "arn:aws:cloudtrail:us-east-1:123456789012:trail/moat-acme");
  });
});

describe("tenantTagConditions (IAM-1, CMP-7)", () => {
  it("requires the tenant tag, and the environment tag when there is one", () => {
    assert.deepEqual(tenantTagConditions("aws:ResourceTag", scope), {
      "aws:ResourceTag/moat:tenant": "acme",
    });
    assert.deepEqual(tenantTagConditions("ssm:resourceTag", prod), {
      "ssm:resourceTag/moat:tenant": "acme",
      "ssm:resourceTag/moat:environment": "prod",
    });
  });
});

describe("validateTenantScope: environment", () => {
  const args = { tenantId: "acme", accountId: "123456789012", region: "us-east-1" };

  it("accepts every environment of the stack schema, and none", () => {
    assert.deepEqual(validateTenantScope(args), []);
    for (const environment of ENVIRONMENTS) {
      assert.deepEqual(validateTenantScope({ ...args, environment }), [], environment);
    }
  });

  for (const environment of ["", "Prod", "research", "prod-1"]) {
    it(`refuses ${JSON.stringify(environment)}, saying which to use`, () => {
      assert.deepEqual(validateTenantScope({ ...args, environment }), [
        {
          propertyPath: "environment",
          reason:
            `${JSON.stringify(environment)} is not an environment; use one of dev, staging, prod, as in ` +
            "moat:tenant.environment (it is part of physical names such as moat-<tenantId>-<environment>-<role>)",
        },
      ]);
    });
  }

  it("reports it after the tenant id, before the account", () => {
    assert.deepEqual(
      validateTenantScope({ tenantId: "A", environment: "x", accountId: "1", region: "us-east-1" }).map(
        (p) => p.propertyPath,
      ),
      ["tenantId", "environment", "accountId"],
    );
  });
});

describe("resolveScope", () => {
  it("carries the environment when given, and no environment key otherwise", async () => {
    const args = { tenantId: "acme", accountId: "123456789012", region: "us-east-1" };
    assert.deepEqual(await valueOf(resolveScope({ ...args, environment: "dev" })), {
      ...scope,
      environment: "dev",
    });
    assert.deepEqual(await valueOf(resolveScope(args)), scope);
  });
});
