import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ComplianceModel,
  ReportedViolation,
  StackOutcome,
  complianceExitCode,
  literal,
  renderComplianceReport,
  requirementStatus,
  violationIds,
  withoutStackStatus,
} from "./report";
import type { Catalogue } from "./requirements";
import { PolicySummary, TestEvidence, coverageProblems, traceRequirements } from "./trace";

const catalogue: Catalogue = {
  domains: [
    { prefix: "NET", title: "network and firewall" },
    { prefix: "POL", title: "policy as code" },
  ],
  requirements: [
    {
      id: "NET-1",
      domain: "NET",
      title: "Default deny",
      text: "Default deny. Nothing in.",
      sources: ["[003]", "[009]"],
    },
    { id: "NET-2", domain: "NET", title: "Egress", text: "Egress: all out.", sources: ["[003]"] },
    { id: "POL-1", domain: "POL", title: "Coverage", text: "Coverage; every ID.", sources: [] },
    { id: "POL-2", domain: "POL", title: "Unknowns", text: "Unknowns never pass.", sources: [] },
  ],
  sources: [{ ref: "[003]", file: "003_abc.txt", title: "Brev requirements" }],
};

const policies: PolicySummary[] = [
  { name: "net-a-checked", description: "Checks that a (NET-1, NET-2).", enforcementLevel: "mandatory" },
  { name: "net-b-reported", description: "Checks that b (NET-1).", enforcementLevel: "advisory" },
];

const tests = new Map<string, TestEvidence[]>([
  [
    "net-a-checked",
    [
      { file: "policies/src/a.test.ts", title: "net-a-checked > passes a group", evidence: ["passes"] },
      { file: "policies/src/a.test.ts", title: "net-a-checked > fails a | pipe", evidence: ["fails"] },
    ],
  ],
]);

const recorded = {
  exports: {},
  tests: [{ file: "policies/src/a.test.ts", title: "fails unknowns (POL-2)", runs: [], ok: true }],
};

const violation = (v: Partial<ReportedViolation> & { message: string }): ReportedViolation => ({
  policy: "net-a-checked",
  level: "mandatory",
  urn: "urn:pulumi:s::moat::aws:ec2/securityGroup:SecurityGroup::sg",
  ...v,
});

function model(stacks: StackOutcome[], withTests = tests): ComplianceModel {
  const traces = traceRequirements(catalogue.requirements, policies, recorded);
  return {
    catalogue,
    policies,
    traces,
    tests: withTests,
    problems: coverageProblems(traces, policies, withTests),
    stacks,
  };
}

const traceOf = (m: ComplianceModel, id: string) => m.traces.find((t) => t.requirement.id === id)!;

describe("violationIds (POL-1)", () => {
  it("counts a violation against the IDs its message cites, else against its policy's", () => {
    assert.deepEqual(violationIds(violation({ message: "Fix it (NET-2, POL-2)." }), policies[0]), [
      "NET-2",
      "POL-2",
    ]);
    assert.deepEqual(violationIds(violation({ message: "Fix it." }), policies[0]), ["NET-1", "NET-2"]);
    assert.deepEqual(violationIds(violation({ message: "Fix it." }), undefined), []);
  });
});

