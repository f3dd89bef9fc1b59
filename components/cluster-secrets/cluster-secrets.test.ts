import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { ClusterSecrets, ClusterSecretsArgs } from "./cluster-secrets";

// Markers of secret material, assembled at run time so no tracked file looks like it holds a key.
const BEGIN_OPENSSH = ["-----BEGIN OPENSSH", "PRIVATE KEY-----"].join(" ");
const BEGIN_PEM = ["-----BEGIN", "PRIVATE KEY-----"].join(" ");

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly parent: string;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): unknown } | undefined;
}

// The SDK's wire marker for a secret value: `{ [SIG]: SECRET, value }`.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const isSecret = (v: unknown): v is { value: unknown } =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] === SECRET;
const reveal = (v: unknown): unknown => (isSecret(v) ? v.value : v);

// setMocks is process-global; node's test runner gives each test file its own process.
const registered = new Map<string, { type: string; inputs: Record<string, unknown> }>();
const parentByName = new Map<string, string>();
const outputsByUrn = new Map<string, unknown>();
const waitForRegistrations = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

// Stand-ins for what the providers compute, unique per resource so a leak is traceable.
function fakeState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "tls:index/privateKey:PrivateKey":
      return {
        ...inputs,
        publicKeyOpenssh: `ssh-ed25519 AAAAPUBLIC${name}`,
        privateKeyOpenssh: `${BEGIN_OPENSSH}\nSECRET${name}\n`,
        privateKeyPem: `${BEGIN_PEM}\nSECRET${name}\n`,
      };
    case "random:index/randomBytes:RandomBytes":
      return { ...inputs, base64: `BYTES${name.replace(/[^A-Za-z0-9]/g, "")}==`, hex: "00" };
    case "random:index/randomPassword:RandomPassword":
      return { ...inputs, result: `TOKEN${name.replace(/[^A-Za-z0-9]/g, "")}` };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { ...inputs, certPem: `-----BEGIN CERTIFICATE-----\n${name}\n` };
    case "tls:index/certRequest:CertRequest":
      return { ...inputs, certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\n${name}\n` };
    case "aws:secretsmanager/secret:Secret":
      return { ...inputs, arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${inputs.name}-AbC123` };
    default:
      return inputs;
  }
}

function recordedNamed(prefix: string): Recorded[] {
  return [...registered.entries()]
    .filter(([name]) => name === prefix || name.startsWith(`${prefix}-`))
    .map(([name, { type, inputs }]) => ({ name, type, inputs, parent: parentByName.get(name) ?? "" }));
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

before(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.name, { type: args.type, inputs: args.inputs });
        return { id: `${args.name}-id`, state: fakeState(args.type, args.name, args.inputs) };
      },
      call: (args) => args.inputs,
    },
    "moat",
    "test",
  );
  const monitor = settings.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): unknown;
    registerResourceOutputs(req: OutputsRequest, callback: unknown): unknown;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    parentByName.set(req.getName(), req.getParent());
    return registerResource(req, callback);
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    outputsByUrn.set(req.getUrn(), req.getOutputs()?.toJavaScript());
    return registerResourceOutputs(req, callback);
  };
});

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const goodArgs: ClusterSecretsArgs = {
  tenantId: "acme",
  kmsKeyArn: KEY_ARN,
  headNodeNames: ["head-0", "head-1"],
  headNodeDnsNames: { "head-0": ["head-0.acme.internal"] },
};

const SECRET_TYPE = "aws:secretsmanager/secret:Secret";
const VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion";

