// One NET-9 check for every resource type that can carry an inbound firewall rule. Each type is
// first mapped to an IngressRuleShape (its own property names kept for the messages), so the
// rule itself is written once rather than copied per aliased type.
import { Props, Read, UNKNOWN, readBoolean, readList, readNumber, readString } from "./props";

/** Resource type tokens the NET policies look at. */
export const AwsType = {
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  legacyRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
} as const;

/** Where a rule's traffic comes from; only CIDR-like sources are refused an all-ports rule. */
export type SourceKind = "cidr" | "prefix-list" | "security-group";

/** One declared source of a rule; a list property contributes one entry per element. */
export interface RuleSource {
  /** The property as the user wrote it, with an index for list elements (`cidrBlocks[1]`). */
  readonly property: string;
  readonly kind: SourceKind;
  /**
   * True when the property is declared but the policy cannot tell how many sources it holds
   * (a list or a `self` flag computed from an output).
   */
  readonly unknownAtPreview?: boolean;
}

/** An inbound rule reduced to what NET-9 judges. Values the cloud computes are never needed. */
export interface IngressRuleShape {
  /** How messages name the rule, e.g. `ingress rule "head-ssh"`. */
  readonly label: string;
  /** The resource's name for its protocol property: `ipProtocol` or `protocol`. */
  readonly protocolProperty: string;
  /** The source properties this type accepts, for the "exactly one source" message. */
  readonly sourceProperties: string;
  readonly description: Read<string>;
  readonly protocol: Read<string>;
  readonly fromPort: Read<number>;
  readonly toPort: Read<number>;
  readonly sources: readonly RuleSource[];
}

const PROTOCOL_ALIASES: Readonly<Record<string, string>> = {
  "-1": "all",
  all: "all",
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "icmpv6",
};

/**
 * Maps the spellings AWS accepts ("-1", "all", "6", "TCP") to one name, so "all traffic" and
 * "tcp" are recognised however the rule writes them.
 */
export function normalizeProtocol(protocol: string): string {
  const lowered = protocol.trim().toLowerCase();
  return PROTOCOL_ALIASES[lowered] ?? lowered;
}

const literal = (property: string, label: string) =>
  `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify the rule (NET-9, POL-2).`;

/**
 * Returns every NET-9 problem with an inbound rule, each as an imperative message naming the rule
 * and the fix; an empty list means the rule is compliant. A value the check needs but that is
 * unknown at preview is a problem in itself: unknown never passes (POL-2).
 */
export function checkIngressRule(rule: IngressRuleShape): string[] {
  const problems: string[] = [];
  const { label } = rule;

  if (rule.description === UNKNOWN) {
    problems.push(literal("description", label));
  } else if (rule.description === undefined || rule.description.trim() === "") {
    problems.push(`Add a description to ${label} that says which flow it allows and why (NET-9).`);
  }

  let protocol: string | undefined;
  if (rule.protocol === UNKNOWN) {
    problems.push(literal(rule.protocolProperty, label));
  } else if (rule.protocol === undefined || rule.protocol.trim() === "") {
    problems.push(
      `Set ${rule.protocolProperty} on ${label} to an explicit protocol such as "tcp", "udp", "icmp" or "-1" (NET-9).`,
    );
  } else {
    protocol = normalizeProtocol(rule.protocol);
  }

  for (const source of rule.sources.filter((s) => s.unknownAtPreview)) {
    problems.push(literal(source.property, label));
  }
  if (rule.sources.length === 0) {
    problems.push(`Give ${label} exactly one source: set one of ${rule.sourceProperties} (NET-9).`);
  } else if (rule.sources.length > 1) {
    const names = rule.sources.map((s) => s.property).join(", ");
    problems.push(`Split ${label} into one rule per source: it declares ${names} (NET-9).`);
  }

  const portRanged = protocol === "tcp" || protocol === "udp";
  const { fromPort, toPort } = rule;
  if (portRanged) {
    for (const [property, value] of [
      ["fromPort", fromPort],
      ["toPort", toPort],
    ] as const) {
      if (value === UNKNOWN) {
        problems.push(literal(property, label));
      } else if (value === undefined) {
        problems.push(
          `Set ${property} on ${label}: a ${protocol} rule needs an explicit port range (NET-9).`,
        );
      }
    }
  }

  const knownRange = typeof fromPort === "number" && typeof toPort === "number";
  const allPorts =
    protocol === "all" || (portRanged && knownRange && fromPort <= 1 && fromPort >= 0 && toPort === 65535);
  // A prefix list is a named set of CIDRs, so it is held to the CIDR rule.
  const network = rule.sources.find((s) => s.kind !== "security-group");
  if (allPorts && network) {
    const what = protocol === "all" ? "all protocols and ports" : `all ${protocol} ports`;
    const source = `${network.kind === "cidr" ? "CIDR" : "prefix-list"} source ${network.property}`;
    problems.push(
      `Narrow ${label} to the ports its flow needs: it opens ${what} to ${source}; only rules between security groups may allow all traffic (NET-9).`,
    );
  } else if (portRanged && knownRange && !(1 <= fromPort && fromPort <= toPort && toPort <= 65535)) {
    problems.push(
      `Set a real port range on ${label}: ports must satisfy 1 <= fromPort <= toPort <= 65535, not ${fromPort}-${toPort} (NET-9).`,
    );
  }
  return problems;
}

