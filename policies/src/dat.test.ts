// The DAT policy list as the pack consumes it: named, described, traceable to requirements,
// covering DAT-1, DAT-2 and DAT-4 for file systems, and mandatory by the pack's default.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyResourceOptions, ResourceValidationPolicy } from "@pulumi/policy";
import { CmpType } from "./cmp-types";
import { datPolicies } from "./dat";
import { DatType } from "./dat-types";
import { kmsPolicies } from "./kms";
import { ID_MODES, StackSpec, buildStack, compliantStack, resourceFixtures } from "./net-fixtures";
import { runResourcePolicy, runStackPolicy, unknown } from "./testing";

// Sets the options a program passed (here `protect`), as the analyzer would.
const protect = (policy: ResourceValidationPolicy, opts: Partial<PolicyResourceOptions>) => ({
  ...policy,
  validateResource: [policy.validateResource ?? []]
    .flat()
    .map(
      (v) => (args: Parameters<typeof v>[0], report: Parameters<typeof v>[1]) =>
        v({ ...args, opts: { ...args.opts, ...opts } }, report),
    ),
});

const denyInsecure = {
  Effect: "Deny",
  Principal: "*",
  Action: "*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

/** A compliant data plane: Lustre and EFS under the tenant key, protected, backed up, isolated. */
function dataPlane(): StackSpec {
  const placed = { subnetIds: ["storage"], securityGroupIds: ["storage-sg"] };
  return {
    storage: { type: DatType.subnet, props: { tags: { "moat:tier": "storage" } } },
    "storage-sg": { type: DatType.securityGroup, props: { tags: { "moat:role": "storage" } } },
    lustre: {
      type: DatType.lustre,
      props: {
        deploymentType: "PERSISTENT_2",
        kmsKeyId: unknown.string,
        automaticBackupRetentionDays: 7,
        copyTagsToBackups: true,
      },
      links: placed,
    },
    efs: { type: DatType.efs, props: { encrypted: true, kmsKeyId: unknown.string } },
    "efs-policy": {
      type: DatType.efsPolicy,
      props: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecure] }) },
      links: { fileSystemId: ["efs"] },
    },
    "efs-backup": {
      type: DatType.efsBackupPolicy,
      props: { backupPolicy: { status: "ENABLED" } },
      links: { fileSystemId: ["efs"] },
    },
    "efs-mount": {
      type: DatType.efsMountTarget,
      props: {},
      links: { fileSystemId: ["efs"], subnetId: ["storage"], securityGroups: ["storage-sg"] },
    },
    "compute-a": {
      type: CmpType.launchTemplate,
      props: {
        userData: Buffer.from("#!/bin/bash\nmount -t efs -o tls fs-1:/ /shared\n").toString("base64"),
      },
    },
  };
}

const ids = (description: string) => [...description.matchAll(/\((?:[A-Z0-9]+-\d+(?:, )?)+\)\.$/g)].join(" ");

describe("datPolicies", () => {
  it("gives every policy a unique kebab-case dat- name, distinct from the KMS policies", () => {
    const names = datPolicies.map((p) => p.name);
    const kms = new Set(kmsPolicies.map((p) => p.name));
    assert.equal(new Set(names).size, names.length, `duplicate names in ${names.join(", ")}`);
    for (const name of names) {
      assert.match(name, /^dat(-[a-z0-9]+)+$/);
      assert.ok(!kms.has(name), name);
    }
  });

  it('describes every policy as "Checks that ..." ending with its requirement IDs in parentheses', () => {
    for (const policy of datPolicies) {
      assert.match(policy.description, /^Checks that /, policy.name);
      assert.match(ids(policy.description), /\b(DAT|NET)-\d+\b/, policy.name);
    }
  });

  it("covers DAT-1, DAT-2 and DAT-4 for file systems, and NET-8 for where they sit", () => {
    const covered = new Set(datPolicies.flatMap((p) => ids(p.description).match(/[A-Z]+-\d+/g) ?? []));
    for (const id of ["DAT-1", "DAT-2", "DAT-4", "NET-8"]) {
      assert.ok(covered.has(id), id);
    }
  });

  it("passes a compliant data plane, stack policies in every ID mode, and the NET fixture stack (POL-2)", async () => {
    for (const specs of [dataPlane(), compliantStack()]) {
      for (const policy of datPolicies) {
        if ("validateStack" in policy) {
          for (const mode of ID_MODES) {
            const run = await runStackPolicy(policy, buildStack(specs, mode));
            assert.deepEqual(run, { violations: [] }, `${policy.name} ${mode}`);
          }
          continue;
        }
        for (const resource of resourceFixtures(specs)) {
          const run = await runResourcePolicy(protect(policy, { protect: true }), resource);
          assert.deepEqual(run.violations, [], `${policy.name} on ${resource.name}`);
          assert.equal(run.previewError, undefined, `${policy.name} on ${resource.name}`);
        }
      }
    }
  });
});
