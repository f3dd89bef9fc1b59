import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDomains, parseRequirements, parseSources } from "./requirements";

const CATALOGUE = `# Security requirements catalogue

Intro text with [000] that is not a requirement.

## NET: network and firewall
- NET-1 Default deny inbound. No security group has an inbound rule that was
  not declared. [003][002]
- NET-7 Bastion (jump host): in \`bastion\` access mode the only internet-facing SSH endpoint. [002][000]

## DAT: data protection
- DAT-3 KMS keys rotate automatically (at most every 365 days; 90 by default), have a
  30-day deletion window. [002]

## POL: policy as code
- POL-1 Each requirement above has at least one policy; a stack's policy config may tune a policy.
`;

describe("parseRequirements (POL-1)", () => {
  const requirements = parseRequirements(CATALOGUE);

  it("reads every item with its ID, domain and continuation lines", () => {
    assert.deepEqual(
      requirements.map((r) => [r.id, r.domain]),
      [
        ["NET-1", "NET"],
        ["NET-7", "NET"],
        ["DAT-3", "DAT"],
        ["POL-1", "POL"],
      ],
    );
    assert.equal(
      requirements[0].text,
      "Default deny inbound. No security group has an inbound rule that was not declared.",
    );
  });

  it("takes the source references off the end, in catalogue order", () => {
    assert.deepEqual(requirements[0].sources, ["[003]", "[002]"]);
    assert.deepEqual(requirements[1].sources, ["[002]", "[000]"]);
    assert.deepEqual(requirements[3].sources, []);
    assert.doesNotMatch(requirements[1].text, /\[\d{3}\]/);
  });

  it("titles a requirement by its text up to the first sentence end, colon or semicolon outside parentheses", () => {
    assert.deepEqual(
      requirements.map((r) => r.title),
      [
        "Default deny inbound",
        "Bastion (jump host)",
        "KMS keys rotate automatically (at most every 365 days; 90 by default), have a 30-day deletion window",
        "Each requirement above has at least one policy",
      ],
    );
  });

  it("refuses a catalogue that lists an ID twice", () => {
    assert.throws(
      () => parseRequirements("- NET-1 One. [000]\n- NET-1 Two. [001]\n"),
      /NET-1 is listed twice/,
    );
  });
});

describe("parseDomains and parseSources", () => {
  it("reads the domain headings", () => {
    assert.deepEqual(parseDomains(CATALOGUE), [
      { prefix: "NET", title: "network and firewall" },
      { prefix: "DAT", title: "data protection" },
      { prefix: "POL", title: "policy as code" },
    ]);
  });

  it("maps each seed file to its reference and the title before the colon, sorted", () => {
    const readme = `| file | what it is |
|---|---|
| 002_338af126f4395d77.txt | Lambda security best practices: ED25519 keys, default-deny firewall |
| 000_97896fe5f71613c0.txt | Lambda 1-Click Clusters security posture: head nodes |
| 004_x.txt | No colon here |
`;
    assert.deepEqual(parseSources(readme), [
      { ref: "[000]", file: "000_97896fe5f71613c0.txt", title: "Lambda 1-Click Clusters security posture" },
      { ref: "[002]", file: "002_338af126f4395d77.txt", title: "Lambda security best practices" },
      { ref: "[004]", file: "004_x.txt", title: "No colon here" },
    ]);
  });
});
