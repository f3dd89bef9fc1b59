/**
 * What a person types to reach the cluster in each access mode (NET-6, NET-7): a ready-to-paste
 * `~/.ssh/config` block and the exact commands for an SSH session, a JupyterLab tunnel and a hop to
 * a compute node. Pure functions of plain values, so they are tested without Pulumi; the program
 * applies them to the nodes' addresses.
 */
import { JUPYTER_TOKEN_PURPOSE, secretName } from "../cluster-secrets/secret-names";
import { tenantNameId } from "../tenant-key/tenant-scope";

/** Access modes, as in `moat:access.mode`. */
export type AccessMode = "bastion" | "direct" | "ssm";

/** One head node as a person addresses it. */
export interface HeadNodeAddress {
  /** Stable node name, e.g. `head-0`. */
  readonly name: string;
  readonly instanceId: string;
  readonly privateIp: string;
  /** Public address, in `direct` mode only. */
  readonly publicIp?: string;
}

/** Everything the guide needs. */
export interface AccessGuideInput {
  readonly mode: AccessMode;
  readonly tenantId: string;
  /**
   * The tenant environment, `dev`, `staging` or `prod`: with the tenant it names the JupyterLab
   * token secrets (`moat/<tenantId>-<environment>/...`). @default none: `moat/<tenantId>/...`
   */
  readonly environment?: string;
  readonly region: string;
  /** Login user of the node image. @default "ec2-user" (Amazon Linux) */
  readonly user?: string;
  /** Private key matching one of `moat:access.sshPublicKeys`. @default "~/.ssh/id_ed25519" */
  readonly identityFile?: string;
  /** The bastion's Elastic IP, in `bastion` mode. */
  readonly bastionPublicIp?: string;
  readonly heads: readonly HeadNodeAddress[];
  /** Local and remote port of JupyterLab, which listens on 127.0.0.1 only. @default 8888 */
  readonly jupyterPort?: number;
}

/** Commands for one head node. */
export interface NodeCommands {
  readonly ssh: string;
  readonly jupyterTunnel: string;
  readonly jupyterToken: string;
  readonly computeHop: string;
}

/** The `~/.ssh/config` block: ProxyJump through the bastion, direct, or Session Manager. */
export function renderSshConfig(input: AccessGuideInput): string {
  const user = input.user ?? "ec2-user";
  const identity = input.identityFile ?? "~/.ssh/id_ed25519";
  const common = [`  User ${user}`, `  IdentityFile ${identity}`, "  IdentitiesOnly yes"];
  const blocks: string[][] = [];
  if (input.mode === "bastion") {
    blocks.push([
      `Host ${hostAlias(input, "bastion")}`,
      `  HostName ${required(input.bastionPublicIp, "bastion IP")}`,
      ...common,
    ]);
  }
  for (const head of input.heads) {
    const lines = [`Host ${hostAlias(input, head.name)}`];
    if (input.mode === "bastion") {
      lines.push(`  HostName ${head.privateIp}`, `  ProxyJump ${hostAlias(input, "bastion")}`);
    } else if (input.mode === "direct") {
      lines.push(`  HostName ${required(head.publicIp, `${head.name} public IP`)}`);
    } else {
      lines.push(
        `  HostName ${head.instanceId}`,
        `  ProxyCommand aws ssm start-session --region ${input.region} --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p`,
      );
    }
    blocks.push([...lines, ...common]);
  }
  return `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`;
}

/** The commands for each head node, keyed by node name. */
export function renderCommands(input: AccessGuideInput): Record<string, NodeCommands> {
  const port = input.jupyterPort ?? 8888;
  const result: Record<string, NodeCommands> = {};
  for (const head of input.heads) {
    const alias = hostAlias(input, head.name);
    const tunnel =
      input.mode === "ssm"
        ? `aws ssm start-session --region ${input.region} --target ${head.instanceId} --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["${port}"],"localPortNumber":["${port}"]}'`
        : `ssh -N -L ${port}:127.0.0.1:${port} ${alias}`;
    result[head.name] = {
      ssh: `ssh ${alias}`,
      jupyterTunnel: `${tunnel}   # then open https://localhost:${port}`,
      jupyterToken: `aws secretsmanager get-secret-value --region ${input.region} --secret-id ${secretName(tenantNameId(input), `${JUPYTER_TOKEN_PURPOSE}/${head.name}`)} --query SecretString --output text`,
      computeHop: `ssh -J ${alias} ${input.user ?? "ec2-user"}@<compute-node-private-ip>`,
    };
  }
  return result;
}

/** The SSH host alias of a node, prefixed with the tenant so several tenants fit one config. */
export function hostAlias(input: Pick<AccessGuideInput, "tenantId">, node: string): string {
  return `${input.tenantId}-${node}`;
}

function required(value: string | undefined, what: string): string {
  if (!value) {
    throw new Error(`the access guide needs the ${what}`);
  }
  return value;
}
