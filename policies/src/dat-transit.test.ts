// DAT-2 for EFS: a file-system policy that denies access without TLS, linked by dependency and
// checked in every ID mode, and TLS on every mount in node user data (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { efsTlsOnlyPolicy } from "../../components/shared-filesystem/shared-filesystem-args";
import { CmpType } from "./cmp-types";
import { DatType } from "./dat-types";
import { datEfsMountTls, datEfsPolicyDeniesInsecureTransport, deniesInsecureTransport } from "./dat-transit";
import { parsePolicyDocument } from "./iam-document";
import { ID_MODES, StackSpec, buildStack, urnOf } from "./net-fixtures";
import { StackViolation, neverRead, runResourcePolicy, runStackPolicy, unknown } from "./testing";

const denyInsecure = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const allowMount = {
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:role/moat-acme-compute" },
  Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
};
const document = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("deniesInsecureTransport (DAT-2)", () => {
  const statement = (changes: object) => {
    const read = parsePolicyDocument({ Statement: [{ ...denyInsecure, ...changes }] });
    return read.kind === "document" ? read.statements[0] : assert.fail(read.kind);
  };

  it('accepts a Deny of "*" or "elasticfilesystem:*" to "*" on aws:SecureTransport false', () => {
    assert.ok(deniesInsecureTransport(statement({})));
    assert.ok(deniesInsecureTransport(statement({ Principal: "*", Action: "elasticfilesystem:*" })));
    assert.ok(deniesInsecureTransport(statement({ Resource: "*" })));
    assert.ok(
      deniesInsecureTransport(statement({ Condition: { BoolIfExists: { "aws:securetransport": false } } })),
    );
  });

  it("accepts the TLS-only policy the SharedFilesystem component writes", () => {
    const read = parsePolicyDocument(JSON.stringify(efsTlsOnlyPolicy()));
    assert.ok(read.kind === "document" && read.statements.some(deniesInsecureTransport));
  });

  it("refuses anything narrower: an Allow, some actions, some principals, more conditions", () => {
    for (const changes of [
      { Effect: "Allow" },
      { Action: "elasticfilesystem:ClientMount" },
      { Principal: { AWS: "arn:aws:iam::111122223333:root" } },
      {
        Condition: { Bool: { "aws:SecureTransport": "false" }, IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
      },
      { Condition: { Bool: { "aws:SecureTransport": "true" } } },
      { Condition: undefined },
      { NotResource: "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-1" },
    ]) {
      assert.equal(deniesInsecureTransport(statement(changes)), false, JSON.stringify(changes));
    }
  });
});

describe("dat-efs-policy-denies-insecure-transport (DAT-2)", () => {
  const policy = datEfsPolicyDeniesInsecureTransport;

  function efsStack(): StackSpec {
    return {
      shared: { type: DatType.efs, props: { encrypted: true } },
      "shared-policy": {
        type: DatType.efsPolicy,
        props: { policy: document(allowMount, denyInsecure) },
        links: { fileSystemId: ["shared"] },
      },
    };
  }

  async function verdict(change: (s: StackSpec) => void, expected: readonly StackViolation[]) {
    for (const mode of ID_MODES) {
      const specs = efsStack();
      change(specs);
      const run = await runStackPolicy(policy, buildStack(specs, mode));
      assert.deepEqual(run, { violations: expected }, `ID mode ${mode}`);
    }
  }

  const subject = 'the policy of EFS file system policy "shared-policy"';
  const onPolicy = (message: string) => ({ message, urn: urnOf(DatType.efsPolicy, "shared-policy") });
  const shape =
    'Effect "Deny", Principal "*", Action "*" and Condition {"Bool": {"aws:SecureTransport": "false"}}';

  it("passes a policy that denies access without TLS, as JSON text or as an object", async () => {
    await verdict(() => {}, []);
    await verdict(
      (s) => (s["shared-policy"].props.policy = { Version: "2012-10-17", Statement: [denyInsecure] }),
      [],
    );
  });

  it("fails a file system without a policy, or whose policy governs another one", async () => {
    const missing = {
      message: `Add an aws.efs.FileSystemPolicy to EFS file system "shared" with fileSystemId set to its id output and a statement of ${shape}: without it clients may mount the file system without TLS (DAT-2).`,
      urn: urnOf(DatType.efs, "shared"),
    };
    await verdict((s) => delete s["shared-policy"], [missing]);
    await verdict(
      (s) => {
        s["other"] = { type: DatType.efs, props: {} };
        s["shared-policy"].links = { fileSystemId: ["other"] };
      },
      [missing],
    );
  });

  it("fails a policy that only allows, or denies without TLS only under a further condition", async () => {
    const narrow = {
      ...denyInsecure,
      Condition: { ...denyInsecure.Condition, StringEquals: { "aws:PrincipalAccount": "444455556666" } },
    };
    for (const statements of [[allowMount], [allowMount, narrow]]) {
      await verdict(
        (s) => (s["shared-policy"].props.policy = document(...statements)),
        [
          onPolicy(
            `Add a statement of ${shape} to ${subject}, with no other condition: without it clients may reach the file system without TLS (DAT-2).`,
          ),
        ],
      );
    }
  });

  it("fails a document unknown at preview, e.g. built from the file system's ARN (POL-2)", () =>
    verdict(
      (s) => (s["shared-policy"].props.policy = unknown.string),
      [
        onPolicy(
          `Build ${subject} from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (DAT-2, POL-2).`,
        ),
      ],
    ));

  it("fails a document that is not valid JSON", () =>
    verdict(
      (s) => (s["shared-policy"].props.policy = "{"),
      [onPolicy(`Fix ${subject}: it is not a valid IAM policy document, as it is not valid JSON (DAT-2).`)],
    ));
});

describe("dat-efs-mount-tls (DAT-2)", () => {
  const policy = datEfsMountTls;
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const template = (userData: unknown) => ({
    type: CmpType.launchTemplate,
    name: "compute-a",
    props: neverRead({ userData }, "arn", "id"),
  });
  const instance = (userData: unknown) => ({
    type: CmpType.instance,
    name: "head-0",
    props: neverRead({ userData }, "arn", "id", "privateIp"),
  });

  it("passes EFS mounted with tls, Lustre, and nodes without user data", async () => {
    const cloudConfig =
      "#cloud-config\nruncmd:\n  - [ sh, -c, \"echo 'fs-1:/ /shared efs _netdev,tls 0 0' >> /etc/fstab\" ]\n";
    assert.deepEqual(await runResourcePolicy(policy, template(b64(cloudConfig))), { violations: [] });
    const lustre = "#!/bin/bash\nmount -t lustre fs-2.fsx.us-east-1.amazonaws.com@tcp:/abc /shared\n";
    assert.deepEqual(await runResourcePolicy(policy, instance(lustre)), { violations: [] });
    assert.deepEqual(await runResourcePolicy(policy, instance(undefined)), { violations: [] });
  });

  it("fails an EFS mount without tls, and plain NFS to EFS", async () => {
    const script =
      "#!/bin/bash\nmount -t efs fs-1:/ /shared\nmount -t nfs4 fs-1.efs.us-east-1.amazonaws.com:/ /data\n";
    assert.deepEqual(await runResourcePolicy(policy, template(b64(script))), {
      violations: [
        'Add the tls mount option to the EFS mount at /shared in the userData of launch template "compute-a" (e.g. "fs-0123456789abcdef0:/ /shared efs _netdev,tls 0 0"): without it NFS traffic to the file system crosses the VPC unencrypted (DAT-2).',
        'Mount the EFS file system at /data in the userData of launch template "compute-a" with the EFS mount helper (type efs, from amazon-efs-utils) and the tls option instead of plain NFS, which cannot encrypt in transit (DAT-2).',
      ],
    });
  });

  it("fails user data unknown at preview (POL-2)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, instance(unknown.string)), {
      violations: [
        'Build the userData of instance "head-0" from values known at preview (config, secret names to fetch at boot): it is unknown, so this policy cannot verify that EFS is mounted with TLS (DAT-2, POL-2).',
      ],
    });
  });
});
