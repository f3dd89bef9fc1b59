// CMP-6 and CMP-9: where secrets live and how Jupyter tokens are made. Secrets sit in Secrets
// Manager or SSM SecureString under the tenant's key; a Jupyter token is a long RandomPassword that
// a rotation epoch regenerates. Links between resources come from propertyDependencies only: the
// secret's ARN is computed by the cloud and never read (POL-2).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CmpType, labelOf } from "./cmp-types";
import { Read, UNKNOWN, forTypes, readNumber, readString, readValue } from "./props";

/** Secret names under this prefix belong to Moat tenants: `moat/<tenantId>/<purpose>`. */
export const MOAT_SECRET_PREFIX = "moat/";

/** Marks a secret (or the RandomPassword behind it) that holds a JupyterLab token. */
export const JUPYTER_TOKEN_MARKER = "jupyter-token";

/** The keeper that ties every Jupyter token to the stack's one rotation value (CMP-9). */
export const ROTATION_KEEPER = "rotationEpoch";

/** CMP-6's floor for a Jupyter token's length. */
export const DEFAULT_MIN_TOKEN_LENGTH = 32;

/** Names of SSM parameters that hold secrets and so must be SecureString (CMP-6). */
export const SECRET_PARAMETER_NAME = /token|password|secret|private[-_]?key/i;

const literal = (property: string, label: string, ids: string) =>
  `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify it (${ids}, POL-2).`;

/**
 * CMP-6: every Moat secret (a name or name prefix under `moat/`) is encrypted with a customer-managed
 * key, so reading it takes the tenant key as well as the secret. A kmsKeyId computed by the cloud
 * counts as set.
 */
export const cmpSecretEncryptedCustomerKey: ResourceValidationPolicy = {
  name: "cmp-secret-encrypted-customer-key",
  description:
    'Checks that every Secrets Manager secret named under "moat/" is encrypted with a customer-managed KMS key (kmsKeyId), not the account-wide AWS-managed key (CMP-6).',
  validateResource: forTypes([CmpType.secret], (args, reportViolation) => {
    const label = labelOf(args.type, args.name);
    const name = readString(args.props, "name");
    const prefix = readString(args.props, "namePrefix");
    if (name === UNKNOWN || (name === undefined && prefix === UNKNOWN)) {
      reportViolation(literal(name === UNKNOWN ? "name" : "namePrefix", label, "CMP-6"));
      return;
    }
    const effective = typeof name === "string" ? name : typeof prefix === "string" ? prefix : "";
    if (!effective.startsWith(MOAT_SECRET_PREFIX)) {
      return;
    }
    const kmsKeyId = readString(args.props, "kmsKeyId");
    if (kmsKeyId === undefined || kmsKeyId === "") {
      reportViolation(
        `Set kmsKeyId on ${label} to the tenant's customer-managed KMS key: without it Secrets Manager uses the account-wide aws/secretsmanager key (CMP-6).`,
      );
    }
  }),
};

/**
 * CMP-6: an SSM parameter whose name says it holds a secret (token, password, secret, private
 * key) is a SecureString encrypted with a named key, and never uses `insecureValue`, which the
 * provider stores and shows in plain text.
 */
export const cmpSsmParameterSecureString: ResourceValidationPolicy = {
  name: "cmp-ssm-parameter-secure-string",
  description:
    "Checks that SSM parameters holding tokens, passwords or keys are SecureString parameters encrypted with a customer-managed KMS key (CMP-6).",
  validateResource: forTypes([CmpType.ssmParameter], (args, reportViolation) => {
    const label = labelOf(args.type, args.name);
    const name = readString(args.props, "name");
    if (name === UNKNOWN) {
      reportViolation(literal("name", label, "CMP-6"));
      return;
    }
    if (!SECRET_PARAMETER_NAME.test(name ?? args.name)) {
      return;
    }
    const type = readString(args.props, "type");
    const keyId = readString(args.props, "keyId");
    if (type === UNKNOWN) {
      reportViolation(literal("type", label, "CMP-6"));
    } else if (type !== "SecureString" || keyId === undefined || keyId === "") {
      reportViolation(
        `Store ${label} as a SecureString encrypted with the tenant's key: set type "SecureString" and keyId to the customer-managed KMS key, as its name says it holds a secret (CMP-6).`,
      );
    }
    if (readValue(args.props, "insecureValue") !== undefined) {
      reportViolation(
        `Move the value of ${label} from insecureValue to value: insecureValue is stored and shown in plain text (CMP-6, CMP-8).`,
      );
    }
  }),
};

/**
 * The names of the secrets a SecretVersion writes: from the Secret resources its secretId was
 * built from (name, else name prefix), or from a literal secretId. UNKNOWN when a name is computed.
 */
function secretNames(version: PolicyResource): Read<string>[] {
  const secrets = (version.propertyDependencies["secretId"] ?? []).filter((r) => r.type === CmpType.secret);
  if (secrets.length === 0) {
    return [readString(version.props, "secretId")];
  }
  return secrets.map((secret) => {
    const name = readString(secret.props, "name");
    const prefix = readString(secret.props, "namePrefix");
    return typeof name === "string" ? name : typeof prefix === "string" ? prefix : UNKNOWN;
  });
}

