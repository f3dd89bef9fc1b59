import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { descriptionProblem } from "../firewall-rule/rule-checks";
import { planClientRules, planStorageRules, StorageKind } from "./storage-rules";

const clients = [{ label: "head" }, { label: "cluster" }];
const keys = (kind: StorageKind) => planStorageRules(kind, clients).map((r) => r.key);

describe("planStorageRules (NET-8)", () => {
  it("NET-8: Lustre allows tcp 988 and 1018-1023 in and out, with the group itself and each client only", () => {
    assert.deepEqual(keys("lustre"), [
      "in-self-tcp-988",
      "in-self-tcp-1018-1023",
      "in-head-tcp-988",
      "in-head-tcp-1018-1023",
      "in-cluster-tcp-988",
      "in-cluster-tcp-1018-1023",
      "out-self-tcp-988",
      "out-self-tcp-1018-1023",
      "out-head-tcp-988",
      "out-head-tcp-1018-1023",
      "out-cluster-tcp-988",
      "out-cluster-tcp-1018-1023",
    ]);
    const rules = planStorageRules("lustre", clients);
    assert.ok(rules.every((r) => r.protocol === "tcp"));
    assert.deepEqual(rules[1], {
      key: "in-self-tcp-1018-1023",
      direction: "ingress",
      protocol: "tcp",
      ports: { from: 1018, to: 1023 },
      peer: { self: true },
      description: "NET-8: Lustre tcp 1018-1023 from the storage group itself",
    });
    assert.deepEqual(rules[2].peer, { client: "head" });
    assert.equal(rules[2].description, "NET-8: Lustre LNET tcp 988 from the head group");
  });

  it("NET-8: EFA Lustre allows all traffic both ways with itself and the clients, by group only", () => {
    assert.deepEqual(keys("lustre-efa"), [
      "in-self-all",
      "in-head-all",
      "in-cluster-all",
      "out-self-all",
      "out-head-all",
      "out-cluster-all",
    ]);
    for (const rule of planStorageRules("lustre-efa", clients)) {
      assert.equal(rule.protocol, "all");
      assert.equal(rule.ports, undefined);
    }
  });

  it("NET-8: EFS allows NFS 2049 in from each client, nothing from itself and nothing out", () => {
    assert.deepEqual(planStorageRules("efs", clients), [
      {
        key: "in-head-tcp-2049",
        direction: "ingress",
        protocol: "tcp",
        ports: { from: 2049, to: 2049 },
        peer: { client: "head" },
        description: "NET-8: NFS to EFS tcp 2049 from the head group",
      },
      {
        key: "in-cluster-tcp-2049",
        direction: "ingress",
        protocol: "tcp",
        ports: { from: 2049, to: 2049 },
        peer: { client: "cluster" },
        description: "NET-8: NFS to EFS tcp 2049 from the cluster group",
      },
    ]);
  });

  it("adding a client group adds its rules and keeps every existing key", () => {
    for (const kind of ["lustre", "lustre-efa", "efs"] as const) {
      const before = new Set(keys(kind));
      const after = planStorageRules(kind, [...clients, { label: "compute-b" }]).map((r) => r.key);
      assert.ok(
        [...before].every((k) => after.includes(k)),
        kind,
      );
      assert.ok(
        after.filter((k) => !before.has(k)).every((k) => k.includes("compute-b")),
        kind,
      );
    }
  });

  it("NET-11: a quarantined client is nobody's peer: no storage rule and no client rule name it", () => {
    const train = { label: "compute-train" };
    for (const kind of ["lustre", "lustre-efa", "efs"] as const) {
      const open = [...clients, train];
      const shut = [...clients, { ...train, quarantined: true }];
      assert.deepEqual(
        planStorageRules(kind, shut),
        planStorageRules(kind, clients),
        `${kind}: the storage group's rules are those of the other clients`,
      );
      assert.deepEqual(planClientRules(kind, shut), planClientRules(kind, clients), kind);
      const lifted = planStorageRules(kind, open).map((r) => r.key);
      assert.ok(
        lifted.some((k) => k.includes("compute-train")),
        `${kind}: lifting brings the rules back`,
      );
    }
    assert.deepEqual(
      planClientRules("lustre", [{ ...train, quarantined: false }]).map((r) => r.key),
      ["client-compute-train-in-tcp-988", "client-compute-train-in-tcp-1018-1023"],
    );
  });

  it("every description is one AWS accepts on a rule", () => {
    for (const kind of ["lustre", "lustre-efa", "efs"] as const) {
      const longest = [{ label: "compute-gpu-a1" }, { label: `compute-${"a".repeat(32)}` }];
      for (const rule of [...planStorageRules(kind, longest), ...planClientRules(kind, longest)]) {
        assert.equal(descriptionProblem(rule.description, "x"), undefined, rule.description);
      }
    }
  });
});
