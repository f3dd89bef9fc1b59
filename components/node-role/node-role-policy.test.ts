import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { asList, findWildcardGrants, PolicyDocument, PolicyStatement } from "../tenant-key/policy-document";
import { TenantScope } from "../tenant-key/tenant-scope";
import type { NodeRoleArgs } from "./node-role";
import {
  nodeRolePolicy,
  nodeTrustPolicy,
  ssmManagedPolicyArn,
  validateNodeRoleArgs,
} from "./node-role-policy";

const scope: TenantScope = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
};
const headSecrets = ["moat/acme/cluster-ssh-key", "moat/acme/jupyter-token/head-0"];
const head = nodeRolePolicy(scope, headSecrets);
const bySid = (doc: PolicyDocument, sid: string): PolicyStatement => {
  const found = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
};

describe("nodeTrustPolicy (CMP-7, IAM-3)", () => {
  it("lets only the EC2 service assume the role", () => {
    assert.deepEqual(nodeTrustPolicy(), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Ec2AssumesRole",
          Effect: "Allow",
          Principal: { Service: "ec2.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    });
  });
});

describe("nodeRolePolicy (CMP-7)", () => {
  it("has no * or service-wide action", () => {
    assert.deepEqual(findWildcardGrants(head), []);
    assert.deepEqual(findWildcardGrants(nodeRolePolicy(scope, [])), []);
  });

  it("CMP-7: no * resource; secrets and parameters never wildcarded, keys only under the tenant alias", () => {
    for (const s of head.Statement) {
      for (const resource of [...asList(s.Resource), ...asList(s.NotResource)]) {
        assert.notEqual(resource, "*", s.Sid);
        assert.doesNotMatch(resource, /:(secret:|parameter\/)\*$/, `${s.Sid}: ${resource}`);
        if (resource.endsWith(":key/*")) {
          assert.deepEqual(s.Condition?.["ForAnyValue:StringEquals"], {
            "kms:ResourceAliases": "alias/moat-acme",
          });
        }
      }
    }
  });

  it("CMP-7: reads exactly the named secrets, by name plus AWS's six-character suffix", () => {
    const read = bySid(head, "ReadOwnSecrets");
    assert.equal(read.Effect, "Allow");
    assert.deepEqual(read.Action, ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    assert.deepEqual(read.Resource, [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme/cluster-ssh-key-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme/jupyter-token/head-0-??????",
    ]);
  });

  it("CMP-7: decrypts only with the tenant key, selected by alias, only through Secrets Manager", () => {
    assert.deepEqual(bySid(head, "DecryptOwnSecretsWithTenantKey"), {
      Sid: "DecryptOwnSecretsWithTenantKey",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: "arn:aws:kms:us-east-1:123456789012:key/*",
      Condition: {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/moat-acme" },
        StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
      },
    });
  });

  it("AUD-1, AUD-3: writes only to the tenant's node log groups, never the flow logs' or a trail's", () => {
    const logs = bySid(head, "WriteNodeLogs");
    assert.deepEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
    assert.equal(logs.Resource, "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/nodes/*");
  });

  it("CMP-7: takes back the managed core policy's read of every parameter outside the tenant's path", () => {
    const deny = bySid(head, "DenyParametersOfOthers");
    assert.equal(deny.Effect, "Deny");
    assert.ok(asList(deny.Action).includes("ssm:GetParameter"));
    assert.ok(asList(deny.Action).includes("ssm:GetParameters"));
    assert.equal(deny.NotResource, "arn:aws:ssm:us-east-1:123456789012:parameter/moat/acme/*");
    assert.equal(deny.Resource, undefined);
  });

  it("CMP-7: a bastion without secrets gets no secret and no key statement", () => {
    const bastion = nodeRolePolicy(scope, []);
    assert.deepEqual(
      bastion.Statement.map((s) => s.Sid),
      ["WriteNodeLogs", "DenyParametersOfOthers"],
    );
    assert.doesNotMatch(JSON.stringify(bastion), /secretsmanager|kms:/);
  });

  it("names the SSM managed policy in the account's partition", () => {
    assert.equal(ssmManagedPolicyArn("aws"), "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    assert.equal(
      ssmManagedPolicyArn("aws-us-gov"),
      "arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
  });
});

describe("validateNodeRoleArgs (CMP-7)", () => {
  const happy: NodeRoleArgs = {
    tenantId: "acme",
    role: "head",
    accountId: "123456789012",
    region: "us-east-1",
    secretNames: headSecrets,
  };

  it("accepts compliant args, including no secrets", () => {
    assert.deepEqual(validateNodeRoleArgs(happy), []);
    assert.deepEqual(validateNodeRoleArgs({ ...happy, role: "bastion", secretNames: [] }), []);
  });

  const broken: Array<[Partial<NodeRoleArgs>, string, RegExp]> = [
    [
      { role: "login" as NodeRoleArgs["role"] },
      "role",
      /^"login" is not a node role; use one of bastion, head, compute$/,
    ],
    [
      { secretNames: ["moat/globex/cluster-ssh-key"] },
      "secretNames[0]",
      /not one of this tenant's secrets; .* under moat\/acme\/ \(CMP-7\)/,
    ],
    [{ secretNames: ["moat/acme-labs/token"] }, "secretNames[0]", /not one of this tenant's secrets/],
    [
      { secretNames: ["moat/acme/*"] },
      "secretNames[0]",
      /not a secret name; name exactly one secret, .*\(no wildcards\)/,
    ],
    [{ secretNames: ["moat/acme/token-??????"] }, "secretNames[0]", /no wildcards/],
    [{ secretNames: ["moat/acme/"] }, "secretNames[0]", /not a secret name/],
    [{ secretNames: ["moat/acme/a", "moat/acme/a"] }, "secretNames[1]", /listed twice/],
    [{ secretNames: undefined as unknown as string[] }, "secretNames", /\[\] for none/],
    [{ region: "mars-1a" }, "region", /not an AWS region name/],
  ];
  for (const [change, path, reason] of broken) {
    it(`rejects ${JSON.stringify(change)} at ${path} with a fix`, () => {
      const problems = validateNodeRoleArgs({ ...happy, ...change });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }
});

describe("EFS mounts (DAT-2)", () => {
  it("lets head and compute roles mount only this tenant's file systems; the bastion mounts none", () => {
    const mounting = nodeRolePolicy(scope, [], true).Statement.find(
      (s) => s.Sid === "MountTenantFileSystems",
    );
    assert.ok(mounting);
    assert.deepEqual(mounting.Action, ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
    assert.deepEqual(mounting.Condition, { StringEquals: { "aws:ResourceTag/moat:tenant": scope.tenantId } });
    assert.equal(
      nodeRolePolicy(scope, []).Statement.some((s) => s.Sid === "MountTenantFileSystems"),
      false,
    );
  });
});

describe("nodeRolePolicy of one environment in an account two environments share (CMP-7, DAT-2)", () => {
  const prod: TenantScope = { ...scope, environment: "prod" };
  const prodSecrets = ["moat/acme-prod/cluster-ssh-key", "moat/acme-prod/jupyter-token/head-0"];
  const policy = nodeRolePolicy(prod, prodSecrets, true);

  it("names the environment's own secrets, key alias, node log groups and parameters", () => {
    assert.deepEqual(bySid(policy, "ReadOwnSecrets").Resource, [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/cluster-ssh-key-??????",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:moat/acme-prod/jupyter-token/head-0-??????",
    ]);
    assert.deepEqual(bySid(policy, "DecryptOwnSecretsWithTenantKey").Condition, {
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/moat-acme-prod" },
      StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
    });
    assert.equal(
      bySid(policy, "WriteNodeLogs").Resource,
      "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme-prod/nodes/*",
    );
    assert.equal(
      bySid(policy, "DenyParametersOfOthers").NotResource,
      "arn:aws:ssm:us-east-1:123456789012:parameter/moat/acme-prod/*",
    );
    assert.deepEqual(findWildcardGrants(policy), []);
  });

  it("mounts only file systems tagged with the tenant and the environment", () => {
    assert.deepEqual(bySid(policy, "MountTenantFileSystems").Condition, {
      StringEquals: {
        "aws:ResourceTag/moat:tenant": "acme",
        "aws:ResourceTag/moat:environment": "prod",
      },
    });
  });

  const happy: NodeRoleArgs = {
    tenantId: "acme",
    environment: "prod",
    role: "head",
    accountId: "123456789012",
    region: "us-east-1",
    secretNames: prodSecrets,
  };

  it("accepts the environment's own secrets", () => {
    assert.deepEqual(validateNodeRoleArgs(happy), []);
  });

  const broken: Array<[Partial<NodeRoleArgs>, string, RegExp]> = [
    [
      { secretNames: ["moat/acme-dev/cluster-ssh-key"] },
      "secretNames[0]",
      /not one of this tenant's secrets; .* under moat\/acme-prod\/ \(CMP-7\)/,
    ],
    [{ secretNames: ["moat/acme/cluster-ssh-key"] }, "secretNames[0]", /under moat\/acme-prod\//],
    [
      { environment: "research" },
      "environment",
      /^"research" is not an environment; use one of dev, staging, prod/,
    ],
  ];
  for (const [change, path, reason] of broken) {
    it(`rejects ${JSON.stringify(change)} at ${path} with a fix`, () => {
      const problems = validateNodeRoleArgs({ ...happy, ...change });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }
});