describe("ClusterSecrets (CMP-4, CMP-6, CMP-8, DAT-2)", () => {
  const name = "acme-secrets";
  let secrets: ClusterSecrets;
  let children: Recorded[];
  const child = (role: string) => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };

  before(async () => {
    secrets = new ClusterSecrets(name, goodArgs);
    await waitForRegistrations();
    children = recordedNamed(name).filter((r) => r.name !== name);
  });

  it("registers itself with the moat:security:ClusterSecrets type", () => {
    assert.equal(recordedNamed(name).find((r) => r.name === name)?.type, "moat:security:ClusterSecrets");
  });

  it("creates exactly the expected children, named after the component", () => {
    const stored = (role: string) => [
      [SECRET_TYPE, `${role}-secret`],
      [VERSION_TYPE, `${role}-version`],
    ];
    const expected = [
      ["tls:index/privateKey:PrivateKey", "ssh-key-e0"],
      ...stored("ssh-key"),
      ["random:index/randomBytes:RandomBytes", "munge-key"],
      ...stored("munge-key"),
      ["tls:index/privateKey:PrivateKey", "ca-key"],
      ["tls:index/selfSignedCert:SelfSignedCert", "ca-cert"],
      ...["head-0", "head-1"].flatMap((node) => [
        ["random:index/randomPassword:RandomPassword", `jupyter-token-${node}`],
        ...stored(`jupyter-token-${node}`),
        ["tls:index/privateKey:PrivateKey", `jupyter-tls-${node}-key`],
        ["tls:index/certRequest:CertRequest", `jupyter-tls-${node}-csr`],
        ["tls:index/locallySignedCert:LocallySignedCert", `jupyter-tls-${node}-cert`],
        ...stored(`jupyter-tls-${node}`),
      ]),
    ].map(([type, role]) => `${type} ${name}-${role}`);
    assert.deepEqual(children.map((c) => `${c.type} ${c.name}`).sort(), expected.sort());
  });

  it("parents every child to the component", async () => {
    const urn = await valueOf(secrets.urn);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to ClusterSecrets`);
    }
  });

  it("CMP-6/CMP-8: names, encrypts with the tenant key and tags every secret, with a 7-day window", () => {
    const byName = Object.fromEntries(
      children.filter((c) => c.type === SECRET_TYPE).map((c) => [String(c.inputs.name), c.inputs]),
    );
    assert.deepEqual(Object.keys(byName).sort(), [
      "moat/acme/cluster-ssh-key",
      "moat/acme/jupyter-tls/head-0",
      "moat/acme/jupyter-tls/head-1",
      "moat/acme/jupyter-token/head-0",
      "moat/acme/jupyter-token/head-1",
      "moat/acme/munge-key",
    ]);
    for (const [secretName, inputs] of Object.entries(byName)) {
      assert.equal(inputs.kmsKeyId, KEY_ARN, secretName);
      assert.equal(inputs.recoveryWindowInDays, 7, secretName);
    }
    assert.deepEqual(byName["moat/acme/cluster-ssh-key"].tags, { "moat:role": "cluster" });
    assert.deepEqual(byName["moat/acme/munge-key"].tags, { "moat:role": "cluster" });
    assert.deepEqual(byName["moat/acme/jupyter-token/head-1"].tags, {
      "moat:role": "head",
      "moat:node": "head-1",
    });
    assert.deepEqual(byName["moat/acme/jupyter-tls/head-0"].tags, {
      "moat:role": "head",
      "moat:node": "head-0",
    });
  });

  it("CMP-4: generates an ED25519 cluster key and stores its private half as a secret value", () => {
    assert.deepEqual(child("ssh-key-e0").inputs, { algorithm: "ED25519" });
    const version = child("ssh-key-version").inputs;
    assert.equal(version.secretId, `${name}-ssh-key-secret-id`);
    assert.ok(isSecret(version.secretString), "secretString is not marked secret");
    assert.match(String(reveal(version.secretString)), new RegExp(`^${BEGIN_OPENSSH}\nSECRET`));
  });

  it("CMP-8/CMP-9: generates a 1,024-byte MUNGE key kept by the epoch and stores it base64 as a secret", () => {
    assert.deepEqual(child("munge-key").inputs, { length: 1024, keepers: { rotationEpoch: "0" } });
    const version = child("munge-key-version").inputs;
    assert.equal(version.secretId, `${name}-munge-key-secret-id`);
    assert.ok(isSecret(version.secretString), "secretString is not marked secret");
    assert.equal(reveal(version.secretString), `BYTES${name}mungekey==`.replace(/-/g, ""));
  });

  it("CMP-6/CMP-9: gives each head node a 48-character alphanumeric token kept by the epoch", () => {
    for (const node of ["head-0", "head-1"]) {
      assert.deepEqual(child(`jupyter-token-${node}`).inputs, {
        length: 48,
        special: false,
        keepers: { rotationEpoch: "0" },
      });
      const version = child(`jupyter-token-${node}-version`).inputs;
      assert.equal(version.secretId, `${name}-jupyter-token-${node}-secret-id`);
      assert.ok(isSecret(version.secretString), node);
      assert.equal(reveal(version.secretString), `TOKEN${name}jupytertoken${node}`.replace(/-/g, ""));
    }
  });

  it("DAT-2: builds a P256 CA and a one-year loopback server certificate per head node", () => {
    assert.deepEqual(child("ca-key").inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const ca = child("ca-cert").inputs;
    assert.equal(ca.isCaCertificate, true);
    assert.deepEqual(ca.allowedUses, ["cert_signing", "crl_signing", "digital_signature"]);
    assert.ok(isSecret(ca.privateKeyPem));

    const csr = child("jupyter-tls-head-0-csr").inputs;
    assert.deepEqual(csr.dnsNames, ["localhost", "head-0.acme.internal"]);
    assert.deepEqual(csr.ipAddresses, ["127.0.0.1"]);
    assert.deepEqual(child("jupyter-tls-head-1-csr").inputs.dnsNames, ["localhost"]);

    const cert = child("jupyter-tls-head-0-cert").inputs;
    assert.equal(cert.validityPeriodHours, 8760);
    assert.equal(cert.earlyRenewalHours, 720);
    assert.deepEqual(cert.allowedUses, ["digital_signature", "server_auth"]);
    assert.equal(cert.caCertPem, `-----BEGIN CERTIFICATE-----\n${name}-ca-cert\n`);

    const stored = child("jupyter-tls-head-0-version").inputs.secretString;
    assert.ok(isSecret(stored));
    assert.deepEqual(JSON.parse(String(reveal(stored))), {
      cert: `-----BEGIN CERTIFICATE-----\n${name}-jupyter-tls-head-0-cert\n`,
      key: `${BEGIN_PEM}\nSECRET${name}-jupyter-tls-head-0-key\n`,
    });
  });

  it("exposes the public key, the CA certificate and every secret ARN", async () => {
    const arn = (secretName: string) =>
      `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretName}-AbC123`;
    assert.equal(await valueOf(secrets.clusterPublicKey), `ssh-ed25519 AAAAPUBLIC${name}-ssh-key-e0`);
    assert.equal(await valueOf(secrets.caCertPem), `-----BEGIN CERTIFICATE-----\n${name}-ca-cert\n`);
    assert.equal(await valueOf(secrets.clusterKeySecretArn), arn("moat/acme/cluster-ssh-key"));
    assert.equal(
      await valueOf(secrets.jupyterTokenSecretArns["head-1"]),
      arn("moat/acme/jupyter-token/head-1"),
    );
    assert.equal(await valueOf(secrets.jupyterTlsSecretArns["head-0"]), arn("moat/acme/jupyter-tls/head-0"));
    assert.equal(await valueOf(secrets.mungeKeySecretArn), arn("moat/acme/munge-key"));
    assert.deepEqual(await valueOf(secrets.allSecretArns), [
      arn("moat/acme/cluster-ssh-key"),
      arn("moat/acme/munge-key"),
      arn("moat/acme/jupyter-token/head-0"),
      arn("moat/acme/jupyter-token/head-1"),
      arn("moat/acme/jupyter-tls/head-0"),
      arn("moat/acme/jupyter-tls/head-1"),
    ]);
  });

  it("CMP-8: no registered output carries a private key or a token", async () => {
    const urn = await valueOf(secrets.urn);
    const serialized = JSON.stringify(outputsByUrn.get(urn));
    assert.ok(serialized.includes("allSecretArns"), "component outputs were not registered");
    assert.doesNotMatch(serialized, /PRIVATE KEY|SECRET|TOKEN|BYTES/);
    assert.ok(!serialized.includes(SECRET), "an output is marked secret, so a value leaked into it");
  });
});

describe("ClusterSecrets of one environment, for an account two environments share (CMP-6)", () => {
  it("names every secret moat/<tenantId>-<environment>/<purpose>", async () => {
    const name = "acme-prod-secrets";
    const secrets = new ClusterSecrets(name, { ...goodArgs, environment: "prod", headNodeNames: ["head-0"] });
    await waitForRegistrations();
    assert.deepEqual(
      recordedNamed(name)
        .filter((c) => c.type === SECRET_TYPE)
        .map((c) => c.inputs.name)
        .sort(),
      [
        "moat/acme-prod/cluster-ssh-key",
        "moat/acme-prod/jupyter-tls/head-0",
        "moat/acme-prod/jupyter-token/head-0",
        "moat/acme-prod/munge-key",
      ],
    );
    assert.equal(
      await valueOf(secrets.mungeKeySecretArn),
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/munge-key-AbC123",
    );
  });
});

describe("ClusterSecrets: rotation epoch (CMP-9)", () => {
  // Two clusters differing only in the epoch; their children are compared role by role.
  const rolesOf = async (name: string, rotationEpoch: number) => {
    new ClusterSecrets(name, { ...goodArgs, headNodeNames: ["head-0"], rotationEpoch });
    await waitForRegistrations();
    const strip = (v: unknown) =>
      JSON.parse(
        JSON.stringify(v ?? null)
          .split(name)
          .join("NAME"),
      );
    return new Map(
      recordedNamed(name)
        .filter((r) => r.name !== name)
        .map((r) => [r.name.slice(name.length + 1), { type: r.type, inputs: strip(r.inputs) }]),
    );
  };

  it("CMP-9: a new epoch replaces the SSH key, re-keeps the token and MUNGE key, and leaves the rest", async () => {
    const before = await rolesOf("cyclex", 3);
    const after = await rolesOf("cycley", 4);

    assert.ok(before.has("ssh-key-e3") && !before.has("ssh-key-e4"));
    assert.ok(after.has("ssh-key-e4") && !after.has("ssh-key-e3"));
    assert.deepEqual(after.get("ssh-key-e4"), before.get("ssh-key-e3"), "same key settings, new identity");

    assert.deepEqual(before.get("jupyter-token-head-0")?.inputs.keepers, { rotationEpoch: "3" });
    assert.deepEqual(after.get("jupyter-token-head-0")?.inputs.keepers, { rotationEpoch: "4" });
    assert.deepEqual(before.get("munge-key")?.inputs.keepers, { rotationEpoch: "3" });
    assert.deepEqual(after.get("munge-key")?.inputs.keepers, { rotationEpoch: "4" });

    // The stored key follows the new key; the secret itself (its ARN) stays, so nodes need no change.
    assert.notDeepEqual(after.get("ssh-key-version"), before.get("ssh-key-version"));
    const changed = new Set([
      "ssh-key-e3",
      "ssh-key-e4",
      "jupyter-token-head-0",
      "munge-key",
      "ssh-key-version",
    ]);
    const unchanged = [...before.keys()].filter((role) => !changed.has(role));
    assert.equal(unchanged.length, before.size - 4);
    for (const role of unchanged) {
      assert.deepEqual(after.get(role), before.get(role), role);
    }
  });
});

describe("ClusterSecrets: invalid args", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new ClusterSecrets("bad-secrets", {
          tenantId: "Acme",
          kmsKeyArn: "alias/aws/secretsmanager",
          rotationEpoch: -1,
          headNodeNames: ["head-0", "head-0"],
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["tenantId", "kmsKeyArn", "rotationEpoch", "headNodeNames[1]"],
        );
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-secrets"), []);
  });
});