describe("requirementStatus (POL-1)", () => {
  const status = (stack: StackOutcome, id = "NET-1") => {
    const m = model([stack]);
    return requirementStatus(traceOf(m, id), m, stack);
  };

  it("passes a stack without findings and marks an ID without policies not enforced", () => {
    const clean = { stack: "a", violations: [] };
    assert.deepEqual(status(clean), { status: "pass", findings: [] });
    assert.deepEqual(status(clean, "POL-2"), { status: "pass", findings: [] });
    const none = model([clean], tests);
    const unpoliced = { ...traceOf(none, "NET-2"), policies: [] };
    assert.equal(requirementStatus(unpoliced, none, clean).status, "not enforced");
  });

  it("fails on a mandatory violation, sorted by policy and message, and worst finding wins", () => {
    const stack = {
      stack: "b",
      violations: [
        violation({ message: "Zap it (NET-1)." }),
        violation({ policy: "net-b-reported", level: "advisory", message: "Still open (NET-1)." }),
        violation({ message: "Add a rule (NET-1)." }),
      ],
    };
    assert.deepEqual(status(stack), {
      status: "FAIL",
      findings: [
        "`net-a-checked`: Add a rule (NET-1).",
        "`net-a-checked`: Zap it (NET-1).",
        "`net-b-reported`: Still open (NET-1).",
      ],
    });
    assert.equal(status(stack, "NET-2").status, "pass");
  });

  it("shows exempt with the reason, advisory findings, and a stack that was not planned", () => {
    const exempt = violation({ message: "Open (NET-1).", exemption: { reason: "lab bastion" } });
    assert.deepEqual(status({ stack: "c", violations: [exempt] }), {
      status: "exempt",
      findings: ["`net-a-checked`: Open (NET-1). (exempt: lab bastion)"],
    });
    const advisory = violation({ policy: "net-b-reported", level: "advisory", message: "World SSH." });
    assert.equal(status({ stack: "d", violations: [advisory] }).status, "advisory");
    assert.deepEqual(status({ stack: "e", violations: [], failure: "stacks/Pulumi.e.yaml: bad" }), {
      status: "not planned",
      findings: ["stacks/Pulumi.e.yaml: bad"],
    });
  });

  it("gives POL-1 the pack's coverage, and fails an exemption without a reason", () => {
    assert.deepEqual(status({ stack: "a", violations: [] }, "POL-1"), {
      status: "incomplete",
      findings: ["the pack has 4 coverage gaps (see Coverage gaps)"],
    });
    const reasonless = violation({ message: "Open (NET-1).", exemption: { reason: " " } });
    assert.deepEqual(status({ stack: "a", violations: [reasonless] }, "POL-1"), {
      status: "FAIL",
      findings: [
        "`net-a-checked`: exempts urn:pulumi:s::moat::aws:ec2/securityGroup:SecurityGroup::sg without a reason; give every exemption a reason",
      ],
    });
  });
});

describe("complianceExitCode", () => {
  it("is 1 only for a mandatory violation that is not exempt", () => {
    assert.equal(complianceExitCode([{ stack: "a", violations: [violation({ message: "x" })] }]), 1);
    const soft = [
      violation({ message: "x", exemption: { reason: "r" } }),
      violation({ message: "y", level: "advisory" }),
    ];
    assert.equal(complianceExitCode([{ stack: "a", violations: soft }]), 0);
  });
});

