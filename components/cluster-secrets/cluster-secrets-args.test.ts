import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSecretsArgs } from "./cluster-secrets";
import { validateClusterSecretsArgs } from "./cluster-secrets-args";

const good: ClusterSecretsArgs = {
  tenantId: "acme",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  headNodeNames: ["head-0"],
};

const paths = (args: ClusterSecretsArgs) => validateClusterSecretsArgs(args).map((p) => p.propertyPath);

describe("validateClusterSecretsArgs (CMP-6, CMP-9)", () => {
  it("accepts good args, an alias ARN and a key ARN still unknown at preview", () => {
    assert.deepEqual(validateClusterSecretsArgs(good), []);
    assert.deepEqual(paths({ ...good, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/moat-acme" }), []);
    assert.deepEqual(paths({ ...good, kmsKeyArn: pulumi.output("unknown-until-created") }), []);
    assert.deepEqual(
      paths({ ...good, rotationEpoch: 12, headNodeDnsNames: { "head-0": ["head-0.acme.internal"] } }),
      [],
    );
  });

  it("accepts the stack schema's environments and refuses any other, as it names every secret", () => {
    for (const environment of ["dev", "staging", "prod"]) {
      assert.deepEqual(paths({ ...good, environment }), [], environment);
    }
    const [problem] = validateClusterSecretsArgs({ ...good, environment: "Prod" });
    assert.equal(problem.propertyPath, "environment");
    assert.match(problem.reason, /^"Prod" is not an environment; use one of dev, staging, prod/);
  });

  it("CMP-6: refuses a KMS key that is not an ARN, so no secret falls back to the AWS-managed key", () => {
    const [problem] = validateClusterSecretsArgs({ ...good, kmsKeyArn: "alias/aws/secretsmanager" });
    assert.equal(problem.propertyPath, "kmsKeyArn");
    assert.match(problem.reason, /tenant's customer-managed key/);
  });

  it("CMP-9: refuses a negative or fractional rotation epoch and says how to rotate", () => {
    for (const rotationEpoch of [-1, 1.5, Number.NaN]) {
      const [problem] = validateClusterSecretsArgs({ ...good, rotationEpoch });
      assert.equal(problem.propertyPath, "rotationEpoch");
      assert.match(problem.reason, /raise it by one/);
    }
  });

  it("reports every bad node name, duplicate and DNS name at once", () => {
    assert.deepEqual(
      paths({
        ...good,
        tenantId: "",
        headNodeNames: ["head-0", "Head 1", "head-0"],
        headNodeDnsNames: { "head-0": ["ok.example", "bad name"], "head-9": [] },
      }),
      [
        "tenantId",
        "headNodeNames[1]",
        "headNodeNames[2]",
        "headNodeDnsNames.head-0[1]",
        "headNodeDnsNames.head-9",
      ],
    );
  });

  it("CMP-6: requires at least one head node", () => {
    assert.deepEqual(paths({ ...good, headNodeNames: [] }), ["headNodeNames"]);
  });
});
