// NET mutations: firewall rules, routes and flow logs that break the network requirements, written
// the way a user would add them to the program (standalone rule resources built from the groups
// they attach to, or the legacy rule type some still use).
import { declare, editUserData, setInput } from "../edit";
import {
  T,
  TAG_ACCESS_MODE,
  TAG_ROLE,
  TAG_TIER,
  UNKNOWN,
  builtFrom,
  firstOf,
  idOf,
  ofType,
  rulesOf,
  stackFacts,
  tagsOf,
  the,
} from "../resources";
import type { Mutation } from "../types";
import {
  FOREIGN_GROUP,
  OUTSIDE_CIDR,
  accessMode,
  allowlistRules,
  group,
  hasGroup,
  openIngress,
  removeRules,
  ruleOn,
} from "./firewall";

/** Mutations that break NET-1 to NET-11. */
export const netMutations: readonly Mutation[] = [
  {
    id: "NET-1",
    title: "give the VPC's default security group an inbound rule",
    applies: (rs) => firstOf(rs, T.defaultSecurityGroup) !== undefined,
    mutate: (rs) =>
      setInput(rs, the(rs, T.defaultSecurityGroup), "ingress", [
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [OUTSIDE_CIDR], description: "debug" },
      ]),
  },
  {
    id: "NET-2",
    title: "remove the head group's explicit all-traffic egress rule",
    applies: (rs) =>
      hasGroup("head")(rs) && rulesOf(rs, group(rs, "head")!).some((r) => r.type === T.egressRule),
    mutate: (rs) =>
      removeRules(
        rs,
        rulesOf(rs, group(rs, "head")!).filter((r) => r.type === T.egressRule),
      ),
  },
  {
    id: "NET-3",
    title: "drop the cluster group's self-referencing all-traffic ingress rule",
    applies: hasGroup("cluster"),
    mutate: (rs) => {
      const cluster = group(rs, "cluster")!;
      const self = rulesOf(rs, cluster).filter(
        (r) => r.type === T.ingressRule && builtFrom(r, "referencedSecurityGroupId", cluster),
      );
      return removeRules(rs, self);
    },
  },
  {
    id: "NET-4",
    title: "reference another tenant's security group from the cluster group",
    applies: hasGroup("cluster"),
    mutate: openIngress(
      "cluster",
      "cluster-from-partner",
      () => ({ groupId: FOREIGN_GROUP }),
      "tcp",
      [22, 22],
      "SSH from the partner tenant's cluster",
    ),
  },
  {
    id: "NET-4",
    title: "peer the tenant VPC with another tenant's VPC",
    applies: (rs) => firstOf(rs, T.vpc) !== undefined,
    mutate: (rs) => {
      const vpc = the(rs, T.vpc);
      const peering = declare(rs, {
        type: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
        name: "partner-peering",
        inputs: { vpcId: idOf(rs, vpc), peerVpcId: "vpc-0a1b2c3d4e5f67890", autoAccept: true },
        from: { vpcId: [vpc] },
      });
      return [...rs, peering];
    },
  },
  {
    id: "NET-5",
    title: "give compute nodes a public IP address in their launch template",
    applies: (rs) =>
      ofType(rs, T.launchTemplate, "compute").some((t) => Array.isArray(t.inputs.networkInterfaces)),
    mutate: (rs) => {
      const template = the(rs, T.launchTemplate, "compute");
      const nics = (template.inputs.networkInterfaces as Record<string, unknown>[]).map((nic, i) =>
        i === 0 ? { ...nic, associatePublicIpAddress: "true" } : nic,
      );
      return setInput(rs, template, "networkInterfaces", nics);
    },
  },
  {
    id: "NET-5",
    title: "route the compute subnets to the internet gateway",
    applies: (rs) =>
      firstOf(rs, T.internetGateway) !== undefined &&
      ofType(rs, T.routeTable).some((t) => tagsOf(t)[TAG_TIER] === "compute"),
    mutate: (rs) => {
      const table = ofType(rs, T.routeTable).find((t) => tagsOf(t)[TAG_TIER] === "compute")!;
      const igw = the(rs, T.internetGateway);
      const route = declare(rs, {
        type: T.route,
        name: "compute-direct-internet",
        inputs: {
          routeTableId: idOf(rs, table),
          destinationCidrBlock: "0.0.0.0/0",
          gatewayId: idOf(rs, igw),
        },
        from: { routeTableId: [table], gatewayId: [igw] },
      });
      return [...rs, route];
    },
  },
  {
    id: "NET-6",
    title: "open SSH to the world on a compute group",
    applies: hasGroup("compute"),
    mutate: openIngress(
      "compute",
      "compute-ssh-world",
      () => ({ cidr: "0.0.0.0/0" }),
      "tcp",
      [22, 22],
      "SSH",
    ),
  },
  {
    id: "NET-6",
    title: "expose JupyterLab (tcp 8888) on the head group",
    applies: hasGroup("head"),
    mutate: openIngress(
      "head",
      "head-jupyter",
      () => ({ cidr: OUTSIDE_CIDR }),
      "tcp",
      [8888, 8888],
      "JupyterLab for the data science team",
    ),
  },
  {
    id: "NET-6",
    unknown: true,
    title: "take the SSH allowlist CIDR from a computed value",
    applies: (rs) => allowlistRules(rs).length > 0,
    mutate: (rs) => setInput(rs, allowlistRules(rs)[0], "cidrIpv4", UNKNOWN),
  },
  {
    id: "NET-7",
    title: "remove the VPC's moat:access-mode tag",
    applies: (rs) => accessMode(rs) !== undefined,
    mutate: (rs) => {
      const vpc = the(rs, T.vpc);
      const tags = { ...tagsOf(vpc) };
      delete tags[TAG_ACCESS_MODE];
      return setInput(rs, vpc, "tags", tags);
    },
  },
  {
    id: "NET-7",
    title: "in bastion mode, open SSH from the allowlist straight to the head nodes",
    applies: (rs) => accessMode(rs) === "bastion" && hasGroup("head")(rs) && allowlistRules(rs).length > 0,
    mutate: openIngress(
      "head",
      "head-ssh-direct",
      (rs) => ({ cidr: allowlistRules(rs)[0].inputs.cidrIpv4 }),
      "tcp",
      [22, 22],
      "SSH to the head nodes without the jump host",
    ),
  },
  {
    id: "NET-7",
    title: "in ssm mode, open SSH from an office to the head nodes",
    applies: (rs) => accessMode(rs) === "ssm" && hasGroup("head")(rs),
    mutate: openIngress(
      "head",
      "head-ssh-office",
      () => ({ cidr: OUTSIDE_CIDR }),
      "tcp",
      [22, 22],
      "SSH from the office",
    ),
  },
  {
    id: "NET-7",
    title: "install the bastion without fail2ban",
    applies: (rs) => firstOf(rs, T.instance, "bastion") !== undefined,
    mutate: (rs) =>
      editUserData(rs, the(rs, T.instance, "bastion"), (text) =>
        text
          .split("\n")
          .filter((line) => !line.includes("fail2ban"))
          .join("\n"),
      ),
  },
  {
    id: "NET-8",
    title: "accept filesystem traffic on the storage group from the whole VPC",
    applies: hasGroup("storage"),
    mutate: (rs) => {
      const cidr = the(rs, T.vpc).inputs.cidrBlock;
      return openIngress(
        "storage",
        "storage-from-vpc",
        () => ({ cidr }),
        "tcp",
        [2049, 2049],
        "NFS from the VPC",
      )(rs);
    },
  },
  {
    id: "NET-8",
    title: "place the shared filesystem in the compute subnet",
    applies: (rs) =>
      (firstOf(rs, T.lustre) !== undefined || firstOf(rs, T.efsMountTarget) !== undefined) &&
      ofType(rs, T.subnet).some((s) => tagsOf(s)[TAG_TIER] === "compute"),
    mutate: (rs) => {
      const subnet = ofType(rs, T.subnet).find((s) => tagsOf(s)[TAG_TIER] === "compute")!;
      const target = firstOf(rs, T.lustre) ?? the(rs, T.efsMountTarget);
      const key = target.type === T.lustre ? "subnetIds" : "subnetId";
      const value = target.type === T.lustre ? [idOf(rs, subnet)] : idOf(rs, subnet);
      return setInput(rs, target, key, value, [subnet]);
    },
  },
  {
    id: "NET-9",
    title: "add a 0.0.0.0/0 all-ports rule through the legacy aws:ec2/securityGroupRule type",
    applies: hasGroup("head"),
    mutate: (rs) => {
      const head = group(rs, "head")!;
      const legacy = declare(rs, {
        type: T.legacyRule,
        name: "head-allow-all",
        inputs: {
          type: "ingress",
          securityGroupId: idOf(rs, head),
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
          description: "temporary: everything",
        },
        from: { securityGroupId: [head] },
      });
      return [...rs, legacy];
    },
  },
  {
    id: "NET-10",
    title: "keep the flow log group only 30 days",
    applies: (rs) => ofType(rs, T.logGroup, "flow-logs").length > 0,
    mutate: (rs) => setInput(rs, the(rs, T.logGroup, "flow-logs"), "retentionInDays", 30),
  },
  {
    id: "NET-11",
    title: "add a quarantine security group that still has an egress rule",
    applies: (rs) => firstOf(rs, T.vpc) !== undefined,
    mutate: (rs) => {
      const vpc = the(rs, T.vpc);
      const { tenant } = stackFacts(rs);
      const quarantine = declare(rs, {
        type: T.securityGroup,
        name: `${tenant}-quarantine-sg`,
        inputs: {
          vpcId: idOf(rs, vpc),
          description: "Moat quarantine: deny-all for an isolated node group (NET-11)",
          tags: { Name: `${tenant}-quarantine`, [TAG_ROLE]: "quarantine" },
        },
        from: { vpcId: [vpc] },
      });
      const withGroup = [...rs, quarantine];
      const egress = ruleOn(withGroup, {
        name: `${tenant}-quarantine-egress`,
        direction: "egress",
        group: quarantine,
        peer: { cidr: "0.0.0.0/0" },
        protocol: "-1",
        description: "let the node phone home",
      });
      return [...withGroup, egress];
    },
  },
];
