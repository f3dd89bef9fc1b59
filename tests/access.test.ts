/**
 * The access path as a reviewer checks it, on real plans of the example stacks: what the internet
 * can reach, that no secret reaches the plan in plain text, that rotation replaces no node, and how
 * world SSH is refused, acknowledged and still reported (NET-6, NET-7, CMP-8, CMP-9).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as ipaddr from "ipaddr.js";
import { exampleStacks, moat, planStackVariant } from "./moat-cli";

interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  propertyDependencies: Record<string, string[]>;
  secretPaths: string[];
}
interface Plan {
  resources: PlannedResource[];
  policy: { violations: { policy: string; level: string; requirements: string[] }[] };
}

/** Plans a variant of the dev stack. */
const planVariant = (change: (config: Record<string, unknown>) => void, policy?: object) =>
  planStackVariant<Plan>("dev", change, policy);

function planStack(stack: string): { text: string; stdout: string; plan: Plan } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "moat-")), "plan.json");
  const run = moat(["plan", stack, "--json", file]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const text = fs.readFileSync(file, "utf8");
  return { text, stdout: run.stdout, plan: JSON.parse(text) };
}

/** What each example stack may expose to the internet: SSH from its allowlist into one role. */
const ENTRY_POINTS: Record<string, { cidr: string; group: string }[]> = {
  dev: [{ cidr: "198.51.100.0/24", group: "bastion" }],
  "acme-prod": [
    { cidr: "198.51.100.64/26", group: "bastion" },
    { cidr: "203.0.113.0/25", group: "bastion" },
  ],
  "globex-research": [],
  "initech-lab": [
    { cidr: "198.51.100.200/32", group: "head" },
    { cidr: "203.0.113.32/27", group: "head" },
  ],
};

describe("the internet reaches only SSH of the mode's entry point, from the allowlist (NET-6, NET-7)", () => {
  for (const [stack, expected] of Object.entries(ENTRY_POINTS)) {
    it(`${stack}: exactly ${expected.length} ingress rule(s) from outside the VPC, all tcp 22`, () => {
      const { plan } = planStack(stack);
      const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
      const vpcCidr = plan.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!.inputs.cidrBlock as string;
      const vpc = ipaddr.IPv4.parseCIDR(vpcCidr);
      const external = plan.resources
        .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter(
          (r) =>
            typeof r.inputs.cidrIpv4 === "string" &&
            !ipaddr.IPv4.parse(r.inputs.cidrIpv4.split("/")[0]).match(vpc),
        )
        .map((r) => {
          const group = byUrn.get(r.propertyDependencies.securityGroupId?.[0] ?? "");
          const tags = (group?.inputs.tags ?? {}) as Record<string, string>;
          assert.deepEqual(
            [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort],
            ["tcp", 22, 22],
            r.name,
          );
          return { cidr: String(r.inputs.cidrIpv4), group: tags["moat:role"] };
        })
        .sort((a, b) => a.cidr.localeCompare(b.cidr));
      assert.deepEqual(external, expected);
      assert.equal(plan.resources.filter((r) => r.inputs.cidrIpv6 !== undefined).length, 0);
      const publicNodes = plan.resources
        .filter((r) => r.type === "aws:ec2/instance:Instance" && r.inputs.associatePublicIpAddress !== false)
        .map((r) => (r.inputs.tags as Record<string, string>)["moat:role"]);
      const withEip = plan.resources.filter(
        (r) => r.type === "aws:ec2/eip:Eip" && r.inputs.instance !== undefined,
      );
      if (expected[0]?.group === "head") {
        assert.ok(
          publicNodes.length > 0 && publicNodes.every((role) => role === "head"),
          "direct: head nodes only",
        );
        assert.equal(withEip.length, 0);
      } else {
        assert.deepEqual(publicNodes, [], "only the bastion's Elastic IP is public");
        assert.equal(withEip.length, expected.length > 0 ? 1 : 0);
      }
    });
  }
});

describe("no secret in plain text in the plan (CMP-6, CMP-8)", () => {
  it("redacts every generated key, token and certificate key, in every example stack", () => {
    for (const stack of exampleStacks()) {
      const { text, stdout, plan } = planStack(stack);
      // The offline fixtures give generated secrets values that start with this marker.
      assert.doesNotMatch(text + stdout, /offline-fake/, stack);
      assert.doesNotMatch(text, /PRIVATE KEY/, stack);
      const versions = plan.resources.filter(
        (r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion",
      );
      assert.ok(versions.length >= 3, stack);
      for (const v of versions) {
        assert.deepEqual(v.secretPaths, ["secretString"], v.name);
      }
    }
  });
});

describe("rotation (CMP-9)", () => {
  it("a new rotation epoch regenerates the cluster key and tokens and leaves every node as it was", () => {
    const before = planVariant(() => undefined).plan!;
    const after = planVariant((c) => (c["moat:rotation"] = { epoch: 1 })).plan!;
    const nodes = (p: Plan) =>
      p.resources.filter((r) => r.type === "aws:ec2/instance:Instance").map((r) => [r.urn, r.inputs]);
    assert.deepEqual(nodes(after), nodes(before));
    const keyNames = (p: Plan) =>
      p.resources.filter((r) => r.type === "tls:index/privateKey:PrivateKey").map((r) => r.name);
    assert.ok(keyNames(before).includes("dev-ssh-key-e0"));
    assert.ok(keyNames(after).includes("dev-ssh-key-e1"));
    const keepers = (p: Plan) =>
      p.resources
        .filter((r) => r.type === "random:index/randomPassword:RandomPassword")
        .map((r) => r.inputs.keepers);
    assert.deepEqual(keepers(after), [{ rotationEpoch: "1" }]);
  });
});

describe("SSH from 0.0.0.0/0 (NET-6)", () => {
  const world = (c: Record<string, unknown>, acknowledge: boolean) => {
    const access = c["moat:access"] as Record<string, unknown>;
    access.allowSshFrom = ["0.0.0.0/0"];
    access.acknowledgeWorldSsh = acknowledge;
  };

  it("is refused without the acknowledgement, naming the key, and nothing is planned", () => {
    const { run, plan } = planVariant((c) => world(c, false));
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /moat:access\.allowSshFrom\[0\] "0\.0\.0\.0\/0" opens SSH to the whole internet/,
    );
    assert.equal(plan, undefined);
  });

  it("acknowledged in the stack alone still fails the pack until its policy config agrees", () => {
    const { run } = planVariant((c) => world(c, true));
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /MANDATORY\s+net-world-ssh-acknowledged/);
  });

  it("acknowledged in both places plans, and the report still shows it", () => {
    const { run, plan } = planVariant((c) => world(c, true), {
      "net-world-ssh-acknowledged": { acknowledgeWorldSsh: true },
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const reported = plan!.policy.violations.filter((v) => v.policy === "net-world-ssh-reported");
    assert.equal(reported.length, 1);
    assert.equal(reported[0].level, "advisory");
    assert.deepEqual(reported[0].requirements, ["NET-6"]);
  });
});
