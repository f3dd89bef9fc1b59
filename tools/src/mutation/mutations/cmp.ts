// CMP mutations: nodes, their templates, bootstrap and secrets changed the way a hurried operator
// would (IMDSv1 for an old tool, a password login "just for today", a wider role policy).
import type { RecordedResource } from "../../plan/types";
import { declare, editUserData, setInput, update } from "../edit";
import {
  T,
  TAG_TIER,
  UNKNOWN,
  firstOf,
  idOf,
  nodesWithUserData,
  ofType,
  parseJson,
  stackFacts,
  tagsOf,
  the,
} from "../resources";
import type { Mutation } from "../types";

type Inputs = Record<string, unknown>;

/** Built at run time, so no tracked file looks like it holds a key. */
const PEM_HEADER = ["-----BEGIN OPENSSH", "PRIVATE KEY-----"].join(" ");

/** The first head instance, else any instance: the node a change is most likely made to. */
const node = (rs: readonly RecordedResource[]) => firstOf(rs, T.instance, "head") ?? firstOf(rs, T.instance);

const computeTemplate = (rs: readonly RecordedResource[]) => firstOf(rs, T.launchTemplate, "compute");

/** Changes one field of an object-valued input (metadataOptions, rootBlockDevice, ...). */
function setField(
  rs: readonly RecordedResource[],
  target: RecordedResource,
  key: string,
  field: string,
  value: unknown,
) {
  return setInput(rs, target, key, { ...((target.inputs[key] ?? {}) as Inputs), [field]: value });
}

/** The compute and management subnets: two subnets, hence two availability zones at most. */
const twoSubnets = (rs: readonly RecordedResource[]) =>
  ofType(rs, T.subnet).filter((s) => ["compute", "management"].includes(tagsOf(s)[TAG_TIER] as string));

/** The generated cluster-internal SSH key: the ED25519 tls.PrivateKey the cluster secrets hold. */
const clusterKey = (rs: readonly RecordedResource[]) =>
  ofType(rs, T.privateKey).find((k) => k.name.includes("ssh-key") && k.inputs.algorithm === "ED25519");

const jupyterToken = (rs: readonly RecordedResource[]) =>
  ofType(rs, T.randomPassword).find((p) => p.name.includes("jupyter-token"));

/** The inline `node-access` policy of a node role. */
const nodeAccessPolicy = (rs: readonly RecordedResource[]) =>
  ofType(rs, T.rolePolicy).find(
    (p) => p.inputs.name === "node-access" && typeof p.inputs.policy === "string",
  );

