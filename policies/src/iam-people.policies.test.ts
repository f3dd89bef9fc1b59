// IAM-1 resource policies on people roles: trust (MFA) and inline policies. Attached policies:
// iam-people.stack.test.ts. Roles are built the way a first preview sees them: ARN unknown.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { iamPeopleRoleInlinePolicyTenantScoped, iamPeopleRoleTrustRequiresMfa } from "./iam";
import { IamType } from "./iam-resources";
import { neverRead, runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

const mfa = { Bool: { "aws:MultiFactorAuthPresent": "true" } };
const trust = (condition: object = mfa) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: condition,
      },
    ],
  });

const document = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const sessions = document(
  {
    Sid: "Sessions",
    Effect: "Allow",
    Action: "ssm:StartSession",
    Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
    Condition: { StringEquals: { "ssm:resourceTag/moat:tenant": "acme" } },
  },
  {
    Sid: "Tokens",
    Effect: "Allow",
    Action: "secretsmanager:GetSecretValue",
    Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme/jupyter-token/*",
  },
  { Sid: "Look", Effect: "Allow", Action: ["ec2:DescribeInstances", "ssm:DescribeSessions"], Resource: "*" },
);
const unscoped = document({ Sid: "Everything", Effect: "Allow", Action: "s3:GetObject", Resource: "*" });

const roleProps = (role: string, props: object = {}) =>
  neverRead(
    {
      name: `moat-acme-${role}`,
      assumeRolePolicy: trust(),
      inlinePolicies: [{ name: "sessions", policy: sessions }],
      tags: { "moat:role": role, "moat:tenant": "acme" },
      ...props,
    },
    "arn",
    "uniqueId",
  );
const role = (kind = "people-member", props: object = {}) => ({
  type: IamType.role,
  name: "acme-member",
  props: roleProps(kind, props),
});

// The analyzer hands a resource policy the resource's provider; the shared harness does not, so
// this wrapper adds one, its properties encoded as the AWS provider encodes them.
function withProvider(
  policy: ResourceValidationPolicy,
  defaultTags: object | string,
): ResourceValidationPolicy {
  const props = (unknownCheckingProxy as (p: object) => Record<string, unknown>)({
    defaultTags: typeof defaultTags === "string" ? defaultTags : JSON.stringify(defaultTags),
  });
  const provider = {
    type: "pulumi:providers:aws",
    name: "acme",
    urn: "urn:pulumi:test::moat::pulumi:providers:aws::acme",
    props,
  };
  const validations = [policy.validateResource ?? []].flat();
  return {
    ...policy,
    validateResource: validations.map((v) => (args, report) => v({ ...args, provider }, report)),
  };
}

describe("iam-people-role-trust-requires-mfa", () => {
  const policy = iamPeopleRoleTrustRequiresMfa;
  const noMfa = (statement = "Statement[0]") =>
    `Require MFA in ${statement} of the trust policy of people role "acme-member": add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}; BoolIfExists and other operators let sessions without MFA through (IAM-1).`;

  it("passes a member and an admin role that require MFA (IAM-1)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, role()), passes);
    assert.deepEqual(await runResourcePolicy(policy, role("people-admin")), passes);
  });

  it("passes a trust policy given as an object rather than JSON text", async () => {
    const assumeRolePolicy = JSON.parse(trust());
    assert.deepEqual(await runResourcePolicy(policy, role("people-member", { assumeRolePolicy })), passes);
  });

  it("fails a trust statement without MFA (IAM-1)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, role("people-member", { assumeRolePolicy: trust({}) })),
      fails(noMfa()),
    );
  });

  it("fails BoolIfExists, which admits callers without MFA context (IAM-1)", async () => {
    const assumeRolePolicy = trust({ BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } });
    assert.deepEqual(
      await runResourcePolicy(policy, role("people-admin", { assumeRolePolicy })),
      fails(noMfa()),
    );
  });

  it("fails a trust policy that is unknown at preview instead of skipping it (POL-2)", async () => {
    const run = await runResourcePolicy(policy, role("people-member", { assumeRolePolicy: unknown.string }));
    assert.deepEqual(
      run,
      fails(
        'Build the trust policy (assumeRolePolicy) of people role "acme-member" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (IAM-1, POL-2).',
      ),
    );
  });

  it("fails a role whose moat:role tag is unknown, as it may be a people role (POL-2)", async () => {
    const run = await runResourcePolicy(policy, role("people-member", { tags: unknown.object }));
    assert.deepEqual(
      run,
      fails(
        'Build the tags of role "acme-member" from values known at preview: its moat:role tag is unknown, so this policy cannot tell whether it is a role for people (IAM-1, POL-2).',
      ),
    );
  });

  it("does not apply to other roles", async () => {
    const run = await runResourcePolicy(policy, role("head", { assumeRolePolicy: trust({}) }));
    assert.equal(
      run.notApplicable,
      "Policy only applies to roles tagged moat:role people-admin or people-member",
    );
  });
});

describe("iam-people-role-inline-policy-tenant-scoped", () => {
  const policy = iamPeopleRoleInlinePolicyTenantScoped;
  const scope = (statement: string, source = 'inline policy "sessions"') =>
    `Scope ${statement} of ${source} of people role "acme-member" to tenant "acme": add a StringEquals condition on aws:ResourceTag/moat:tenant = "acme", name only resources under moat/acme/ or moat-acme-, or grant only named Describe/List actions (IAM-1).`;

  it("passes a member role scoped to its tenant (IAM-1)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, role()), passes);
  });

  it("takes the tenant from the provider's default tags when the role has no tenant tag", async () => {
    const tags = { "moat:role": "people-member" };
    const run = await runResourcePolicy(
      withProvider(policy, { tags: { "moat:tenant": "acme" } }),
      role("people-member", { tags }),
    );
    assert.deepEqual(run, passes);
    const other = await runResourcePolicy(
      withProvider(policy, { tags: { "moat:tenant": "other" } }),
      role("people-member", { tags }),
    );
    assert.equal(
      other.violations.length,
      2,
      "the tenant-specific statements are out of scope for tenant other",
    );
  });

  it("holds names to the role's environment, from its tags or the provider's default tags", async () => {
    const prodSessions = document(
      {
        Sid: "Sessions",
        Effect: "Allow",
        Action: "ssm:StartSession",
        Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
        Condition: {
          StringEquals: { "ssm:resourceTag/moat:tenant": "acme", "ssm:resourceTag/moat:environment": "prod" },
        },
      },
      {
        Sid: "Tokens",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/acme-prod/jupyter-token/*",
      },
    );
    const props = (policyText: string) => ({
      name: "moat-acme-prod-people-member",
      inlinePolicies: [{ name: "sessions", policy: policyText }],
      tags: { "moat:role": "people-member" },
    });
    const inProd = withProvider(policy, { tags: { "moat:tenant": "acme", "moat:environment": "prod" } });
    assert.deepEqual(await runResourcePolicy(inProd, role("people-member", props(prodSessions))), passes);
    const devTokens = prodSessions.replace("moat/acme-prod/", "moat/acme-dev/");
    assert.deepEqual(
      await runResourcePolicy(inProd, role("people-member", props(devTokens))),
      fails(
        'Scope Statement[1] ("Tokens") of inline policy "sessions" of people role "acme-member" to tenant "acme": add a StringEquals condition on aws:ResourceTag/moat:tenant = "acme" and aws:ResourceTag/moat:environment = "prod", name only resources under moat/acme-prod/ or moat-acme-prod-, or grant only named Describe/List actions (IAM-1).',
      ),
    );
  });

  it("with an environment, holds tag-scoped grants to both tags: the tenant tag alone reaches its other environments", async () => {
    const tenantOnly = document({
      Sid: "Sessions",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
      Condition: { StringEquals: { "ssm:resourceTag/moat:tenant": "acme" } },
    });
    const props = {
      name: "moat-acme-prod-people-member",
      inlinePolicies: [{ name: "sessions", policy: tenantOnly }],
      tags: { "moat:role": "people-member" },
    };
    const inProd = withProvider(policy, { tags: { "moat:tenant": "acme", "moat:environment": "prod" } });
    assert.deepEqual(
      await runResourcePolicy(inProd, role("people-member", props)),
      fails(
        'Scope Statement[0] ("Sessions") of inline policy "sessions" of people role "acme-member" to tenant "acme": add a StringEquals condition on aws:ResourceTag/moat:tenant = "acme" and aws:ResourceTag/moat:environment = "prod", name only resources under moat/acme-prod/ or moat-acme-prod-, or grant only named Describe/List actions (IAM-1).',
      ),
    );
    // Without an environment tag on the role, the tenant tag is all there is to hold it to.
    const noEnvironment = withProvider(policy, { tags: { "moat:tenant": "acme" } });
    assert.deepEqual(await runResourcePolicy(noEnvironment, role("people-member", props)), passes);
  });

  it("fails a statement that reaches beyond the tenant (IAM-1)", async () => {
    const inlinePolicies = [
      { name: "sessions", policy: sessions },
      { name: "data", policy: unscoped },
    ];
    const run = await runResourcePolicy(policy, role("people-member", { inlinePolicies }));
    assert.deepEqual(run, fails(scope('Statement[0] ("Everything")', 'inline policy "data"')));
  });

  it("fails security-group writes on a member role and passes them on an admin role (IAM-1)", async () => {
    const firewall = document({
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: "arn:aws:ec2:us-east-1:111122223333:security-group/*",
      Condition: { StringEquals: { "aws:ResourceTag/moat:tenant": "acme" } },
    });
    const inlinePolicies = [{ name: "firewall", policy: firewall }];
    assert.deepEqual(await runResourcePolicy(policy, role("people-admin", { inlinePolicies })), passes);
    assert.deepEqual(
      await runResourcePolicy(policy, role("people-member", { inlinePolicies })),
      fails(
        'Remove the security-group writes (ec2:AuthorizeSecurityGroupIngress, ec2:RevokeSecurityGroupIngress) from Statement[0] of inline policy "firewall" of people role "acme-member": only the tenant\'s admin role may change firewall rules (IAM-1).',
      ),
    );
  });

  it("fails a people role without a tenant tag or default tag", async () => {
    const run = await runResourcePolicy(
      policy,
      role("people-member", { tags: { "moat:role": "people-member" } }),
    );
    assert.deepEqual(
      run,
      fails(
        'Tag people role "acme-member" with moat:tenant (or set it in the provider\'s default tags) from a value known at preview: it is missing, so this policy cannot check that its permissions stay within one tenant (IAM-1, POL-2).',
      ),
    );
  });

  it("fails inline policies that are unknown at preview, as a list or one document (POL-2)", async () => {
    const unknownList = await runResourcePolicy(
      policy,
      role("people-member", { inlinePolicies: unknown.array }),
    );
    assert.deepEqual(
      unknownList,
      fails(
        'Build the inline policies (inlinePolicies) of people role "acme-member" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (IAM-1, POL-2).',
      ),
    );
    const inlinePolicies = [{ name: "sessions", policy: unknown.string }];
    const unknownDocument = await runResourcePolicy(policy, role("people-member", { inlinePolicies }));
    assert.deepEqual(
      unknownDocument,
      fails(
        'Build inline policy "sessions" of people role "acme-member" from values known at preview (account ID, region, tenant id, names you choose), not from resource outputs: it is unknown, so this policy cannot check it (IAM-1, POL-2).',
      ),
    );
  });

  it("fails an inline policy that is not a policy document", async () => {
    const run = await runResourcePolicy(
      policy,
      role("people-member", { inlinePolicies: [{ name: "x", policy: "{" }] }),
    );
    assert.deepEqual(
      run,
      fails(
        'Fix inline policy "x" of people role "acme-member": it is not a valid IAM policy document, as it is not valid JSON (IAM-1).',
      ),
    );
  });
});