describe("renderComplianceReport (POL-1)", () => {
  const stacks: StackOutcome[] = [
    { stack: "acme", violations: [] },
    { stack: "dev", violations: [violation({ message: "Add | a rule (NET-1)." })] },
  ];
  const report = renderComplianceReport(model(stacks));

  it("summarises every ID with counts and one status per stack", () => {
    assert.match(report, /^\| ID \| Requirement \| Policies \| Tests \| acme \| dev \|$/m);
    assert.match(report, /^\| \[NET-1\]\(#net-1\) \| Default deny \| 2 \| 2 \| pass \| FAIL \|$/m);
    assert.match(report, /^\| \[POL-2\]\(#pol-2\) \| Unknowns \| pack \| 1 \| pass \| pass \|$/m);
  });

  it("writes a section per requirement: text, sources, statuses, policies and tests", () => {
    const start = report.indexOf('### <a id="net-1"></a>NET-1 Default deny');
    const section = report.slice(start, report.indexOf("### ", start + 4));
    assert.equal(
      section,
      [
        '### <a id="net-1"></a>NET-1 Default deny',
        "",
        "> Default deny. Nothing in.",
        "",
        "Sources: [003] Brev requirements (`seeds/003_abc.txt`); [009] (not listed in seeds/README.md).",
        "",
        "| Stack | Status | Findings |",
        "|---|---|---|",
        "| acme | pass |  |",
        "| dev | FAIL | `net-a-checked`: Add \\| a rule (NET-1). |",
        "",
        "Policies and their tests:",
        "",
        "- `net-a-checked` (mandatory, 2 tests): Checks that a (NET-1, NET-2).",
        "  - `policies/src/a.test.ts` net-a-checked > passes a group: passes",
        "  - `policies/src/a.test.ts` net-a-checked > fails a \\| pipe: fails",
        "- `net-b-reported` (advisory, 0 tests): Checks that b (NET-1).",
        "  - no tests",
        "",
        "",
      ].join("\n"),
    );
  });

  it("lists the coverage gaps, and the domains under their catalogue titles", () => {
    assert.match(report, /Policies without a passing test:\n\n- net-b-reported: no passing test/);
    assert.match(report, /^## NET: network and firewall$/m);
    assert.match(
      report,
      /Policies: the whole pack\. Tests naming POL-2 \(1\):\n\n- `policies\/src\/a\.test\.ts` fails unknowns \(POL-2\)\n/,
    );
  });

  it("is deterministic: the order violations arrive in does not change it", () => {
    const shuffled = stacks.map((s) => ({ ...s, violations: [...s.violations].reverse() }));
    assert.equal(renderComplianceReport(model(shuffled)), report);
    assert.doesNotMatch(report, /\d{4}-\d{2}-\d{2}/);
  });

  it("shows test titles and messages literally: no HTML, emphasis, code or cell breaks", () => {
    assert.equal(
      literal("name <domain>-x `a` *b* a_b | c\\d\nnext"),
      "name \\<domain>-x \\`a\\` \\*b\\* a\\_b \\| c\\\\d next",
    );
  });

  it("says so when the chain is whole", () => {
    const whole = model(stacks);
    const clean = renderComplianceReport({
      ...whole,
      problems: { uncovered: [], noFailingTest: [], noPassingTest: [], notMandatory: [], unknownIds: [] },
    });
    assert.match(clean, /## Coverage gaps\n\nNone: every requirement has a policy/);
  });
});

describe("withoutStackStatus (POL-1)", () => {
  const withStacks = (stacks: StackOutcome[]) => withoutStackStatus(renderComplianceReport(model(stacks)));
  const two: StackOutcome[] = [
    { stack: "acme", violations: [] },
    { stack: "dev", violations: [violation({ message: "Add | a rule (NET-1)." })] },
  ];

  it("is the same for any set of stacks, none included, whatever their status", () => {
    const none = withStacks([]);
    assert.equal(withStacks(two), none);
    assert.equal(withStacks([{ stack: "new-tenant", violations: [], failure: "stacks/x.yaml: bad" }]), none);
    assert.doesNotMatch(
      none,
      /`acme`|\| Findings \||^\| (acme|dev|new-tenant) \||\| (pass|FAIL|not planned) \|$/m,
    );
  });

  it("keeps the summary's counts, the requirement texts, policies and tests", () => {
    const kept = withStacks(two);
    assert.match(kept, /its status on each stack\.$/m);
    assert.match(kept, /^\| ID \| Requirement \| Policies \| Tests \|$/m);
    assert.match(kept, /^\| \[NET-1\]\(#net-1\) \| Default deny \| 2 \| 2 \|$/m);
    assert.match(kept, /^> Default deny\. Nothing in\.$/m);
    assert.match(kept, /^ {2}- `policies\/src\/a\.test\.ts` net-a-checked > fails a \\\| pipe: fails$/m);
    const fewerTests = renderComplianceReport(model(two, new Map()));
    assert.notEqual(withoutStackStatus(fewerTests), kept, "a change of the tests still shows");
  });
});
