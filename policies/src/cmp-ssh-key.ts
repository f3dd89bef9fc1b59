// A copy of components/node-bootstrap/ssh-public-key.ts (CMP-4): the pack must not import the
// program, whose dependencies it does not ship, so it carries its own small OpenSSH public key
// parser. cmp-ssh-key.test.ts checks that both give the same verdict on the same keys.

/** What a parsed public key is. */
export interface SshPublicKeyInfo {
  /** Algorithm named inside the key blob, e.g. `ssh-ed25519`. */
  readonly algorithm: string;
  /** Key strength in bits (256 for ED25519, the modulus length for RSA). */
  readonly bits: number;
  /** The comment after the key, if any. */
  readonly comment?: string;
}

/** Smallest RSA modulus accepted for a user key (CMP-4, seed 002: "RSA-4096"). */
export const MIN_RSA_BITS = 4096;

/**
 * Reads an `authorized_keys`-style line. Throws an Error saying what is wrong when the text is not
 * a well-formed OpenSSH public key.
 */
export function parseSshPublicKey(line: string): SshPublicKeyInfo {
  // One line only: a key is written into authorized_keys and user data, where a line break would
  // smuggle in a second entry.
  if (/[\r\n]/.test(line.trim())) {
    throw new Error("spans several lines; give exactly one OpenSSH public key per entry");
  }
  const parts = line.trim().split(/[ \t]+/);
  if (parts.length < 2) {
    throw new Error("is not an OpenSSH public key (expected '<algorithm> <base64> [comment]')");
  }
  const [label, blobText, ...rest] = parts;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blobText)) {
    throw new Error("has a key body that is not base64");
  }
  const blob = Buffer.from(blobText, "base64");
  const reader = new WireReader(blob);
  const algorithm = reader.string().toString("latin1");
  if (algorithm !== label) {
    throw new Error(`says '${label}' but its key body is '${algorithm}'`);
  }
  const comment = rest.length > 0 ? rest.join(" ") : undefined;
  if (algorithm === "ssh-ed25519") {
    const key = reader.string();
    if (key.length !== 32) {
      throw new Error("is an ED25519 key with a body that is not 32 bytes long");
    }
    reader.end();
    return { algorithm, bits: 256, comment };
  }
  if (algorithm === "ssh-rsa") {
    reader.string(); // public exponent
    const modulus = reader.string();
    reader.end();
    return { algorithm, bits: mpintBits(modulus), comment };
  }
  return { algorithm, bits: 0, comment };
}

/**
 * Returns why a user key is refused, or undefined when it is acceptable: ssh-ed25519, or ssh-rsa
 * with a modulus of at least {@link MIN_RSA_BITS} bits (CMP-4).
 */
export function userKeyProblem(line: string): string | undefined {
  let info: SshPublicKeyInfo;
  try {
    info = parseSshPublicKey(line);
  } catch (e) {
    return (e as Error).message;
  }
  if (info.algorithm === "ssh-ed25519") {
    return undefined;
  }
  if (info.algorithm === "ssh-rsa") {
    return info.bits >= MIN_RSA_BITS
      ? undefined
      : `is an RSA key of ${info.bits} bits; RSA keys must have at least ${MIN_RSA_BITS} bits`;
  }
  return `uses '${info.algorithm}', which is not accepted`;
}

/** Length in bits of an SSH mpint (big-endian, may carry a leading zero byte for the sign). */
function mpintBits(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) {
    i++;
  }
  if (i === bytes.length) {
    return 0;
  }
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

/** Reads the length-prefixed strings of the SSH wire format (RFC 4251 section 5). */
class WireReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  string(): Buffer {
    if (this.offset + 4 > this.buffer.length) {
      throw new Error("has a truncated key body");
    }
    const length = this.buffer.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.buffer.length) {
      throw new Error("has a truncated key body");
    }
    this.offset = start + length;
    return this.buffer.subarray(start, start + length);
  }

  end(): void {
    if (this.offset !== this.buffer.length) {
      throw new Error("has trailing bytes after the key");
    }
  }
}
