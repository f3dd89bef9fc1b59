// CMP-1 on the launch template of an EFA compute group, on a template as a first preview sees it:
// its ID, ARN and latest version are computed by AWS and must never be read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EFA_CAPABILITIES, EFA_CAPABILITY_SOURCE, efaCapability } from "./cmp-efa-catalogue";
import { EfaType, templateInterfaces } from "./cmp-efa-nodes";
import { cardRanges, cmpLaunchTemplateEfaEveryCard, efaLayoutProblems } from "./cmp-efa-template";
import { UNKNOWN } from "./props";
import { neverRead, runResourcePolicy, unknown } from "./testing";

const policy = cmpLaunchTemplateEfaEveryCard;
const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });
const label = 'compute launch template "compute-a"';

/** AWS's multi-card layout: "efa" on card 0, "efa-only" on every other card. */
const efaInterfaces = (cards: number) =>
  Array.from({ length: cards }, (_, card) => ({
    deviceIndex: 0,
    networkCardIndex: card,
    interfaceType: card === 0 ? "efa" : "efa-only",
    associatePublicIpAddress: "false",
    securityGroups: [unknown.string],
  }));

const instanceTags = (role: unknown) => [{ resourceType: "instance", tags: { "moat:role": role } }];

// A compliant p4d template; each test changes one field.
const template = (props: Record<string, unknown> = {}, role: unknown = "compute") => ({
  type: EfaType.launchTemplate,
  name: "compute-a",
  props: neverRead(
    {
      instanceType: "p4d.24xlarge",
      networkInterfaces: efaInterfaces(4),
      tagSpecifications: instanceTags(role),
      ...props,
    },
    "arn",
    "id",
    "latestVersion",
  ),
});

const missing = (cards: string, type = "p4d.24xlarge", count = 4) =>
  `Add an "efa-only" interface to ${label} for network card${cards.includes("-") || cards.includes(",") ? "s" : ""} ${cards}: ${type} has ${count} network cards and CMP-1 puts EFA on every one (CMP-1).`;
const literal = (property: string) =>
  `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify the EFA layout (CMP-1, POL-2).`;

describe("cmp-launch-template-efa-every-card (CMP-1)", () => {
  it("passes EFA on every card of a p4d (4 cards) and of a p5 (32 cards)", async () => {
    assert.deepEqual(await runResourcePolicy(policy, template()), passes);
    const p5 = template({ instanceType: "p5.48xlarge", networkInterfaces: efaInterfaces(32) });
    assert.deepEqual(await runResourcePolicy(policy, p5), passes);
  });

  it("fails a card without an EFA interface, and a gap in the card indices", async () => {
    const three = template({ networkInterfaces: efaInterfaces(3) });
    assert.deepEqual(await runResourcePolicy(policy, three), fails(missing("3")));
    const gap = template({ networkInterfaces: efaInterfaces(4).filter((n) => n.networkCardIndex !== 2) });
    assert.deepEqual(await runResourcePolicy(policy, gap), fails(missing("2")));
  });

  it("fails a p5 with EFA on 8 of its 32 cards, naming the missing range", async () => {
    const run = await runResourcePolicy(
      policy,
      template({ instanceType: "p5.48xlarge", networkInterfaces: efaInterfaces(8) }),
    );
    assert.deepEqual(run, fails(missing("8-31", "p5.48xlarge", 32)));
  });

  it("fails two interfaces on one card and a card the type does not have", async () => {
    const nics = [...efaInterfaces(4), { networkCardIndex: 3, interfaceType: "efa-only" }];
    nics.push({ networkCardIndex: 4, interfaceType: "efa-only" });
    assert.deepEqual(
      await runResourcePolicy(policy, template({ networkInterfaces: nics })),
      fails(
        `Move networkInterfaces[4] of ${label} to a network card of its own: card 3 already has networkInterfaces[3], and CMP-1 asks for one EFA interface per card (CMP-1).`,
        `Remove networkInterfaces[5] from ${label} or fix its networkCardIndex 4: p4d.24xlarge has 4 network cards, numbered 0 to 3 (CMP-1).`,
      ),
    );
  });

  it('fails a first interface that is not "efa" and a later one that is not "efa-only"', async () => {
    const nics = efaInterfaces(4).map((n, i) =>
      i === 0 ? { ...n, interfaceType: "efa-only" } : i === 2 ? { ...n, interfaceType: "interface" } : n,
    );
    nics[3] = { ...nics[3], interfaceType: undefined as unknown as string };
    assert.deepEqual(
      await runResourcePolicy(policy, template({ networkInterfaces: nics })),
      fails(
        `Set networkInterfaces[0].interfaceType on ${label} to "efa", not "efa-only": CMP-1 puts EFA on every interface, "efa" on the first and "efa-only" on the others (CMP-1).`,
        `Set networkInterfaces[2].interfaceType on ${label} to "efa-only", not "interface": CMP-1 puts EFA on every interface, "efa" on the first and "efa-only" on the others (CMP-1).`,
        `Set networkInterfaces[3].interfaceType on ${label} to "efa-only", not unset (a plain ENA interface): CMP-1 puts EFA on every interface, "efa" on the first and "efa-only" on the others (CMP-1).`,
      ),
    );
  });

  it("fails an interface list whose first entry is not on card 0", async () => {
    const nics = efaInterfaces(2).reverse();
    const run = await runResourcePolicy(
      policy,
      template({
        instanceType: "g6e.24xlarge",
        networkInterfaces: nics.map((n, i) => ({ ...n, interfaceType: i === 0 ? "efa" : "efa-only" })),
      }),
    );
    assert.deepEqual(
      run,
      fails(
        `Put networkInterfaces[0] of ${label} on network card 0: the first interface is the node's primary one (CMP-1).`,
      ),
    );
  });

  it("refuses EFA on a type without EFA, naming both the template and the type", async () => {
    const run = await runResourcePolicy(
      policy,
      template({ instanceType: "g5.4xlarge", networkInterfaces: efaInterfaces(1) }),
    );
    assert.deepEqual(
      run,
      fails(
        `Choose an EFA-capable instance type for ${label} or remove its EFA interfaces: g5.4xlarge does not support EFA (CMP-1).`,
      ),
    );
  });

  it("refuses a type the table does not know, unless the policy config adds it", async () => {
    const b300 = template({ instanceType: "p6-b300.48xlarge", networkInterfaces: efaInterfaces(17) });
    assert.deepEqual(
      await runResourcePolicy(policy, b300),
      fails(
        `Add p6-b300.48xlarge to the EFA table in policies/src/cmp-efa-catalogue.ts (or to this policy's additionalInstanceTypes config) with its network cards and EFA support from ${EFA_CAPABILITY_SOURCE}: ${label} asks for EFA on a type this policy does not know (CMP-1).`,
      ),
    );
    const config = { additionalInstanceTypes: { "p6-b300.48xlarge": { networkCards: 17, efa: true } } };
    assert.deepEqual(await runResourcePolicy(policy, b300, config), passes);
  });

  it("fails a template without an instance type", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, template({ instanceType: undefined })),
      fails(
        `Set instanceType on ${label}: an EFA template names its type, so this policy can check that the type supports EFA and that every one of its network cards has an EFA interface (CMP-1).`,
      ),
    );
  });

  it("does not apply to head templates or to compute templates without EFA", async () => {
    const head = await runResourcePolicy(policy, template({}, "head"));
    assert.equal(head.notApplicable, "Policy only applies to compute launch templates");
    const ena = template({ networkInterfaces: [{ networkCardIndex: 0, deviceIndex: 0 }] });
    const run = await runResourcePolicy(policy, ena);
    assert.equal(run.notApplicable, "Policy only applies to launch templates with EFA interfaces");
  });

  it("fails interfaces, types and cards that are unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, template({ networkInterfaces: unknown.array })),
      fails(
        `Declare networkInterfaces of ${label} as a literal list: it is unknown at preview, so this policy cannot verify the EFA layout (CMP-1, POL-2).`,
      ),
    );
    const nics = efaInterfaces(4).map((n, i) =>
      i === 1
        ? { ...n, interfaceType: unknown.string }
        : i === 2
          ? { ...n, networkCardIndex: unknown.number }
          : n,
    );
    const run = await runResourcePolicy(
      policy,
      template({ instanceType: unknown.string, networkInterfaces: nics }),
    );
    assert.deepEqual(
      run,
      fails(
        literal("instanceType"),
        literal("networkInterfaces[1].interfaceType"),
        literal("networkInterfaces[2].networkCardIndex"),
        `Add an "efa-only" interface to ${label} for network card 2: card indices run from 0 without gaps (CMP-1).`,
      ),
    );
  });

  it("checks a template whose role is unknown at preview as a compute template (POL-2)", async () => {
    const run = await runResourcePolicy(
      policy,
      template({ networkInterfaces: efaInterfaces(2) }, unknown.string),
    );
    assert.deepEqual(run, fails(missing("2-3")));
  });
});

