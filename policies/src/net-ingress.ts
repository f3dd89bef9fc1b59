// NET policies on the way in from outside: what the internet may reach (NET-6) and how each
// access mode shapes that (NET-7). "Outside" means a source no VPC of the stack contains; a
// source that cannot be placed (a prefix list, a computed block not built from the VPC) is
// outside too, so an unknown never passes (POL-2).
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { checkUserData } from "./cmp-user-data-check";
import { disablesPasswordLogin } from "./cmp-user-data";
import { parseCidr, isWorld } from "./net-cidr";
import {
  NetRule,
  RulePeer,
  describePeer,
  inbound,
  isSshOnly,
  mayAdmitTcp,
  netRule,
  originOf,
  stackRules,
} from "./net-rules";
import {
  NetType,
  TAG_ACCESS_MODE,
  TAG_ROLE,
  VpcInfo,
  describeGroup,
  groupVpcs,
  nodeRole,
  readTag,
  stackVpcs,
} from "./net-stack";
import { UNKNOWN, forTypes, notApplicableQuietly } from "./props";

/** The access modes a VPC's `moat:access-mode` tag may name. */
export const ACCESS_MODES = ["bastion", "direct", "ssm"] as const;

/** Ports JupyterLab listens on: never reachable from outside, only through a tunnel (NET-6). */
export const JUPYTER_PORTS = { anyGroup: [8888], head: [443] } as const;

const roleOf = (group: PolicyResource) => readTag(group.props, TAG_ROLE);

// The peers of a rule that lie outside the given VPCs (the internet included).
function outsidePeers(
  rule: NetRule,
  vpcs: readonly VpcInfo[],
  resources: readonly PolicyResource[],
): RulePeer[] {
  return rule.peers.filter((p) => ["outside", "world"].includes(originOf(p, vpcs, resources)));
}

const peersText = (peers: readonly RulePeer[]) => peers.map(describePeer).join(", ");

/**
 * NET-6: from outside, only SSH, and only into the groups that face the internet. JupyterLab is
 * named on its own: it is reached through an SSH or Session Manager tunnel, never directly.
 */
export const netExternalIngressSshOnly: StackValidationPolicy = {
  name: "net-external-ingress-ssh-only",
  description:
    "Checks that ingress from outside the stack's VPCs is only tcp 22 and only into bastion or head security groups, and never reaches JupyterLab (tcp 8888, or 443 on head nodes) (NET-6).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const vpcs = stackVpcs(resources);
    for (const rule of inbound(stackRules(resources))) {
      const outside = outsidePeers(rule, vpcs, resources);
      if (outside.length === 0) {
        continue;
      }
      const from = peersText(outside);
      for (const group of rule.groups) {
        const role = roleOf(group);
        const jupyter =
          JUPYTER_PORTS.anyGroup.some((p) => mayAdmitTcp(rule, p)) ||
          (role === "head" && JUPYTER_PORTS.head.some((p) => mayAdmitTcp(rule, p)));
        let message: string | undefined;
        if (role !== "bastion" && role !== "head") {
          message = `Remove ${rule.label}: it admits ${from} from outside the VPC into ${describeGroup(group)}; only bastion and head groups accept traffic from outside, and only SSH (NET-6).`;
        } else if (jupyter) {
          message = `Remove ${rule.label}: it exposes JupyterLab on ${describeGroup(group)} to ${from}; reach JupyterLab through an SSH or Session Manager tunnel, never directly (NET-6).`;
        } else if (!isSshOnly(rule)) {
          message = `Narrow ${rule.label} to tcp port 22: it admits ${from} from outside the VPC into ${describeGroup(group)}, where only SSH is open to the outside, and a protocol or port unknown at preview cannot be verified (NET-6).`;
        }
        if (message) {
          reportViolation(message, rule.resource.urn);
        }
      }
    }
  },
};

