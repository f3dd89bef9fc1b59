// The pack's OpenSSH public key parser and the key pair policy built on it (CMP-4). The pack itself
// never imports the program; this test does, only to prove the two parsers agree.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { cmpKeyPairStrongKey } from "./cmp-ssh";
import { MIN_RSA_BITS, parseSshPublicKey, userKeyProblem } from "./cmp-ssh-key";
import { CmpType } from "./cmp-types";
import { runStackPolicy, stackResource, unknown } from "./testing";
import * as program from "../../components/node-bootstrap/ssh-public-key";
import * as fabricated from "../../components/node-bootstrap/test-keys";

function sshLine(algorithm: string, fields: Buffer[]): string {
  const parts = [Buffer.from(algorithm), ...fields].map((f) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(f.length);
    return Buffer.concat([length, f]);
  });
  return `${algorithm} ${Buffer.concat(parts).toString("base64")} test@moat`;
}

const ed25519Key = () => {
  const jwk = generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
  return sshLine("ssh-ed25519", [Buffer.from(jwk.x!, "base64url")]);
};

const rsaKey = (bits: number) => {
  const jwk = generateKeyPairSync("rsa", { modulusLength: bits }).publicKey.export({ format: "jwk" });
  // SSH mpints are signed: a value whose top bit is set gets a leading zero byte.
  const mpint = (b64: string) => {
    const raw = Buffer.from(b64, "base64url");
    return raw[0] & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw;
  };
  return sshLine("ssh-rsa", [mpint(jwk.e!), mpint(jwk.n!)]);
};

describe("parseSshPublicKey / userKeyProblem (CMP-4)", () => {
  it("reads ED25519 keys and measures RSA moduli from the key body", () => {
    assert.equal(parseSshPublicKey(ed25519Key()).bits, 256);
    assert.equal(parseSshPublicKey(rsaKey(2048)).bits, 2048);
    assert.equal(userKeyProblem(ed25519Key()), undefined);
    assert.equal(userKeyProblem(rsaKey(MIN_RSA_BITS)), undefined);
  });

  it("refuses short RSA keys, relabelled keys and broken bodies", () => {
    assert.equal(
      userKeyProblem(rsaKey(2048)),
      "is an RSA key of 2048 bits; RSA keys must have at least 4096 bits",
    );
    assert.equal(
      userKeyProblem(ed25519Key().replace(/^ssh-ed25519/, "ssh-rsa")),
      "says 'ssh-rsa' but its key body is 'ssh-ed25519'",
    );
    assert.equal(userKeyProblem("ssh-ed25519 not*base64"), "has a key body that is not base64");
  });
});

describe("cmp-key-pair-strong-key (CMP-4)", () => {
  const policy = cmpKeyPairStrongKey;
  const keyPair = (publicKey: unknown, links = {}) =>
    stackResource({ type: CmpType.keyPair, name: "alice", props: { keyName: "alice", publicKey } }, links);
  const generated = (props: Record<string, unknown>) =>
    stackResource({ type: CmpType.tlsPrivateKey, name: "acme-cluster-ssh-key", props });

  it("passes ED25519 and RSA-4096 user keys", async () => {
    const run = await runStackPolicy(policy, [keyPair(ed25519Key()), keyPair(rsaKey(4096))]);
    assert.deepEqual(run, { violations: [] });
  });

  it("fails an RSA-2048 key, reported against the key pair", async () => {
    const pair = keyPair(rsaKey(2048));
    assert.deepEqual(await runStackPolicy(policy, [pair]), {
      violations: [
        {
          message:
            'Replace the publicKey of key pair "alice": it is an RSA key of 2048 bits; RSA keys must have at least 4096 bits; use ssh-ed25519, or ssh-rsa of at least 4096 bits (CMP-4).',
          urn: pair.urn,
        },
      ],
    });
  });

  it("passes a key unknown at preview when it derives from a generated ED25519 key", async () => {
    const key = generated({ algorithm: "ED25519" });
    const run = await runStackPolicy(policy, [
      key,
      keyPair(unknown.string, { propertyDependencies: { publicKey: [key] } }),
    ]);
    assert.deepEqual(run, { violations: [] });
  });

  it("fails a key unknown at preview that derives from a default-size RSA key, or from nothing (POL-2)", async () => {
    const message =
      'Set publicKey on key pair "alice" to a literal OpenSSH key, or derive it from a tls.PrivateKey with algorithm "ED25519": it is unknown at preview, so its strength cannot be verified (CMP-4, POL-2).';
    const rsa = generated({ algorithm: "RSA" });
    const fromRsa = keyPair(unknown.string, { propertyDependencies: { publicKey: [rsa] } });
    assert.deepEqual(await runStackPolicy(policy, [rsa, fromRsa]), {
      violations: [{ message, urn: fromRsa.urn }],
    });
    const orphan = keyPair(unknown.string);
    assert.deepEqual(await runStackPolicy(policy, [orphan]), { violations: [{ message, urn: orphan.urn }] });
  });
});

describe("the pack's parser and the program's agree (CMP-4)", () => {
  it("gives the same verdict on the same keys", () => {
    const corpus = [
      fabricated.ed25519Key(),
      fabricated.ed25519Key(1, ""),
      fabricated.rsaKey(2048),
      fabricated.rsaKey(4095),
      fabricated.rsaKey(4096),
      fabricated.ed25519Key().replace(/^ssh-ed25519/, "ssh-rsa"),
      `${fabricated.ed25519Key()}\nssh-ed25519 AAAA second`,
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7",
      "ssh-ed25519 not*base64",
      "",
    ];
    for (const key of corpus) {
      assert.equal(userKeyProblem(key), program.userKeyProblem(key), JSON.stringify(key.slice(0, 40)));
    }
  });
});