describe("efaLayoutProblems and the EFA table (CMP-1)", () => {
  it("passes the AWS layout for every EFA type of the table", () => {
    const efaTypes = Object.entries(EFA_CAPABILITIES).filter(([, c]) => c.efa);
    fc.assert(
      fc.property(fc.constantFrom(...efaTypes), ([type, { networkCards }]) => {
        const interfaces = templateInterfaces({ networkInterfaces: efaInterfaces(networkCards) });
        assert.notEqual(interfaces, UNKNOWN);
        assert.deepEqual(efaLayoutProblems("t", interfaces as never, type), []);
      }),
    );
  });

  it("knows every family issue 4 names, with EFA on its largest size", () => {
    const families = ["p4d", "p4de", "p5", "p5e", "p5en", "p6-b200", "g5", "g6e", "trn1", "trn1n", "trn2"];
    for (const family of families) {
      const sizes = Object.keys(EFA_CAPABILITIES).filter((t) => t.startsWith(`${family}.`));
      assert.ok(
        sizes.some((t) => EFA_CAPABILITIES[t].efa),
        family,
      );
    }
    for (const [type, { networkCards, efa }] of Object.entries(EFA_CAPABILITIES)) {
      assert.ok(Number.isInteger(networkCards) && networkCards >= 1, type);
      assert.ok(efa || networkCards === 1, `${type}: a type without EFA is listed with one card`);
    }
  });

  it("looks up config entries first and never inherited object keys", () => {
    assert.deepEqual(efaCapability("p5.48xlarge"), { networkCards: 32, efa: true });
    assert.deepEqual(efaCapability("p5.48xlarge", { "p5.48xlarge": { networkCards: 1, efa: false } }), {
      networkCards: 1,
      efa: false,
    });
    assert.equal(efaCapability("constructor"), undefined);
    assert.equal(efaCapability("__proto__"), undefined);
  });

  it("shortens card lists to ranges", () => {
    assert.equal(cardRanges([5, 1, 2, 3, 9, 10]), "1-3, 5, 9-10");
    assert.equal(cardRanges([]), "");
    assert.equal(cardRanges([0]), "0");
  });
});
