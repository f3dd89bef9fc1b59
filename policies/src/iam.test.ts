// IAM-2 and IAM-3 policies, and the shape of the IAM and KMS policy lists the pack is built from.
// IAM-1: iam-people.test.ts (checks) and iam-people.policies.test.ts (policies).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyResource } from "@pulumi/policy";
import { iamNoUsersOrAccessKeys, iamPolicies } from "./iam";
import {
  iamNoAdminPolicyAttachment,
  iamPolicyNoFullAccess,
  iamResourcePolicyNoWildcardPrincipal,
  iamTrustPolicyNoWildcardPrincipal,
} from "./iam-privilege";
import { IamType, USER_CREDENTIAL_TYPES } from "./iam-resources";
import { kmsPolicies } from "./kms";
import { neverRead, runResourcePolicy, runStackPolicy, stackResource, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });
const document = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("iam and kms policy lists (POL-1)", () => {
  const all = [...iamPolicies, ...kmsPolicies];

  it("name every policy once, in kebab case, by domain", () => {
    const names = all.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, names.join(", "));
    for (const name of names) {
      assert.match(name, /^(iam|kms)(-[a-z0-9]+)+$/);
    }
  });

  it("describe every policy as a check naming its requirement IDs", () => {
    for (const policy of all) {
      assert.match(policy.description, /^Checks that /, policy.name);
      assert.match(policy.description, /\((IAM|DAT)-\d(, (IAM|DAT|POL)-\d)*\)\.$/, policy.name);
    }
  });

  it("cover IAM-1, IAM-2, IAM-3, DAT-3 and DAT-4", () => {
    const described = all.map((p) => p.description).join(" ");
    for (const id of ["IAM-1", "IAM-2", "IAM-3", "DAT-3", "DAT-4"]) {
      assert.ok(described.includes(id), id);
    }
  });
});

describe("iam-no-users-or-access-keys", () => {
  for (const type of USER_CREDENTIAL_TYPES) {
    it(`fails ${type} (IAM-2)`, async () => {
      const run = await runResourcePolicy(iamNoUsersOrAccessKeys, { type, name: "ci", props: {} });
      const name = type.replace(/^aws:(\w+)\/\w+:(\w+)$/, "aws.$1.$2");
      assert.deepEqual(
        run,
        fails(
          `Remove ${name} "ci": the program creates no IAM users or long-term credentials; give machines an IAM role and people the tenant's people-admin or people-member role (IAM-2).`,
        ),
      );
    });
  }

  it("passes a role (IAM-2)", async () => {
    const run = await runResourcePolicy(iamNoUsersOrAccessKeys, { type: IamType.role, props: {} });
    assert.equal(run.violations.length, 0);
    assert.match(run.notApplicable ?? "", /^Policy only applies to resources of type 'aws:iam\/user:User'/);
  });
});

describe("iam-trust-policy-no-wildcard-principal", () => {
  const policy = iamTrustPolicyNoWildcardPrincipal;
  const role = (assumeRolePolicy: unknown) => ({
    type: IamType.role,
    name: "head",
    props: neverRead({ assumeRolePolicy }, "arn"),
  });
  const ec2 = { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" };
  const wildcard = (n = 0) =>
    `Replace the "*" principal in Statement[${n}] of the trust policy (assumeRolePolicy) of role "head" with the accounts, roles or services that may assume it: conditions do not make a wildcard trust safe (IAM-3).`;

  it("passes a trust policy naming a service (IAM-3)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, role(document(ec2))), passes);
  });

  it('fails "*" and {"AWS": "*"}, even under an account condition (IAM-3)', async () => {
    const pinned = { StringEquals: { "aws:PrincipalAccount": "111122223333" } };
    const run = await runResourcePolicy(
      policy,
      role(document({ ...ec2, Principal: "*" }, { ...ec2, Principal: { AWS: ["*"] }, Condition: pinned })),
    );
    assert.deepEqual(run, fails(wildcard(0), wildcard(1)));
  });

  it("passes a Deny for everyone, and fails an Allow with NotPrincipal (IAM-3)", async () => {
    const deny = { Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" };
    const notPrincipal = {
      Effect: "Allow",
      NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "sts:AssumeRole",
    };
    assert.deepEqual(
      await runResourcePolicy(policy, role(document(ec2, deny, notPrincipal))),
      fails(
        'Replace NotPrincipal in Statement[2] of the trust policy (assumeRolePolicy) of role "head" with Principal: an Allow with NotPrincipal trusts everyone not listed (IAM-3).',
      ),
    );
  });

  it("fails a trust policy that is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, role(unknown.string)),
      fails(
        'Build the trust policy (assumeRolePolicy) of role "head" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (IAM-3, POL-2).',
      ),
    );
  });
});

