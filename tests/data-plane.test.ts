/**
 * The data plane as a reviewer checks it on real plans of the fixture-lustre stack and a few
 * variants: EFA groups laid out per AWS's multi-card rules in one placement group and subnet, node
 * counts that never add resources, and a filesystem and key that no compute change can replace
 * (CMP-1, DAT-1, DAT-4).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rsaKey } from "../components/node-bootstrap/test-keys";
import { planStackVariant } from "./moat-cli";
import { planSet } from "./plans";
import type { PlanFile as Plan, PlannedResource } from "./stack-checks";

/** The fixture-lustre stack as planned for every test file (tests/plans.ts). */
const lustre = () => planSet("fixtures").plan<Plan>("fixture-lustre", false)!;

/** A variant of fixture-lustre, which must plan. */
const variant = (change: (config: Record<string, unknown>) => void) => {
  const { run, plan } = planStackVariant<Plan>("fixture-lustre", change);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  return plan!;
};
const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);

describe("fixture-lustre compute groups (CMP-1)", () => {
  const plan = lustre();
  const templates = ofType(plan, "aws:ec2/launchTemplate:LaunchTemplate");

  it("puts EFA on every network card: 32 on p5.48xlarge, 16 on p5en.48xlarge, first efa, the rest efa-only", () => {
    const layout = Object.fromEntries(
      templates.map((t) => {
        const interfaces = t.inputs.networkInterfaces as {
          interfaceType: string;
          networkCardIndex: number;
        }[];
        return [t.inputs.instanceType, interfaces.map((i) => `${i.networkCardIndex}:${i.interfaceType}`)];
      }),
    );
    const expected = (cards: number) =>
      Array.from({ length: cards }, (_, i) => `${i}:${i === 0 ? "efa" : "efa-only"}`);
    assert.deepEqual(layout, { "p5.48xlarge": expected(32), "p5en.48xlarge": expected(16) });
  });

  it("sizes each Auto Scaling group exactly, in one subnet, targeting its capacity reservation, with no instance refresh", () => {
    const groups = ofType(plan, "aws:autoscaling/group:Group").map((g) => [
      g.name,
      g.inputs.minSize,
      g.inputs.maxSize,
      g.inputs.desiredCapacity,
      (g.inputs.vpcZoneIdentifiers as string[]).length,
      g.inputs.instanceRefresh,
    ]);
    assert.deepEqual(groups.sort(), [
      ["acme-compute-train-h100-asg", 64, 64, 64, 1, undefined],
      ["acme-compute-train-h200-asg", 32, 32, 32, 1, undefined],
    ]);
    const reservations = templates.map(
      (t) =>
        (
          t.inputs.capacityReservationSpecification as {
            capacityReservationTarget: { capacityReservationId: string };
          }
        ).capacityReservationTarget.capacityReservationId,
    );
    assert.deepEqual(reservations.sort(), ["cr-0a1b2c3d4e5f60718", "cr-0f9e8d7c6b5a40312"]);
    assert.deepEqual(
      ofType(plan, "aws:ec2/placementGroup:PlacementGroup").map((p) => p.inputs.strategy),
      ["cluster", "cluster"],
    );
  });

  it("keeps the shared filesystem a protected, retained, encrypted PERSISTENT_2 Lustre with backups (DAT-1, DAT-4)", () => {
    const [fs] = ofType(plan, "aws:fsx/lustreFileSystem:LustreFileSystem");
    assert.equal(fs.inputs.deploymentType, "PERSISTENT_2");
    assert.equal(fs.inputs.storageCapacity, 38400);
    assert.equal(fs.inputs.perUnitStorageThroughput, 500);
    assert.equal(fs.inputs.automaticBackupRetentionDays, 14);
    assert.equal(fs.inputs.copyTagsToBackups, true);
    assert.match(String(fs.inputs.kmsKeyId), /^arn:aws:kms:/);
    assert.deepEqual([fs.protect, fs.retainOnDelete], [true, true]);
  });
});

describe("default images: Slurm out of the box (issue 4)", () => {
  it("boots head and compute nodes from the pinned ParallelCluster image and the bastion from Amazon Linux", () => {
    const plan = lustre();
    const images = (type: string, key: string) =>
      [
        ...new Set(
          ofType(plan, type).map(
            (r) =>
              `${r.inputs.tags && (r.inputs.tags as Record<string, string>)["moat:role"]}:${r.inputs[key]}`,
          ),
        ),
      ].sort();
    // tools/fixtures/invokes.json answers the ParallelCluster 3.16.1 AL2023 x86_64 image search with
    // ami-0c0ffee5106a1c3a1 and the Amazon Linux 2023 parameter with ami-0a1b2c3d4e5f60718.
    assert.deepEqual(images("aws:ec2/instance:Instance", "ami"), [
      "bastion:ami-0a1b2c3d4e5f60718",
      "head:ami-0c0ffee5106a1c3a1",
    ]);
    assert.deepEqual(images("aws:ec2/launchTemplate:LaunchTemplate", "imageId"), [
      "compute:ami-0c0ffee5106a1c3a1",
    ]);
  });
});

