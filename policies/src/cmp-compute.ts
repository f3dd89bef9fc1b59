// CMP-2 and CMP-3: how nodes boot. Instances, spot requests, launch templates and launch
// configurations share one check per concern; each reads only what the user declared, and a
// KMS key ARN that the cloud computes counts as declared (POL-2).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CmpType, NODE_TYPES, labelOf } from "./cmp-types";
import { Props, Read, UNKNOWN, forTypes, readList, readNumber, readString, readValue } from "./props";

/** The highest IMDS hop limit CMP-2 allows: 2 lets a container on the node reach IMDS, no further. */
export const DEFAULT_MAX_HOP_LIMIT = 2;

/** Policy config of {@link cmpInstanceMetadataImdsv2Required}. */
export interface ImdsConfig {
  /**
   * Highest `httpPutResponseHopLimit` accepted.
   * @default 2
   */
  readonly maxHopLimit?: number;
}

const literal = (property: string, label: string, ids: string) =>
  `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify it (${ids}, POL-2).`;

/**
 * CMP-2: IMDSv2 only, with a hop limit of at most 2 (configurable, never above 2). Missing
 * metadata options are a violation: AWS then accepts IMDSv1's tokenless requests, which a
 * server-side request forgery can use to read the node's role credentials. A missing hop limit is
 * AWS's default of 1 and passes.
 */
export const cmpInstanceMetadataImdsv2Required: ResourceValidationPolicy = {
  name: "cmp-instance-metadata-imdsv2-required",
  description:
    'Checks that every instance, spot request, launch template and launch configuration requires IMDSv2 (httpTokens "required") with a response hop limit of at most 2 (CMP-2).',
  configSchema: {
    properties: {
      maxHopLimit: {
        type: "integer",
        minimum: 1,
        maximum: DEFAULT_MAX_HOP_LIMIT,
        default: DEFAULT_MAX_HOP_LIMIT,
        description: "Highest httpPutResponseHopLimit accepted (CMP-2 allows at most 2).",
      },
    },
  },
  validateResource: forTypes(NODE_TYPES, (args, reportViolation) => {
    const label = labelOf(args.type, args.name);
    const maxHopLimit = args.getConfig<ImdsConfig>().maxHopLimit ?? DEFAULT_MAX_HOP_LIMIT;
    const options = readValue(args.props, "metadataOptions");
    if (options === UNKNOWN) {
      reportViolation(literal("metadataOptions", label, "CMP-2"));
      return;
    }
    if (typeof options !== "object" || options === undefined) {
      reportViolation(
        `Set metadataOptions on ${label} with httpTokens "required": without them AWS also accepts IMDSv1, whose tokenless requests let a forged request read the node's credentials (CMP-2).`,
      );
      return;
    }
    const tokens = readString(options as Props, "httpTokens");
    if (tokens === UNKNOWN) {
      reportViolation(literal("metadataOptions.httpTokens", label, "CMP-2"));
    } else if (tokens !== "required") {
      const now = tokens === undefined ? "unset, which allows IMDSv1" : `"${tokens}"`;
      reportViolation(
        `Set metadataOptions.httpTokens on ${label} to "required" so only IMDSv2 answers: it is ${now} (CMP-2).`,
      );
    }
    const hops = readNumber(options as Props, "httpPutResponseHopLimit");
    if (hops === UNKNOWN) {
      reportViolation(literal("metadataOptions.httpPutResponseHopLimit", label, "CMP-2"));
    } else if (hops !== undefined && hops > maxHopLimit) {
      reportViolation(
        `Lower metadataOptions.httpPutResponseHopLimit on ${label} to at most ${maxHopLimit}: ${hops} lets IMDS answers travel further than a container on the node (CMP-2).`,
      );
    }
  }),
};

/**
 * Returns the CMP-3 problem with one volume declaration, or undefined when it is encrypted with a
 * named key. `path` locates the declaration inside the resource; an EBS volume is its own
 * declaration and has none. `encrypted` may be a boolean or, on launch templates, the string "true".
 */
