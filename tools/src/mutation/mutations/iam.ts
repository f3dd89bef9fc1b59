// IAM mutations: people roles without MFA, long-term user credentials, wildcard trust and
// wildcard grants.
import type { RecordedResource } from "../../plan/types";
import { declare, setInput } from "../edit";
import { T, TAG_ROLE, UNKNOWN, firstOf, ofType, parseJson, stackFacts } from "../resources";
import type { Mutation } from "../types";

interface Statement {
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: string;
}

interface PolicyDocument {
  readonly Version: string;
  readonly Statement: Statement[];
}

const PEOPLE_ROLES = ["people-admin", "people-member"];

const peopleRole = (rs: readonly RecordedResource[]) => firstOf(rs, T.role, ...PEOPLE_ROLES);

/** A node role: what the pack must hold to the strictest trust rules. */
const nodeRole = (rs: readonly RecordedResource[]) =>
  firstOf(rs, T.role, "head") ?? firstOf(rs, T.role, "compute") ?? firstOf(rs, T.role);

/** Rewrites the statements of a role's trust policy. */
function editTrust(
  rs: readonly RecordedResource[],
  role: RecordedResource,
  edit: (s: Statement) => Statement,
): RecordedResource[] {
  const doc = parseJson(role.inputs.assumeRolePolicy) as PolicyDocument;
  return setInput(
    rs,
    role,
    "assumeRolePolicy",
    JSON.stringify({ ...doc, Statement: doc.Statement.map(edit) }),
  );
}

/** Mutations that break IAM-1 to IAM-3. */
export const iamMutations: readonly Mutation[] = [
  {
    id: "IAM-1",
    title: "drop the MFA condition from a people role's trust policy",
    applies: (rs) => peopleRole(rs) !== undefined,
    mutate: (rs) =>
      editTrust(rs, peopleRole(rs)!, (s) => {
        const rest = { ...s };
        delete rest.Condition;
        return rest;
      }),
  },
  {
    id: "IAM-1",
    title: "add a member role that people assume without MFA",
    applies: (rs) => peopleRole(rs) === undefined,
    mutate: (rs) => {
      const { tenant, account } = stackFacts(rs);
      const role = declare(rs, {
        type: T.role,
        name: `${tenant}-member`,
        parent: firstOf(rs, "moat:security:PeopleRoles"),
        inputs: {
          name: `moat-${tenant}-member`,
          description: `Moat members of tenant ${tenant}`,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "ListedPeopleAssume",
                Effect: "Allow",
                Principal: { AWS: [`arn:aws:iam::${account}:role/${tenant}-sso-researchers`] },
                Action: "sts:AssumeRole",
              },
            ],
          }),
          maxSessionDuration: 3600,
          tags: { [TAG_ROLE]: "people-member" },
        },
      });
      return [...rs, role];
    },
  },
  {
    id: "IAM-2",
    title: "add an IAM user with an access key for a CI job",
    applies: () => true,
    mutate: (rs) => {
      const { tenant } = stackFacts(rs);
      const user = declare(rs, {
        type: "aws:iam/user:User",
        name: `${tenant}-ci`,
        inputs: { name: `moat-${tenant}-ci` },
      });
      const key = declare(rs, {
        type: "aws:iam/accessKey:AccessKey",
        name: `${tenant}-ci-key`,
        inputs: { user: `moat-${tenant}-ci` },
        from: { user: [user] },
      });
      return [...rs, user, key];
    },
  },
  {
    id: "IAM-3",
    title: 'let any principal ("*") assume a node role',
    applies: (rs) => nodeRole(rs) !== undefined,
    mutate: (rs) => editTrust(rs, nodeRole(rs)!, (s) => ({ ...s, Principal: { AWS: "*" } })),
  },
  {
    id: "IAM-3",
    title: 'grant Action "*" on Resource "*" to a node role',
    applies: (rs) => ofType(rs, T.rolePolicy).some((p) => typeof p.inputs.policy === "string"),
    mutate: (rs) => {
      const policy = ofType(rs, T.rolePolicy).find((p) => typeof p.inputs.policy === "string")!;
      const doc = parseJson(policy.inputs.policy) as PolicyDocument;
      const admin = { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" };
      return setInput(rs, policy, "policy", JSON.stringify({ ...doc, Statement: [...doc.Statement, admin] }));
    },
  },
  {
    id: "IAM-3",
    unknown: true,
    title: "build a node role's trust policy from a computed value",
    applies: (rs) => nodeRole(rs) !== undefined,
    mutate: (rs) => setInput(rs, nodeRole(rs)!, "assumeRolePolicy", UNKNOWN),
  },
];
