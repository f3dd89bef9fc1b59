// CMP-6 and CMP-9: secrets under the tenant key, Jupyter tokens from long RandomPasswords that a
// rotation epoch regenerates.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cmpJupyterTokenRandomPassword,
  cmpJupyterTokenRotationEpoch,
  cmpSecretEncryptedCustomerKey,
  cmpSsmParameterSecureString,
  jupyterTokenPasswords,
} from "./cmp-secrets";
import { CmpType } from "./cmp-types";
import { runResourcePolicy, runStackPolicy, stackResource, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

describe("cmp-secret-encrypted-customer-key (CMP-6)", () => {
  const policy = cmpSecretEncryptedCustomerKey;
  const secret = (props: Record<string, unknown>) => ({
    type: CmpType.secret,
    name: "head-0-jupyter-token",
    props,
  });

  it("passes a moat secret whose key ARN is unknown at preview, and a secret outside moat/", async () => {
    const run = await runResourcePolicy(
      policy,
      secret({ name: "moat/acme/jupyter-token/head-0", kmsKeyId: unknown.string }),
    );
    assert.deepEqual(run, passes);
    assert.deepEqual(await runResourcePolicy(policy, secret({ name: "other/app" })), passes);
  });

  it("fails a moat secret, by name or name prefix, without a customer-managed key", async () => {
    const message =
      'Set kmsKeyId on secret "head-0-jupyter-token" to the tenant\'s customer-managed KMS key: without it Secrets Manager uses the account-wide aws/secretsmanager key (CMP-6).';
    assert.deepEqual(
      await runResourcePolicy(policy, secret({ name: "moat/acme/cluster-ssh-key" })),
      fails(message),
    );
    assert.deepEqual(await runResourcePolicy(policy, secret({ namePrefix: "moat/acme/" })), fails(message));
  });

  it("fails a name unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, secret({ name: unknown.string, kmsKeyId: "k" })),
      fails(
        'Set name on secret "head-0-jupyter-token" to a literal value: it is unknown at preview, so this policy cannot verify it (CMP-6, POL-2).',
      ),
    );
  });
});

describe("cmp-ssm-parameter-secure-string (CMP-6)", () => {
  const policy = cmpSsmParameterSecureString;
  const parameter = (props: Record<string, unknown>) => ({
    type: CmpType.ssmParameter,
    name: "head-0-token",
    props,
  });

  it("passes a token stored as a SecureString under a key, and a plain non-secret parameter", async () => {
    const token = {
      name: "/moat/acme/jupyter-token/head-0",
      type: "SecureString",
      keyId: unknown.string,
      value: unknown.string,
    };
    assert.deepEqual(await runResourcePolicy(policy, parameter(token)), passes);
    assert.deepEqual(
      await runResourcePolicy(policy, parameter({ name: "/moat/acme/ami", type: "String", value: "ami-1" })),
      passes,
    );
  });

  it("fails a token stored as a String and one stored as insecureValue", async () => {
    const run = await runResourcePolicy(
      policy,
      parameter({ name: "/moat/acme/jupyter-token/head-0", type: "String", insecureValue: "abc" }),
    );
    assert.deepEqual(
      run,
      fails(
        'Store SSM parameter "head-0-token" as a SecureString encrypted with the tenant\'s key: set type "SecureString" and keyId to the customer-managed KMS key, as its name says it holds a secret (CMP-6).',
        'Move the value of SSM parameter "head-0-token" from insecureValue to value: insecureValue is stored and shown in plain text (CMP-6, CMP-8).',
      ),
    );
  });

  it("judges an autonamed parameter by its resource name, and fails an unknown type (POL-2)", async () => {
    const run = await runResourcePolicy(policy, parameter({ type: unknown.string }));
    assert.deepEqual(
      run,
      fails(
        'Set type on SSM parameter "head-0-token" to a literal value: it is unknown at preview, so this policy cannot verify it (CMP-6, POL-2).',
      ),
    );
  });
});

// The resources behind one node's Jupyter token, linked as the engine records them.
function tokenResources(
  passwordProps: Record<string, unknown>,
  secretName: unknown = "moat/acme/jupyter-token/head-0",
) {
  const password = stackResource({
    type: CmpType.randomPassword,
    name: "head-0-token",
    props: passwordProps,
  });
  const secret = stackResource({
    type: CmpType.secret,
    name: "head-0-token",
    props: { name: secretName, arn: unknown.string, kmsKeyId: unknown.string },
  });
  const version = stackResource(
    {
      type: CmpType.secretVersion,
      name: "head-0-token",
      props: { secretId: unknown.string, secretString: unknown.string },
    },
    { propertyDependencies: { secretId: [secret], secretString: [password] } },
  );
  return { password, secret, version };
}
const epoch = { keepers: { rotationEpoch: "3" } };

