// CMP-1 on the launch template of an EFA compute group: an EFA interface on every network card of
// the instance type, laid out as AWS's multi-card guide asks (the first `efa`, the rest
// `efa-only`, one per card index without gaps). The layout is declared in the template, so it is
// known at preview; anything unknown there cannot be verified and is a violation (POL-2).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { EFA_CAPABILITY_SOURCE, EfaCapability, efaCapability } from "./cmp-efa-catalogue";
import {
  EfaType,
  TemplateInterface,
  launchRole,
  mayBeCompute,
  mayBeEfa,
  templateInterfaces,
} from "./cmp-efa-nodes";
import { Read, UNKNOWN, forTypes, notApplicableQuietly, readString } from "./props";

/** Policy config of {@link cmpLaunchTemplateEfaEveryCard}. */
export interface EfaTemplateConfig {
  /**
   * Instance types to add to the pack's EFA table (cmp-efa-catalogue.ts), e.g. a type AWS
   * released since: `{ "p6-b300.48xlarge": { "networkCards": 17, "efa": true } }`.
   * @default {}
   */
  readonly additionalInstanceTypes?: Readonly<Record<string, EfaCapability>>;
}

/** Card indices as short ranges for messages: [1, 2, 3, 5] -> "1-3, 5". */
export function cardRanges(cards: readonly number[]): string {
  const sorted = [...new Set(cards)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) {
      j++;
    }
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return parts.join(", ");
}

const literal = (property: string, label: string) =>
  `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify the EFA layout (CMP-1, POL-2).`;

// The type each interface must have: EFA with ENA first, so the node keeps an IP interface,
// then EFA-only on every other card, which AWS requires for the full bandwidth of multi-card types.
function typeProblems(interfaces: readonly TemplateInterface[], label: string): string[] {
  return interfaces.flatMap((nic) => {
    const at = `networkInterfaces[${nic.position}]`;
    const want = nic.position === 0 ? "efa" : "efa-only";
    if (nic.type === UNKNOWN) {
      return [literal(`${at}.interfaceType`, label)];
    }
    return nic.type === want
      ? []
      : [
          `Set ${at}.interfaceType on ${label} to "${want}", not ${nic.type === undefined ? "unset (a plain ENA interface)" : `"${nic.type}"`}: CMP-1 puts EFA on every interface, "efa" on the first and "efa-only" on the others (CMP-1).`,
        ];
  });
}

function cardProblems(
  interfaces: readonly TemplateInterface[],
  label: string,
  expected: number | undefined,
  instanceType: string | undefined,
): string[] {
  const problems: string[] = [];
  const owner = new Map<number, number>();
  for (const nic of interfaces) {
    const at = `networkInterfaces[${nic.position}]`;
    if (nic.card === UNKNOWN || nic.card === undefined) {
      problems.push(literal(`${at}.networkCardIndex`, label));
      continue;
    }
    const first = owner.get(nic.card);
    if (first !== undefined) {
      problems.push(
        `Move ${at} of ${label} to a network card of its own: card ${nic.card} already has networkInterfaces[${first}], and CMP-1 asks for one EFA interface per card (CMP-1).`,
      );
    } else {
      owner.set(nic.card, nic.position);
    }
    if (expected !== undefined && (nic.card < 0 || nic.card >= expected)) {
      problems.push(
        `Remove ${at} from ${label} or fix its networkCardIndex ${nic.card}: ${instanceType} has ${expected} network card${expected === 1 ? "" : "s"}, numbered 0 to ${expected - 1} (CMP-1).`,
      );
    }
  }
  if (nic0Missing(interfaces)) {
    problems.push(
      `Put networkInterfaces[0] of ${label} on network card 0: the first interface is the node's primary one (CMP-1).`,
    );
  }
  const known = [...owner.keys()].filter((c) => c >= 0);
  const top = expected ?? (known.length === 0 ? 0 : Math.max(...known) + 1);
  const missing = Array.from({ length: top }, (_, c) => c).filter((c) => !owner.has(c));
  if (missing.length > 0) {
    const why =
      expected === undefined
        ? "card indices run from 0 without gaps"
        : `${instanceType} has ${expected} network cards and CMP-1 puts EFA on every one`;
    problems.push(
      `Add an "efa-only" interface to ${label} for network card${missing.length === 1 ? "" : "s"} ${cardRanges(missing)}: ${why} (CMP-1).`,
    );
  }
  return problems;
}