describe("iam-resource-policy-no-wildcard-principal", () => {
  const policy = iamResourcePolicyNoWildcardPrincipal;
  const denyInsecure = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::moat-acme-audit", "arn:aws:s3:::moat-acme-audit/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
  const everyone = {
    Sid: "Everyone",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: "s3:GetObject",
    Resource: "*",
  };
  const bucketPolicy = (policyText: unknown) => ({
    type: IamType.bucketPolicy,
    name: "audit",
    props: neverRead({ policy: policyText }, "bucket"),
  });
  const open = (label: string, subject: string) =>
    `Restrict ${label} of ${subject}: it allows the "*" principal; name the principals, or add a StringEquals condition on aws:PrincipalAccount, aws:SourceAccount or aws:PrincipalArn naming your account (IAM-3).`;

  it("passes a Deny for everyone, as buckets deny non-TLS requests (IAM-3)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, bucketPolicy(document(denyInsecure))), passes);
  });

  it("fails an Allow for everyone (IAM-3)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, bucketPolicy(document(denyInsecure, everyone))),
      fails(open('Statement[1] ("Everyone")', 'the policy of bucket policy "audit"')),
    );
  });

  it("passes a * principal pinned to the account, and fails a negated pin (IAM-3)", async () => {
    const pinned = { ...everyone, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } };
    assert.deepEqual(await runResourcePolicy(policy, bucketPolicy(document(pinned))), passes);
    const negated = { ...everyone, Condition: { StringNotEquals: { "aws:SourceAccount": "111122223333" } } };
    const topic = { type: IamType.topicPolicy, name: "alerts", props: { policy: document(negated) } };
    assert.deepEqual(
      await runResourcePolicy(policy, topic),
      fails(open('Statement[0] ("Everyone")', 'the policy of topic policy "alerts"')),
    );
  });

  it("checks the policy of a KMS key and leaves an absent one to kms-key-policy-single-account", async () => {
    const key = (props: Record<string, unknown>) => ({
      type: IamType.kmsKey,
      name: "tenant",
      props: neverRead(props, "arn", "keyId"),
    });
    assert.deepEqual(await runResourcePolicy(policy, key({})), passes);
    assert.deepEqual(
      await runResourcePolicy(policy, key({ policy: document({ ...everyone, Sid: "" }) })),
      fails(open("Statement[0]", 'the policy of KMS key "tenant"')),
    );
  });

  it("fails a secret policy that is unknown at preview (POL-2)", async () => {
    const secret = {
      type: IamType.secretPolicy,
      name: "token",
      props: neverRead({ policy: unknown.string }, "secretArn"),
    };
    assert.deepEqual(
      await runResourcePolicy(policy, secret),
      fails(
        'Build the policy of secret policy "token" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (IAM-3, POL-2).',
      ),
    );
  });
});

