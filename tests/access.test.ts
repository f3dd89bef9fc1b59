/**
 * The access path as a reviewer checks it, on variants of the fixture-bastion stack: rotation
 * replaces no node, and world SSH is refused, acknowledged and still reported (NET-6, CMP-9). What
 * every stack exposes to the internet and that no secret reaches its plan are checked for each stack
 * in tests/stacks.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planStackVariant } from "./moat-cli";
import { planSet } from "./plans";
import type { PlanFile as Plan } from "./stack-checks";

/** Plans a variant of the fixture-bastion stack. */
const planVariant = (change: (config: Record<string, unknown>) => void, policy?: object) =>
  planStackVariant<Plan>("fixture-bastion", change, policy);

describe("rotation (CMP-9)", () => {
  it("a new rotation epoch regenerates the cluster key and tokens and leaves every node as it was", () => {
    const before = planSet("fixtures").plan<Plan>("fixture-bastion", false)!;
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
