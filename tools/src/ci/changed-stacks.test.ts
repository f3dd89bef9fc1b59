import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ProjectStack } from "../deployments/stack-files";
import { MATRIX_LIMIT, matrixEntries, stacksToPreview, type StackFolders } from "./changed-stacks";

const FOLDERS: StackFolders = {
  tenants: "stacks",
  baselineProject: "accounts",
  baselines: "accounts/stacks",
};

function tenant(stack: string, baseline?: string): ProjectStack {
  return {
    kind: "tenant",
    project: "moat",
    dir: ".",
    stackDir: "stacks",
    stack,
    file: `stacks/Pulumi.${stack}.yaml`,
    config: baseline === undefined ? {} : { "moat:baseline": baseline },
    policyConfig: {},
  };
}

function baseline(stack: string): ProjectStack {
  return {
    kind: "baseline",
    project: "moat-account",
    dir: "accounts",
    stackDir: "accounts/stacks",
    stack,
    file: `accounts/stacks/Pulumi.${stack}.yaml`,
    config: {},
    policyConfig: {},
  };
}

/** Two accounts' baselines and the tenants built on them, one tenant without a baseline. */
const STACKS = [
  tenant("acme-dev", "acme/moat-account/acme-use1"),
  tenant("acme-prod", "acme/moat-account/acme-use1"),
  tenant("globex-research", "acme/moat-account/globex-euc1"),
  tenant("initech-lab"),
  baseline("acme-use1"),
  baseline("globex-euc1"),
];
const EVERY = [
  "acme-dev",
  "acme-prod",
  "globex-research",
  "initech-lab",
  "accounts/acme-use1",
  "accounts/globex-euc1",
];

const preview = (...files: string[]) => stacksToPreview(files, STACKS, FOLDERS);

describe("stacksToPreview", () => {
  const table: [string, string[], string[]][] = [
    ["a tenant's stack file", ["stacks/Pulumi.acme-prod.yaml"], ["acme-prod"]],
    ["a tenant's policy configuration", ["stacks/Pulumi.initech-lab.policy.json"], ["initech-lab"]],
    [
      "two tenants' files, in stack order",
      ["stacks/Pulumi.initech-lab.yaml", "stacks/Pulumi.acme-dev.policy.json"],
      ["acme-dev", "initech-lab"],
    ],
    [
      "a baseline's stack file: the baseline and the tenants built on it",
      ["accounts/stacks/Pulumi.acme-use1.yaml"],
      ["acme-dev", "acme-prod", "accounts/acme-use1"],
    ],
    [
      "a baseline's policy configuration",
      ["accounts/stacks/Pulumi.globex-euc1.policy.json"],
      ["globex-research", "accounts/globex-euc1"],
    ],
    ["the baseline program", ["accounts/index.ts"], ["accounts/acme-use1", "accounts/globex-euc1"]],
    ["the program", ["infra/index.ts"], EVERY],
    ["a component", ["components/network/network.ts"], EVERY],
    ["the policy pack", ["policies/src/net/flow-logs.ts"], EVERY],
    ["the moat CLI", ["tools/src/cli.ts"], EVERY],
    ["the dependencies", ["package-lock.json"], EVERY],
    ["package.json", ["package.json"], EVERY],
    ["the project file", ["Pulumi.yaml"], EVERY],
    ["the compiler settings", ["tsconfig.json"], EVERY],
    ["the preview job itself", [".github/workflows/policy.yml"], EVERY],
    ["the README", ["README.md"], []],
    ["documentation", ["docs/compliance.md", "components/network/README.md", "accounts/README.md"], []],
    ["the offline tests", ["tests/stacks.test.ts", "tests/fixtures/stacks/Pulumi.dev.yaml"], []],
    ["the fleet file, read only by the offline moat plan --all", ["stacks/fleet.yaml"], []],
    ["another Pulumi project", ["deploy/pulumi-deployments/index.ts"], []],
    [
      "lint, format and other CI settings",
      [".prettierrc.json", "eslint.config.mjs", ".github/dependabot.yml", ".ci/run"],
      [],
    ],
    ["a deleted tenant: nothing left to preview", ["stacks/Pulumi.hooli-prod.yaml"], []],
    [
      "a deleted baseline: the tenants still naming it",
      ["accounts/stacks/Pulumi.globex-euc1.yaml"],
      ["globex-research", "accounts/globex-euc1"],
    ],
    ["nothing", [], []],
  ];
  for (const [what, files, targets] of table) {
    it(`previews ${targets.length === 0 ? "nothing" : targets.join(", ")} for ${what}`, () => {
      assert.deepEqual(preview(...files), { targets, unknown: [] });
    });
  }

  it("previews every stack for a file it does not know, and names the file", () => {
    assert.deepEqual(preview("README.md", "Makefile", "stacks/Pulumi.acme-prod.yaml", "scripts/x.sh"), {
      targets: EVERY,
      unknown: ["Makefile", "scripts/x.sh"],
    });
    assert.deepEqual(preview("stacks/notes.txt").unknown, ["stacks/notes.txt"]);
  });

  it("matches a baseline by the last part of moat:baseline only", () => {
    const stacks = [
      tenant("a", "acme/moat-account/use1"),
      tenant("b", "acme/moat-account/acme-use1"),
      baseline("use1"),
    ];
    assert.deepEqual(stacksToPreview(["accounts/stacks/Pulumi.use1.yaml"], stacks, FOLDERS).targets, [
      "a",
      "accounts/use1",
    ]);
  });

  it("follows the project's stack folder", () => {
    const folders = { ...FOLDERS, tenants: "config" };
    assert.deepEqual(stacksToPreview(["config/Pulumi.acme-prod.yaml"], STACKS, folders).targets, [
      "acme-prod",
    ]);
    assert.deepEqual(stacksToPreview(["stacks/Pulumi.acme-prod.yaml"], STACKS, folders).unknown, [
      "stacks/Pulumi.acme-prod.yaml",
    ]);
  });
});

describe("matrixEntries", () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

  it(`gives one entry per stack up to ${MATRIX_LIMIT}, GitHub's limit of jobs per matrix`, () => {
    assert.deepEqual(matrixEntries([]), []);
    assert.deepEqual(matrixEntries(names(MATRIX_LIMIT)), names(MATRIX_LIMIT));
  });

  it("batches beyond the limit: at most the limit of entries, each a comma-separated group", () => {
    const entries = matrixEntries(names(MATRIX_LIMIT + 1));
    assert.equal(entries.length, 129);
    assert.equal(entries[0], "t0,t1");
    assert.equal(entries.at(-1), "t256");
    assert.deepEqual(matrixEntries(names(7), 3), ["t0,t1,t2", "t3,t4,t5", "t6"]);
  });

  it("keeps every stack once, in order, in at most `limit` entries", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 300 }), (n, limit) => {
        const entries = matrixEntries(names(n), limit);
        assert.ok(entries.length <= limit);
        assert.deepEqual(
          entries.flatMap((e) => e.split(",")),
          names(n),
        );
        assert.ok(n > limit || entries.every((e) => !e.includes(",")));
      }),
    );
  });
});
