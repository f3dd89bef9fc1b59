import { generateKeyPairSync } from "crypto";

/** Builds an OpenSSH public key line from its wire-format fields (for tests). */
function sshLine(algorithm: string, fields: Buffer[], comment: string): string {
  const parts = [Buffer.from(algorithm), ...fields].map((f) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(f.length);
    return Buffer.concat([len, f]);
  });
  return `${algorithm} ${Buffer.concat(parts).toString("base64")} ${comment}`;
}

/** A fresh ssh-ed25519 public key line. */
export function ed25519Key(comment = "test@moat"): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return sshLine("ssh-ed25519", [Buffer.from(jwk.x!, "base64url")], comment);
}

/** A fresh ssh-rsa public key line with a modulus of `bits` bits. */
export function rsaKey(bits: number, comment = "test@moat"): string {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const jwk = publicKey.export({ format: "jwk" });
  // SSH mpints are signed: a modulus whose top bit is set gets a leading zero byte.
  const mpint = (b64: string) => {
    const raw = Buffer.from(b64, "base64url");
    return raw[0] & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw;
  };
  return sshLine("ssh-rsa", [mpint(jwk.e!), mpint(jwk.n!)], comment);
}
