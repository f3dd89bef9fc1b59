// Reads node user data as cloud-init will, and answers the questions the CMP policies ask of it.
// Pure text checks: the policies decide what an answer means for their verdict. User data reaches
// a policy as plain text (Instance.userData), as base64 (LaunchTemplate.userData, userDataBase64),
// possibly gzip-compressed, and possibly as a MIME multipart whose parts are base64 themselves;
// each layer is undone so a secret cannot hide behind an encoding (CMP-4, CMP-8).
import { gunzipSync } from "node:zlib";
import { Props, UNKNOWN, readString } from "./props";

/** User data as a policy sees it. */
export type UserData =
  | { readonly kind: "absent" }
  /** Declared but computed from an output, so unknown at preview. */
  | { readonly kind: "unknown"; readonly property: string }
  /** Decodes to bytes that are not text, so nothing in it can be verified. */
  | { readonly kind: "opaque"; readonly property: string }
  | { readonly kind: "text"; readonly property: string; readonly text: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

// Text is valid UTF-8 without control characters other than tab, newline and carriage return.
function isText(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) {
      return undefined;
    }
  }
  return text;
}

// Cloud-init accepts gzip-compressed user data; its magic number is 1f 8b.
function bytesToText(bytes: Buffer): string | undefined {
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return isText(gunzipSync(bytes));
    } catch {
      return undefined;
    }
  }
  return isText(bytes);
}

// MIME parts sent as base64 are decoded and appended, so checks see their text too.
function withMimeParts(text: string): string {
  const part = /Content-Transfer-Encoding:\s*base64[ \t]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi;
  const decoded = [...text.matchAll(part)]
    .map((m) => bytesToText(Buffer.from(m[1].replace(/\s+/g, ""), "base64")))
    .filter((t): t is string => t !== undefined);
  return [text, ...decoded].join("\n");
}

// Six policies read the user data of each node in turn; decoding (base64, gzip, MIME parts) is
// the costly part of each and gives the same text every time, so it is done once per value. Only
// the last few values are kept: the policies ask about one node after another.
const DECODED_KEPT = 16;
const decodedCache = new Map<string, string | undefined>();

/**
 * Turns a user data value into the text cloud-init runs: base64 is decoded (then gunzipped when
 * compressed), plain text is kept. Returns undefined when the value decodes to bytes that are not
 * text. A script always contains characters outside the base64 alphabet (spaces, `#!`), so a value
 * made only of base64 characters is taken to be encoded.
 */
export function decodeUserData(value: string): string | undefined {
  const cached = decodedCache.get(value);
  if (cached !== undefined || decodedCache.has(value)) {
    return cached;
  }
  const text = decodeUncached(value);
  if (decodedCache.size >= DECODED_KEPT) {
    decodedCache.delete(decodedCache.keys().next().value as string);
  }
  decodedCache.set(value, text);
  return text;
}

function decodeUncached(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact.length > 0 && compact.length % 4 === 0 && BASE64.test(compact)) {
    const text = bytesToText(Buffer.from(compact, "base64"));
    return text === undefined ? undefined : withMimeParts(text);
  }
  return withMimeParts(value);
}

/** Reads a node's `userData`, or its `userDataBase64` when that is the one declared. */
export function readUserData(props: Props): UserData {
  for (const property of ["userData", "userDataBase64"]) {
    const value = readString(props, property);
    if (value === UNKNOWN) {
      return { kind: "unknown", property };
    }
    if (value !== undefined) {
      const text = decodeUserData(value);
      return text === undefined ? { kind: "opaque", property } : { kind: "text", property, text };
    }
  }
  return { kind: "absent" };
}

// Compiled once per option and value list rather than on every call.
const settingPatterns = new Map<string, RegExp>();

/** Whether a line of sshd configuration or cloud-config sets an option to one of `values`. */
function sets(text: string, option: string, values: string): boolean {
  const key = `${option} ${values}`;
  let pattern = settingPatterns.get(key);
  if (pattern === undefined) {
    pattern = new RegExp(`\\b${option}\\s+(?:${values})\\b`, "i");
    settingPatterns.set(key, pattern);
  }
  return pattern.test(text);
}

/**
 * CMP-4: the user data turns password login off (`PasswordAuthentication no`, or cloud-config
 * `ssh_pwauth: false`) and never back on, including through keyboard-interactive PAM prompts,
 * which ask for the same password.
 */
