// NET-8 for the file system itself: FSx and EFS mount targets in storage subnets behind storage
// groups, linked by dependency and checked in every ID mode (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { datFilesystemStorageIsolated } from "./dat-storage";
import { DatType } from "./dat-types";
import { ID_MODES, StackSpec, buildStack, urnOf } from "./net-fixtures";
import { StackViolation, runStackPolicy, unknown } from "./testing";

const policy = datFilesystemStorageIsolated;

/** Lustre and an EFS mount target, both in the storage subnet behind the storage group. */
function storageStack(): StackSpec {
  return {
    storage: { type: DatType.subnet, props: { tags: { "moat:tier": "storage" } } },
    compute: { type: DatType.subnet, props: { tags: { "moat:tier": "compute" } } },
    "storage-sg": { type: DatType.securityGroup, props: { tags: { "moat:role": "storage" } } },
    "head-sg": { type: DatType.securityGroup, props: { tags: { "moat:role": "head" } } },
    lustre: {
      type: DatType.lustre,
      props: { deploymentType: "PERSISTENT_2" },
      links: { subnetIds: ["storage"], securityGroupIds: ["storage-sg"] },
    },
    efs: { type: DatType.efs, props: { encrypted: true } },
    "efs-mount": {
      type: DatType.efsMountTarget,
      props: {},
      links: { fileSystemId: ["efs"], subnetId: ["storage"], securityGroups: ["storage-sg"] },
    },
  };
}

async function verdict(change: (s: StackSpec) => void, expected: readonly StackViolation[]) {
  for (const mode of ID_MODES) {
    const specs = storageStack();
    change(specs);
    const run = await runStackPolicy(policy, buildStack(specs, mode));
    assert.deepEqual(run, { violations: expected }, `ID mode ${mode}`);
  }
}

const onLustre = (message: string) => ({ message, urn: urnOf(DatType.lustre, "lustre") });
const onMount = (message: string) => ({ message, urn: urnOf(DatType.efsMountTarget, "efs-mount") });

describe("dat-filesystem-storage-isolated (NET-8)", () => {
  it("passes FSx and mount targets in storage subnets behind the storage group", () => verdict(() => {}, []));

  it("fails a file system in a compute subnet behind a head group", () =>
    verdict(
      (s) => (s.lustre.links = { subnetIds: ["compute"], securityGroupIds: ["storage-sg", "head-sg"] }),
      [
        onLustre(
          'Place FSx for Lustre file system "lustre" in a subnet tagged moat:tier storage, not subnet "compute" (tier compute): the shared file system sits in storage subnets, which route nothing to the internet (NET-8).',
        ),
        onLustre(
          'Protect FSx for Lustre file system "lustre" with the security group tagged moat:role storage, not security group "head-sg" (role head): only the storage group admits nothing but filesystem ports from the cluster\'s nodes (NET-8).',
        ),
      ],
    ));

  it("fails a mount target with literal subnet and groups, which cannot be checked", () =>
    verdict(
      (s) => {
        s["efs-mount"].links = { fileSystemId: ["efs"] };
        s["efs-mount"].props = { subnetId: "subnet-0123", securityGroups: ["sg-0123"] };
      },
      [
        onMount(
          'Build subnetId of EFS mount target "efs-mount" from the storage subnet of this stack (its id output): a literal or external subnet cannot be checked for the storage tier (NET-8).',
        ),
        onMount(
          'Set securityGroups of EFS mount target "efs-mount" to the storage security group of this stack (its id output): without it the file system uses the VPC\'s default group, or a group no policy can check (NET-8).',
        ),
      ],
    ));

  it("fails tags unknown at preview (POL-2)", () =>
    verdict(
      (s) => {
        s.storage.props.tags = unknown.object;
        s["storage-sg"].props.tags = { "moat:role": unknown.string };
      },
      [
        onLustre(
          'Place FSx for Lustre file system "lustre" in a subnet tagged moat:tier storage, not subnet "storage" (a tier unknown at preview): the shared file system sits in storage subnets, which route nothing to the internet (NET-8).',
        ),
        onLustre(
          'Protect FSx for Lustre file system "lustre" with the security group tagged moat:role storage, not security group "storage-sg" (a role unknown at preview): only the storage group admits nothing but filesystem ports from the cluster\'s nodes (NET-8).',
        ),
        onMount(
          'Place EFS mount target "efs-mount" in a subnet tagged moat:tier storage, not subnet "storage" (a tier unknown at preview): the shared file system sits in storage subnets, which route nothing to the internet (NET-8).',
        ),
        onMount(
          'Protect EFS mount target "efs-mount" with the security group tagged moat:role storage, not security group "storage-sg" (a role unknown at preview): only the storage group admits nothing but filesystem ports from the cluster\'s nodes (NET-8).',
        ),
      ],
    ));
});
