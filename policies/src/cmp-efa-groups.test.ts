// CMP-1 on the groups that launch EFA templates: placement, subnet, size and refresh, in every ID
// mode, so a verdict never depends on IDs and names the cloud computes (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  cmpAutoscalingGroupFixedSize,
  cmpAutoscalingGroupNoInstanceRefresh,
  cmpAutoscalingGroupSingleSubnet,
  cmpPlacementGroupClusterStrategy,
} from "./cmp-efa-groups";
import { EfaType } from "./cmp-efa-nodes";
import { ID_MODES, StackSpec, buildStack, urnOf } from "./net-fixtures";
import { StackViolation, runStackPolicy, unknown } from "./testing";

const efaInterfaces = (cards: number) =>
  Array.from({ length: cards }, (_, card) => ({
    networkCardIndex: card,
    interfaceType: card === 0 ? "efa" : "efa-only",
  }));
const role = (value: unknown) => [{ resourceType: "instance", tags: { "moat:role": value } }];
const asgRole = (value: unknown) => [{ key: "moat:role", value, propagateAtLaunch: true }];

/** A compliant EFA compute group: template in a cluster placement group, one subnet, fixed size. */
function efaStack(): StackSpec {
  return {
    compute: { type: EfaType.subnet, props: { tags: { "moat:tier": "compute" } } },
    "compute-b": { type: EfaType.subnet, props: { tags: { "moat:tier": "compute" } } },
    "compute-a-pg": { type: EfaType.placementGroup, props: { strategy: "cluster" } },
    "compute-a": {
      type: EfaType.launchTemplate,
      props: {
        instanceType: "p4d.24xlarge",
        networkInterfaces: efaInterfaces(4),
        tagSpecifications: role("compute"),
      },
      links: { placement: ["compute-a-pg"] },
    },
    "compute-a-asg": {
      type: EfaType.autoscalingGroup,
      props: {
        minSize: 8,
        maxSize: 8,
        desiredCapacity: 8,
        vpcZoneIdentifiers: [unknown.string],
        tags: asgRole("compute"),
      },
      links: { vpcZoneIdentifiers: ["compute"], launchTemplate: ["compute-a"] },
    },
  };
}

async function verdict(
  policy: StackValidationPolicy,
  change: (s: StackSpec) => void,
  expected: readonly StackViolation[],
  config: object = {},
): Promise<void> {
  for (const mode of ID_MODES) {
    const specs = efaStack();
    change(specs);
    const run = await runStackPolicy(policy, buildStack(specs, mode), config);
    assert.deepEqual(run, { violations: expected }, `ID mode ${mode}`);
  }
}

const TYPES: Readonly<Record<string, string>> = {
  "compute-a": EfaType.launchTemplate,
  "compute-a-asg": EfaType.autoscalingGroup,
  "compute-a-pg": EfaType.placementGroup,
  "partition-pg": EfaType.placementGroup,
};

const on = (name: string, message: string): StackViolation => ({ message, urn: urnOf(TYPES[name], name) });

