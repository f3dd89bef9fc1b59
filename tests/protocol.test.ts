/**
 * The offline preview end to end: the program's registrations recorded under the mock runtime, the
 * real pack driven over gRPC, violations caught as mandatory, and bad input stopped before anything
 * is planned.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { PolicySession } from "../tools/src/analyzer/session";
import { readProject, StackFile } from "../tools/src/plan/project";
import { runProgram } from "../tools/src/plan/run-program";
import type { RecordedResource } from "../tools/src/plan/types";
import { fixtureFile, moat, ROOT, scratchProject } from "./moat-cli";
import { rawFixturePlans } from "./plans";

/* eslint-disable @typescript-eslint/no-require-imports -- generated protobuf modules ship as untyped CommonJS */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const project = readProject(ROOT);
/** The fixture-bastion stack file as stack `dev`, for scratch projects that swap in their own program. */
const DEV_STACK = { "Pulumi.dev.yaml": fixtureFile("fixture-bastion") };

describe("offline preview through the analyzer protocol", () => {
  let session: PolicySession;
  let fixture: StackFile;
  let resources: readonly RecordedResource[];

  before(async () => {
    session = await PolicySession.start(`${ROOT}/policies`);
    ({ stack: fixture, resources } = rawFixturePlans(false).find(
      (p) => p.stack.stack === "fixture-bastion",
    )!);
  });
  after(() => session?.close());

  it("records registrations with their options, parents and property dependencies", () => {
    const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
    const subnet = resources.find((r) => r.type === "aws:ec2/subnet:Subnet")!;
    assert.equal(vpc.urn, "urn:pulumi:fixture-bastion::moat::moat:network:Network$aws:ec2/vpc:Vpc::dev-vpc");
    assert.equal(vpc.parent, "urn:pulumi:fixture-bastion::moat::moat:network:Network::dev");
    assert.equal(vpc.provider, "urn:pulumi:fixture-bastion::moat::pulumi:providers:aws::dev-aws");
    assert.deepEqual(subnet.propertyDependencies.vpcId, [vpc.urn]);
    assert.ok(subnet.dependencies.includes(vpc.urn));
    assert.equal(typeof vpc.protect, "boolean");
  });

  it("finds no mandatory violation in the fixture-bastion stack", async () => {
    const verdict = await session.analyze(project.name, fixture, resources);
    assert.deepEqual(
      verdict.violations.filter((v) => v.level === "mandatory"),
      [],
    );
    assert.equal(verdict.pack.name, "moat");
  });

  it("reports a default security group with rules as mandatory, citing NET-1", async () => {
    const mutated = resources.map((r) =>
      r.type === "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
            },
          }
        : r,
    );
    const verdict = await session.analyze(project.name, fixture, mutated);
    const found = verdict.violations.filter((v) => v.level === "mandatory");
    // The reachability policy sees the same rule as a way in from outside (NET-5): both stop it.
    assert.deepEqual(found.map((v) => v.policy).sort(), [
      "net-default-security-group-no-rules",
      "net-reachability-entry-points-only",
    ]);
    assert.ok(found.every((v) => /DefaultSecurityGroup::dev-default-sg$/.test(v.urn)));
    assert.deepEqual(found.find((v) => v.policy === "net-default-security-group-no-rules")!.requirements, [
      "NET-1",
    ]);
  });

  it("reports an all-ports rule from the internet through the legacy rule type as mandatory (NET-9)", async () => {
    const group = resources.find((r) => r.type === "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")!;
    const legacy: RecordedResource = {
      ...group,
      urn: "urn:pulumi:fixture-bastion::moat::aws:ec2/securityGroupRule:SecurityGroupRule::open-everything",
      type: "aws:ec2/securityGroupRule:SecurityGroupRule",
      name: "open-everything",
      inputs: {
        type: "ingress",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
        securityGroupId: "sg-1",
      },
      propertyDependencies: { securityGroupId: [group.urn] },
    };
    const verdict = await session.analyze(project.name, fixture, [...resources, legacy]);
    const found = verdict.violations.filter((v) => v.level === "mandatory" && v.urn === legacy.urn);
    const caught = new Set(found.flatMap((v) => v.requirements));
    assert.ok(caught.has("NET-9"), JSON.stringify(found));
    assert.ok(caught.has("NET-6"), "the world may reach only SSH on internet-facing groups");
  });

  it("sends resource options: the pack refuses a request without them, as from a too-old CLI", async () => {
    const client = (session as unknown as { client: { analyze(r: unknown): Promise<unknown> } }).client;
    const req = new analyzerPb.AnalyzeRequest();
    req.setType("aws:ec2/vpc:Vpc");
    req.setUrn("urn:pulumi:dev::moat::aws:ec2/vpc:Vpc::bare");
    req.setName("bare");
    req.setProperties(Struct.fromJavaScript({}));
    await assert.rejects(client.analyze(req), /more recent version of the Pulumi CLI is required/);
  });
});

