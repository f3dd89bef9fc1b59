// Fabricated OpenSSH public keys for tests: well-formed blobs without the cost of generating real
// key pairs (a 4096-bit RSA key takes seconds). Validation reads structure, never the key's maths.

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An ssh-ed25519 public key line whose 32 key bytes are all `fill`. */
export function ed25519Key(fill = 7, comment = "alice@example"): string {
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(Buffer.alloc(32, fill))]);
  return `ssh-ed25519 ${blob.toString("base64")}${comment === "" ? "" : ` ${comment}`}`;
}

/** An ssh-rsa public key line with a modulus of exactly `bits` bits. */
export function rsaKey(bits: number, comment = "bob@example"): string {
  const modulus = Buffer.alloc(Math.ceil(bits / 8), 0xff);
  modulus[0] = 0xff >> (modulus.length * 8 - bits);
  // OpenSSH prefixes a zero byte when the top bit is set, so the mpint stays positive.
  const mpint = modulus[0] & 0x80 ? Buffer.concat([Buffer.alloc(1), modulus]) : modulus;
  const blob = Buffer.concat([
    sshString(Buffer.from("ssh-rsa")),
    sshString(Buffer.from([0x01, 0x00, 0x01])),
    sshString(mpint),
  ]);
  return `ssh-rsa ${blob.toString("base64")} ${comment}`;
}