function deviceProblem(device: Read<unknown>, path: string | undefined, label: string): string | undefined {
  const at = (property: string) => (path === undefined ? property : `${path}.${property}`);
  if (device === UNKNOWN) {
    return literal(path ?? "the volume", label, "CMP-3");
  }
  if (typeof device !== "object" || device === undefined) {
    return `Declare ${path} on ${label} with encrypted true and kmsKeyId set to the tenant's customer-managed KMS key: left out, the volume is unencrypted or uses the AWS-managed key (CMP-3).`;
  }
  const encrypted = readValue(device as Props, "encrypted");
  if (encrypted === UNKNOWN) {
    return literal(at("encrypted"), label, "CMP-3");
  }
  const kmsKeyId = readString(device as Props, "kmsKeyId");
  const missing = [
    ...(encrypted === true || encrypted === "true" ? [] : ["encrypted to true"]),
    ...(kmsKeyId === UNKNOWN || (kmsKeyId !== undefined && kmsKeyId !== "")
      ? []
      : ["kmsKeyId to the key's ARN"]),
  ];
  const subject = path === undefined ? label : `${path} of ${label}`;
  return missing.length === 0
    ? undefined
    : `Encrypt ${subject} with the tenant's customer-managed KMS key: set ${missing.join(" and ")} (CMP-3).`;
}

/** Checks each entry of a list of volumes, reading one index at a time (entries may be computed). */
function eachDevice(
  props: Props,
  key: string,
  label: string,
  check: (entry: Read<unknown>, path: string) => string | undefined,
): string[] {
  const devices = readList(props, key);
  if (devices === UNKNOWN) {
    return [literal(key, label, "CMP-3")];
  }
  const problems: string[] = [];
  for (let i = 0; i < (devices?.length ?? 0); i++) {
    const problem = check(readValue(devices as unknown as Props, String(i)), `${key}[${i}]`);
    if (problem !== undefined) {
      problems.push(problem);
    }
  }
  return problems;
}

// A launch template mapping may name an instance-store volume (virtualName) or suppress a device
// (noDevice); neither is an EBS volume, so neither can take a KMS key.
function templateMappingProblem(mapping: Read<unknown>, path: string, label: string): string | undefined {
  if (mapping !== UNKNOWN && typeof mapping === "object" && mapping !== undefined) {
    const entry = mapping as Props;
    const other = ["virtualName", "noDevice"].some((k) => readValue(entry, k) !== undefined);
    if (other && readValue(entry, "ebs") === undefined) {
      return undefined;
    }
    return deviceProblem(readValue(entry, "ebs"), `${path}.ebs`, label);
  }
  return deviceProblem(mapping, path, label);
}

function volumeProblems(type: string, props: Props, label: string): string[] {
  switch (type) {
    case CmpType.volume: {
      const problem = deviceProblem(props, undefined, label);
      return problem === undefined ? [] : [problem];
    }
    case CmpType.launchConfiguration:
      return [
        `Replace ${label} with a launch template: a launch configuration cannot name a customer-managed KMS key for its volumes (CMP-3).`,
      ];
    case CmpType.launchTemplate: {
      const mappings = readList(props, "blockDeviceMappings");
      if (mappings !== UNKNOWN && (mappings?.length ?? 0) === 0) {
        return [
          `Declare blockDeviceMappings on ${label}, at least one for the root volume, each with ebs.encrypted "true" and ebs.kmsKeyId set to the tenant's customer-managed KMS key: without them the AMI's unencrypted or AWS-key defaults apply (CMP-3).`,
        ];
      }
      return eachDevice(props, "blockDeviceMappings", label, (m, path) =>
        templateMappingProblem(m, path, label),
      );
    }
    default: {
      const root = deviceProblem(readValue(props, "rootBlockDevice"), "rootBlockDevice", label);
      return [
        ...(root === undefined ? [] : [root]),
        ...eachDevice(props, "ebsBlockDevices", label, (d, path) => deviceProblem(d, path, label)),
      ];
    }
  }
}

/**
 * CMP-3: root and data volumes are encrypted with the tenant's customer-managed key. The key's
 * ARN is usually computed by the cloud, so a kmsKeyId that is unknown at preview counts as set;
 * leaving it out never does.
 */
export const cmpVolumeEncryptedCustomerKey: ResourceValidationPolicy = {
  name: "cmp-volume-encrypted-customer-key",
  description:
    "Checks that root and data volumes of instances, spot requests, launch templates and EBS volumes are encrypted with a customer-managed KMS key, and that no launch configuration (which cannot name one) is used (CMP-3).",
  validateResource: forTypes([...NODE_TYPES, CmpType.volume], (args, reportViolation) => {
    volumeProblems(args.type, args.props, labelOf(args.type, args.name)).forEach((m) => reportViolation(m));
  }),
};
