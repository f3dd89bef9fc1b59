import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fc from "fast-check";
import { defaultImageParameter } from "../node-instance/instance-args";
import {
  INSTANCE_CATALOGUE,
  lookupInstanceType,
  planGroupHardware,
  resolveGroupHardware,
} from "./instance-catalogue";

describe("INSTANCE_CATALOGUE (CMP-1)", () => {
  it("covers the training types issue 4 names", () => {
    for (const type of [
      "p4d.24xlarge",
      "p4de.24xlarge",
      "p5.48xlarge",
      "p5e.48xlarge",
      "p5en.48xlarge",
      "p6-b200.48xlarge",
      "g5.xlarge",
      "g5.8xlarge",
      "g5.12xlarge",
      "g5.16xlarge",
      "g5.24xlarge",
      "g5.48xlarge",
      "g6e.8xlarge",
      "g6e.48xlarge",
      "trn1.32xlarge",
      "trn1n.32xlarge",
      "trn2.48xlarge",
    ]) {
      assert.ok(lookupInstanceType(type), `${type} is missing`);
    }
  });

  const figures: Array<[string, number, boolean, number, number]> = [
    // type, network cards, EFA, accelerators, GiB each
    ["p4d.24xlarge", 4, true, 8, 40],
    ["p4de.24xlarge", 4, true, 8, 80],
    ["p5.48xlarge", 32, true, 8, 80],
    ["p5e.48xlarge", 32, true, 8, 141],
    ["p5en.48xlarge", 16, true, 8, 141],
    ["p6-b200.48xlarge", 8, true, 8, 179],
    ["g5.xlarge", 1, false, 1, 24],
    ["g5.48xlarge", 1, true, 8, 24],
    ["g6e.4xlarge", 1, false, 1, 48],
    ["g6e.8xlarge", 1, true, 1, 48],
    ["g6e.24xlarge", 2, true, 4, 48],
    ["g6e.48xlarge", 4, true, 8, 48],
    ["trn1.32xlarge", 8, true, 16, 32],
    ["trn1n.32xlarge", 16, true, 16, 32],
    ["trn2.48xlarge", 16, true, 16, 96],
  ];
  for (const [type, cards, efa, gpus, memory] of figures) {
    it(`${type}: ${cards} network card(s), EFA ${efa}, ${gpus} x ${memory} GiB`, () => {
      const entry = lookupInstanceType(type);
      assert.ok(entry);
      assert.deepEqual(
        [entry.networkCards, entry.efa, entry.gpus, entry.gpuMemoryGiB],
        [cards, efa, gpus, memory],
      );
    });
  }

  it("EFA starts at g5.8xlarge and g6e.8xlarge", () => {
    const efa = (t: string) => lookupInstanceType(t)?.efa;
    assert.deepEqual(
      [
        "g5.xlarge",
        "g5.2xlarge",
        "g5.4xlarge",
        "g5.8xlarge",
        "g5.12xlarge",
        "g5.16xlarge",
        "g5.24xlarge",
      ].map(efa),
      [false, false, false, true, true, true, true],
    );
    assert.deepEqual(
      ["g6e.xlarge", "g6e.2xlarge", "g6e.4xlarge", "g6e.8xlarge", "g6e.12xlarge", "g6e.16xlarge"].map(efa),
      [false, false, false, true, true, true],
    );
  });

  it("every entry is self-consistent", () => {
    for (const [type, entry] of Object.entries(INSTANCE_CATALOGUE)) {
      assert.match(type, /^[a-z][a-z0-9-]*\.\d*x?large$/, type);
      for (const key of ["networkCards", "gpus", "gpuMemoryGiB", "vcpus"] as const) {
        assert.ok(Number.isInteger(entry[key]) && entry[key] >= 1, `${type}.${key}`);
      }
      // A type without EFA gets one ordinary interface; every multi-card type here is an EFA type.
      assert.ok(entry.efa || entry.networkCards === 1, `${type}: cards without EFA`);
      assert.ok(entry.vcpus >= 4 * entry.gpus || entry.acceleratorKind !== "nvidia", `${type}: vCPUs`);
      assert.equal(entry.acceleratorKind === "nvidia", /^[pg]/.test(type), `${type}: accelerator kind`);
      assert.match(entry.source, /^https:\/\/docs\.aws\.amazon\.com\//, type);
      // The default image must match the catalogue's architecture, or the node would not boot.
      assert.ok(defaultImageParameter(type).endsWith(entry.architecture), `${type}: architecture`);
    }
  });

  it("does not resolve Object.prototype members as instance types", () => {
    assert.equal(lookupInstanceType("constructor"), undefined);
    assert.equal(lookupInstanceType("toString"), undefined);
  });
});

describe("resolveGroupHardware (CMP-1)", () => {
  const resolved: Array<[string, Parameters<typeof resolveGroupHardware>[0], boolean, number]> = [
    ["EFA by default on p5.48xlarge, all 32 cards", { name: "train", instanceType: "p5.48xlarge" }, true, 32],
    ["EFA by default on p5en.48xlarge, 16 cards", { name: "train", instanceType: "p5en.48xlarge" }, true, 16],
    ["EFA by default on a one-card g5.8xlarge", { name: "dev", instanceType: "g5.8xlarge" }, true, 1],
    ["no EFA by default on g5.xlarge", { name: "dev", instanceType: "g5.xlarge" }, false, 1],
    ["EFA turned off on p5.48xlarge", { name: "t", instanceType: "p5.48xlarge", efa: false }, false, 1],
    [
      "the catalogue's own card count",
      { name: "t", instanceType: "p5.48xlarge", networkCards: 32 },
      true,
      32,
    ],
    [
      "an unknown type with EFA and explicit cards",
      { name: "t", instanceType: "p9.96xlarge", efa: true, networkCards: 64 },
      true,
      64,
    ],
    ["an unknown type without EFA", { name: "cpu", instanceType: "c7i.large", efa: false }, false, 1],
  ];
  for (const [title, group, efa, cards] of resolved) {
    it(`resolves ${title}`, () => {
      assert.deepEqual(resolveGroupHardware(group), { efa, networkCards: cards, problems: [] });
    });
  }

  const refused: Array<[string, Parameters<typeof resolveGroupHardware>[0], RegExp]> = [
    [
      "EFA on a type without EFA, naming both",
      { name: "dev", instanceType: "g5.xlarge", efa: true },
      /^efa: group "dev" asks for EFA, but g5\.xlarge does not support EFA .*set efa: false$/,
    ],
    [
      "EFA on an unknown type without networkCards, saying how",
      { name: "big", instanceType: "p9.96xlarge", efa: true },
      /^networkCards: is missing: p9\.96xlarge \(group "big"\) is not in Moat's instance catalogue.*aws ec2 describe-instance-types --instance-types p9\.96xlarge/,
    ],
    [
      "an unknown type that does not say whether it has EFA",
      { name: "cpu", instanceType: "c7i.large" },
      /^instanceType: c7i\.large \(group "cpu"\) is not in Moat's instance catalogue.*set efa: false/,
    ],
    [
      "more cards than the type has",
      { name: "t", instanceType: "p4d.24xlarge", networkCards: 8 },
      /^networkCards: 8 is not the 4 network card\(s\) of p4d\.24xlarge/,
    ],
    [
      "CMP-1: fewer cards than the type has",
      { name: "t", instanceType: "p5.48xlarge", networkCards: 4 },
      /^networkCards: 4 is not the 32 network card\(s\) of p5\.48xlarge .*EFA interface on every card/,
    ],
    [
      "networkCards on a group without EFA",
      { name: "dev", instanceType: "g5.xlarge", networkCards: 1 },
      /^networkCards: only applies to EFA groups/,
    ],
    [
      "a network-card count that is not a whole number",
      { name: "t", instanceType: "p9.96xlarge", efa: true, networkCards: 0 },
      /^networkCards: 0 is not a whole number of at least 1/,
    ],
  ];
  for (const [title, group, message] of refused) {
    it(`refuses ${title}`, () => {
      const { problems } = resolveGroupHardware(group);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], message);
    });
  }

  it("CMP-1: resolves EFA on every card of a catalogued type, and never where it has none", () => {
    const types = Object.keys(INSTANCE_CATALOGUE);
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.integer({ min: -2, max: 40 }), { nil: undefined }),
        (instanceType, efa, networkCards) => {
          const entry = INSTANCE_CATALOGUE[instanceType];
          const plan = planGroupHardware({ name: "g", instanceType, efa, networkCards });
          if (plan.problems.length > 0) {
            return;
          }
          assert.ok(!plan.efa || entry.efa);
          assert.equal(plan.networkCards, plan.efa ? entry.networkCards : 1);
          assert.equal(plan.efa, efa ?? entry.efa);
        },
      ),
    );
  });
});