function single(props: Props, property: string, kind: SourceKind): RuleSource[] {
  return readString(props, property) === undefined ? [] : [{ property, kind }];
}

function each(props: Props, property: string, kind: SourceKind): RuleSource[] {
  const list = readList(props, property);
  if (list === UNKNOWN) {
    return [{ property, kind, unknownAtPreview: true }];
  }
  // Only the length is read: `list.map` would read each element through the SDK's proxy and
  // throw on a computed one such as `[vpc.cidrBlock]`.
  return Array.from({ length: list?.length ?? 0 }, (_, i) => ({ property: `${property}[${i}]`, kind }));
}

/**
 * Shapes an `aws.vpc.SecurityGroupIngressRule`. Sources count by presence only: a group ID or a
 * VPC CIDR computed by the cloud is unknown at preview and is never read.
 */
export function vpcIngressRuleShape(name: string, props: Props): IngressRuleShape {
  return {
    label: `ingress rule "${name}"`,
    protocolProperty: "ipProtocol",
    sourceProperties: "cidrIpv4, cidrIpv6, referencedSecurityGroupId or prefixListId",
    description: readString(props, "description"),
    protocol: readString(props, "ipProtocol"),
    fromPort: readNumber(props, "fromPort"),
    toPort: readNumber(props, "toPort"),
    sources: [
      ...single(props, "cidrIpv4", "cidr"),
      ...single(props, "cidrIpv6", "cidr"),
      ...single(props, "referencedSecurityGroupId", "security-group"),
      ...single(props, "prefixListId", "prefix-list"),
    ],
  };
}

/** Shapes a legacy `aws.ec2.SecurityGroupRule` of type "ingress"; list sources count per entry. */
export function legacyIngressRuleShape(name: string, props: Props): IngressRuleShape {
  const self = readBoolean(props, "self");
  return {
    label: `security group rule "${name}"`,
    protocolProperty: "protocol",
    sourceProperties:
      "cidrBlocks, ipv6CidrBlocks or prefixListIds (one entry), sourceSecurityGroupId or self",
    description: readString(props, "description"),
    protocol: readString(props, "protocol"),
    fromPort: readNumber(props, "fromPort"),
    toPort: readNumber(props, "toPort"),
    sources: [
      ...each(props, "cidrBlocks", "cidr"),
      ...each(props, "ipv6CidrBlocks", "cidr"),
      ...each(props, "prefixListIds", "prefix-list"),
      ...single(props, "sourceSecurityGroupId", "security-group"),
      ...(self === true || self === UNKNOWN
        ? [{ property: "self", kind: "security-group" as const, unknownAtPreview: self === UNKNOWN }]
        : []),
    ],
  };
}
