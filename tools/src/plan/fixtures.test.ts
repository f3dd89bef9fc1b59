import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Fixtures, MissingFixtureError, pinnedAccount } from "./fixtures";

describe("Fixtures", () => {
  const fixtures = new Fixtures("eu-west-1");

  it("answers known provider functions for the stack's region", () => {
    assert.deepEqual(fixtures.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}).names, [
      "eu-west-1a",
      "eu-west-1b",
      "eu-west-1c",
    ]);
    assert.equal(
      fixtures.invoke("aws:index/getCallerIdentity:getCallerIdentity", {}).accountId,
      fixtures.account,
    );
  });

  it("answers the caller identity with the account the stack pins, else the fixtures' account", () => {
    const pinned = new Fixtures("eu-west-1", pinnedAccount({ "aws:allowedAccountIds": '["111111111111"]' }));
    const identity = pinned.invoke("aws:index/getCallerIdentity:getCallerIdentity", {});
    assert.equal(identity.accountId, "111111111111");
    assert.equal(identity.arn, "arn:aws:sts::111111111111:assumed-role/moat-deployer/offline-preview");
    assert.match(String(pinned.computed("aws:ec2/vpc:Vpc", "urn:x", "x").outputs.arn), /:111111111111:vpc\//);
    for (const text of [undefined, "[]", '["1111"]', "[111111111111]", "not json"]) {
      const config: Record<string, string> = text === undefined ? {} : { "aws:allowedAccountIds": text };
      assert.equal(pinnedAccount(config), undefined, String(text));
    }
    assert.equal(fixtures.account, "123456789012");
  });

  it("fails loudly, naming the token, when no fixture answers", () => {
    assert.throws(
      () => fixtures.invoke("aws:ec2/getAmi:getAmi", { owners: ["amazon"] }),
      (e: unknown) =>
        e instanceof MissingFixtureError &&
        e.token === "aws:ec2/getAmi:getAmi" &&
        /no fixture for provider function 'aws:ec2\/getAmi:getAmi'/.test(e.message),
    );
  });

  it("invents stable, typed IDs and ARNs", () => {
    const a = fixtures.computed("aws:ec2/vpc:Vpc", "urn:x", "x-vpc");
    const b = fixtures.computed("aws:ec2/vpc:Vpc", "urn:x", "x-vpc");
    assert.deepEqual(a, b);
    assert.match(a.id, /^vpc-[0-9a-f]{17}$/);
    assert.match(String(a.outputs.arn), /^arn:aws:ec2:eu-west-1:123456789012:vpc\/vpc-/);
    assert.match(String(a.outputs.defaultSecurityGroupId), /^sg-[0-9a-f]{17}$/);
  });
});