describe("cmp-placement-group-cluster-strategy (CMP-1)", () => {
  const policy = cmpPlacementGroupClusterStrategy;
  const unplaced = (extra = "") =>
    on(
      "compute-a",
      `Launch the nodes of compute launch template "compute-a" into a cluster placement group: set placement.groupName to the group's name output, or placementGroup on every Auto Scaling group and instance that launches it${extra} (CMP-1).`,
    );

  it("passes a template placed in a cluster group", () => verdict(policy, () => {}, []));

  it("passes a template whose Auto Scaling group names the placement group", () =>
    verdict(
      policy,
      (s) => {
        delete s["compute-a"].links;
        s["compute-a-asg"].links = { ...s["compute-a-asg"].links, placementGroup: ["compute-a-pg"] };
      },
      [],
    ));

  it("fails a placement group of another strategy, or one unknown at preview", async () => {
    await verdict(policy, (s) => (s["compute-a-pg"].props.strategy = "spread"), [
      on(
        "compute-a-pg",
        'Set strategy of placement group "compute-a-pg" to "cluster", not "spread": compute launch template "compute-a" launches into it, and EFA traffic needs its nodes close together on one network spine (CMP-1).',
      ),
    ]);
    await verdict(policy, (s) => (s["compute-a-pg"].props.strategy = unknown.string), [
      on(
        "compute-a-pg",
        'Set strategy of placement group "compute-a-pg" to a literal "cluster": it is unknown at preview, so this policy cannot verify it (CMP-1, POL-2).',
      ),
    ]);
  });

  it("fails an EFA template placed nowhere, naming the groups that launch it without one", async () => {
    await verdict(policy, (s) => delete s["compute-a"].links, [unplaced(': "compute-a-asg" name none')]);
    await verdict(
      policy,
      (s) => {
        delete s["compute-a"].links;
        delete s["compute-a-asg"];
      },
      [unplaced()],
    );
  });

  it("fails a placement group named by a literal, which cannot be checked", () =>
    verdict(
      policy,
      (s) => {
        delete s["compute-a"].links;
        s["compute-a"].props.placement = { groupName: "someone-elses-group" };
        s["compute-a-asg"].props.placementGroup = "pg-literal";
      },
      [
        on(
          "compute-a",
          'Build placement.groupName of compute launch template "compute-a" from a placement group of this stack (its name output): a literal or external name cannot be checked for the "cluster" strategy (CMP-1).',
        ),
        on(
          "compute-a-asg",
          'Build placementGroup of compute Auto Scaling group "compute-a-asg" from a placement group of this stack (its name output): a literal or external name cannot be checked for the "cluster" strategy (CMP-1).',
        ),
      ],
    ));

  it("fails a compute instance in a partition group; ignores head templates and templates without EFA", () =>
    verdict(
      policy,
      (s) => {
        s["partition-pg"] = { type: EfaType.placementGroup, props: { strategy: "partition" } };
        s["compute-0"] = {
          type: EfaType.instance,
          props: { tags: { "moat:role": "compute" } },
          links: { placementGroup: ["partition-pg"] },
        };
        s["head"] = {
          type: EfaType.launchTemplate,
          props: { networkInterfaces: efaInterfaces(1), tagSpecifications: role("head") },
          links: { placement: ["partition-pg"] },
        };
        s["compute-ena"] = {
          type: EfaType.launchTemplate,
          props: { networkInterfaces: [{ networkCardIndex: 0 }], tagSpecifications: role("compute") },
        };
      },
      [
        on(
          "partition-pg",
          'Set strategy of placement group "partition-pg" to "cluster", not "partition": compute instance "compute-0" launches into it, and EFA traffic needs its nodes close together on one network spine (CMP-1).',
        ),
      ],
    ));

  it("treats a template whose role or interfaces are unknown at preview as an EFA compute template (POL-2)", () =>
    verdict(
      policy,
      (s) => {
        delete s["compute-a"].links;
        s["compute-a"].props.tagSpecifications = role(unknown.string);
        s["compute-a"].props.networkInterfaces = unknown.array;
        s["compute-a-asg"].props.tags = asgRole("compute");
      },
      [unplaced(': "compute-a-asg" name none')],
    ));
});

