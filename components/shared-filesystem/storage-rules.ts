// The flows the storage security group allows (NET-8): the filesystem's own ports, from and to the
// cluster's client groups and, for Lustre, the group itself. Plain data, planned before anything
// is created, so tests and flow listings read exactly what the component builds.
//
// FSx for Lustre: inbound TCP 988 and 1018-1023 from the clients and from the file system's own
// group, since its servers talk to each other; where egress is not open, the same ports outbound
// to both. EFA-enabled file systems need all traffic both ways between the file system group,
// itself and the client groups, by group ID (CIDR rules do not count).
// https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html
// EFS: inbound TCP 2049 (NFS) from the clients; a mount target never opens connections.
// https://docs.aws.amazon.com/efs/latest/ug/network-access.html

/** The security groups that may mount the filesystem, named for rule names and descriptions. */
export interface ClientGroupLabel {
  /** Short name, e.g. `head` or `compute-train`: lowercase letters, digits and hyphens. */
  readonly label: string;
  /**
   * The group is under quarantine (NET-11): no rule names it, in either direction, until it is
   * lifted; the rules then return under the same names.
   * @default false
   */
  readonly quarantined?: boolean;
}

// A quarantined group is nobody's peer (NET-11): it keeps its place in the list, not its rules.
const reachable = (clients: readonly ClientGroupLabel[]) => clients.filter((c) => c.quarantined !== true);

/** The other end of a storage rule: the storage group itself, or one client group by label. */
export type StoragePeer = { readonly self: true } | { readonly client: string };

/** One planned rule on the storage security group. */
export interface StorageRule {
  /** Stable suffix of the rule's resource name, e.g. `in-head-tcp-988`. */
  readonly key: string;
  /** `ingress` becomes a FirewallRule, `egress` a group-referenced SecurityGroupEgressRule. */
  readonly direction: "ingress" | "egress";
  /** `tcp`, or `all` (every protocol and port: EFA only, and only between groups). */
  readonly protocol: "tcp" | "all";
  /** The port range; absent for all traffic. */
  readonly ports?: { readonly from: number; readonly to: number };
  /** Where the traffic comes from (ingress) or goes to (egress). */
  readonly peer: StoragePeer;
  /** Why the rule exists, citing NET-8; also its AWS description. */
  readonly description: string;
}

/** What the storage group serves: the three cases differ in ports and direction. */
export type StorageKind = "lustre" | "lustre-efa" | "efs";

/** Lustre's LNET port and the privileged ports its clients and servers connect from. */
export const LUSTRE_PORTS: readonly { readonly from: number; readonly to: number; readonly what: string }[] =
  [
    { from: 988, to: 988, what: "Lustre LNET" },
    { from: 1018, to: 1023, what: "Lustre" },
  ];

/** NFS, the only port an EFS mount target listens on. */
export const NFS_PORT = 2049;

const portsKey = (ports: { from: number; to: number }) =>
  ports.from === ports.to ? `${ports.from}` : `${ports.from}-${ports.to}`;

const peerName = (peer: StoragePeer) => ("self" in peer ? "self" : peer.client);

const peerWords = (peer: StoragePeer) =>
  "self" in peer ? "the storage group itself" : `the ${peer.client} group`;

function rule(
  direction: "ingress" | "egress",
  peer: StoragePeer,
  ports: { from: number; to: number; what: string } | "all",
): StorageRule {
  const towards = direction === "ingress" ? "from" : "to";
  const prefix = `${direction === "ingress" ? "in" : "out"}-${peerName(peer)}`;
  if (ports === "all") {
    return {
      key: `${prefix}-all`,
      direction,
      protocol: "all",
      peer,
      description: `NET-8: EFA Lustre, all traffic ${towards} ${peerWords(peer)} (AWS requires it for EFA)`,
    };
  }
  return {
    key: `${prefix}-tcp-${portsKey(ports)}`,
    direction,
    protocol: "tcp",
    ports: { from: ports.from, to: ports.to },
    peer,
    description: `NET-8: ${ports.what} tcp ${portsKey(ports)} ${towards} ${peerWords(peer)}`,
  };
}

/**
 * Every rule of the storage group, in a stable order: ingress before egress, the group itself
 * before the clients, clients in the order given. Keys come from labels and ports, never from
 * group IDs, so they are known at preview and adding a client group adds rules without touching
 * the others. A quarantined client gets none (NET-11). Labels must be unique (checked by the
 * component's validation).
 */
export function planStorageRules(kind: StorageKind, clients: readonly ClientGroupLabel[]): StorageRule[] {
  const clientPeers: StoragePeer[] = reachable(clients).map((c) => ({ client: c.label }));
  if (kind === "efs") {
    const nfs = { from: NFS_PORT, to: NFS_PORT, what: "NFS to EFS" };
    return clientPeers.map((peer) => rule("ingress", peer, nfs));
  }
  const peers: StoragePeer[] = [{ self: true }, ...clientPeers];
  const rules: StorageRule[] = [];
  for (const direction of ["ingress", "egress"] as const) {
    for (const peer of peers) {
      if (kind === "lustre-efa") {
        rules.push(rule(direction, peer, "all"));
      } else {
        rules.push(...LUSTRE_PORTS.map((ports) => rule(direction, peer, ports)));
      }
    }
  }
  return rules;
}

/** An inbound rule a client group needs so the filesystem's servers can reach it. */
export interface ClientRule {
  /** Stable child-name suffix, e.g. `client-head-in-tcp-988`. */
  readonly key: string;
  /** The client group the rule is added to. */
  readonly client: string;
  readonly protocol: "tcp" | "all";
  readonly ports?: { readonly from: number; readonly to: number };
  readonly description: string;
}

/**
 * What each client group must accept from the storage group: Lustre servers open connections back
 * to clients on 988 and 1018-1023 (all traffic with EFA), as AWS's client security group table
 * requires; NFS to EFS needs nothing inbound on the client. A quarantined client gets none (NET-11).
 * https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html
 */
export function planClientRules(kind: StorageKind, clients: readonly ClientGroupLabel[]): ClientRule[] {
  if (kind === "efs") {
    return [];
  }
  return reachable(clients).flatMap((c): ClientRule[] =>
    kind === "lustre-efa"
      ? [
          {
            key: `client-${c.label}-in-all`,
            client: c.label,
            protocol: "all",
            description: `NET-8: EFA Lustre servers reach ${c.label} nodes, all traffic (AWS requires it for EFA)`,
          },
        ]
      : LUSTRE_PORTS.map((ports) => ({
          key: `client-${c.label}-in-tcp-${portsKey(ports)}`,
          client: c.label,
          protocol: "tcp" as const,
          ports: { from: ports.from, to: ports.to },
          description: `NET-8: ${ports.what} tcp ${portsKey(ports)} from the storage group to ${c.label} nodes`,
        })),
  );
}
