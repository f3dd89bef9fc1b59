// CMP-4 and CMP-5: key-based SSH only, served by systemd on every node. User data checks go
// through checkUserData, so absent, computed and unreadable user data are judged alike.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { MIN_RSA_BITS, userKeyProblem } from "./cmp-ssh-key";
import { CmpType, NODE_TYPES, labelOf } from "./cmp-types";
import { disablesPasswordLogin, disablesRootLogin, enablesSshServer } from "./cmp-user-data";
import { checkUserData } from "./cmp-user-data-check";
import { UNKNOWN, forTypes, notApplicableQuietly, readNumber, readString } from "./props";

/**
 * Marks a tls.PrivateKey that is an SSH key (CMP-4): the program names the cluster-internal key
 * `<tenant>-ssh-key-e<epoch>` (components/cluster-secrets); TLS keys (CA, JupyterLab) never match.
 */
export const CLUSTER_KEY_MARKER = "ssh-key";

/**
 * CMP-4: the node bootstrap turns off password and root login in sshd, so only the injected user
 * keys open a session. A node without user data keeps whatever its image allows.
 */
export const cmpUserDataSshHardened: ResourceValidationPolicy = {
  name: "cmp-user-data-ssh-hardened",
  description:
    'Checks that node user data disables SSH password login and root login ("PasswordAuthentication no", "PermitRootLogin no"), so only keys open a session (CMP-4).',
  validateResource: forTypes(NODE_TYPES, (args, reportViolation) =>
    checkUserData(args, reportViolation, {
      ids: "CMP-4",
      verifies: "that sshd refuses passwords and root",
      whenAbsent:
        'hardens sshd ("PasswordAuthentication no", "PermitRootLogin no"); otherwise the image decides',
      check: (text, property, label) => [
        ...(disablesPasswordLogin(text)
          ? []
          : [
              `Disable password login in the ${property} of ${label}: write "PasswordAuthentication no" to sshd's configuration and never "PasswordAuthentication yes" or "KbdInteractiveAuthentication yes" (CMP-4).`,
            ]),
        ...(disablesRootLogin(text)
          ? []
          : [
              `Disable root login in the ${property} of ${label}: write "PermitRootLogin no" to sshd's configuration, not "prohibit-password" or "yes" (CMP-4).`,
            ]),
      ],
    }),
  ),
};

/** CMP-5: the node bootstrap enables the SSH server under systemd, so it survives reboots. */
export const cmpUserDataSshServerEnabled: ResourceValidationPolicy = {
  name: "cmp-user-data-ssh-server-enabled",
  description:
    'Checks that node user data enables the SSH server under systemd ("systemctl enable --now sshd"), so every node accepts SSH after every boot (CMP-5).',
  validateResource: forTypes(NODE_TYPES, (args, reportViolation) =>
    checkUserData(args, reportViolation, {
      ids: "CMP-5",
      verifies: "that sshd runs under systemd",
      whenAbsent: 'enables the SSH server under systemd ("systemctl enable --now sshd")',
      check: (text, property, label) =>
        enablesSshServer(text)
          ? []
          : [
              `Enable the SSH server in the ${property} of ${label}: run "systemctl enable --now sshd" (or "ssh" on Debian-based images) and never disable or mask it (CMP-5).`,
            ],
    }),
  ),
};

/**
 * CMP-4: the cluster-internal key is generated as ED25519. Applies to the tls.PrivateKey whose
 * name or URN contains {@link CLUSTER_KEY_MARKER}; other generated keys (a CA, TLS certificates)
 * follow their own rules.
 */
export const cmpClusterSshKeyEd25519: ResourceValidationPolicy = {
  name: "cmp-cluster-ssh-key-ed25519",
  description:
    'Checks that every generated SSH key, such as the cluster-internal key (a tls.PrivateKey whose name contains "ssh-key"), uses the ED25519 algorithm (CMP-4).',
  validateResource: forTypes([CmpType.tlsPrivateKey], (args, reportViolation) => {
    if (!args.name.includes(CLUSTER_KEY_MARKER)) {
      notApplicableQuietly(
        args,
        `Policy only applies to SSH keys (a name containing "${CLUSTER_KEY_MARKER}")`,
      );
    }
    const label = labelOf(args.type, args.name);
    const algorithm = readString(args.props, "algorithm");
    if (algorithm === UNKNOWN) {
      reportViolation(
        `Set algorithm on ${label} to the literal "ED25519": it is unknown at preview, so this policy cannot verify it (CMP-4, POL-2).`,
      );
    } else if (algorithm !== "ED25519") {
      reportViolation(
        `Generate ${label} with algorithm "ED25519": it is ${algorithm === undefined ? "unset" : `"${algorithm}"`} (CMP-4).`,
      );
    }
  }),
};

// A key pair whose public key comes from a generated key is as strong as that key. The tls
// provider's default RSA size is 2048 bits.
function generatedKeyIsStrong(key: PolicyResource): boolean {
  const algorithm = readString(key.props, "algorithm");
  if (algorithm === "ED25519") {
    return true;
  }
  const bits = readNumber(key.props, "rsaBits");
  return algorithm === "RSA" && typeof bits === "number" && bits >= MIN_RSA_BITS;
}

function keyPairProblem(keyPair: PolicyResource): string | undefined {
  const label = labelOf(keyPair.type, keyPair.name);
  const publicKey = readString(keyPair.props, "publicKey");
  if (publicKey === UNKNOWN) {
    const sources = (keyPair.propertyDependencies["publicKey"] ?? []).filter(
      (r) => r.type === CmpType.tlsPrivateKey,
    );
    return sources.length > 0 && sources.every(generatedKeyIsStrong)
      ? undefined
      : `Set publicKey on ${label} to a literal OpenSSH key, or derive it from a tls.PrivateKey with algorithm "ED25519": it is unknown at preview, so its strength cannot be verified (CMP-4, POL-2).`;
  }
  const problem = publicKey === undefined ? "is missing" : userKeyProblem(publicKey);
  return problem === undefined
    ? undefined
    : `Replace the publicKey of ${label}: it ${problem}; use ssh-ed25519, or ssh-rsa of at least ${MIN_RSA_BITS} bits (CMP-4).`;
}

/**
 * CMP-4: EC2 key pairs hold ssh-ed25519 keys or RSA keys of at least 4096 bits, measured from the
 * key body rather than its label. A stack policy, because a key derived from a generated
 * tls.PrivateKey is unknown at preview and is judged by that key's algorithm instead.
 */
export const cmpKeyPairStrongKey: StackValidationPolicy = {
  name: "cmp-key-pair-strong-key",
  description:
    "Checks that every EC2 key pair holds an ssh-ed25519 key or an ssh-rsa key of at least 4096 bits, read from the key body or from the generated key it derives from (CMP-4).",
  validateStack: (args, reportViolation) => {
    for (const resource of args.resources.filter((r) => r.type === CmpType.keyPair)) {
      const problem = keyPairProblem(resource);
      if (problem !== undefined) {
        reportViolation(problem, resource.urn);
      }
    }
  },
};
