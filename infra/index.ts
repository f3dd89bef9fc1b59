/**
 * Moat's Pulumi program: one tenant cluster per stack. It only wires: configuration is parsed and
 * validated by ./config, every resource is owned by a component under components/.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderCommands, renderSshConfig } from "../components/access-guide/access-guide";
import { BaselineReference } from "../components/account-baseline/baseline-reference";
import { Bastion } from "../components/bastion/bastion";
import { ClusterFirewall } from "../components/cluster-firewall/cluster-firewall";
import { ClusterSecrets } from "../components/cluster-secrets/cluster-secrets";
import { ComputeFleet } from "../components/compute-fleet/compute-fleet";
import { VpcEndpoints } from "../components/endpoints/endpoints";
import { HeadNodes } from "../components/head-nodes/head-nodes";
import { Network } from "../components/network/network";
import { NodeLogs } from "../components/node-logs/node-logs";
import { slurmControllerHost } from "../components/node-bootstrap/slurm-files";
import { PeopleRoles } from "../components/people-roles/people-roles";
import { SecurityAlerts } from "../components/security-alerts/security-alerts";
import { LustreThroughput } from "../components/shared-filesystem/filesystem-spec";
import { filesystemParameterName } from "../components/shared-filesystem/shared-filesystem-args";
import { SharedFilesystem } from "../components/shared-filesystem/shared-filesystem";
import { TenantKey } from "../components/tenant-key/tenant-key";
import { tenantNameId } from "../components/tenant-key/tenant-scope";
import { createTenantProvider } from "../components/tenant/tenant-provider";
import { loadStackConfig } from "./config";

// Validation comes first: an invalid stack file stops the program before anything is declared.
const { region, account, moat } = loadStackConfig();
const { tenant, access } = moat;
const id = tenant.id;

const provider = createTenantProvider(`${id}-aws`, {
  region,
  allowedAccountIds: [account],
  tenantId: id,
  environment: tenant.environment,
  owner: tenant.owner,
});
const opts = { providers: { aws: provider } };
const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;

const key = new TenantKey(
  id,
  {
    tenantId: id,
    environment: tenant.environment,
    accountId,
    region,
    rotationPeriodDays: moat.kms.rotationPeriodDays,
    // The alert topic is encrypted under the tenant key (AUD-2).
    allowAuditServices: true,
  },
  opts,
);

// The account's trail and this region's GuardDuty detector belong to the account baseline
// (accounts/), never to a tenant (AUD-1, AUD-4); the tenant only checks that it has the right one.
const { audit } = moat;
const baseline = new BaselineReference(`${id}-baseline`, { stack: moat.baseline, accountId, region }, opts);
const nodeLogs = new NodeLogs(
  `${id}-nodes`,
  {
    tenantId: id,
    environment: tenant.environment,
    accountId,
    region,
    kmsKeyArn: key.keyArn,
    retentionDays: audit.retentionDays,
  },
  opts,
);
const network = new Network(
  id,
  {
    tenantId: id,
    environment: tenant.environment,
    cidr: moat.network.cidr,
    availabilityZone: moat.network.availabilityZone,
    accessMode: access.mode,
    managementInternetFacing: access.mode === "direct",
    kmsKeyArn: key.keyArn,
    flowLogRetentionDays: moat.audit.retentionDays,
    accountId,
  },
  opts,
);

const firewall = new ClusterFirewall(
  id,
  {
    tenantId: id,
    vpcId: network.vpcId,
    vpcCidr: moat.network.cidr,
    mode: access.mode,
    ssh: { global: access.allowSshFrom, bastion: access.rulesets.bastion, head: access.rulesets.head },
    acknowledgeWorldSsh: access.acknowledgeWorldSsh,
    egress: access.egressAllowlist ?? "all",
  },
  opts,
);

new VpcEndpoints(
  id,
  {
    vpcId: network.vpcId,
    subnetId: network.subnetIds.management,
    securityGroupId: firewall.securityGroupIds.endpoint,
    region,
  },
  opts,
);

const headNodeNames = Array.from({ length: moat.headNodes.count }, (_, i) => `head-${i}`);
new ClusterSecrets(
  id,
  {
    tenantId: id,
    environment: tenant.environment,
    kmsKeyArn: key.keyArn,
    rotationEpoch: moat.rotation.epoch,
    headNodeNames,
  },
  opts,
);

const userKeys = access.sshPublicKeys.map((k) => k.publicKey);
const { type: filesystemType, mountPath, ...filesystemSettings } = moat.sharedFilesystem;
const mount = {
  type: filesystemType,
  mountPath,
  parameterName: filesystemParameterName(tenantNameId({ tenantId: id, environment: tenant.environment })),
};
const scheduler = { kind: "slurm" as const, controllerHost: slurmControllerHost(id), clusterName: id };
const fleet = new ComputeFleet(
  `${id}-compute`,
  {
    tenantId: id,
    environment: tenant.environment,
    owner: tenant.owner,
    accountId,
    region,
    vpcId: network.vpcId,
    subnetId: network.subnetIds.compute,
    firewall: firewall.nodeGroupFirewall,
    kmsKeyArn: key.keyArn,
    userKeys,
    groups: moat.computeGroups,
    quarantine: moat.quarantine,
    scheduler,
    sharedFilesystem: mount,
  },
  opts,
);

const sharedFilesystem = new SharedFilesystem(
  id,
  {
    tenantId: id,
    environment: tenant.environment,
    accountId,
    region,
    vpcId: network.vpcId,
    vpcCidr: moat.network.cidr,
    subnetId: network.subnetIds.storage,
    kmsKeyArn: key.keyArn,
    clientSecurityGroupIds: [{ label: "head", id: firewall.securityGroupIds.head }, ...fleet.storageClients],
    spec:
      filesystemType === "efs"
        ? { type: "efs", throughputMode: filesystemSettings.throughputMode }
        : {
            type: "lustre",
            storageCapacityGiB: filesystemSettings.storageCapacityGiB,
            // The schema checked it against the tiers with the component's own validator.
            throughputPerUnitMiB: filesystemSettings.throughputPerUnitMiB as LustreThroughput | undefined,
            efa: filesystemSettings.efa,
            metadataIops: filesystemSettings.metadataIops,
            backupRetentionDays: filesystemSettings.backupRetentionDays,
          },
  },
  opts,
);

// After every resource its rules name: each rule matches this tenant's resources only (AUD-2).
new SecurityAlerts(
  `${id}-alerts`,
  {
    tenantId: id,
    environment: tenant.environment,
    accountId,
    region,
    kmsKeyArn: key.keyArn,
    subscriptions: { emails: audit.alertEmails, httpsEndpoint: audit.alertHttpsEndpoint },
    // The output, so the metric filter waits for its log group.
    nodeAuthLogGroupName: nodeLogs.authLogGroupName,
    network: {
      vpcId: network.vpcId,
      subnetIds: Object.values(network.subnetIds),
      securityGroupIds: [
        ...Object.values(firewall.securityGroupIds).filter((sg) => sg !== undefined),
        ...Object.values(fleet.groups).flatMap((g) => [
          g.nodeSecurityGroupId,
          ...(g.efaSecurityGroupId ? [g.efaSecurityGroupId] : []),
        ]),
        sharedFilesystem.securityGroupId,
        network.defaultSecurityGroupId,
      ],
      networkAclIds: [network.defaultNetworkAclId],
      routeTableIds: [...Object.values(network.routeTableIds), network.mainRouteTableId],
      internetGatewayIds: [network.internetGatewayId],
      natGatewayIds: [network.natGatewayId],
    },
  },
  opts,
);

const bastion =
  access.mode === "bastion"
    ? new Bastion(
        `${id}-bastion`,
        {
          tenantId: id,
          environment: tenant.environment,
          accountId,
          region,
          subnetId: network.subnetIds.public,
          securityGroupId: firewall.securityGroupIds.bastion!,
          kmsKeyArn: key.keyArn,
          userKeys,
          instanceType: moat.bastion.instanceType,
          imageId: moat.bastion.imageId,
        },
        opts,
      )
    : undefined;

const heads = new HeadNodes(
  id,
  {
    tenantId: id,
    environment: tenant.environment,
    accountId,
    region,
    nodeNames: headNodeNames,
    instanceType: moat.headNodes.instanceType,
    imageId: moat.headNodes.imageId,
    subnetId: network.subnetIds.management,
    securityGroupIds: [firewall.securityGroupIds.head, firewall.securityGroupIds.cluster],
    kmsKeyArn: key.keyArn,
    userKeys,
    publicIp: access.mode === "direct",
    quarantined: moat.quarantine.includes("head"),
    vpcId: network.vpcId,
    scheduler,
    sharedFilesystem: mount,
  },
  opts,
);

new PeopleRoles(
  id,
  {
    tenantId: id,
    environment: tenant.environment,
    accountId,
    region,
    admins: moat.people.admins,
    members: moat.people.members,
  },
  opts,
);

const guideInput = pulumi
  .all([
    bastion?.publicIp,
    pulumi.all(
      headNodeNames.map((name) =>
        pulumi.all([heads.nodes[name].instanceId, heads.nodes[name].privateIp, heads.nodes[name].publicIp]),
      ),
    ),
  ])
  .apply(([bastionPublicIp, addresses]) => ({
    mode: access.mode,
    tenantId: id,
    environment: tenant.environment,
    region,
    bastionPublicIp,
    heads: headNodeNames.map((name, i) => ({
      name,
      instanceId: addresses[i][0],
      privateIp: addresses[i][1],
      publicIp: addresses[i][2],
    })),
  }));

/** The tenant's VPC. */
export const vpcId = network.vpcId;
/** Subnet CIDRs per tier. */
export const subnetCidrs = network.subnetCidrs;
/** Who and what this stack is. */
export const tenantInfo = { id, environment: tenant.environment, region, accessMode: access.mode };
/** Every allowed network flow, for review (NET-1 to NET-9). */
export const allowedFlows = firewall.flows;
/** Node groups isolated for incident response (NET-11); empty when none. */
export const quarantined = moat.quarantine;
/** The account baseline this tenant relies on for its trail and GuardDuty (AUD-1, AUD-4). */
export const accountBaseline = {
  stack: moat.baseline,
  outputs: baseline.baseline,
};
/** Where the shared filesystem is, for people and tools (nodes read it from SSM at boot). */
export const sharedFilesystemId = sharedFilesystem.fileSystemId;
/** Paste into ~/.ssh/config. */
export const sshConfig = guideInput.apply(renderSshConfig);
/** The commands to open an SSH session and a JupyterLab tunnel on each head node. */
export const connect = guideInput.apply(renderCommands);
