// DAT-3 and DAT-4 policies on KMS keys, on a key as a first preview sees it: its ARN and key ID
// are computed by AWS and must never be read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyResourceOptions, ResourceValidationPolicy } from "@pulumi/policy";
import { parsePolicyDocument } from "./iam-document";
import { IamType } from "./iam-resources";
import {
  kmsKeyDeletionWindow,
  kmsKeyPolicySingleAccount,
  kmsKeyProtected,
  kmsKeyRotationEnabled,
  kmsKeySymmetric,
} from "./kms";
import { keyPolicyPrincipalProblems } from "./kms-key-policy";
import { neverRead, runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

const account = "111122223333";
const root = {
  Sid: "AccountRoot",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: "kms:*",
  Resource: "*",
};
const logs = {
  Sid: "FlowLogs",
  Effect: "Allow",
  Principal: { Service: "logs.us-east-1.amazonaws.com" },
  Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
  Resource: "*",
  Condition: {
    ArnLike: {
      "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${account}:log-group:/moat/acme/*`,
    },
  },
};
const nodes = {
  Sid: "TenantNodes",
  Effect: "Allow",
  Principal: {
    AWS: [`arn:aws:iam::${account}:role/moat-acme-head`, `arn:aws:iam::${account}:role/moat-acme-compute`],
  },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
};
const document = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

// A compliant tenant key; each test changes one field.
const key = (props: object = {}) => ({
  type: IamType.kmsKey,
  name: "tenant",
  props: neverRead(
    {
      description: "Tenant acme data key",
      enableKeyRotation: true,
      rotationPeriodInDays: 90,
      deletionWindowInDays: 30,
      policy: document(root, logs, nodes),
      tags: { "moat:role": "storage" },
      ...props,
    },
    "arn",
    "keyId",
  ),
});

// The shared harness gives every resource default options; this wrapper sets the options a
// program passed (here `protect`), as the analyzer would.
function withOptions(
  policy: ResourceValidationPolicy,
  opts: Partial<PolicyResourceOptions>,
): ResourceValidationPolicy {
  const validations = [policy.validateResource ?? []].flat();
  return {
    ...policy,
    validateResource: validations.map(
      (v) => (args, report) => v({ ...args, opts: { ...args.opts, ...opts } }, report),
    ),
  };
}

const literal = (property: string) =>
  `Set ${property} on KMS key "tenant" to a literal value: it is unknown at preview, so this policy cannot verify it (DAT-3, POL-2).`;

describe("kms-key-rotation-enabled", () => {
  const policy = kmsKeyRotationEnabled;
  const period = (now: string, max = 365) =>
    `Set rotationPeriodInDays on KMS key "tenant" to at most ${max} days (Moat uses 90), ${now} (DAT-3).`;

  it("passes a key rotating every 90 days (DAT-3)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, key()), passes);
  });

  it("fails a key without rotation or period (DAT-3)", async () => {
    const run = await runResourcePolicy(
      policy,
      key({ enableKeyRotation: false, rotationPeriodInDays: undefined }),
    );
    assert.deepEqual(
      run,
      fails(
        'Set enableKeyRotation: true on KMS key "tenant": AWS then replaces its key material on a schedule, limiting what one exposed key version can decrypt (DAT-3).',
        period("it is not set"),
      ),
    );
  });

  it("fails a period above 365 days, or above the configured maximum (DAT-3)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key({ rotationPeriodInDays: 400 })),
      fails(period("not 400")),
    );
    const run = await runResourcePolicy(policy, key({ rotationPeriodInDays: 365 }), {
      maxRotationPeriodDays: 180,
    });
    assert.deepEqual(run, fails(period("not 365", 180)));
  });

  it("fails settings that are unknown at preview (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      key({ enableKeyRotation: unknown.boolean, rotationPeriodInDays: unknown.number }),
    );
    assert.deepEqual(run, fails(literal("enableKeyRotation"), literal("rotationPeriodInDays")));
  });
});

describe("kms-key-deletion-window", () => {
  const policy = kmsKeyDeletionWindow;
  const window = (now: string) =>
    `Set deletionWindowInDays on KMS key "tenant" to 30, ${now}: a key deleted by mistake stays recoverable that long, and with it every volume and secret it encrypts (DAT-3).`;

  it("passes a 30-day window (DAT-3)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, key()), passes);
  });

  it("fails a missing or shorter window (DAT-3)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key({ deletionWindowInDays: undefined })),
      fails(window("it is not set")),
    );
    assert.deepEqual(
      await runResourcePolicy(policy, key({ deletionWindowInDays: 7 })),
      fails(window("not 7")),
    );
  });

  it("cannot be weakened by configuration: the policy takes no settings (DAT-3)", () => {
    assert.equal(policy.configSchema, undefined);
  });

  it("fails a window that is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key({ deletionWindowInDays: unknown.number })),
      fails(literal("deletionWindowInDays")),
    );
  });
});

