import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Violation } from "../analyzer/session";
import type { StackFile } from "../plan/project";
import { recordedResource } from "../plan/testing";
import type { RecordedResource } from "../plan/types";
import { parseMutateArgs } from "./command";
import {
  catchRateLine,
  mutateStack,
  problemLines,
  suitePassed,
  type StackAnalyzer,
  type StackResult,
} from "./suite";
import { REQUIREMENT_IDS, covers, type Mutation } from "./types";

const STACK: StackFile = {
  stack: "s",
  file: "stacks/Pulumi.s.yaml",
  config: {},
  secretKeys: [],
  policyConfig: {},
};

const root: RecordedResource = recordedResource({
  urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s",
  type: "pulumi:pulumi:Stack",
  name: "p-s",
  custom: false,
});

const violation = (
  policy: string,
  level: Violation["level"],
  ids: string[],
  extra: Partial<Violation> = {},
) =>
  ({ policy, level, urn: root.urn, message: `${policy} says so`, requirements: ids, ...extra }) as Violation;

/** A pack stand-in: each resource named in `verdicts` yields its violations; the root always one advisory. */
function fakeAnalyzer(verdicts: Record<string, Violation[]>): StackAnalyzer {
  return {
    analyze: async (_project, _stack, resources) => ({
      violations: [
        violation("always", "advisory", ["NET-1"]),
        ...resources.flatMap((r) => verdicts[r.name] ?? []),
      ],
    }),
    close: () => undefined,
  };
}

/** A mutation that adds a resource named `adds`. */
const adding = (id: string, adds: string, extra: Partial<Mutation> = {}): Mutation => ({
  id,
  title: `add ${adds}`,
  applies: () => true,
  mutate: (rs) => [...rs, { ...root, urn: `${root.urn}-${adds}`, name: adds }],
  ...extra,
});

describe("mutateStack", () => {
  const analyzer = fakeAnalyzer({
    caught: [violation("net-x", "mandatory", ["NET-6"])],
    advisory: [violation("net-y", "advisory", ["NET-6"])],
    otherId: [violation("net-z", "mandatory", ["NET-7"])],
    exempted: [violation("net-x", "mandatory", ["NET-6"], { exemption: { resource: "r", reason: "why" } })],
  });

  it("counts a mutation caught only for a new mandatory violation citing its ID", async () => {
    const result = await mutateStack(
      analyzer,
      "p",
      STACK,
      [root],
      [
        adding("NET-6", "caught"),
        adding("NET-6", "advisory"),
        adding("NET-6", "otherId"),
        adding("NET-6", "exempted"),
        adding("NET-1", "nothing"),
      ],
    );
    assert.deepEqual(
      result.outcomes.map((o) => [o.mutation.title, o.caught]),
      [
        ["add caught", true],
        ["add advisory", false],
        ["add otherId", false],
        ["add exempted", false],
        ["add nothing", false],
      ],
    );
    // The advisory finding of the unmutated stack is not new, so it is not the mutation's.
    assert.deepEqual(result.outcomes[4].added, []);
  });

  it("skips mutations that do not apply, records failures, and lists uncovered requirements", async () => {
    const result = await mutateStack(
      analyzer,
      "p",
      STACK,
      [root],
      [
        adding("NET-6", "caught", { applies: () => false }),
        adding("CMP-2", "caught", { unknown: true }),
        adding("NET-6", "broken", {
          mutate: () => {
            throw new Error("no such group");
          },
        }),
      ],
    );
    assert.deepEqual(
      result.outcomes.map((o) => [o.mutation.id, o.caught, o.error]),
      [
        ["CMP-2", false, undefined],
        ["NET-6", false, "no such group"],
      ],
    );
    assert.equal(result.uncovered.includes("CMP-2"), false);
    assert.equal(result.uncovered.includes("POL-2"), false);
    assert.equal(result.uncovered.includes("NET-6"), false);
    assert.equal(result.uncovered.includes("NET-1"), true);
  });
});

describe("reporting", () => {
  const results: StackResult[] = [
    {
      stack: "a",
      baseline: [],
      uncovered: [],
      outcomes: [{ mutation: adding("NET-6", "x"), caught: true, added: [] }],
    },
    {
      stack: "b",
      baseline: [],
      uncovered: ["K8S-1"],
      outcomes: [
        { mutation: adding("NET-6", "x"), caught: true, added: [] },
        {
          mutation: adding("AUD-3", "logs"),
          caught: false,
          added: [violation("net-log-group-encrypted-retained", "mandatory", ["NET-10"])],
        },
      ],
    },
  ];

  it("prints the catch rate per stack and overall", () => {
    assert.equal(catchRateLine(results), "mutation: a 1/1 caught, b 1/2 caught, overall 2/3 (66.6%)");
  });

  it("explains every miss and every uncovered requirement", () => {
    assert.deepEqual(problemLines(results), [
      "b: no applicable mutation for K8S-1",
      'b: missed AUD-3 "add logs": no mandatory violation cites AUD-3; new: mandatory net-log-group-encrypted-retained (NET-10)',
    ]);
    assert.equal(suitePassed(results), false);
    assert.equal(suitePassed(results.slice(0, 1)), true);
  });
});

describe("catalogue and command line", () => {
  it("targets the 40 requirements of the NET to K8S domains, and POL-2 through unknowns", () => {
    assert.equal(REQUIREMENT_IDS.length, 41);
    assert.deepEqual(REQUIREMENT_IDS.slice(0, 2), ["NET-1", "NET-2"]);
    assert.deepEqual(REQUIREMENT_IDS.slice(-2), ["K8S-7", "POL-2"]);
    assert.deepEqual(covers(adding("CMP-2", "x", { unknown: true })), ["CMP-2", "POL-2"]);
  });

  it("parses moat mutate arguments", () => {
    assert.deepEqual(parseMutateArgs(["dev", "--known", "--pack", "p", "--verbose", "acme-prod"]), {
      stacks: ["dev", "acme-prod"],
      unknowns: false,
      pack: "p",
      verbose: true,
    });
    assert.throws(() => parseMutateArgs(["--pack"]), /--pack needs a value/);
    assert.throws(() => parseMutateArgs(["--fast"]), /unknown option --fast/);
  });
});
