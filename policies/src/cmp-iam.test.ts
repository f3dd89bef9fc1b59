// CMP-7 on the three resource types that carry IAM policy documents.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cmpIamPolicyLeastPrivilege } from "./cmp-iam";
import { CmpType } from "./cmp-types";
import { runResourcePolicy, unknown } from "./testing";

const policy = cmpIamPolicyLeastPrivilege;
const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

// What a node role needs, scoped from values known at preview (POL-2).
const readTenantSecrets = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:moat/acme/*",
    },
  ],
});
const everything = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
const unknownMessage = (label: string) =>
  `Build the policy document of ${label} from values known at preview (account ID, region, tenant ID, names you choose, e.g. an ARN pattern "arn:aws:secretsmanager:<region>:<account>:secret:moat/<tenant>/*" instead of secret.arn): it is unknown, so this policy cannot verify least privilege (CMP-7, POL-2).`;

describe("cmp-iam-policy-least-privilege (CMP-7)", () => {
  it("passes a scoped role policy, managed policy and inline policy", async () => {
    const rolePolicy = {
      type: CmpType.iamRolePolicy,
      name: "head",
      props: { role: unknown.string, policy: readTenantSecrets },
    };
    assert.deepEqual(await runResourcePolicy(policy, rolePolicy), passes);
    const managed = { type: CmpType.iamPolicy, name: "head", props: { policy: readTenantSecrets } };
    assert.deepEqual(await runResourcePolicy(policy, managed), passes);
    const role = {
      type: CmpType.iamRole,
      name: "head",
      props: { assumeRolePolicy: "{}", inlinePolicies: [{ name: "secrets", policy: readTenantSecrets }] },
    };
    assert.deepEqual(await runResourcePolicy(policy, role), passes);
  });

  it("fails a role policy that allows every action on every resource", async () => {
    const run = await runResourcePolicy(policy, {
      type: CmpType.iamRolePolicy,
      name: "head",
      props: { policy: everything },
    });
    assert.deepEqual(
      run,
      fails(
        'Narrow the policy document of IAM role policy "head": statement 0 allows every action ("*") (CMP-7).',
        'Narrow the policy document of IAM role policy "head": statement 0 allows "*" on Resource "*"; name the tenant\'s own secret, parameter and key ARNs (CMP-7).',
      ),
    );
  });

  it("fails a role's inline policy that reads every secret", async () => {
    const doc = JSON.stringify({
      Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }],
    });
    const role = {
      type: CmpType.iamRole,
      name: "compute",
      props: { inlinePolicies: [{ name: "secrets", policy: doc }] },
    };
    assert.deepEqual(
      await runResourcePolicy(policy, role),
      fails(
        'Narrow the policy document of inline policy "secrets" of IAM role "compute": statement 0 allows "secretsmanager:GetSecretValue" on Resource "*"; name the tenant\'s own secret, parameter and key ARNs (CMP-7).',
      ),
    );
  });

  it("fails a managed policy with a write wildcard", async () => {
    const doc = JSON.stringify({
      Statement: [{ Effect: "Allow", Action: ["s3:Put*"], Resource: "arn:aws:s3:::b/*" }],
    });
    assert.deepEqual(
      await runResourcePolicy(policy, { type: CmpType.iamPolicy, name: "data", props: { policy: doc } }),
      fails(
        'Narrow the policy document of IAM policy "data": statement 0 uses a wildcard that covers write actions ("s3:Put*"); list them one by one (CMP-7).',
      ),
    );
  });

  it("fails documents that are unknown at preview instead of skipping them (POL-2)", async () => {
    const rolePolicy = await runResourcePolicy(policy, {
      type: CmpType.iamRolePolicy,
      name: "head",
      props: { policy: unknown.string },
    });
    assert.deepEqual(rolePolicy, fails(unknownMessage('IAM role policy "head"')));
    const inline = await runResourcePolicy(policy, {
      type: CmpType.iamRole,
      name: "head",
      props: { inlinePolicies: [{ name: "secrets", policy: unknown.string }] },
    });
    assert.deepEqual(inline, fails(unknownMessage('inline policy "secrets" of IAM role "head"')));
    const list = await runResourcePolicy(policy, {
      type: CmpType.iamRole,
      name: "head",
      props: { inlinePolicies: unknown.array },
    });
    assert.deepEqual(list, fails(unknownMessage('the inline policies of IAM role "head"')));
  });

  it("fails a document that is not JSON", async () => {
    const run = await runResourcePolicy(policy, {
      type: CmpType.iamPolicy,
      name: "data",
      props: { policy: "{" },
    });
    assert.equal(run.violations.length, 1);
    assert.match(
      run.violations[0],
      /^Make the policy document of IAM policy "data" valid JSON \(.+\), e\.g\. with JSON\.stringify \(CMP-7\)\.$/,
    );
  });

  it("passes a role without inline policies", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, {
        type: CmpType.iamRole,
        name: "head",
        props: { assumeRolePolicy: "{}" },
      }),
      passes,
    );
  });
});
