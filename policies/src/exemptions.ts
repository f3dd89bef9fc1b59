// POL-1: a stack's policy config may exempt a named resource from a named policy, only with a reason:
//
//   "net-external-ingress-ssh-only": {
//     "exemptions": [{ "resource": "acme-lab-gateway", "reason": "vendor appliance, INC-1234, until 2027-01" }]
//   }
//
// `resource` is the resource's name or its full URN. Every policy of the pack takes `exemptions`, and
// `reason` (why its enforcement level is lowered, when the file lowers it). An exempted resource is
// skipped by a resource policy, and a stack policy's finding on it is dropped; a stack finding that
// names no resource cannot be exempted. `moat plan` lists every exemption with its reason, and
// refuses a lowered level without one, so nothing is weakened silently.
import type {
  Policy,
  ReportViolation,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { keepCheckedTypes } from "./props";

/** One exemption as the policy config writes it. */
export interface Exemption {
  /** The exempted resource: its name, or its full URN. */
  readonly resource: string;
  /** Why the resource may break the policy; shown in every plan report. */
  readonly reason: string;
}

/** The settings every policy of the pack takes. */
export interface ExemptionConfig {
  readonly exemptions?: readonly Exemption[];
  /** Why the file lowers this policy's enforcement level. */
  readonly reason?: string;
}

/** Shortest reason accepted: a ticket number and a word, at least. */
export const MIN_REASON_LENGTH = 10;

const reasonSchema = { type: "string", minLength: MIN_REASON_LENGTH } as const;

/** The JSON schema of the settings every policy takes, merged into each policy's own. */
export const EXEMPTION_SCHEMA_PROPERTIES = {
  exemptions: {
    type: "array",
    description: "Resources (name or URN) this policy does not apply to, each with the reason why.",
    items: {
      type: "object",
      properties: { resource: { type: "string", minLength: 1 }, reason: reasonSchema },
      required: ["resource", "reason"],
      additionalProperties: false,
    },
  },
  reason: { ...reasonSchema, description: "Why this policy's enforcement level is lowered." },
} as const;

/** Whether `exemption` names the resource with this URN: by URN, or by name (the URN's last part). */
export function exemptionMatches(exemption: Exemption, urn: string): boolean {
  return exemption.resource === urn || urn.endsWith(`::${exemption.resource}`);
}

/** The exemption that covers the resource with this URN, if any. */
export function exemptionFor(config: ExemptionConfig, urn: string | undefined): Exemption | undefined {
  if (urn === undefined || urn === "") {
    return undefined;
  }
  return config.exemptions?.find((e) => exemptionMatches(e, urn));
}

// The pack's runtime calls a policy only for the types it checks; the wrapper keeps them.
function wrapResource(validation: ResourceValidation): ResourceValidation {
  const wrapped: ResourceValidation = (args, reportViolation) => {
    const config = args.getConfig<ExemptionConfig>();
    if (config.exemptions !== undefined && exemptionFor(config, args.urn) !== undefined) {
      return;
    }
    return validation(args, reportViolation);
  };
  return keepCheckedTypes(validation, wrapped);
}

function withExemptionSchema<P extends Policy>(policy: P): P {
  const schema = policy.configSchema ?? { properties: {} };
  return {
    ...policy,
    configSchema: { ...schema, properties: { ...schema.properties, ...EXEMPTION_SCHEMA_PROPERTIES } },
  };
}

/** A resource policy that skips exempted resources and takes the exemption settings. */
export function exemptibleResourcePolicy(policy: ResourceValidationPolicy): ResourceValidationPolicy {
  const validate = policy.validateResource;
  return withExemptionSchema({
    ...policy,
    validateResource: Array.isArray(validate)
      ? validate.map(wrapResource)
      : validate && wrapResource(validate),
  });
}

/** A stack policy whose findings on exempted resources are dropped, and that takes the settings. */
export function exemptibleStackPolicy(policy: StackValidationPolicy): StackValidationPolicy {
  return withExemptionSchema({
    ...policy,
    validateStack: (args, reportViolation) => {
      const config = args.getConfig<ExemptionConfig>();
      const report: ReportViolation = (message, urn) => {
        if (exemptionFor(config, urn) === undefined) {
          reportViolation(message, urn);
        }
      };
      return policy.validateStack(args, report);
    },
  });
}

/** Every policy of a pack made exemptible (POL-1). */
export function withExemptions(
  policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[],
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return policies.map((p) =>
    "validateStack" in p && p.validateStack !== undefined
      ? exemptibleStackPolicy(p as StackValidationPolicy)
      : exemptibleResourcePolicy(p as ResourceValidationPolicy),
  );
}