describe("cmp-autoscaling-group-single-subnet (CMP-1)", () => {
  const policy = cmpAutoscalingGroupSingleSubnet;
  const subnets = (now: string, name = "compute-a-asg") =>
    on(
      name,
      `Set vpcZoneIdentifiers of compute Auto Scaling group "${name}" to exactly one subnet (${now}): the nodes of an EFA group share one availability zone and one cluster placement group (CMP-1).`,
    );

  it("passes one subnet, listed or computed as a whole from one subnet of the stack", async () => {
    await verdict(policy, () => {}, []);
    await verdict(policy, (s) => (s["compute-a-asg"].props.vpcZoneIdentifiers = unknown.array), []);
  });

  it("fails two subnets, listed or computed, and a group that names none", async () => {
    await verdict(
      policy,
      (s) => {
        s["compute-a-asg"].props.vpcZoneIdentifiers = [unknown.string, unknown.string];
        s["compute-a-asg"].links = {
          ...s["compute-a-asg"].links,
          vpcZoneIdentifiers: ["compute", "compute-b"],
        };
      },
      [subnets("it names 2")],
    );
    await verdict(
      policy,
      (s) => {
        s["compute-a-asg"].props.vpcZoneIdentifiers = unknown.array;
        s["compute-a-asg"].links = {
          ...s["compute-a-asg"].links,
          vpcZoneIdentifiers: ["compute", "compute-b"],
        };
      },
      [subnets("it is computed from 2 subnets of this stack")],
    );
    await verdict(
      policy,
      (s) => {
        delete s["compute-a-asg"].props.vpcZoneIdentifiers;
        s["compute-a-asg"].links = { launchTemplate: ["compute-a"] };
      },
      [subnets("it names none")],
    );
  });

  it("takes the role from the launch template when the group has no tag, and ignores head groups", async () => {
    const twoSubnets = (s: StackSpec) => {
      s["compute-a-asg"].props.vpcZoneIdentifiers = ["subnet-1", "subnet-2"];
      delete s["compute-a-asg"].props.tags;
    };
    await verdict(policy, twoSubnets, [subnets("it names 2")]);
    await verdict(
      policy,
      (s) => {
        twoSubnets(s);
        s["compute-a-asg"].props.tags = asgRole("head");
      },
      [],
    );
  });

  it("checks a group whose tags are unknown at preview as a compute group (POL-2)", () =>
    verdict(
      policy,
      (s) => {
        s["compute-a-asg"].props.vpcZoneIdentifiers = ["subnet-1", "subnet-2"];
        s["compute-a-asg"].props.tags = unknown.array;
      },
      [subnets("it names 2")],
    ));
});

describe("cmp-autoscaling-group-fixed-size (CMP-1)", () => {
  const policy = cmpAutoscalingGroupFixedSize;
  const group = 'compute Auto Scaling group "compute-a-asg"';

  it("passes min = max = desired", () => verdict(policy, () => {}, []));

  it("fails a group that may shrink or grow", () =>
    verdict(policy, (s) => (s["compute-a-asg"].props.minSize = 0), [
      on(
        "compute-a-asg",
        `Set minSize, maxSize and desiredCapacity of ${group} to the same node count, not minSize 0, maxSize 8, desiredCapacity 8: a compute group is sized exactly, so AWS never adds or removes nodes behind a running job (CMP-1).`,
      ),
    ]));

  it("fails sizes left unset or unknown at preview (POL-2)", () =>
    verdict(
      policy,
      (s) => {
        delete s["compute-a-asg"].props.desiredCapacity;
        s["compute-a-asg"].props.maxSize = unknown.number;
      },
      [
        on(
          "compute-a-asg",
          `Set maxSize, desiredCapacity of ${group} to the group's node count as a literal: they are unset or unknown at preview, so this policy cannot verify that the group is sized exactly (CMP-1, POL-2).`,
        ),
      ],
    ));
});

describe("cmp-autoscaling-group-no-instance-refresh (CMP-1)", () => {
  const policy = cmpAutoscalingGroupNoInstanceRefresh;
  const refresh = on(
    "compute-a-asg",
    'Remove instanceRefresh from compute Auto Scaling group "compute-a-asg": it replaces running nodes, and kills their training jobs, whenever the launch template changes; replace nodes deliberately, or set allowInstanceRefresh in this policy\'s config (CMP-1).',
  );

  it("passes a group without instance refresh", () => verdict(policy, () => {}, []));

  it("fails a declared instance refresh, also one unknown at preview (POL-2)", async () => {
    await verdict(policy, (s) => (s["compute-a-asg"].props.instanceRefresh = { strategy: "Rolling" }), [
      refresh,
    ]);
    await verdict(policy, (s) => (s["compute-a-asg"].props.instanceRefresh = unknown.object), [refresh]);
  });

  it("accepts an instance refresh when the stack's policy config allows it", async () => {
    const change = (s: StackSpec) => (s["compute-a-asg"].props.instanceRefresh = { strategy: "Rolling" });
    await verdict(policy, change, [], { allowInstanceRefresh: true });
    assert.deepEqual(policy.configSchema?.properties.allowInstanceRefresh, {
      type: "boolean",
      default: false,
      description: "Accept instanceRefresh on compute Auto Scaling groups.",
    });
  });
});
