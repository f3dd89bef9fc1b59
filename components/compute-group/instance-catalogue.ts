// The GPU and accelerator instance types Moat knows, and what a compute group's hardware resolves
// to (CMP-1). Pure data and pure functions, so every figure and every refusal is tested directly.
import type { RuleProblem } from "../firewall-rule/rule-checks";

/** Who makes the accelerators of an instance type. */
export type AcceleratorKind = "nvidia" | "trainium" | "inferentia";

/** CPU architecture of an instance type, as AMI names and SSM image parameters spell it. */
export type Architecture = "x86_64" | "arm64";

/** What Moat needs to know about one instance type to lay out its network interfaces. */
export interface InstanceTypeSpec {
  /** Maximum network cards (`NetworkInfo.MaximumNetworkCards`): one EFA interface goes on each. */
  readonly networkCards: number;
  /** Whether the type supports Elastic Fabric Adapter interfaces. */
  readonly efa: boolean;
  /** Accelerators per instance (GPUs, or Trainium/Inferentia chips). */
  readonly gpus: number;
  /** Memory of EACH accelerator in GiB, e.g. 80 for an H100. */
  readonly gpuMemoryGiB: number;
  /** Who makes the accelerators. */
  readonly acceleratorKind: AcceleratorKind;
  /** The accelerator's model, e.g. `H100`, for messages and docs. */
  readonly acceleratorModel: string;
  /** Virtual CPUs per instance. */
  readonly vcpus: number;
  /** CPU architecture; it decides the default image (see `defaultImageParameter`). */
  readonly architecture: Architecture;
  /** The AWS documentation page the figures come from. */
  readonly source: string;
}

/**
 * AWS's list of EFA-capable types and its rules for EFA (security group, one subnet, placement).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa.html
 */
export const EFA_DOC_URL = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa.html";

/**
 * The accelerated-computing specifications: accelerators, vCPUs, and in the network table the EFA
 * support and the maximum number of network cards of each type.
 */
export const ACCELERATED_SPECS_URL = "https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html";

type Accelerator = Pick<InstanceTypeSpec, "acceleratorKind" | "acceleratorModel" | "gpuMemoryGiB">;

const A100_40: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "A100", gpuMemoryGiB: 40 };
const A100_80: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "A100", gpuMemoryGiB: 80 };
const H100: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "H100", gpuMemoryGiB: 80 };
const H200: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "H200", gpuMemoryGiB: 141 };
const B200: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "B200", gpuMemoryGiB: 179 };
const A10G: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "A10G", gpuMemoryGiB: 24 };
const L40S: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "L40S", gpuMemoryGiB: 48 };
const T4G: Accelerator = { acceleratorKind: "nvidia", acceleratorModel: "T4G", gpuMemoryGiB: 16 };
const TRAINIUM: Accelerator = { acceleratorKind: "trainium", acceleratorModel: "Trainium", gpuMemoryGiB: 32 };
const TRAINIUM2: Accelerator = {
  acceleratorKind: "trainium",
  acceleratorModel: "Trainium2",
  gpuMemoryGiB: 96,
};
const INFERENTIA2: Accelerator = {
  acceleratorKind: "inferentia",
  acceleratorModel: "Inferentia2",
  gpuMemoryGiB: 32,
};

function spec(
  accelerator: Accelerator,
  gpus: number,
  vcpus: number,
  efa: boolean,
  networkCards: number,
  architecture: Architecture = "x86_64",
): InstanceTypeSpec {
  return { ...accelerator, gpus, vcpus, efa, networkCards, architecture, source: ACCELERATED_SPECS_URL };
}

/**
 * The catalogue, keyed by instance type. Network cards as EC2's DescribeInstanceTypes reports them
 * (`MaximumNetworkCards`); EFA support as listed on {@link EFA_DOC_URL}. A type missing here can
 * still be used: with `efa: false`, or with `efa: true` and its `networkCards` given explicitly.
 */
