// CMP-4, CMP-6, CMP-8 and CMP-9: secrets stay out of node user data and tags, as text and as
// property dependencies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cmpNodeNoSecretDependency, cmpNodeNoSecretMaterial, cmpUserDataJupyterProtected } from "./cmp-leaks";
import { CmpType } from "./cmp-types";
import { runResourcePolicy, runStackPolicy, stackResource, unknown } from "./testing";

// Markers of secret material, assembled at run time so no tracked file looks like it holds a key.
const BEGIN_OPENSSH = ["-----BEGIN OPENSSH", "PRIVATE KEY-----"].join(" ");
const AWS_EXAMPLE_KEY = ["AKIA", "IOSFODNN7EXAMPLE"].join("");

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });
const b64 = (text: string) => Buffer.from(text).toString("base64");

// A head node that fetches its token by secret name at boot and serves Jupyter on localhost.
const headBootstrap = [
  "#!/bin/bash",
  'JUPYTER_TOKEN="$(aws secretsmanager get-secret-value --secret-id moat/acme/jupyter-token/head-0 --query SecretString --output text)"',
  "cat > /etc/systemd/system/jupyter.service <<EOF",
  "[Service]",
  'ExecStart=/opt/conda/bin/jupyter-lab --ServerApp.ip=127.0.0.1 --IdentityProvider.token="${JUPYTER_TOKEN}"',
  "EOF",
  "systemctl enable --now jupyter",
  "",
].join("\n");
const pem = `${BEGIN_OPENSSH}\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----`;
const node = (type: string, props: Record<string, unknown>) => ({ type, name: "head-0", props });

describe("cmp-node-no-secret-material (CMP-4, CMP-8)", () => {
  const policy = cmpNodeNoSecretMaterial;

  it("passes clean user data and tags, and a node without user data", async () => {
    const props = { userData: headBootstrap, tags: { Name: "head-0", "moat:role": "head" } };
    assert.deepEqual(await runResourcePolicy(policy, node(CmpType.instance, props)), passes);
    assert.deepEqual(await runResourcePolicy(policy, node(CmpType.spotInstanceRequest, {})), passes);
  });

  it("fails a private key hidden in base64 launch template user data", async () => {
    const userData = b64(`${headBootstrap}cat > /root/.ssh/id_ed25519 <<EOF\n${pem}\nEOF\n`);
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, { userData })),
      fails(
        'Remove a PEM private key from the userData of launch template "head-0": store it in Secrets Manager under the tenant key and fetch it at boot by name (CMP-4, CMP-8).',
      ),
    );
  });

  it("fails an access key in a tag and in a launch template's tag specifications", async () => {
    const props = {
      tags: { note: AWS_EXAMPLE_KEY },
      tagSpecifications: [{ resourceType: "instance", tags: { key: AWS_EXAMPLE_KEY } }],
    };
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, props)),
      fails(
        'Remove an AWS access key ID from tag "note" of launch template "head-0": tags are readable by anyone who may describe the resource (CMP-8).',
        'Remove an AWS access key ID from tagSpecifications[0] tag "key" of launch template "head-0": tags are readable by anyone who may describe the resource (CMP-8).',
      ),
    );
  });

  it("fails user data and tag values that are unknown at preview (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      node(CmpType.instance, { userData: unknown.string, tags: { Name: unknown.string } }),
    );
    assert.deepEqual(
      run,
      fails(
        'Build the userData of instance "head-0" from values known at preview (config, secret names to fetch at boot): it is unknown, so this policy cannot verify that it holds no private key or access key (CMP-4, CMP-8, POL-2).',
        'Set tag "Name" of instance "head-0" to a literal value: it is unknown at preview, so this policy cannot verify that it holds no secret (CMP-8, POL-2).',
      ),
    );
  });
});