describe("iam-policy-no-full-access", () => {
  const policy = iamPolicyNoFullAccess;
  const narrow = (source: string, what = "every action") =>
    `Narrow Statement[0] of ${source}: it allows ${what} on every resource; grant only the actions and resources the principal needs (IAM-3).`;
  const admin = { Effect: "Allow", Action: "*", Resource: "*" };

  it("passes a least-privilege policy and a Deny of everything (IAM-3)", async () => {
    const ok = document(
      { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" },
      { ...admin, Effect: "Deny" },
    );
    assert.deepEqual(
      await runResourcePolicy(policy, { type: IamType.policy, name: "p", props: { policy: ok } }),
      passes,
    );
  });

  for (const [type, label] of [
    [IamType.policy, 'policy "p"'],
    [IamType.rolePolicy, 'role policy "p"'],
    [IamType.groupPolicy, 'group policy "p"'],
  ] as const) {
    it(`fails Action "*" on Resource "*" in ${type} (IAM-3)`, async () => {
      const run = await runResourcePolicy(policy, { type, name: "p", props: { policy: document(admin) } });
      assert.deepEqual(run, fails(narrow(label)));
    });
  }

  it('fails "*:*" and NotAction on every resource in a role\'s inline policies (IAM-3)', async () => {
    const inlinePolicies = [
      { name: "all", policy: document({ ...admin, Action: "*:*" }) },
      { name: "almost", policy: document({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) },
    ];
    const run = await runResourcePolicy(policy, {
      type: IamType.role,
      name: "head",
      props: { inlinePolicies },
    });
    assert.deepEqual(
      run,
      fails(
        narrow('inline policy "all" of role "head"'),
        narrow('inline policy "almost" of role "head"', "every action outside its NotAction list"),
      ),
    );
  });

  it("fails a policy that is unknown at preview (POL-2)", async () => {
    const run = await runResourcePolicy(policy, {
      type: IamType.policy,
      name: "p",
      props: { policy: unknown.string },
    });
    assert.deepEqual(
      run,
      fails(
        'Build policy "p" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (IAM-3, POL-2).',
      ),
    );
  });
});

describe("iam-no-admin-policy-attachment", () => {
  const policy = iamNoAdminPolicyAttachment;
  const attach = (
    policyArn: string,
    links: PolicyResource[] = [],
    type: string = IamType.rolePolicyAttachment,
  ) =>
    stackResource(
      { type, name: "head-extra", props: { role: "moat-acme-head", policyArn } },
      links.length > 0 ? { propertyDependencies: { policyArn: links } } : {},
    );
  const grants = (arn: string) =>
    `Remove attachment "head-extra" of ${arn}: it grants administrator-level access; attach a least-privilege policy instead (IAM-3).`;

  it("passes a narrow managed policy and a policy of the stack whose ARN is unknown (IAM-3)", async () => {
    const own = stackResource({ type: IamType.policy, name: "head-logs", props: { arn: unknown.string } });
    const run = await runStackPolicy(policy, [
      attach("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"),
      own,
      attach(unknown.string, [own]),
    ]);
    assert.deepEqual(run, passes);
  });

  for (const arn of [
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws-us-gov:iam::aws:policy/IAMFullAccess",
  ]) {
    it(`fails ${arn} (IAM-3)`, async () => {
      const attachment = attach(arn);
      assert.deepEqual(await runStackPolicy(policy, [attachment]), {
        violations: [{ message: grants(arn), urn: attachment.urn }],
      });
    });
  }

  it("fails AdministratorAccess on a group too (IAM-3)", async () => {
    const arn = "arn:aws:iam::aws:policy/AdministratorAccess";
    const run = await runStackPolicy(policy, [attach(arn, [], IamType.groupPolicyAttachment)]);
    assert.deepEqual(
      run.violations.map((v) => v.message),
      [grants(arn)],
    );
  });

  it("fails an unknown policy ARN that no policy of the stack explains (POL-2)", async () => {
    const attachment = attach(unknown.string);
    assert.deepEqual(await runStackPolicy(policy, [attachment]), {
      violations: [
        {
          message:
            'Build policyArn of attachment "head-extra" from a known ARN or from an aws.iam.Policy declared in this stack: it is unknown at preview, so this policy cannot tell whether it grants administrator access (IAM-3, POL-2).',
          urn: attachment.urn,
        },
      ],
    });
  });
});
