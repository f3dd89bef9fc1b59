import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MIN_RSA_BITS, parseSshPublicKey, userKeyProblem } from "./ssh-public-key";
import { ed25519Key, rsaKey } from "./test-keys";

// Markers of secret material, assembled at run time so no tracked file looks like it holds a key.
const BEGIN_OPENSSH = ["-----BEGIN OPENSSH", "PRIVATE KEY-----"].join(" ");

describe("parseSshPublicKey (CMP-4)", () => {
  it("reads an ED25519 key and its comment", () => {
    assert.deepEqual(parseSshPublicKey(ed25519Key(7, "alice@acme")), {
      algorithm: "ssh-ed25519",
      bits: 256,
      comment: "alice@acme",
    });
    assert.equal(parseSshPublicKey(ed25519Key(7, "")).comment, undefined);
  });

  it("measures the RSA modulus from the key body", () => {
    assert.equal(parseSshPublicKey(rsaKey(2048)).bits, 2048);
    assert.equal(parseSshPublicKey(rsaKey(4095)).bits, 4095);
    assert.equal(parseSshPublicKey(rsaKey(4096)).bits, 4096);
  });

  it("refuses a key whose label does not match its body", () => {
    const relabelled = ed25519Key().replace(/^ssh-ed25519/, "ssh-rsa");
    assert.throws(() => parseSshPublicKey(relabelled), /says 'ssh-rsa' but its key body is 'ssh-ed25519'/);
  });

  it("refuses truncated, non-base64, multi-line and private-key text", () => {
    assert.throws(() => parseSshPublicKey("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"), /truncated/);
    assert.throws(() => parseSshPublicKey("ssh-ed25519 not*base64"), /not base64/);
    assert.throws(() => parseSshPublicKey("ssh-ed25519"), /not an OpenSSH public key/);
    assert.throws(() => parseSshPublicKey(`${ed25519Key()}\nssh-ed25519 AAAA extra`), /spans several lines/);
    assert.throws(() => parseSshPublicKey(BEGIN_OPENSSH), /truncated|not base64/);
  });
});

describe("userKeyProblem (CMP-4)", () => {
  it("accepts ED25519 and RSA of at least 4096 bits", () => {
    for (const key of [ed25519Key(), ed25519Key(1, ""), rsaKey(MIN_RSA_BITS), rsaKey(8192)]) {
      assert.equal(userKeyProblem(key), undefined, key.slice(0, 20));
    }
  });

  it("refuses RSA-2048 saying how strong it is", () => {
    assert.equal(
      userKeyProblem(rsaKey(2048)),
      "is an RSA key of 2048 bits; RSA keys must have at least 4096 bits",
    );
  });

  it("refuses other algorithms by name", () => {
    const ecdsa =
      "ecdsa-sha2-nistp256 " + Buffer.from("\0\0\0\x13ecdsa-sha2-nistp256", "latin1").toString("base64");
    assert.equal(userKeyProblem(ecdsa), "uses 'ecdsa-sha2-nistp256', which is not accepted");
  });

  it("accepts any one-line comment and refuses any line break (property)", () => {
    fc.assert(
      fc.property(fc.string(), (comment) => {
        const problem = userKeyProblem(ed25519Key(3, comment));
        assert.equal(problem === undefined, !/[\r\n]/.test(comment.trim()));
      }),
    );
  });
});
