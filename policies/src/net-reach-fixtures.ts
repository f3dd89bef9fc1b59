// Tenant stacks for the reachability tests, one per access mode, taken from real plans of the example
// stacks (`moat plan <stack> --json`): the network, groups, rules, nodes, filesystem and endpoints
// with the inputs and property dependencies the program records, names as it names them. Plain
// data linked by name, shaped like net-fixtures.ts specs so its buildStack turns them into stack
// resources in every ID mode. Test support only: it imports no test harness.
import { NetType } from "./net-stack";
import { FSX_FILESYSTEM_TYPES, ReachType } from "./net-reach-exposure";

/** One resource: inputs without linked IDs, and the names each property was built from. */
export interface ReachSpec {
  readonly type: string;
  props: Record<string, unknown>;
  links?: Record<string, string[]>;
  computed?: Record<string, string>;
}

/** A fixture stack keyed by resource name. */
export type ReachStack = Record<string, ReachSpec>;

/** The access modes, as the VPC's `moat:access-mode` tag names them. */
export type AccessMode = "bastion" | "direct" | "ssm";

/** The dev stack's VPC block and SSH allowlist (stacks/Pulumi.dev.yaml). */
export const DEV_CIDR = "10.20.0.0/20";
export const DEV_ALLOWLIST = "198.51.100.0/24";

const tags = (extra: Record<string, string>) => ({ tags: extra });
const tcp = (from: number, to = from) => ({ ipProtocol: "tcp", fromPort: from, toPort: to });
const all = { ipProtocol: "-1" };

function ingress(
  onto: string,
  props: Record<string, unknown>,
  description: string,
  from?: string,
): ReachSpec {
  const links: Record<string, string[]> = { securityGroupId: [onto] };
  if (from) {
    links.referencedSecurityGroupId = [from];
  }
  return { type: NetType.ingressRule, props: { ...props, description }, links };
}

const egress = (
  onto: string,
  props: Record<string, unknown>,
  description: string,
  to?: string,
): ReachSpec => ({
  ...ingress(onto, props, description, to),
  type: NetType.egressRule,
});

/** The network of components/network: four tiers, NAT egress, the management tier public in direct mode. */
function network(t: string, mode: AccessMode, cidr: string): ReachStack {
  const stack: ReachStack = {
    [`${t}-vpc`]: { type: NetType.vpc, props: { cidrBlock: cidr, ...tags({ "moat:access-mode": mode }) } },
    [`${t}-igw`]: { type: NetType.internetGateway, props: {}, links: { vpcId: [`${t}-vpc`] } },
    [`${t}-nat-eip`]: { type: ReachType.eip, props: { domain: "vpc" } },
    [`${t}-nat`]: {
      type: NetType.natGateway,
      props: {},
      links: { subnetId: [`${t}-public`], allocationId: [`${t}-nat-eip`] },
    },
    [`${t}-default-rt`]: {
      type: NetType.defaultRouteTable,
      props: {},
      links: { defaultRouteTableId: [`${t}-vpc`] },
    },
  };
  const tiers = ["public", "management", "compute", "storage"];
  tiers.forEach((tier, i) => {
    stack[`${t}-${tier}`] = {
      type: NetType.subnet,
      props: {
        cidrBlock: cidr.replace(/\.0\.0\/\d+$/, `.${i * 4}.0/22`),
        mapPublicIpOnLaunch: false,
        ...tags({ "moat:tier": tier }),
      },
      links: { vpcId: [`${t}-vpc`] },
    };
    stack[`${t}-${tier}-rt`] = {
      type: NetType.routeTable,
      props: tags({ "moat:tier": tier }),
      links: { vpcId: [`${t}-vpc`] },
    };
    stack[`${t}-${tier}-rta`] = {
      type: NetType.routeTableAssociation,
      props: {},
      links: { routeTableId: [`${t}-${tier}-rt`], subnetId: [`${t}-${tier}`] },
    };
  });
  const route = (tier: string, via: Record<string, string[]>): ReachSpec => ({
    type: NetType.route,
    props: { destinationCidrBlock: "0.0.0.0/0" },
    links: { routeTableId: [`${t}-${tier}-rt`], ...via },
  });
  stack[`${t}-public-internet`] = route("public", { gatewayId: [`${t}-igw`] });
  stack[`${t}-management-internet`] = route(
    "management",
    mode === "direct" ? { gatewayId: [`${t}-igw`] } : { natGatewayId: [`${t}-nat`] },
  );
  stack[`${t}-compute-internet`] = route("compute", { natGatewayId: [`${t}-nat`] });
  return stack;
}