describe("moat plan on a violating program", () => {
  it("exits 1 and shows the mandatory violation with its requirement ID", () => {
    const program = [
      'import * as aws from "@pulumi/aws";',
      'const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.9.0.0/16" });',
      'new aws.ec2.DefaultSecurityGroup("default", { vpcId: vpc.id, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });',
    ].join("\n");
    const dir = scratchProject(DEV_STACK, program);
    const run = moat(["plan", "dev"], dir);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^\s+MANDATORY\s+net-default-security-group-no-rules\s+aws:ec2\/defaultSecurityGroup:DefaultSecurityGroup::default\s.*NET-1$/m,
    );
    assert.match(run.stdout, /^FAIL dev: 2 resources, [1-9]\d* mandatory/m);
  });
});

describe("bad input is stopped before anything is planned", () => {
  it("an invalid config registers nothing but Pulumi's stack root", async () => {
    const fixture = rawFixturePlans(false).find((p) => p.stack.stack === "fixture-bastion")!.stack;
    const broken: StackFile = {
      ...fixture,
      stack: "broken",
      file: "stacks/Pulumi.broken.yaml",
      config: {
        ...fixture.config,
        "moat:network": JSON.stringify({ cidr: "10.0.0.0/33", availabilityZone: "us-east-1a" }),
      },
    };
    const run = await runProgram(project, broken, { unknowns: false, typeCheck: false });
    assert.deepEqual(run.failure, {
      kind: "config",
      problems: [
        'stacks/Pulumi.broken.yaml: moat:network.cidr "10.0.0.0/33" is not an IPv4 CIDR block (a.b.c.d/n); use a private range between /16 and /24, e.g. 10.42.0.0/16',
      ],
    });
    assert.deepEqual(
      run.resources.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
    );
  });

  it("moat plan exits 2 naming the stack file and key, without a stack trace", () => {
    const text = fixtureFile("fixture-bastion").replace("cidr: 10.20.0.0/20", "cidr: 10.0.0.0/33");
    const dir = scratchProject({ "Pulumi.typo.yaml": text.replace("availabilityZone:", "availabiltyZone:") });
    const run = moat(["plan", "typo"], dir);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /stacks\/Pulumi\.typo\.yaml: moat:network\.cidr "10\.0\.0\.0\/33" is not an IPv4 CIDR/,
    );
    assert.match(
      run.stderr,
      /moat:network\.availabiltyZone is not a Moat setting; did you mean 'availabilityZone'\?/,
    );
    assert.doesNotMatch(run.stderr, /^\s+at /m);
    assert.equal(run.stdout, "");
  });

  it("a provider function without a fixture stops the preview, naming its token", () => {
    const program = [
      'import * as aws from "@pulumi/aws";',
      'export const ami = aws.ec2.getAmiOutput({ owners: ["amazon"], mostRecent: true }).id;',
    ].join("\n");
    const dir = scratchProject(DEV_STACK, program);
    const run = moat(["plan", "dev"], dir);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /no fixture for provider function 'aws:ec2\/getAmi:getAmi'/);
  });

  it("usage errors exit 2", () => {
    const unknownStack = moat(
      ["plan", "no-such-stack"],
      scratchProject({ ...DEV_STACK, "Pulumi.b.yaml": "" }),
    );
    assert.equal(unknownStack.status, 2);
    assert.match(
      unknownStack.stderr,
      /^stacks\/Pulumi\.no-such-stack\.yaml not found: no stack 'no-such-stack'; known stacks: b, dev$/m,
    );
    assert.equal(moat(["plan", "--bogus"]).status, 2);
    assert.equal(moat(["frobnicate"]).status, 2);
  });
});

describe("secrets never appear in plain text (CMP-8)", () => {
  it("redacts secret inputs and outputs in the JSON plan and the report", () => {
    const value = "jupyter-token-3f9c2a7d8e1b4c6f0a5d9e2b7c4f1a8d";
    const program = [
      'import * as pulumi from "@pulumi/pulumi";',
      'import * as aws from "@pulumi/aws";',
      `const token = pulumi.secret("${value}");`,
      'const param = new aws.ssm.Parameter("token", { type: "SecureString", value: token, keyId: "alias/moat-dev" });',
      "export const jupyterToken = token;",
      "export const parameterName = param.name;",
    ].join("\n");
    const dir = scratchProject(DEV_STACK, program);
    const run = moat(["plan", "dev", "--json", `${dir}/plan.json`], dir);
    // A one-parameter program is no tenant stack (no tenant tags): the pack fails it (exit 1), and
    // every finding and report must still keep the secret out.
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /MANDATORY\s+aud-resource-tenant-tagged/);
    const text = fs.readFileSync(`${dir}/plan.json`, "utf8");
    assert.ok(!text.includes(value) && !run.stdout.includes(value) && !run.stderr.includes(value));
    const plan = JSON.parse(text);
    const param = plan.resources.find((r: { type: string }) => r.type === "aws:ssm/parameter:Parameter");
    assert.equal(param.inputs.value, "[secret]");
    assert.deepEqual(param.secretPaths, ["value"]);
    assert.equal(plan.outputs.jupyterToken, "[secret]");
    assert.deepEqual(plan.outputSecretPaths, ["jupyterToken"]);
  });
});
