// AUD-1: the roles nodes assume write log events only to node log groups.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { audNodeRolesWriteNodeLogsOnly } from "./aud-node-logs";
import { IamType } from "./iam-resources";
import { runStackPolicy, stackResource } from "./testing";

const EC2_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const LAMBDA_TRUST = EC2_TRUST.replace("ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com");
const writes = (
  resource: string | string[],
  action: string | string[] = ["logs:CreateLogStream", "logs:PutLogEvents"],
) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Logs", Effect: "Allow", Action: action, Resource: resource }],
  });
const NODES = "arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/nodes/*";

const role = (trust: string, inline?: string) =>
  stackResource({
    type: IamType.role,
    name: "acme-head",
    props: {
      name: "moat-acme-head",
      assumeRolePolicy: trust,
      ...(inline ? { inlinePolicies: [{ name: "logs", policy: inline }] } : {}),
    },
  });
const rolePolicy = (of: ReturnType<typeof role>, document: string) =>
  stackResource(
    {
      type: IamType.rolePolicy,
      name: "acme-head-access",
      props: { role: "moat-acme-head", policy: document },
    },
    { propertyDependencies: { role: [of] } },
  );

describe("aud-node-roles-write-node-logs-only (AUD-1)", () => {
  it("passes a node role writing only its node log groups, and a service role writing its own group", async () => {
    const node = role(EC2_TRUST);
    assert.deepEqual(
      await runStackPolicy(audNodeRolesWriteNodeLogsOnly, [node, rolePolicy(node, writes(NODES))]),
      { violations: [] },
    );
    const flowLogs = role(
      LAMBDA_TRUST,
      writes("arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/vpc-flow-logs:*"),
    );
    assert.deepEqual(await runStackPolicy(audNodeRolesWriteNodeLogsOnly, [flowLogs]), { violations: [] });
  });

  it("passes the node log groups of a tenant environment, and fails its whole prefix", async () => {
    const node = role(EC2_TRUST);
    const prod = (group: string) => `arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme-prod/${group}`;
    assert.deepEqual(
      await runStackPolicy(audNodeRolesWriteNodeLogsOnly, [node, rolePolicy(node, writes(prod("nodes/*")))]),
      { violations: [] },
    );
    const run = await runStackPolicy(audNodeRolesWriteNodeLogsOnly, [
      node,
      rolePolicy(node, writes(prod("*"))),
    ]);
    assert.equal(run.violations.length, 1);
  });

  it("fails a node role writing the tenant's whole prefix, any group, or everything, wherever the grant lives", async () => {
    const node = role(EC2_TRUST, writes("arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/*"));
    const run = await runStackPolicy(audNodeRolesWriteNodeLogsOnly, [
      node,
      rolePolicy(node, writes("*", "logs:*")),
      stackResource(
        {
          type: IamType.rolePolicyAttachment,
          name: "acme-head-agent",
          props: { role: "moat-acme-head", policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" },
        },
        { propertyDependencies: { role: [node] } },
      ),
    ]);
    assert.deepEqual(
      run.violations.map((v) => v.message.split(": ")[0] + ": " + v.message.split(": ")[1].split(";")[0]),
      [
        'Narrow inline policy "logs" of IAM role "acme-head" (assumed by EC2 instances): Statement[0] ("Logs") lets it write log events to arn:aws:logs:us-east-1:123456789012:log-group:/moat/acme/*',
        'Narrow role policy "acme-head-access" of IAM role "acme-head" (assumed by EC2 instances): Statement[0] ("Logs") lets it write log events to *',
        'Narrow attachment "acme-head-agent" of IAM role "acme-head" (assumed by EC2 instances): AWS managed policy CloudWatchAgentServerPolicy lets it write to every log group',
      ],
    );
    assert.ok(run.violations.every((v) => v.urn === node.urn && v.message.endsWith("(AUD-1).")));
  });
});
