/**
 * The stack file `moat tenant new` writes: the dev stack's small cluster for a new tenant, with a
 * comment per section saying what the key does and which secure default applies, and a placeholder
 * wherever only a person can decide. The text is already formatted as prettier formats YAML, so the
 * repository's format check passes on a new stack without a formatting step.
 */

/** What a new stack is made of; everything else is the dev stack's sizing. */
export interface TenantSpec {
  readonly id: string;
  readonly environment: string;
  readonly region: string;
  readonly availabilityZone: string;
  /** A /20 no other stack uses. */
  readonly cidr: string;
  readonly access: string;
}

/** Writes a placeholder value saying what to put there (infra/config/placeholders.ts). */
export type PlaceholderWriter = (hint: string) => string;

/** The stack name of a tenant environment: `<id>-<environment>`, e.g. `acme-prod`. */
export function stackName(id: string, environment: string): string {
  return `${id}-${environment}`;
}

/** The text of `stacks/Pulumi.<id>-<environment>.yaml`. */
export function renderStackFile(spec: TenantSpec, placeholder: PlaceholderWriter): string {
  const { id, environment, region, availabilityZone, cidr, access } = spec;
  // Double-quoted: a placeholder holds ": ", which YAML would otherwise read as a mapping.
  const blank = (hint: string) => JSON.stringify(placeholder(hint));
  const stack = stackName(id, environment);
  return [
    `# Tenant ${id}, ${environment} environment (stack ${stack}), written by \`moat tenant new\`.`,
    "# Replace every REPLACE-ME value: moat plan and pulumi refuse the stack while one is left.",
    "config:",
    "  # The AWS region the cluster runs in.",
    `  aws:region: ${region}`,
    "  # The one AWS account this stack deploys to: the provider refuses credentials of any other. Names",
    "  # come from the tenant id and environment, so a tenant's environments may share an account; one",
    "  # account per environment is still the stronger isolation. Quote the id: it is a string.",
    "  aws:allowedAccountIds:",
    `    - ${blank("the tenant's 12-digit AWS account id, e.g. 111111111111 (aws sts get-caller-identity)")}`,
    "  # The account baseline of this account and region (accounts/stacks/): it holds the trail and the",
    "  # GuardDuty detector that cover this tenant, and must be deployed first (README, Account models).",
    `  moat:baseline: ${blank(`<organization>/moat-account/<the baseline stack of this account in ${region}>`)}`,
    "  # Who the tenant is. The id and environment are part of every resource's name: changing either",
    "  # replaces them all.",
    "  moat:tenant:",
    `    id: ${id}`,
    `    environment: ${environment}`,
    `    owner: ${blank(`the contact e-mail of the tenant's owner, e.g. gpu-admins@${id}.example`)}`,
    "  # The tenant's own VPC, a private /20 no other stack file uses, so tenants can be peered later.",
    "  # Compute and storage live in one zone (EFA and placement groups need one). Older regions map",
    "  # zone letters per account; list yours with",
    `  # aws ec2 describe-availability-zones --region ${region}`,
    "  moat:network:",
    `    cidr: ${cidr}`,
    `    availabilityZone: ${availabilityZone}`,
    ...accessSection(access, blank),
    "      - name: " + blank("the name of the key's owner, e.g. alice"),
    `        publicKey: ${blank("their SSH public key, one line of ~/.ssh/id_ed25519.pub (ssh-keygen -t ed25519)")}`,
    "  # Head nodes run the Slurm controller and JupyterLab (on 127.0.0.1 only, reached through SSH).",
    "  moat:headNodes:",
    "    count: 1",
    "    instanceType: m7i.xlarge",
    "  # One small GPU group with EFA on every network card, in one cluster placement group. Not every",
    "  # region offers every instance type: pick one this region offers, listed by",
    `  # aws ec2 describe-instance-type-offerings --location-type availability-zone --region ${region}`,
    "  moat:computeGroups:",
    "    - name: gpu",
    "      instanceType: g6e.12xlarge",
    "      nodeCount: 1",
    "  # Shared storage on every node at /shared, encrypted under the tenant's key and backed up.",
    "  # efs suits a small cluster; lustre (the default) is for training I/O at scale.",
    "  moat:sharedFilesystem:",
    "    type: efs",
    "  # Security alerts (AUD-2) go to these addresses; each must confirm its subscription. Node and",
    "  # flow logs are kept 365 days by default (never less than 180, AUD-1, AUD-3).",
    "  moat:audit:",
    "    alertEmails:",
    `      - ${blank(`the address security alerts go to, e.g. secops@${id}.example`)}`,
    "",
  ].join("\n");
}

/** `moat:access` down to the `sshPublicKeys:` line: the mode, and who may SSH in unless it is ssm. */
function accessSection(access: string, blank: (hint: string) => string): string[] {
  const lines =
    access === "ssm"
      ? [
          "  # How people reach the cluster. ssm: through AWS Systems Manager Session Manager only; no",
          "  # port is open to the internet, so there is no allowSshFrom. Nodes accept keys, never passwords.",
          "  moat:access:",
          `    mode: ${access}`,
        ]
      : [
          "  # How people reach the cluster. " +
            (access === "direct"
              ? "direct: SSH straight to the head nodes, from allowSshFrom only."
              : "bastion: SSH to one hardened bastion, from allowSshFrom only."),
          "  # Never 0.0.0.0/0 (refused unless acknowledged, NET-6). Nodes accept keys, never passwords.",
          "  moat:access:",
          `    mode: ${access}`,
          "    allowSshFrom:",
          `      - ${blank("the office or VPN range allowed to SSH in, e.g. 203.0.113.0/24")}`,
        ];
  return [...lines, "    sshPublicKeys:"];
}