export const INSTANCE_CATALOGUE: Readonly<Record<string, InstanceTypeSpec>> = Object.freeze({
  // P: the training workhorses. P5/P5e spread 3,200 Gbps over 32 cards, P5en over 16.
  "p4d.24xlarge": spec(A100_40, 8, 96, true, 4),
  "p4de.24xlarge": spec(A100_80, 8, 96, true, 4),
  "p5.4xlarge": spec(H100, 1, 16, true, 1),
  "p5.48xlarge": spec(H100, 8, 192, true, 32),
  "p5e.48xlarge": spec(H200, 8, 192, true, 32),
  "p5en.48xlarge": spec(H200, 8, 192, true, 16),
  "p6-b200.48xlarge": spec(B200, 8, 192, true, 8),
  // G5: one network card at every size; EFA from 8xlarge up.
  "g5.xlarge": spec(A10G, 1, 4, false, 1),
  "g5.2xlarge": spec(A10G, 1, 8, false, 1),
  "g5.4xlarge": spec(A10G, 1, 16, false, 1),
  "g5.8xlarge": spec(A10G, 1, 32, true, 1),
  "g5.12xlarge": spec(A10G, 4, 48, true, 1),
  "g5.16xlarge": spec(A10G, 1, 64, true, 1),
  "g5.24xlarge": spec(A10G, 4, 96, true, 1),
  "g5.48xlarge": spec(A10G, 8, 192, true, 1),
  // G6e: EFA from 8xlarge up; the two largest sizes have 2 and 4 cards.
  "g6e.xlarge": spec(L40S, 1, 4, false, 1),
  "g6e.2xlarge": spec(L40S, 1, 8, false, 1),
  "g6e.4xlarge": spec(L40S, 1, 16, false, 1),
  "g6e.8xlarge": spec(L40S, 1, 32, true, 1),
  "g6e.12xlarge": spec(L40S, 4, 48, true, 1),
  "g6e.16xlarge": spec(L40S, 1, 64, true, 1),
  "g6e.24xlarge": spec(L40S, 4, 96, true, 2),
  "g6e.48xlarge": spec(L40S, 8, 192, true, 4),
  // Graviton with NVIDIA T4G: no EFA; kept so arm64 groups resolve too.
  "g5g.xlarge": spec(T4G, 1, 4, false, 1, "arm64"),
  // Trainium: the 32xlarge/48xlarge sizes are EFA-only-network training nodes.
  "trn1.2xlarge": spec(TRAINIUM, 1, 8, false, 1),
  "trn1.32xlarge": spec(TRAINIUM, 16, 128, true, 8),
  "trn1n.32xlarge": spec(TRAINIUM, 16, 128, true, 16),
  "trn2.3xlarge": spec(TRAINIUM2, 1, 12, true, 1),
  "trn2.48xlarge": spec(TRAINIUM2, 16, 192, true, 16),
  // Inferentia: inference, no EFA at this size.
  "inf2.xlarge": spec(INFERENTIA2, 1, 4, false, 1),
});

/** The catalogue entry of `instanceType`, or undefined when Moat does not know the type. */
export function lookupInstanceType(instanceType: string): InstanceTypeSpec | undefined {
  // Own keys only: "constructor" or "toString" must not resolve to Object.prototype members.
  return Object.hasOwn(INSTANCE_CATALOGUE, instanceType) ? INSTANCE_CATALOGUE[instanceType] : undefined;
}

/** What a compute group asks for; everything else about its hardware comes from the catalogue. */
export interface GroupHardwareRequest {
  /** The group's name, e.g. `train`; named in every message. */
  readonly name: string;
  /** EC2 instance type, e.g. `p5.48xlarge`. */
  readonly instanceType: string;
  /** EFA interfaces on every network card (CMP-1). @default true for EFA-capable types */
  readonly efa?: boolean;
  /**
   * Network cards of a type missing from the catalogue (CMP-1 puts EFA on every one). For a
   * catalogued type it may only repeat the catalogue's figure. @default the catalogue's figure
   */
  readonly networkCards?: number;
}