// An inbound rule that may admit SSH, with its internet-wide sources and the sources whose block is
// unknown at preview (which may be the whole internet), judged from its inputs.
function worldSsh(args: ResourceValidationArgs): { label: string; peers: RulePeer[]; unknown: RulePeer[] } {
  const rule = netRule({ ...args, dependencies: [], propertyDependencies: {} });
  if (!rule || rule.direction === "egress" || !mayAdmitTcp(rule, 22)) {
    return { label: "", peers: [], unknown: [] };
  }
  const peers = rule.peers.filter((p) => {
    const cidr = typeof p.cidr === "string" ? parseCidr(p.cidr) : undefined;
    return cidr !== undefined && isWorld(cidr);
  });
  const unknown = rule.peers.filter((p) => p.kind === "cidr" && p.cidr === UNKNOWN);
  return { label: rule.label, peers, unknown };
}

const RULE_TYPES = [NetType.ingressRule, NetType.legacyRule];

/** Settings of {@link netWorldSshAcknowledged}. */
export interface WorldSshConfig {
  /**
   * Accepts SSH from 0.0.0.0/0 or ::/0, as the stack's `moat:access.acknowledgeWorldSsh` does.
   * {@link netWorldSshReported} still reports each such rule.
   * @default false
   */
  readonly acknowledgeWorldSsh?: boolean;
}

/**
 * NET-6: SSH open to the whole internet is refused unless the stack acknowledges it in this
 * policy's config; the acknowledgement silences only this policy, never the report below.
 */
export const netWorldSshAcknowledged: ResourceValidationPolicy = {
  name: "net-world-ssh-acknowledged",
  description:
    "Checks that no inbound rule opens SSH to 0.0.0.0/0 or ::/0 unless the stack sets acknowledgeWorldSsh in this policy's config (NET-6).",
  configSchema: {
    properties: { acknowledgeWorldSsh: { type: "boolean", default: false } },
  },
  validateResource: forTypes(RULE_TYPES, (args, reportViolation) => {
    if (args.getConfig<WorldSshConfig>().acknowledgeWorldSsh === true) {
      return;
    }
    const { label, peers, unknown } = worldSsh(args);
    for (const peer of peers) {
      reportViolation(
        `Replace ${describePeer(peer)} on ${label} with the SSH allowlist (moat:access.allowSshFrom): SSH is open to the whole internet; if that is intended, set acknowledgeWorldSsh: true in this policy's config (NET-6).`,
      );
    }
    for (const peer of unknown) {
      reportViolation(
        `Set ${peer.property} on ${label} to a literal CIDR from the SSH allowlist: it is unknown at preview, so this policy cannot tell whether SSH is open to the whole internet (NET-6, POL-2).`,
      );
    }
  }),
};

/**
 * NET-6: every rule opening SSH to the whole internet is reported, acknowledged or not, so an
 * accepted risk stays visible in every preview. Advisory: the refusal is the policy above.
 */
export const netWorldSshReported: ResourceValidationPolicy = {
  name: "net-world-ssh-reported",
  description:
    "Checks that no inbound rule opens SSH to 0.0.0.0/0 or ::/0, and reports each one that does even when the stack acknowledged it (NET-6).",
  enforcementLevel: "advisory",
  validateResource: forTypes(RULE_TYPES, (args, reportViolation) => {
    const { label, peers } = worldSsh(args);
    for (const peer of peers) {
      reportViolation(
        `Narrow ${describePeer(peer)} on ${label} to the SSH allowlist when you can: SSH is open to the whole internet (NET-6).`,
      );
    }
  }),
};

/**
 * NET-7: each VPC names its access mode, and the mode decides what may come in from outside:
 * nothing in `ssm` mode, only the bastion group in `bastion` mode (head and compute are reached
 * with `ssh -J`). One bastion instance at most: it is the single internet-facing SSH endpoint.
 */