describe("cmp-jupyter-token-random-password (CMP-6)", () => {
  const policy = cmpJupyterTokenRandomPassword;

  it("passes a token secret written from a 48-character RandomPassword", async () => {
    const { password, secret, version } = tokenResources({ length: 48, special: false, ...epoch });
    assert.deepEqual(await runStackPolicy(policy, [password, secret, version]), passes);
  });

  it("fails a 16-character password, reported against the password", async () => {
    const { password, secret, version } = tokenResources({ length: 16, ...epoch });
    assert.deepEqual(await runStackPolicy(policy, [password, secret, version]), {
      violations: [
        {
          message:
            'Set length on random password "head-0-token" to at least 32: it makes the Jupyter token in secret version "head-0-token" and has 16 characters (CMP-6).',
          urn: password.urn,
        },
      ],
    });
  });

  it("takes a higher minimum from policy config", async () => {
    const { password, secret, version } = tokenResources({ length: 48, ...epoch });
    const run = await runStackPolicy(policy, [password, secret, version], { minLength: 64 });
    assert.equal(run.violations.length, 1);
    assert.match(run.violations[0].message, /^Set length on random password "head-0-token" to at least 64/);
  });

  it("fails a token secret whose value comes from no RandomPassword", async () => {
    const secret = stackResource({
      type: CmpType.secret,
      name: "t",
      props: { name: "moat/acme/jupyter-token/head-1" },
    });
    const version = stackResource(
      { type: CmpType.secretVersion, name: "t", props: { secretString: "hunter2" } },
      { propertyDependencies: { secretId: [secret] } },
    );
    assert.deepEqual(await runStackPolicy(policy, [secret, version]), {
      violations: [
        {
          message:
            'Build the secretString of secret version "t" from a random.RandomPassword of at least 32 characters: a Jupyter token must be a unique random value per node (CMP-6).',
          urn: version.urn,
        },
      ],
    });
  });

  it("ignores other secrets and fails a secret name unknown at preview (POL-2)", async () => {
    const other = tokenResources({ length: 8 }, "moat/acme/cluster-ssh-key");
    assert.deepEqual(await runStackPolicy(policy, [other.password, other.secret, other.version]), passes);
    const computed = tokenResources({ length: 48 }, unknown.string);
    const run = await runStackPolicy(policy, [computed.password, computed.secret, computed.version]);
    assert.equal(run.violations.length, 1);
    assert.match(
      run.violations[0].message,
      /^Give the secret behind secret version "head-0-token" a literal name .*\(CMP-6, POL-2\)\.$/,
    );
  });
});

describe("cmp-jupyter-token-rotation-epoch (CMP-9)", () => {
  const policy = cmpJupyterTokenRotationEpoch;

  it("passes a token password kept by the rotation epoch", async () => {
    const { password, secret, version } = tokenResources({ length: 48, ...epoch });
    assert.deepEqual(await runStackPolicy(policy, [password, secret, version]), passes);
  });

  it("fails a token password without the keeper, found through its secret version", async () => {
    const { password, secret, version } = tokenResources({ length: 48, keepers: { node: "head-0" } });
    assert.deepEqual(await runStackPolicy(policy, [password, secret, version]), {
      violations: [
        {
          message:
            'Add a "rotationEpoch" keeper to random password "head-0-token", set from the stack\'s rotation epoch config value, so changing that one value regenerates the Jupyter token (CMP-9).',
          urn: password.urn,
        },
      ],
    });
  });

  it("finds a token password by name alone, and fails keepers unknown at preview (POL-2)", async () => {
    const named = stackResource({
      type: CmpType.randomPassword,
      name: "head-1-jupyter-token",
      props: { keepers: unknown.object },
    });
    assert.deepEqual(jupyterTokenPasswords([named]), [named]);
    const run = await runStackPolicy(policy, [named]);
    assert.deepEqual(run.violations, [
      {
        message:
          'Set keepers on random password "head-1-jupyter-token" to a literal value: it is unknown at preview, so this policy cannot verify it (CMP-9, POL-2).',
        urn: named.urn,
      },
    ]);
  });

  it("leaves RandomPasswords that are not Jupyter tokens alone", async () => {
    const other = stackResource({ type: CmpType.randomPassword, name: "db", props: { length: 40 } });
    assert.deepEqual(await runStackPolicy(policy, [other]), passes);
  });
});