const nic0Missing = (interfaces: readonly TemplateInterface[]) =>
  interfaces.length > 0 && typeof interfaces[0].card === "number" && interfaces[0].card !== 0;

/**
 * Every CMP-1 problem with the EFA layout of a compute launch template, each a complete message.
 * Pure, for tests: `instanceType` is the template's, `extra` the policy config's added types.
 */
export function efaLayoutProblems(
  label: string,
  interfaces: readonly TemplateInterface[],
  instanceType: Read<string>,
  extra: Readonly<Record<string, EfaCapability>> = {},
): string[] {
  const problems: string[] = [];
  let expected: number | undefined;
  if (instanceType === UNKNOWN) {
    problems.push(literal("instanceType", label));
  } else if (instanceType === undefined) {
    problems.push(
      `Set instanceType on ${label}: an EFA template names its type, so this policy can check that the type supports EFA and that every one of its network cards has an EFA interface (CMP-1).`,
    );
  } else {
    const capability = efaCapability(instanceType, extra);
    if (capability === undefined) {
      problems.push(
        `Add ${instanceType} to the EFA table in policies/src/cmp-efa-catalogue.ts (or to this policy's additionalInstanceTypes config) with its network cards and EFA support from ${EFA_CAPABILITY_SOURCE}: ${label} asks for EFA on a type this policy does not know (CMP-1).`,
      );
    } else if (!capability.efa) {
      return [
        `Choose an EFA-capable instance type for ${label} or remove its EFA interfaces: ${instanceType} does not support EFA (CMP-1).`,
      ];
    } else {
      expected = capability.networkCards;
    }
  }
  return [
    ...problems,
    ...typeProblems(interfaces, label),
    ...cardProblems(interfaces, label, expected, typeof instanceType === "string" ? instanceType : undefined),
  ];
}

/**
 * CMP-1: a compute launch template that asks for EFA gets it on every network card of its type:
 * one interface per card index 0..n-1, the first `efa`, the rest `efa-only`. A type without EFA,
 * a missing card and a type the table does not know are violations. The placement group is
 * checked with the groups that launch the template (cmp-placement-group-cluster-strategy).
 */
export const cmpLaunchTemplateEfaEveryCard: ResourceValidationPolicy = {
  name: "cmp-launch-template-efa-every-card",
  description:
    'Checks that every compute launch template with an EFA interface has one on each network card of its instance type, card indices 0 to n-1 without gaps, the first "efa" and the rest "efa-only", and that the type supports EFA (CMP-1).',
  configSchema: {
    properties: {
      additionalInstanceTypes: {
        type: "object",
        description:
          'Instance types to add to the pack\'s EFA table, e.g. {"p6-b300.48xlarge": {"networkCards": 17, "efa": true}}.',
        additionalProperties: {
          type: "object",
          properties: {
            networkCards: { type: "integer", minimum: 1 },
            efa: { type: "boolean" },
          },
          required: ["networkCards", "efa"],
          additionalProperties: false,
        },
        default: {},
      },
    },
  },
  validateResource: forTypes([EfaType.launchTemplate], (args, reportViolation) => {
    const label = `compute launch template "${args.name}"`;
    if (!mayBeCompute(launchRole(args))) {
      notApplicableQuietly(args, "Policy only applies to compute launch templates");
    }
    const interfaces = templateInterfaces(args.props);
    if (interfaces === UNKNOWN) {
      reportViolation(
        `Declare networkInterfaces of ${label} as a literal list: it is unknown at preview, so this policy cannot verify the EFA layout (CMP-1, POL-2).`,
      );
      return;
    }
    if (!interfaces.some(mayBeEfa)) {
      notApplicableQuietly(args, "Policy only applies to launch templates with EFA interfaces");
    }
    const extra = args.getConfig<EfaTemplateConfig>().additionalInstanceTypes ?? {};
    efaLayoutProblems(label, interfaces, readString(args.props, "instanceType"), extra).forEach((m) =>
      reportViolation(m),
    );
  }),
};