/** What a group's hardware resolves to, with every problem (property paths under the group). */
export interface PlannedHardware {
  /** Whether the group gets EFA interfaces. */
  readonly efa: boolean;
  /** How many network interfaces the launch template declares (1 without EFA). */
  readonly networkCards: number;
  /** Every problem; empty when the group can be built. */
  readonly problems: RuleProblem[];
}

const describeCardsCommand = (instanceType: string) =>
  `aws ec2 describe-instance-types --instance-types ${instanceType} ` +
  `--query "InstanceTypes[0].NetworkInfo.[EfaSupported,MaximumNetworkCards]"`;

function efaCapable(): string {
  return Object.entries(INSTANCE_CATALOGUE)
    .filter(([, s]) => s.efa)
    .map(([t]) => t)
    .join(", ");
}

/**
 * Resolves a group's EFA setting and network-card count, and returns every problem with its path
 * (`instanceType`, `efa`, `networkCards`). Refused: EFA on a type without EFA (naming the type and
 * the group); EFA on a type missing from the catalogue without an explicit `networkCards`; a
 * missing type without saying whether it has EFA; a card count other than the type's, since CMP-1
 * puts EFA on every card; `networkCards` on a group without EFA, where it would mean nothing.
 */
export function planGroupHardware(group: GroupHardwareRequest): PlannedHardware {
  const problems: RuleProblem[] = [];
  const at = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
  const { name, instanceType, networkCards } = group;
  const known = lookupInstanceType(instanceType);
  const cardsGiven = networkCards !== undefined;
  if (cardsGiven && !(Number.isInteger(networkCards) && networkCards >= 1)) {
    at("networkCards", `${JSON.stringify(networkCards)} is not a whole number of at least 1`);
  }

  const efa = group.efa ?? known?.efa ?? false;
  if (known === undefined && group.efa === undefined) {
    at(
      "instanceType",
      `${instanceType} (group "${name}") is not in Moat's instance catalogue, so Moat cannot tell whether ` +
        `it supports EFA; set efa: false for ordinary networking, or efa: true with networkCards ` +
        `(from: ${describeCardsCommand(instanceType)})`,
    );
  } else if (efa && known !== undefined && !known.efa) {
    at(
      "efa",
      `group "${name}" asks for EFA, but ${instanceType} does not support EFA (${EFA_DOC_URL}); ` +
        `choose an EFA-capable type (${efaCapable()}) or set efa: false`,
    );
  } else if (efa && known === undefined && !cardsGiven) {
    at(
      "networkCards",
      `is missing: ${instanceType} (group "${name}") is not in Moat's instance catalogue, so Moat cannot ` +
        `lay out one EFA interface per network card; give networkCards as AWS reports it ` +
        `(${describeCardsCommand(instanceType)}), and add the type to the policy pack's ` +
        `additionalInstanceTypes config, or pick a catalogued type`,
    );
  } else if (efa && known !== undefined && cardsGiven && networkCards !== known.networkCards) {
    at(
      "networkCards",
      `${networkCards} is not the ${known.networkCards} network card(s) of ${instanceType} ` +
        `(group "${name}"); CMP-1 puts an EFA interface on every card, and AWS refuses a card the ` +
        `type does not have, so remove networkCards`,
    );
  } else if (!efa && cardsGiven) {
    at(
      "networkCards",
      `only applies to EFA groups; group "${name}" has no EFA and gets one ordinary interface, so remove it`,
    );
  }

  const resolvedCards = efa ? (networkCards ?? known?.networkCards ?? 1) : 1;
  return { efa, networkCards: resolvedCards, problems };
}

/**
 * {@link planGroupHardware} with each problem as one line, `<property>: <reason>`; an empty list
 * means the group's hardware can be built. EFA defaults to true for EFA-capable types (CMP-1).
 */
export function resolveGroupHardware(group: GroupHardwareRequest): {
  efa: boolean;
  networkCards: number;
  problems: string[];
} {
  const planned = planGroupHardware(group);
  return {
    efa: planned.efa,
    networkCards: planned.networkCards,
    problems: planned.problems.map((p) => `${p.propertyPath}: ${p.reason}`),
  };
}
