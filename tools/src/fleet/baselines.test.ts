import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBaselines } from "./baselines";
import { placeStack } from "./placement";
import { baselineStack, testStack, withBaseline } from "./testing";

const tenant = (stack: string, baseline: string, region = "us-east-1", account = "111111111111") =>
  placeStack(withBaseline(testStack({ stack, region, account }), baseline));
const baseline = (stack: string, region: string, forwardTo: string[] = [], account = "111111111111") =>
  placeStack(baselineStack({ stack, region, account }, forwardTo));

describe("account baselines across the fleet (AUD-1, AUD-2, AUD-4)", () => {
  it("passes tenants in two regions with their baselines and the home forwarding IAM events", () => {
    const stacks = [
      baseline("acme-us-east-1", "us-east-1", ["eu-west-1"]),
      baseline("acme-eu-west-1", "eu-west-1"),
      tenant("a-prod", "acme-us-east-1"),
      tenant("a-dev", "acme-eu-west-1", "eu-west-1"),
    ];
    assert.deepEqual(checkBaselines(stacks), []);
  });

  it("checks nothing when no baseline was planned", () => {
    assert.deepEqual(checkBaselines([tenant("a-prod", "nowhere")]), []);
  });

  it("fails a tenant naming a baseline that was not planned, or one of another region", () => {
    const stacks = [
      baseline("acme-us-east-1", "us-east-1"),
      tenant("a", "nope"),
      tenant("b", "acme-us-east-1", "eu-west-1"),
    ];
    const found = checkBaselines(stacks).map((f) => [f.check, f.stacks, f.message]);
    assert.deepEqual(found.slice(0, 2), [
      [
        "baseline",
        ["a"],
        "a (stacks/Pulumi.a.yaml) names baseline org/moat-account/nope in moat:baseline, but no planned baseline stack is called nope",
      ],
      [
        "baseline",
        ["accounts/acme-us-east-1", "b"],
        "b deploys to account 111111111111 in eu-west-1, but its baseline accounts/acme-us-east-1 is in account 111111111111, us-east-1; that baseline's trail and detector do not cover it",
      ],
    ]);
  });

  it("fails an account with tenants but no home baseline, and a region the home does not forward IAM events to", () => {
    const noHome = checkBaselines([
      baseline("acme-eu-west-1", "eu-west-1"),
      tenant("a", "acme-eu-west-1", "eu-west-1"),
    ]);
    assert.equal(noHome.length, 1);
    assert.match(noHome[0].message, /^account 111111111111 has tenants \(a\) but no baseline in us-east-1/);
    const unforwarded = checkBaselines([
      baseline("acme-us-east-1", "us-east-1"),
      baseline("acme-eu-west-1", "eu-west-1"),
      tenant("a", "acme-eu-west-1", "eu-west-1"),
    ]);
    assert.deepEqual(
      unforwarded.map((f) => [f.stacks, f.fix]),
      [
        [
          ["a", "accounts/acme-us-east-1"],
          'add "eu-west-1" to moat-account:forwardGlobalEventsTo in accounts/stacks/Pulumi.acme-us-east-1.yaml',
        ],
      ],
    );
  });

  it("fails two baselines of one account and region", () => {
    const [finding] = checkBaselines([baseline("x", "us-east-1"), baseline("y", "us-east-1")]);
    assert.deepEqual(finding.stacks, ["accounts/x", "accounts/y"]);
    assert.match(finding.message, /are all baselines of account 111111111111 in us-east-1/);
  });
});
