/**
 * POL-1: a stack's policy config exempts a named resource from a named policy only with a reason;
 * the plan shows the exempted finding and the reason, and the pack itself drops exactly that
 * finding, as it does under `pulumi preview --policy-pack-config`.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { AnalyzerClient } from "../tools/src/analyzer/client";
import { resolvePolicyConfig } from "../tools/src/analyzer/policy-config";
import { RequestBuilder } from "../tools/src/analyzer/requests";
import { PolicySession } from "../tools/src/analyzer/session";
import { readProject, readStackFile } from "../tools/src/plan/project";
import { runProgram } from "../tools/src/plan/run-program";
import type { RecordedResource } from "../tools/src/plan/types";
import { fixtureFile, moat, ROOT, scratchProject } from "./moat-cli";

// A VPC whose default security group lets SSH in from anywhere: net-default-security-group-no-rules
// (NET-1) fails it, among others.
const PROGRAM = [
  'import * as aws from "@pulumi/aws";',
  'const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.9.0.0/16" });',
  'new aws.ec2.DefaultSecurityGroup("default", { vpcId: vpc.id, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });',
].join("\n");
const POLICY = "net-default-security-group-no-rules";
const REASON = "legacy VPC import, CHG-7, until 2027-01";
const STACK = "fixture-bastion";
const STACK_FILE = { [`Pulumi.${STACK}.yaml`]: fixtureFile(STACK) };
const exempting = (policyConfig: object) =>
  scratchProject({ ...STACK_FILE, [`Pulumi.${STACK}.policy.json`]: JSON.stringify(policyConfig) }, PROGRAM);

describe("exemptions in moat plan (POL-1)", () => {
  it("shows the exempted finding with its reason and leaves it out of the mandatory count", () => {
    const plain = moat(["plan", STACK], scratchProject(STACK_FILE, PROGRAM));
    const mandatory = (text: string) => Number(/(\d+) mandatory/.exec(text)?.[1]);
    const dir = exempting({ [POLICY]: { exemptions: [{ resource: "default", reason: REASON }] } });
    const run = moat(["plan", STACK, "--json", `${dir}/plan.json`], dir);
    assert.equal(run.status, 1, "the other findings still fail the stack");
    assert.match(run.stdout, new RegExp(`^\\s+EXEMPT \\(mandatory\\)\\s+${POLICY}\\s+\\S+::default\\s`, "m"));
    assert.match(
      run.stdout,
      new RegExp(`^\\s+${POLICY} exempts default: 1 finding\\(s\\); reason: ${REASON}$`, "m"),
    );
    assert.equal(mandatory(run.stdout), mandatory(plain.stdout) - 1);
    assert.match(run.stdout, /, 1 exempted$/m);
    const plan = JSON.parse(fs.readFileSync(`${dir}/plan.json`, "utf8"));
    assert.deepEqual(plan.policy.exemptions, [
      { policy: POLICY, resource: "default", reason: REASON, matched: 1 },
    ]);
    const exempted = plan.policy.violations.filter((v: { exemption?: unknown }) => v.exemption);
    assert.deepEqual(
      exempted.map((v: { policy: string; exemption: unknown }) => [v.policy, v.exemption]),
      [[POLICY, { resource: "default", reason: REASON }]],
    );
  });

  it("refuses an exemption without a reason, naming the file and key", () => {
    const run = moat(["plan", STACK], exempting({ [POLICY]: { exemptions: [{ resource: "default" }] } }));
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `Pulumi\\.${STACK}\\.policy\\.json: ${POLICY}\\.exemptions\\[0\\]\\.reason must say why default may break`,
      ),
    );
  });

  it("refuses a mandatory policy lowered without a reason", () => {
    const run = moat(["plan", STACK], exempting({ [POLICY]: "advisory" }));
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, new RegExp(`${POLICY} lowers a mandatory policy to advisory; give the reason`));
  });
});

describe("exemptions in the pack itself, as pulumi preview applies them (POL-1)", () => {
  let session: PolicySession;
  let resources: RecordedResource[];
  let dir: string;
  before(async () => {
    dir = exempting({});
    const project = readProject(dir);
    resources = (
      await runProgram(project, readStackFile(project, STACK), { unknowns: false, typeCheck: false })
    ).resources;
    session = await PolicySession.start(`${ROOT}/policies`);
  });
  after(() => session?.close());

  it("drops exactly the findings moat marks as exempted", async () => {
    const project = readProject(dir);
    const stack = {
      ...readStackFile(project, STACK),
      policyConfig: { [POLICY]: { exemptions: [{ resource: "default", reason: REASON }] } },
    };
    const marked = await session.analyze(project.name, stack, resources);
    // Configure the pack as the Pulumi CLI would, with the exemptions in the policy's config.
    const client = (session as unknown as { client: AnalyzerClient }).client;
    const resolved = resolvePolicyConfig(session.info, stack.policyConfig, `Pulumi.${STACK}.policy.json`);
    const config = { ...resolved.config };
    config[POLICY] = { ...config[POLICY], properties: stack.policyConfig[POLICY] };
    await client.configureStack(STACK, project.name, true, []);
    await client.configure(config);
    const builder = new RequestBuilder(resources);
    const found: string[] = [];
    for (const r of resources) {
      (await client.analyze(builder.analyzeRequest(r))).forEach((d) =>
        found.push(`${d.policyName} ${d.urn || r.urn}`),
      );
    }
    (await client.analyzeStack(builder.analyzeStackRequest())).forEach((d) =>
      found.push(`${d.policyName} ${d.urn}`),
    );
    const open = marked.violations.filter((v) => !v.exemption).map((v) => `${v.policy} ${v.urn}`);
    assert.ok(
      marked.violations.some((v) => v.exemption),
      "the exemption covered a finding",
    );
    assert.deepEqual(found.sort(), open.sort());
  });
});