/** Mutations that break CMP-1 to CMP-9. */
export const cmpMutations: readonly Mutation[] = [
  {
    id: "CMP-1",
    title: "spread a compute Auto Scaling group over two subnets",
    applies: (rs) => ofType(rs, T.autoscalingGroup).length > 0 && twoSubnets(rs).length === 2,
    mutate: (rs) => {
      const subnets = twoSubnets(rs);
      const ids = subnets.map((s) => idOf(rs, s));
      return setInput(rs, the(rs, T.autoscalingGroup), "vpcZoneIdentifiers", ids, subnets);
    },
  },
  {
    id: "CMP-1",
    title: 'launch a compute group into a "spread" placement group',
    applies: (rs) => firstOf(rs, T.placementGroup) !== undefined,
    mutate: (rs) => setInput(rs, the(rs, T.placementGroup), "strategy", "spread"),
  },
  {
    id: "CMP-2",
    title: "allow IMDSv1 (httpTokens optional) on a node",
    applies: (rs) => node(rs) !== undefined,
    mutate: (rs) => setField(rs, node(rs)!, "metadataOptions", "httpTokens", "optional"),
  },
  {
    id: "CMP-2",
    unknown: true,
    title: "take the compute launch template's httpTokens from a computed value",
    applies: (rs) => computeTemplate(rs) !== undefined,
    mutate: (rs) => setField(rs, computeTemplate(rs)!, "metadataOptions", "httpTokens", UNKNOWN),
  },
  {
    id: "CMP-3",
    title: "drop the tenant key from a node's root volume",
    applies: (rs) => node(rs)?.inputs.rootBlockDevice !== undefined,
    mutate: (rs) => {
      const target = node(rs)!;
      const root = { ...(target.inputs.rootBlockDevice as Inputs) };
      delete root.kmsKeyId;
      return setInput(rs, target, "rootBlockDevice", root, []);
    },
  },
  {
    id: "CMP-4",
    title: "turn SSH password login on in a node's user data",
    applies: (rs) => nodesWithUserData(rs, "PasswordAuthentication no").length > 0,
    mutate: (rs) =>
      editUserData(rs, nodesWithUserData(rs, "PasswordAuthentication no")[0], (text) =>
        text
          .replace(/PasswordAuthentication no/g, "PasswordAuthentication yes")
          .replace(/ssh_pwauth: false/g, "ssh_pwauth: true"),
      ),
  },
  {
    id: "CMP-4",
    title: "generate the cluster-internal SSH key as RSA-2048",
    applies: (rs) => clusterKey(rs) !== undefined,
    mutate: (rs) => {
      const key = clusterKey(rs)!;
      return setInput(setInput(rs, key, "algorithm", "RSA"), key, "rsaBits", 2048);
    },
  },
  {
    id: "CMP-4",
    title: "add an EC2 key pair derived from a 2048-bit RSA key",
    applies: () => true,
    mutate: (rs) => {
      const { tenant } = stackFacts(rs);
      const key = declare(rs, {
        type: T.privateKey,
        name: `${tenant}-break-glass-key`,
        inputs: { algorithm: "RSA", rsaBits: 2048 },
      });
      const pair = declare(rs, {
        type: T.keyPair,
        name: `${tenant}-break-glass`,
        inputs: { keyName: `moat-${tenant}-break-glass`, publicKey: UNKNOWN },
        from: { publicKey: [key] },
      });
      return [...rs, key, pair];
    },
  },
  {
    id: "CMP-5",
    title: "stop enabling sshd under systemd in a node's user data",
    applies: (rs) => nodesWithUserData(rs, /systemctl, enable, --now, sshd/).length > 0,
    mutate: (rs) =>
      editUserData(rs, nodesWithUserData(rs, /systemctl, enable, --now, sshd/)[0], (text) =>
        text
          .split("\n")
          .filter((line) => !/systemctl, enable, --now, sshd/.test(line))
          .join("\n"),
      ),
  },
  {
    id: "CMP-6",
    title: "shorten a JupyterLab token to 16 characters",
    applies: (rs) => jupyterToken(rs) !== undefined,
    mutate: (rs) => setInput(rs, jupyterToken(rs)!, "length", 16),
  },
  {
    id: "CMP-6",
    title: "store a cluster secret under the AWS-managed key",
    applies: (rs) => firstOf(rs, T.secret) !== undefined,
    mutate: (rs) => setInput(rs, the(rs, T.secret), "kmsKeyId", undefined),
  },
  {
    id: "CMP-7",
    title: "let a node role read every secret of the account",
    applies: (rs) => nodeAccessPolicy(rs) !== undefined,
    mutate: (rs) => {
      const policy = nodeAccessPolicy(rs)!;
      const doc = parseJson(policy.inputs.policy) as { Statement: unknown[] };
      const wider = {
        ...doc,
        Statement: [
          ...doc.Statement,
          { Sid: "ReadAnySecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
        ],
      };
      return setInput(rs, policy, "policy", JSON.stringify(wider));
    },
  },
  {
    id: "CMP-8",
    title: "put a private key in a node's tags",
    applies: (rs) => node(rs) !== undefined,
    mutate: (rs) => {
      const target = node(rs)!;
      const pem = `${PEM_HEADER}\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----`;
      return setInput(rs, target, "tags", { ...tagsOf(target), "moat:debug-key": pem });
    },
  },
  {
    id: "CMP-8",
    title: "build a node's user data from its JupyterLab token",
    applies: (rs) => node(rs) !== undefined && jupyterToken(rs) !== undefined,
    mutate: (rs) => {
      const target = node(rs)!;
      const token = jupyterToken(rs)!;
      const deps = [...(target.propertyDependencies.userData ?? []), token.urn];
      return update(rs, target, (r) => ({
        ...r,
        dependencies: [...new Set([...r.dependencies, token.urn])],
        propertyDependencies: { ...r.propertyDependencies, userData: deps },
      }));
    },
  },
  {
    id: "CMP-9",
    title: "drop the rotation epoch keeper from a JupyterLab token",
    applies: (rs) => jupyterToken(rs) !== undefined,
    mutate: (rs) => setInput(rs, jupyterToken(rs)!, "keepers", undefined),
  },
];