/** Whether a SecretVersion holds a Jupyter token, or UNKNOWN when its secret's name is computed. */
function holdsJupyterToken(version: PolicyResource): boolean | typeof UNKNOWN {
  const names = secretNames(version);
  if (names.some((n) => typeof n === "string" && n.includes(JUPYTER_TOKEN_MARKER))) {
    return true;
  }
  return names.includes(UNKNOWN) ? UNKNOWN : false;
}

const passwordsBehind = (version: PolicyResource) =>
  (version.propertyDependencies["secretString"] ?? []).filter((r) => r.type === CmpType.randomPassword);

/**
 * The RandomPasswords that are Jupyter tokens: those a Jupyter token SecretVersion is built from,
 * and any whose name says it is one.
 */
export function jupyterTokenPasswords(resources: readonly PolicyResource[]): PolicyResource[] {
  const found = new Map<string, PolicyResource>();
  for (const resource of resources) {
    if (resource.type === CmpType.secretVersion && holdsJupyterToken(resource) === true) {
      passwordsBehind(resource).forEach((p) => found.set(p.urn, p));
    }
    if (resource.type === CmpType.randomPassword && resource.name.includes(JUPYTER_TOKEN_MARKER)) {
      found.set(resource.urn, resource);
    }
  }
  return [...found.values()];
}

/** Policy config of {@link cmpJupyterTokenRandomPassword}. */
export interface JupyterTokenConfig {
  /**
   * Shortest token accepted, in characters; never below 32.
   * @default 32
   */
  readonly minLength?: number;
}

/**
 * CMP-6: each Jupyter token secret is written from a RandomPassword of at least 32 characters (a
 * unique random token per node). Runs over the stack because the password and the secret version
 * are different resources, linked by the secretString's property dependencies.
 */
export const cmpJupyterTokenRandomPassword: StackValidationPolicy = {
  name: "cmp-jupyter-token-random-password",
  description:
    'Checks that every secret version of a "jupyter-token" secret takes its value from a random.RandomPassword of at least 32 characters (CMP-6).',
  configSchema: {
    properties: {
      minLength: {
        type: "integer",
        minimum: DEFAULT_MIN_TOKEN_LENGTH,
        default: DEFAULT_MIN_TOKEN_LENGTH,
        description: "Shortest Jupyter token accepted, in characters (CMP-6 requires at least 32).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const minLength = args.getConfig<JupyterTokenConfig>().minLength ?? DEFAULT_MIN_TOKEN_LENGTH;
    for (const version of args.resources.filter((r) => r.type === CmpType.secretVersion)) {
      const label = labelOf(version.type, version.name);
      const jupyter = holdsJupyterToken(version);
      if (jupyter === UNKNOWN) {
        reportViolation(
          `Give the secret behind ${label} a literal name (e.g. "moat/<tenant>/jupyter-token/head-0"): it is unknown at preview, so this policy cannot tell whether it holds a Jupyter token (CMP-6, POL-2).`,
          version.urn,
        );
        continue;
      }
      if (!jupyter) {
        continue;
      }
      const passwords = passwordsBehind(version);
      if (passwords.length === 0) {
        reportViolation(
          `Build the secretString of ${label} from a random.RandomPassword of at least ${minLength} characters: a Jupyter token must be a unique random value per node (CMP-6).`,
          version.urn,
        );
      }
      for (const password of passwords) {
        const length = readNumber(password.props, "length");
        if (length === UNKNOWN) {
          reportViolation(literal("length", labelOf(password.type, password.name), "CMP-6"), password.urn);
        } else if (length === undefined || length < minLength) {
          reportViolation(
            `Set length on ${labelOf(password.type, password.name)} to at least ${minLength}: it makes the Jupyter token in ${label} and has ${length ?? "no"} characters (CMP-6).`,
            password.urn,
          );
        }
      }
    }
  },
};

/**
 * CMP-9: every Jupyter token's RandomPassword has a `rotationEpoch` keeper, so changing the one
 * rotation epoch in config regenerates all tokens. Nodes read tokens at boot by secret name, so a
 * new token replaces no node (see cmp-node-no-secret-dependency).
 */
export const cmpJupyterTokenRotationEpoch: StackValidationPolicy = {
  name: "cmp-jupyter-token-rotation-epoch",
  description:
    'Checks that every RandomPassword behind a Jupyter token carries a "rotationEpoch" keeper, so one config value rotates all tokens (CMP-9).',
  validateStack: (args, reportViolation) => {
    for (const password of jupyterTokenPasswords(args.resources)) {
      const label = labelOf(password.type, password.name);
      const keepers = readValue(password.props, "keepers");
      if (keepers === UNKNOWN) {
        reportViolation(literal("keepers", label, "CMP-9"), password.urn);
      } else if (typeof keepers !== "object" || keepers === null || !(ROTATION_KEEPER in keepers)) {
        reportViolation(
          `Add a "${ROTATION_KEEPER}" keeper to ${label}, set from the stack's rotation epoch config value, so changing that one value regenerates the Jupyter token (CMP-9).`,
          password.urn,
        );
      }
    }
  },
};