/** Groups and rules of components/cluster-firewall and the compute group's EFA group. */
function firewall(t: string, mode: AccessMode, cidr: string, allowlist: readonly string[]): ReachStack {
  const stack: ReachStack = {};
  const roles = [...(mode === "bastion" ? ["bastion"] : []), "head", "cluster", "endpoint", "storage"];
  for (const role of roles) {
    stack[`${t}-${role}-sg`] = {
      type: NetType.securityGroup,
      props: { description: `Moat ${t} ${role}`, ...tags({ Name: `${t}-${role}`, "moat:role": role }) },
      links: { vpcId: [`${t}-vpc`] },
    };
  }
  stack[`${t}-compute-gpu-efa-sg`] = {
    type: NetType.securityGroup,
    props: {
      description: `Moat ${t} compute group gpu: EFA traffic to and from itself only (CMP-1)`,
      ...tags({ "moat:role": "compute" }),
    },
    links: { vpcId: [`${t}-vpc`] },
  };
  const world = { ...all, cidrIpv4: "0.0.0.0/0" };
  const net2 =
    "NET-2: all outbound traffic, declared explicitly because AWS providers remove the implicit rule";
  for (const role of roles.filter((r) => ["bastion", "head", "cluster"].includes(r))) {
    stack[`${t}-${role}-egress-all`] = egress(`${t}-${role}-sg`, world, net2);
  }
  const entry = mode === "bastion" ? "bastion" : mode === "direct" ? "head" : undefined;
  for (const block of entry ? allowlist : []) {
    stack[`${t}-ingress-${entry}-ssh-${block.replace("/", "-")}-ingress`] = ingress(
      `${t}-${entry}-sg`,
      { ...tcp(22), cidrIpv4: block },
      `NET-7: SSH to the ${entry} from ${block}`,
    );
  }
  if (mode === "bastion") {
    stack[`${t}-ingress-head-ssh-bastion-ingress`] = ingress(
      `${t}-head-sg`,
      tcp(22),
      "NET-7: SSH from the bastion to head nodes (ssh -J), the only way in from outside",
      `${t}-bastion-sg`,
    );
  }
  stack[`${t}-ingress-endpoint-https-vpc-ingress`] = ingress(
    `${t}-endpoint-sg`,
    { ...tcp(443), cidrIpv4: cidr },
    `NET-9: HTTPS from the tenant VPC (${cidr}) to the AWS interface endpoints`,
  );
  const cluster = `${t}-cluster-sg`;
  const efa = `${t}-compute-gpu-efa-sg`;
  stack[`${t}-ingress-cluster-all-cluster-ingress`] = ingress(
    cluster,
    all,
    "NET-3: all traffic between head and compute nodes",
    cluster,
  );
  stack[`${t}-egress-cluster-all-cluster`] = egress(
    cluster,
    all,
    "NET-3: all traffic from cluster nodes to the cluster",
    cluster,
  );
  stack[`${t}-compute-gpu-efa-ingress-self-ingress`] = ingress(
    efa,
    all,
    "CMP-1: all traffic between EFA interfaces",
    efa,
  );
  stack[`${t}-compute-gpu-efa-egress-self`] = egress(efa, all, "CMP-1: all traffic to EFA interfaces", efa);
  return stack;
}

/** Nodes: the bastion (with its Elastic IP), head-0, and the compute group's template and ASG. */
function nodes(t: string, mode: AccessMode): ReachStack {
  const stack: ReachStack = {};
  if (mode === "bastion") {
    stack[`${t}-bastion-instance`] = {
      type: NetType.instance,
      props: { associatePublicIpAddress: false, ...tags({ "moat:role": "bastion" }) },
      links: { subnetId: [`${t}-public`], vpcSecurityGroupIds: [`${t}-bastion-sg`] },
    };
    stack[`${t}-bastion-eip`] = {
      type: ReachType.eip,
      props: tags({ "moat:role": "bastion" }),
      links: { instance: [`${t}-bastion-instance`] },
    };
  }
  stack[`${t}-head-0`] = {
    type: NetType.instance,
    props: { associatePublicIpAddress: mode === "direct", ...tags({ "moat:role": "head" }) },
    links: { subnetId: [`${t}-management`], vpcSecurityGroupIds: [`${t}-head-sg`, `${t}-cluster-sg`] },
  };
  stack[`${t}-compute-gpu-template`] = {
    type: NetType.launchTemplate,
    props: {
      ...tags({ "moat:role": "compute" }),
      networkInterfaces: [
        { associatePublicIpAddress: "false", deviceIndex: 0, interfaceType: "efa", networkCardIndex: 0 },
      ],
    },
    links: { networkInterfaces: [`${t}-compute`, `${t}-compute-gpu-efa-sg`, `${t}-cluster-sg`] },
  };
  stack[`${t}-compute-gpu-asg`] = {
    type: ReachType.autoScalingGroup,
    props: {},
    links: { launchTemplate: [`${t}-compute-gpu-template`], vpcZoneIdentifiers: [`${t}-compute`] },
  };
  for (const service of ["ssm", "ssmmessages", "ec2messages"]) {
    stack[`${t}-${service}`] = {
      type: ReachType.vpcEndpoint,
      props: {
        vpcEndpointType: "Interface",
        serviceName: `com.amazonaws.us-east-1.${service}`,
        ...tags({ "moat:role": "endpoint" }),
      },
      links: { securityGroupIds: [`${t}-endpoint-sg`], subnetIds: [`${t}-management`], vpcId: [`${t}-vpc`] },
    };
  }
  return stack;
}