describe("cmp-user-data-jupyter-protected (CMP-6)", () => {
  const policy = cmpUserDataJupyterProtected;

  it("passes a token fetched at boot and a server on 127.0.0.1, in plain and base64 user data", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance, { userData: headBootstrap })),
      passes,
    );
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, { userData: b64(headBootstrap) })),
      passes,
    );
  });

  it("fails a literal token and a server on every interface", async () => {
    const userData = "jupyter lab --ip=0.0.0.0 --IdentityProvider.token=s3cr3t-t0ken";
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.launchTemplate, { userData: b64(userData) })),
      fails(
        'Fix how the userData of launch template "head-0" runs JupyterLab: it writes a literal token into --IdentityProvider.token. Read the token at boot from the node\'s "jupyter-token" secret and serve on 127.0.0.1 only (CMP-6).',
        'Fix how the userData of launch template "head-0" runs JupyterLab: it binds a Jupyter server to "0.0.0.0" instead of 127.0.0.1. Read the token at boot from the node\'s "jupyter-token" secret and serve on 127.0.0.1 only (CMP-6).',
      ),
    );
  });

  it("fails user data unknown at preview (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      node(CmpType.launchConfiguration, { userData: unknown.string }),
    );
    assert.equal(run.violations.length, 1);
    assert.match(
      run.violations[0],
      /^Build the userData of launch configuration "head-0" .*\(CMP-6, POL-2\)\.$/,
    );
  });
});

describe("cmp-node-no-secret-dependency (CMP-8, CMP-9)", () => {
  const policy = cmpNodeNoSecretDependency;
  const password = stackResource({
    type: CmpType.randomPassword,
    name: "head-0-jupyter-token",
    props: { length: 48 },
  });
  const secret = stackResource({
    type: CmpType.secret,
    name: "head-0-jupyter-token",
    props: { name: "moat/acme/jupyter-token/head-0" },
  });
  const version = stackResource(
    { type: CmpType.secretVersion, name: "head-0-jupyter-token", props: { secretString: unknown.string } },
    { propertyDependencies: { secretId: [secret], secretString: [password] } },
  );
  const clusterKey = stackResource({
    type: CmpType.tlsPrivateKey,
    name: "acme-cluster-ssh-key",
    props: { algorithm: "ED25519" },
  });

  it("passes a node whose user data names the secret but depends on no secret value", async () => {
    const head = stackResource(
      { type: CmpType.instance, name: "head-0", props: { userData: headBootstrap } },
      { propertyDependencies: { userData: [secret], subnetId: [] } },
    );
    assert.deepEqual(await runStackPolicy(policy, [password, secret, version, head]), passes);
  });

  it("fails user data built from a SecretVersion and tags built from the cluster key", async () => {
    const template = stackResource(
      { type: CmpType.launchTemplate, name: "compute-a", props: { userData: unknown.string, tags: {} } },
      { propertyDependencies: { userData: [version], tags: [clusterKey] } },
    );
    const run = await runStackPolicy(policy, [version, clusterKey, template]);
    assert.deepEqual(run.violations, [
      {
        message:
          'Stop building the userData of launch template "compute-a" from secret version "head-0-jupyter-token": its secret value would be readable in plain text and every rotation would replace the node; pass the secret\'s name and fetch the value at boot (CMP-8, CMP-9).',
        urn: template.urn,
      },
      {
        message:
          'Stop building the tags of launch template "compute-a" from TLS private key "acme-cluster-ssh-key": its secret value would be readable in plain text and every rotation would replace the node; pass the secret\'s name and fetch the value at boot (CMP-8, CMP-9).',
        urn: template.urn,
      },
    ]);
  });

  it("fails a legacy launch configuration whose user data uses a RandomPassword", async () => {
    const config = stackResource(
      { type: CmpType.launchConfiguration, name: "compute-a", props: { userDataBase64: unknown.string } },
      { propertyDependencies: { userDataBase64: [password] } },
    );
    const run = await runStackPolicy(policy, [password, config]);
    assert.equal(run.violations.length, 1);
    assert.match(
      run.violations[0].message,
      /^Stop building the userDataBase64 of launch configuration "compute-a" from random password "head-0-jupyter-token"/,
    );
  });
});
