import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { userKeyProblem } from "../../components/node-bootstrap/ssh-public-key";

/**
 * `moat:access`: how people reach the cluster (NET-6, NET-7) and what may leave it (NET-2). Like
 * Lambda's firewall rulesets, `allowSshFrom` is the global ruleset for every internet-facing role and
 * `rulesets.<role>` adds sources for one role. Only SSH is ever open to the outside: JupyterLab and
 * everything else are reached through the SSH or Session Manager tunnel.
 */

/** Access modes (NET-6, NET-7). */
export const ACCESS_MODES = ["bastion", "direct", "ssm"] as const;
/** An access mode. */
export type AccessMode = (typeof ACCESS_MODES)[number];

/** Which role faces the internet in each mode; ssm has none. */
export const INTERNET_FACING_ROLE: Record<AccessMode, "bastion" | "head" | undefined> = {
  bastion: "bastion",
  direct: "head",
  ssm: undefined,
};

const quoted = (v: unknown) => JSON.stringify(v);

const ipv4Cidr = z.string().superRefine((value, ctx) => {
  if (!ipaddr.IPv4.isValidCIDR(value)) {
    ctx.addIssue({
      code: "custom",
      message: `${quoted(value)} is not a valid IPv4 CIDR; write an address and prefix, e.g. 203.0.113.0/24`,
    });
    return;
  }
  // A rule takes the network address; host bits would be silently dropped by AWS, which hides what
  // was meant (a whole range, or one host).
  const [address, prefix] = ipaddr.IPv4.parseCIDR(value);
  const network = ipaddr.IPv4.networkAddressFromCIDR(value).toString();
  if (network !== address.toString()) {
    ctx.addIssue({
      code: "custom",
      message: `${quoted(value)} has host bits set; write ${network}/${prefix} for the range, or ${address.toString()}/32 for one host`,
    });
  }
});

/** An SSH source: a CIDR, or a CIDR with the reason it is allowed (shown on the rule). */
const sshSource = z.union([
  ipv4Cidr.transform((cidr) => ({ cidr, description: "" })),
  z.strictObject({
    cidr: ipv4Cidr,
    description: z.string().min(1, "must say why this range may SSH in, e.g. office VPN"),
  }),
]);

const egressRule = z
  .strictObject({
    cidr: ipv4Cidr,
    protocol: z.enum(["tcp", "udp", "all"], { message: "must be one of tcp, udp, all" }),
    fromPort: z.number().int().min(1).max(65535).optional(),
    toPort: z.number().int().min(1).max(65535).optional(),
    description: z.string().min(1, "must say why nodes may reach this destination"),
  })
  .superRefine((rule, ctx) => {
    if (rule.protocol !== "all" && (rule.fromPort === undefined || rule.toPort === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["fromPort"],
        message: "and toPort are required for tcp and udp",
      });
    }
    if (rule.fromPort !== undefined && rule.toPort !== undefined && rule.fromPort > rule.toPort) {
      ctx.addIssue({ code: "custom", path: ["fromPort"], message: "must not be greater than toPort" });
    }
  });

const sshPublicKey = z.strictObject({
  name: z.string().min(1, "must name the key's owner, e.g. alice"),
  publicKey: z.string().superRefine((value, ctx) => {
    const problem = userKeyProblem(value);
    if (problem) {
      ctx.addIssue({
        code: "custom",
        message: `${problem}; use an ssh-ed25519 key (ssh-keygen -t ed25519) or ssh-rsa of at least 4096 bits`,
      });
    }
  }),
});

/** The `moat:access` schema. */
export const access = z
  .strictObject({
    mode: z.enum(ACCESS_MODES, { message: `must be one of ${ACCESS_MODES.join(", ")}` }).default("bastion"),
    allowSshFrom: z.array(sshSource).default([]),
    rulesets: z
      .strictObject({
        bastion: z.array(sshSource).default([]),
        head: z.array(sshSource).default([]),
      })
      .prefault({}),
    acknowledgeWorldSsh: z.boolean().default(false),
    egressAllowlist: z
      .array(egressRule)
      .min(1, "must list at least one destination, or be left out")
      .optional(),
    sshPublicKeys: z
      .array(sshPublicKey)
      .min(1, "must list at least one user key: nodes accept key-based SSH only (CMP-4)"),
  })
  .superRefine((value, ctx) => {
    const lists: [PropertyKey[], { cidr: string }[]][] = [
      [["allowSshFrom"], value.allowSshFrom],
      [["rulesets", "bastion"], value.rulesets.bastion],
      [["rulesets", "head"], value.rulesets.head],
    ];
    for (const [path, sources] of lists) {
      sources.forEach((source, i) => {
        if (source.cidr.endsWith("/0") && !value.acknowledgeWorldSsh) {
          ctx.addIssue({
            code: "custom",
            path: [...path, i],
            message:
              `${quoted(source.cidr)} opens SSH to the whole internet (NET-6); ` +
              "list your office or VPN ranges instead, or set moat:access.acknowledgeWorldSsh: true to accept the risk",
          });
        }
      });
    }
    const facing = INTERNET_FACING_ROLE[value.mode];
    if (facing === undefined && value.allowSshFrom.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["allowSshFrom"],
        message:
          "must be empty in 'ssm' mode: no inbound port is open; people connect through Session Manager",
      });
    }
    for (const role of ["bastion", "head"] as const) {
      if (role !== facing && value.rulesets[role].length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["rulesets", role],
          message: `must be empty: ${role} nodes are not internet-facing in '${value.mode}' mode`,
        });
      }
    }
    if (facing !== undefined && value.allowSshFrom.length + value.rulesets[facing].length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["allowSshFrom"],
        message: `is empty, so nobody could reach the cluster in '${value.mode}' mode; list the CIDRs allowed to SSH in (e.g. [203.0.113.0/24]), add moat:access.rulesets.${facing}, or use mode: ssm`,
      });
    }
    const names = value.sshPublicKeys.map((k) => k.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: "custom",
          path: ["sshPublicKeys", i, "name"],
          message: `${quoted(name)} is used twice; give each key a unique name`,
        });
      }
    });
  });