export function disablesPasswordLogin(text: string): boolean {
  const off = sets(text, "PasswordAuthentication", "no") || /\bssh_pwauth:\s*(?:false|no|0)\b/i.test(text);
  const on =
    sets(text, "PasswordAuthentication", "yes") ||
    sets(text, "KbdInteractiveAuthentication", "yes") ||
    sets(text, "ChallengeResponseAuthentication", "yes") ||
    /\bssh_pwauth:\s*(?:true|yes|1)\b/i.test(text);
  return off && !on;
}

/**
 * CMP-4: the user data sets `PermitRootLogin no` and no weaker value; `prohibit-password` still
 * lets root in with a key.
 */
export function disablesRootLogin(text: string): boolean {
  return (
    sets(text, "PermitRootLogin", "no") &&
    !sets(text, "PermitRootLogin", "yes|prohibit-password|without-password|forced-commands-only")
  );
}

const SSH_UNITS = new Set(["ssh", "sshd", "ssh.service", "sshd.service"]);

/**
 * CMP-5: some `systemctl enable` command (shell, or a cloud-config `runcmd` entry in list form)
 * enables the SSH server, and no `systemctl disable`/`mask` turns it off again.
 */
export function enablesSshServer(text: string): boolean {
  let enabled = false;
  let disabled = false;
  for (const command of text.split(/\r?\n|;|&&|\|\|/)) {
    const tokens = command.split(/[\s,"'[\]]+/).filter((t) => t !== "");
    const at = tokens.findIndex((t) => t === "systemctl" || t.endsWith("/systemctl"));
    if (at < 0) {
      continue;
    }
    const [verb, ...units] = tokens.slice(at + 1).filter((t) => !t.startsWith("-"));
    if (!units.some((u) => SSH_UNITS.has(u))) {
      continue;
    }
    enabled ||= verb === "enable";
    disabled ||= verb === "disable" || verb === "mask";
  }
  return enabled && !disabled;
}

const TOKEN_SETTING =
  /(--(?:NotebookApp|ServerApp|IdentityProvider)\.token(?:[ \t]*=[ \t]*|[ \t]+)|\bc\.(?:NotebookApp|ServerApp|IdentityProvider)\.token[ \t]*=[ \t]*|\bJUPYTER_TOKEN[ \t]*=[ \t]*)(\S*)/g;
const IP_SETTING =
  /(?:--ip|--(?:ServerApp|NotebookApp)\.ip|\bc\.(?:ServerApp|NotebookApp)\.ip)(?:[ \t]*=[ \t]*|[ \t]+)(\S*)/g;
const JUPYTER_SERVER = /\bjupyter[- ](?:lab|notebook|server)\b/;

const unquote = (value: string) => value.replace(/^['"]+|['";]+$/g, "");

/**
 * CMP-6: returns what is wrong with how the user data runs JupyterLab, as fragments of a message
 * (empty when nothing is). A token written into the user data is a literal secret, unless it is a
 * shell expansion (`$TOKEN`, `$(aws secretsmanager ...)`) or a Python expression read at boot;
 * an empty token switches authentication off. A server that is started must bind 127.0.0.1
 * explicitly, so it is reached only through an SSH or Session Manager tunnel.
 */
export function jupyterProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [, setting, raw] of text.matchAll(TOKEN_SETTING)) {
    const name = setting.replace(/[ \t=]+$/, "");
    const python = name.startsWith("c.");
    const quoted = /^['"]/.test(raw);
    const value = unquote(raw);
    if (value === "") {
      problems.push(`sets ${name} to an empty token, which turns authentication off`);
    } else if (!value.startsWith("$") && (!python || quoted)) {
      problems.push(`writes a literal token into ${name}`);
    }
  }
  if (JUPYTER_SERVER.test(text)) {
    const ips = [...text.matchAll(IP_SETTING)].map((m) => unquote(m[1]));
    const others = ips.filter((ip) => ip !== "127.0.0.1");
    if (ips.length === 0) {
      problems.push("starts a Jupyter server without binding it to 127.0.0.1 (--ServerApp.ip=127.0.0.1)");
    } else if (others.length > 0) {
      problems.push(
        `binds a Jupyter server to ${others.map((ip) => `"${ip}"`).join(", ")} instead of 127.0.0.1`,
      );
    }
  }
  return problems;
}

/**
 * CMP-4, CMP-8: names the kinds of secret material found in a text: a PEM private key (any
 * `-----BEGIN ... PRIVATE KEY-----` block, OpenSSH's included) or an AWS access key ID.
 */
export function secretMaterial(text: string): string[] {
  const found: string[] = [];
  if (/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(text)) {
    found.push("a PEM private key");
  }
  if (/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/.test(text)) {
    found.push("an AWS access key ID");
  }
  return found;
}