export const netAccessModeIngress: StackValidationPolicy = {
  name: "net-access-mode-ingress",
  description:
    "Checks that every VPC carries moat:access-mode (bastion, direct or ssm), that ssm mode admits no ingress from outside the VPC, that bastion mode admits it only into the bastion group, and that at most one instance is tagged bastion (NET-7).",
  validateStack: (args, reportViolation) => {
    const { resources } = args;
    const vpcs = stackVpcs(resources);
    const modes = new Map<string, string>();
    for (const { resource: vpc } of vpcs) {
      const mode = readTag(vpc.props, TAG_ACCESS_MODE);
      if (typeof mode === "string" && (ACCESS_MODES as readonly string[]).includes(mode)) {
        modes.set(vpc.urn, mode);
      } else {
        const why =
          mode === UNKNOWN
            ? "it is unknown at preview"
            : mode === undefined
              ? "it has none"
              : `"${mode}" is none of them`;
        reportViolation(
          `Tag VPC "${vpc.name}" with ${TAG_ACCESS_MODE} set to a literal ${ACCESS_MODES.join(", ")}: ${why}, so this policy cannot tell what may come in from outside (NET-7).`,
          vpc.urn,
        );
      }
    }
    for (const rule of inbound(stackRules(resources))) {
      for (const group of rule.groups) {
        for (const vpc of groupVpcs(group, vpcs)) {
          const mode = modes.get(vpc.resource.urn);
          const fromOutsideVpc = outsidePeers(rule, [vpc], resources);
          if (mode === "ssm" && fromOutsideVpc.length > 0) {
            reportViolation(
              `Remove ${rule.label}: VPC "${vpc.resource.name}" is in ssm access mode, which admits nothing from outside the VPC (here ${peersText(fromOutsideVpc)} into ${describeGroup(group)}); people connect through Session Manager (NET-7).`,
              rule.resource.urn,
            );
          }
          const fromInternet = outsidePeers(rule, vpcs, resources);
          if (mode === "bastion" && fromInternet.length > 0 && roleOf(group) !== "bastion") {
            reportViolation(
              `Remove ${rule.label}: VPC "${vpc.resource.name}" is in bastion access mode, where only the bastion group faces the internet, but it admits ${peersText(fromInternet)} into ${describeGroup(group)}; reach it through the bastion with ssh -J (NET-7).`,
              rule.resource.urn,
            );
          }
        }
      }
    }
    const bastions = resources.filter(
      (r) => r.type === NetType.instance && readTag(r.props, TAG_ROLE) === "bastion",
    );
    for (const extra of bastions.slice(1)) {
      reportViolation(
        `Remove instance "${extra.name}" or its ${TAG_ROLE} bastion tag: the stack declares ${bastions.length} bastion instances (${bastions.map((b) => `"${b.name}"`).join(", ")}), and the bastion must be the single internet-facing SSH endpoint (NET-7).`,
        extra.urn,
      );
    }
  },
};

/** True when the user data installs fail2ban with a package manager or a cloud-config package list. */
export function installsFail2ban(text: string): boolean {
  return (
    /\b(?:apt-get|apt|dnf|yum|zypper|apk)\b[^\n]*\b(?:install|add)\b[^\n]*\bfail2ban\b/i.test(text) ||
    /^\s*-\s*["']?fail2ban["']?\s*$/m.test(text)
  );
}

/**
 * NET-7: the bastion is hardened at boot: fail2ban slows password and key guessing, and password
 * login is off. User data computed at preview cannot be verified and fails (POL-2).
 */
export const netBastionHardened: ResourceValidationPolicy = {
  name: "net-bastion-hardened",
  description:
    "Checks that instances and launch templates tagged moat:role bastion install fail2ban and disable SSH password login in their user data (NET-7).",
  validateResource: forTypes([NetType.instance, NetType.launchTemplate], (args, reportViolation) => {
    // A role unknown at preview may be the bastion's, so it is checked rather than skipped (POL-2).
    const role = nodeRole(args.type, args.props);
    if (role !== "bastion" && role !== UNKNOWN) {
      notApplicableQuietly(args, "Policy only applies to bastion nodes");
    }
    checkUserData(args, reportViolation, {
      ids: "NET-7",
      verifies: "that the bastion installs fail2ban and disables password login",
      whenAbsent: "installs fail2ban and sets PasswordAuthentication no",
      check: (text, property, label) => [
        ...(installsFail2ban(text)
          ? []
          : [
              `Install fail2ban in the ${property} of bastion ${label}, e.g. "dnf install -y fail2ban": the internet-facing SSH endpoint must ban repeated failed logins (NET-7).`,
            ]),
        ...(disablesPasswordLogin(text)
          ? []
          : [
              `Disable password login in the ${property} of bastion ${label} with "PasswordAuthentication no" (and no later "yes"): the bastion accepts keys only (NET-7).`,
            ]),
      ],
    });
  }),
};