describe("EFA-enabled Lustre (GPUDirect Storage)", () => {
  it("plans clean with all traffic between the filesystem and its clients, as AWS requires", () => {
    const plan = variant((c) => {
      Object.assign(c["moat:sharedFilesystem"] as object, {
        efa: true,
        storageCapacityGiB: 38400,
        throughputPerUnitMiB: 125,
      });
    });
    const [fs] = ofType(plan, "aws:fsx/lustreFileSystem:LustreFileSystem");
    assert.equal(fs.inputs.efaEnabled, true);
    assert.deepEqual(fs.inputs.metadataConfiguration, { mode: "AUTOMATIC" });
    assert.deepEqual(
      plan.policy.violations.filter((v) => v.level === "mandatory"),
      [],
    );
  });
});

// What must never be lost in a tenant stack (DAT-4): the filesystem, the tenant key and every log
// group. The audit trail and its bucket are the account baseline's (accounts/); a tenant holds
// neither, and its own buckets, if it ever has any, count too.
const STATEFUL_TYPES = [
  "aws:fsx/lustreFileSystem:LustreFileSystem",
  "aws:kms/key:Key",
  "aws:cloudtrail/trail:Trail",
  "aws:cloudwatch/logGroup:LogGroup",
];
const isStateful = (r: PlannedResource) => STATEFUL_TYPES.includes(r.type) || r.type.startsWith("aws:s3/");
const stateful = (plan: Plan) =>
  plan.resources
    .filter(isStateful)
    .map((r) => ({ urn: r.urn, inputs: r.inputs, protect: r.protect, retainOnDelete: r.retainOnDelete }));

describe("node counts (issue 4, DAT-4)", () => {
  it("1,024 and 8 nodes plan as many resources as 64 and 32, and replace nothing that must survive", () => {
    const base = lustre();
    const scaled = variant((c) => {
      const groups = c["moat:computeGroups"] as { nodeCount: number }[];
      groups[0].nodeCount = 1024;
      groups[1].nodeCount = 8;
    });
    const sizes = (p: Plan) =>
      ofType(p, "aws:autoscaling/group:Group").map((g) => [g.name, g.inputs.desiredCapacity]);
    assert.deepEqual(sizes(scaled).sort(), [
      ["acme-compute-train-h100-asg", 1024],
      ["acme-compute-train-h200-asg", 8],
    ]);
    assert.equal(scaled.resources.length, base.resources.length);
    assert.deepEqual(stateful(scaled), stateful(base));
  });
});

describe("no compute, access, quarantine or alert change replaces what must survive (DAT-4)", () => {
  it("keeps their URNs and inputs when instance types, the access mode, compute groups, quarantine and alert endpoints all change", () => {
    const changed = variant((c) => {
      const groups = c["moat:computeGroups"] as Record<string, unknown>[];
      groups[1].instanceType = "p5e.48xlarge";
      groups.push({ name: "eval", instanceType: "g6e.12xlarge", nodeCount: 4 });
      (c["moat:access"] as Record<string, unknown>).mode = "direct";
      c["moat:quarantine"] = ["head", "train-h100"];
      Object.assign(c["moat:audit"] as object, {
        alertEmails: ["soc@acme.example", "oncall@acme.example"],
        alertHttpsEndpoint: "https://events.pager.example/v2/acme",
      });
    });
    // The changes took effect: a third group, head nodes facing the internet, a quarantine group.
    assert.equal(ofType(changed, "aws:autoscaling/group:Group").length, 3);
    assert.ok(
      ofType(changed, "aws:ec2/securityGroup:SecurityGroup").some(
        (g) => (g.inputs.tags as Record<string, string>)["moat:role"] === "quarantine",
      ),
    );
    assert.deepEqual(stateful(changed), stateful(lustre()));
  });

  it("is checked on the resources that matter, all protected and retained", () => {
    const base = stateful(lustre());
    const types = base.map((r) => r.urn.split("::")[2].split("$").pop()).sort();
    assert.deepEqual(
      [...new Set(types)],
      ["aws:cloudwatch/logGroup:LogGroup", "aws:fsx/lustreFileSystem:LustreFileSystem", "aws:kms/key:Key"],
    );
    assert.ok(
      base.every((r) => r.protect && r.retainOnDelete),
      JSON.stringify(base.filter((r) => !r.protect)),
    );
  });
});

describe("refusals (CMP-1, DAT-1)", () => {
  it("an EFA group on a type without EFA and a Lustre size AWS rejects exit 2, naming the keys", () => {
    const { run, plan } = planStackVariant<Plan>("fixture-lustre", (c) => {
      c["moat:computeGroups"] = [{ name: "small", instanceType: "g5.xlarge", nodeCount: 2, efa: true }];
      (c["moat:sharedFilesystem"] as Record<string, unknown>).storageCapacityGiB = 3000;
    });
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /moat:computeGroups\[0\]\.efa group "small" asks for EFA, but g5\.xlarge does not support EFA/,
    );
    assert.match(
      run.stderr,
      /moat:sharedFilesystem\.storageCapacityGiB 3000 GiB is not a size FSx for Lustre PERSISTENT_2/,
    );
    assert.equal(plan, undefined);
  });

  it("user data over EC2's limit (many RSA keys) exits 2 naming the component's check, with no stack trace", () => {
    const { run, plan } = planStackVariant<Plan>("fixture-lustre", (c) => {
      (c["moat:access"] as Record<string, unknown>).sshPublicKeys = Array.from({ length: 12 }, (_, i) => ({
        name: `user${i}`,
        publicKey: rsaKey(4096, `user${i}@example`),
      }));
    });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /a component refused what this stack asks of it, nothing was planned/);
    assert.match(run.stderr, /userData: is \d+ bytes; AWS accepts at most 16384/);
    assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
    assert.equal(plan, undefined);
  });
});