/** EFS (dev, initech-lab): NFS from head and cluster, one mount target in the storage tier. */
function efs(t: string): ReachStack {
  const storage = `${t}-storage-sg`;
  return {
    [`${t}-fs`]: {
      type: "aws:efs/fileSystem:FileSystem",
      props: { encrypted: true, ...tags({ "moat:role": "storage" }) },
    },
    [`${t}-mount-target`]: {
      type: ReachType.efsMountTarget,
      props: {},
      links: { fileSystemId: [`${t}-fs`], securityGroups: [storage], subnetId: [`${t}-storage`] },
    },
    [`${t}-in-head-tcp-2049-ingress`]: ingress(
      storage,
      tcp(2049),
      "NET-8: NFS to EFS tcp 2049 from the head group",
      `${t}-head-sg`,
    ),
    [`${t}-in-cluster-tcp-2049-ingress`]: ingress(
      storage,
      tcp(2049),
      "NET-8: NFS to EFS tcp 2049 from the cluster group",
      `${t}-cluster-sg`,
    ),
  };
}

/** FSx for Lustre (acme-prod, globex-research): Lustre ports both ways with head, cluster and itself. */
function lustre(t: string): ReachStack {
  const storage = `${t}-storage-sg`;
  const stack: ReachStack = {
    [`${t}-fs`]: {
      type: FSX_FILESYSTEM_TYPES[0],
      props: { deploymentType: "PERSISTENT_2", efaEnabled: false, ...tags({ "moat:role": "storage" }) },
      links: { securityGroupIds: [storage], subnetIds: [`${t}-storage`] },
    },
  };
  for (const [from, to] of [
    [988, 988],
    [1018, 1023],
  ]) {
    const ports = from === to ? `tcp-${from}` : `tcp-${from}-${to}`;
    for (const [peer, group] of [
      ["head", `${t}-head-sg`],
      ["cluster", `${t}-cluster-sg`],
      ["self", storage],
    ]) {
      stack[`${t}-in-${peer}-${ports}-ingress`] = ingress(
        storage,
        tcp(from, to),
        `NET-8: Lustre ${ports} from ${peer}`,
        group,
      );
      stack[`${t}-out-${peer}-${ports}`] = egress(
        storage,
        tcp(from, to),
        `NET-8: Lustre ${ports} to ${peer}`,
        group,
      );
    }
    for (const client of ["head", "cluster"]) {
      stack[`${t}-client-${client}-in-${ports}-ingress`] = ingress(
        `${t}-${client}-sg`,
        tcp(from, to),
        `NET-8: Lustre callbacks ${ports} from the filesystem to ${client}`,
        storage,
      );
    }
  }
  return stack;
}

/** A tenant stack in the given access mode, with EFS or Lustre, as the program plans it. */
export function reachStack(
  mode: AccessMode,
  filesystem: "efs" | "lustre" = "efs",
  t = "dev",
  cidr = DEV_CIDR,
  allowlist: readonly string[] = [DEV_ALLOWLIST],
): ReachStack {
  return {
    ...network(t, mode, cidr),
    ...firewall(t, mode, cidr, allowlist),
    ...nodes(t, mode),
    ...(filesystem === "efs" ? efs(t) : lustre(t)),
  };
}

/** The example stacks' shapes: dev (bastion, EFS), acme-prod (bastion, Lustre), globex (ssm), initech (direct). */
export const MODE_STACKS: Readonly<Record<string, () => ReachStack>> = {
  "bastion (dev)": () => reachStack("bastion"),
  "bastion with Lustre (acme-prod)": () => reachStack("bastion", "lustre"),
  "ssm with Lustre (globex-research)": () => reachStack("ssm", "lustre"),
  "direct (initech-lab)": () =>
    reachStack("direct", "efs", "dev", DEV_CIDR, [DEV_ALLOWLIST, "203.0.113.32/27"]),
};
