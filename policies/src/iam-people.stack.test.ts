// IAM-1 stack policy: RolePolicy resources and attachments linked to people roles through
// property dependencies, as the engine sends them to analyzeStack at a first preview.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyResource } from "@pulumi/policy";
import { iamPeopleRoleAttachedPolicyTenantScoped } from "./iam";
import { IamType } from "./iam-resources";
import { neverRead, runStackPolicy, stackResource, unknown } from "./testing";

const passes = { violations: [] };

const document = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const sessions = document({
  Effect: "Allow",
  Action: "ssm:StartSession",
  Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
  Condition: { StringEquals: { "ssm:resourceTag/moat:tenant": "acme" } },
});
const unscoped = document({ Sid: "Everything", Effect: "Allow", Action: "s3:GetObject", Resource: "*" });

// Role outputs at a first preview: the name and tags are the program's, the ARN is AWS's.
const roleProps = (role: string, props: object = {}) =>
  neverRead(
    { name: `moat-acme-${role}`, tags: { "moat:role": role, "moat:tenant": "acme" }, ...props },
    "arn",
    "uniqueId",
  );

describe("iam-people-role-attached-policy-tenant-scoped", () => {
  const policy = iamPeopleRoleAttachedPolicyTenantScoped;
  const peopleRole = (props: object = {}) =>
    stackResource({ type: IamType.role, name: "acme-member", props: roleProps("people-member", props) });
  const rolePolicy = (target: PolicyResource, policyText: string, name = "acme-member-data") =>
    stackResource(
      { type: IamType.rolePolicy, name, props: { role: "moat-acme-people-member", policy: policyText } },
      { propertyDependencies: { role: [target] } },
    );
  const attachment = (target: PolicyResource, policyArn: string, links: PolicyResource[] = []) =>
    stackResource(
      {
        type: IamType.rolePolicyAttachment,
        name: "acme-member-extra",
        props: { role: "moat-acme-people-member", policyArn },
      },
      { propertyDependencies: { role: [target], ...(links.length > 0 ? { policyArn: links } : {}) } },
    );
  const scope = (source: string) =>
    `Scope Statement[0] ("Everything") of ${source} of people role "acme-member" to tenant "acme": add a StringEquals condition on aws:ResourceTag/moat:tenant = "acme", name only resources under moat/acme/ or moat-acme-, or grant only named Describe/List actions (IAM-1).`;

  it("passes a RolePolicy scoped to the tenant, linked through propertyDependencies (IAM-1)", async () => {
    const target = peopleRole();
    assert.deepEqual(await runStackPolicy(policy, [target, rolePolicy(target, sessions)]), passes);
  });

  it("fails an unscoped RolePolicy, reported on the RolePolicy (IAM-1)", async () => {
    const target = peopleRole();
    const attached = rolePolicy(target, unscoped);
    const run = await runStackPolicy(policy, [target, attached]);
    assert.deepEqual(run, {
      violations: [{ message: scope('role policy "acme-member-data"'), urn: attached.urn }],
    });
  });

  it("links a RolePolicy that names the role literally", async () => {
    const target = peopleRole();
    const literal = stackResource({
      type: IamType.rolePolicy,
      name: "lit",
      props: { role: "moat-acme-people-member", policy: unscoped },
    });
    const run = await runStackPolicy(policy, [target, literal]);
    assert.deepEqual(run, { violations: [{ message: scope('role policy "lit"'), urn: literal.urn }] });
  });

  it("holds a RolePolicy's names to the role's environment (IAM-1)", async () => {
    const tags = { "moat:role": "people-member", "moat:tenant": "acme", "moat:environment": "prod" };
    const target = peopleRole({ name: "moat-acme-prod-people-member", tags });
    const tokens = (nameId: string) =>
      document({
        Sid: "Everything",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: `arn:aws:secretsmanager:us-east-1:111122223333:secret:moat/${nameId}/jupyter-token/*`,
      });
    assert.deepEqual(await runStackPolicy(policy, [target, rolePolicy(target, tokens("acme-prod"))]), passes);
    const attached = rolePolicy(target, tokens("acme-dev"));
    assert.deepEqual(await runStackPolicy(policy, [target, attached]), {
      violations: [
        {
          message:
            'Scope Statement[0] ("Everything") of role policy "acme-member-data" of people role "acme-member" to tenant "acme": add a StringEquals condition on aws:ResourceTag/moat:tenant = "acme" and aws:ResourceTag/moat:environment = "prod", name only resources under moat/acme-prod/ or moat-acme-prod-, or grant only named Describe/List actions (IAM-1).',
          urn: attached.urn,
        },
      ],
    });
  });

  it("passes unscoped policies on roles that are not for people", async () => {
    const head = stackResource({ type: IamType.role, name: "head", props: roleProps("head") });
    assert.deepEqual(await runStackPolicy(policy, [head, rolePolicy(head, unscoped)]), passes);
  });

  it("checks the document of an aws.iam.Policy of the stack attached to a people role", async () => {
    const target = peopleRole();
    const own = stackResource({
      type: IamType.policy,
      name: "acme-data",
      props: neverRead({ policy: unscoped, arn: unknown.string }, "id"),
    });
    const run = await runStackPolicy(policy, [target, own, attachment(target, unknown.string, [own])]);
    assert.deepEqual(
      run.violations.map((v) => v.message),
      [scope('policy "acme-data" (attached by "acme-member-extra")')],
    );
  });

  it("fails an AWS-managed policy attached to a people role, which the pack cannot read (IAM-1)", async () => {
    const target = peopleRole();
    const managed = attachment(target, "arn:aws:iam::aws:policy/ReadOnlyAccess");
    assert.deepEqual(await runStackPolicy(policy, [target, managed]), {
      violations: [
        {
          message:
            'Replace attachment "acme-member-extra" of policy arn:aws:iam::aws:policy/ReadOnlyAccess to people role "acme-member" with a RolePolicy or an aws.iam.Policy declared in this stack: the policy pack cannot read that policy to check it stays within the tenant (IAM-1).',
          urn: managed.urn,
        },
      ],
    });
  });

  it("takes the tenant from the role's provider, and reports an unknown role tag once (POL-2)", async () => {
    const provider = {
      type: "pulumi:providers:aws",
      name: "acme",
      urn: "urn:pulumi:test::moat::pulumi:providers:aws::acme",
      props: { defaultTags: JSON.stringify({ tags: { "moat:tenant": "acme" } }) },
    };
    const target = { ...peopleRole({ tags: { "moat:role": "people-member" } }), provider };
    assert.deepEqual(await runStackPolicy(policy, [target, rolePolicy(target, sessions)]), passes);

    const untagged = peopleRole({ tags: unknown.object });
    const run = await runStackPolicy(policy, [
      untagged,
      rolePolicy(untagged, sessions, "a"),
      rolePolicy(untagged, sessions, "b"),
    ]);
    assert.deepEqual(run.violations, [
      {
        message:
          'Build the tags of role "acme-member" from values known at preview: its moat:role tag is unknown, so this policy cannot tell whether it is a role for people (IAM-1, POL-2).',
        urn: untagged.urn,
      },
    ]);
  });
});