describe("kms-key-symmetric", () => {
  const policy = kmsKeySymmetric;

  it("passes a key that leaves the spec out or asks for SYMMETRIC_DEFAULT (DAT-3)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, key()), passes);
    assert.deepEqual(
      await runResourcePolicy(policy, key({ customerMasterKeySpec: "SYMMETRIC_DEFAULT" })),
      passes,
    );
  });

  it("fails an asymmetric key (DAT-3)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key({ customerMasterKeySpec: "RSA_4096" })),
      fails(
        'Set customerMasterKeySpec on KMS key "tenant" to SYMMETRIC_DEFAULT or leave it out, not RSA_4096: only symmetric keys rotate automatically and encrypt volumes, file systems and secrets (DAT-3).',
      ),
    );
  });

  it("fails a spec that is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key({ customerMasterKeySpec: unknown.string })),
      fails(literal("customerMasterKeySpec")),
    );
  });
});

describe("kms-key-policy-single-account", () => {
  const policy = kmsKeyPolicySingleAccount;
  const subject = 'the policy of KMS key "tenant"';
  const scope = (statement: string, problem: string) =>
    `Scope ${statement} of ${subject} to one account: ${problem} (DAT-3).`;

  it("passes a policy of the account root, its roles and a service (DAT-3)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, key()), passes);
  });

  it("fails a key left on AWS's default policy (DAT-3)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key({ policy: undefined })),
      fails(
        'Set policy on KMS key "tenant" to a key policy that grants the account root and the tenant\'s roles: without one AWS applies its default policy, which the stack does not show (DAT-3).',
      ),
    );
  });

  it("fails a policy that is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key({ policy: unknown.string })),
      fails(
        `Build ${subject} from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (DAT-3, POL-2).`,
      ),
    );
  });

  it("fails a * principal and a principal of another account (DAT-3)", async () => {
    const everyone = {
      Sid: "Everyone",
      Effect: "Allow",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
    };
    const foreign = { ...nodes, Sid: "Foreign", Principal: { AWS: "arn:aws:iam::444455556666:role/x" } };
    const run = await runResourcePolicy(policy, key({ policy: document(root, everyone, foreign) }));
    assert.deepEqual(
      run,
      fails(
        scope('Statement[1] ("Everyone")', `replace the "*" principal with principals of account ${account}`),
        scope(
          'Statement[2] ("Foreign")',
          `remove principal arn:aws:iam::444455556666:role/x: it belongs to account 444455556666, not ${account}`,
        ),
      ),
    );
  });

  it("passes a Deny for everyone, which only takes access away (DAT-3)", async () => {
    const deny = {
      Effect: "Deny",
      Principal: "*",
      Action: "kms:*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    assert.deepEqual(await runResourcePolicy(policy, key({ policy: document(root, deny) })), passes);
  });
});

describe("keyPolicyPrincipalProblems (DAT-3)", () => {
  const statements = (...list: object[]) => {
    const read = parsePolicyDocument({ Statement: list });
    return read.kind === "document" ? read.statements : assert.fail(read.kind);
  };
  const subject = 'the policy of KMS key "k"';

  it("asks for the account root when no statement grants one", () => {
    assert.deepEqual(keyPolicyPrincipalProblems(statements(nodes), subject), [
      `Grant the account root (arn:aws:iam::<account>:root, with the account ID from aws.getCallerIdentity) in ${subject}: without it the key cannot be managed through the account's IAM policies and has no owning account (DAT-3).`,
    ]);
  });

  it("refuses roots of two accounts, NotPrincipal, unreadable and federated principals", () => {
    const other = { ...root, Sid: "", Principal: { AWS: "444455556666" } };
    const notPrincipal = {
      Effect: "Allow",
      NotPrincipal: { AWS: "arn:aws:iam::444455556666:root" },
      Action: "kms:*",
    };
    const uniqueId = {
      Effect: "Allow",
      Principal: { AWS: "AROAEXAMPLEID", Federated: "cognito-identity.amazonaws.com" },
    };
    assert.deepEqual(keyPolicyPrincipalProblems(statements(root, other, notPrincipal, uniqueId), subject), [
      `Name one account in ${subject}: it grants the roots of accounts ${account}, 444455556666, so another account could use or manage the tenant's key (DAT-3).`,
      `Replace NotPrincipal in Statement[2] of ${subject} with Principal: an Allow with NotPrincipal grants every account not listed (DAT-3).`,
      `Scope Statement[3] of ${subject} to one account: name principal AROAEXAMPLEID by its ARN, so its account can be checked (DAT-3).`,
      `Scope Statement[3] of ${subject} to one account: remove the Federated principal cognito-identity.amazonaws.com: only principals of the account may use the key (DAT-3).`,
    ]);
  });
});

describe("kms-key-protected", () => {
  const policy = kmsKeyProtected;

  it("passes a key created with protect: true (DAT-4)", async () => {
    assert.deepEqual(await runResourcePolicy(withOptions(policy, { protect: true }), key()), passes);
  });

  it("fails an unprotected key, naming the option (DAT-4)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, key()),
      fails(
        "Create KMS key \"tenant\" with the resource option protect: true (e.g. { parent: this, protect: true }): without it a destroy or replacement schedules the key's deletion, and the tenant's encrypted data goes with it (DAT-4).",
      ),
    );
  });

  it("does not apply to other resources", async () => {
    const run = await runResourcePolicy(policy, { type: IamType.kmsKeyPolicy, props: {} });
    assert.equal(run.notApplicable, `Policy only applies to resources of type '${IamType.kmsKey}'`);
  });
});
