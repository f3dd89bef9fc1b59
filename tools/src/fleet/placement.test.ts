import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readProject } from "../plan/project";
import { SECRET_SIG, SIG_KEY } from "../plan/wire";
import { loadCatalogue } from "./catalogue";
import { firstAccount, inputOf, listing, placeStack } from "./placement";
import { registration, testStack } from "./testing";

describe("placeStack", () => {
  it("places each registration in its provider's account and region, else the stack's", () => {
    const stack = placeStack(
      testStack({ stack: "acme-prod", account: "111111111111", region: "us-east-1" }, (s) => [
        registration(s, "aws:iam/role:Role", "through-tenant-provider"),
        registration(s, "pulumi:providers:aws", "replica", {
          region: "eu-west-1",
          allowedAccountIds: '["222222222222"]',
        }),
        registration(
          s,
          "aws:s3/bucket:Bucket",
          "replica-bucket",
          {},
          { provider: `urn:pulumi:${s}::moat::pulumi:providers:aws::replica` },
        ),
        registration(s, "aws:iam/role:Role", "default-provider", {}, { provider: undefined }),
      ]),
    );
    assert.deepEqual(
      stack.resources.map((p) => [p.resource.name, p.account, p.region]),
      [
        ["acme-prod-aws", "111111111111", "us-east-1"],
        ["through-tenant-provider", "111111111111", "us-east-1"],
        ["replica", "111111111111", "us-east-1"],
        ["replica-bucket", "222222222222", "eu-west-1"],
        ["default-provider", "111111111111", "us-east-1"],
      ],
    );
    assert.deepEqual(
      [stack.tenantId, stack.environment, stack.account, stack.region],
      ["acme", "prod", "111111111111", "us-east-1"],
    );
  });

  it("gives a stack that pins no account one of its own, so nothing collides with it by accident", () => {
    const input = testStack({ stack: "loose" });
    const { "aws:allowedAccountIds": _, ...config } = input.config;
    assert.equal(placeStack({ ...input, config, resources: [] }).account, "unpinned:loose");
  });

  it("reads account lists as config text, provider input or list, and only 12-digit ids", () => {
    assert.equal(firstAccount('["111111111111"]'), "111111111111");
    assert.equal(firstAccount(["111111111111"]), "111111111111");
    for (const bad of ["111111111111", "[1]", "[]", "{", undefined, ["1"]])
      assert.equal(firstAccount(bad), undefined);
  });

  it("unwraps secret inputs", () => {
    const secret = registration("s", "aws:secretsmanager/secret:Secret", "x", {
      name: { [SIG_KEY]: SECRET_SIG, value: "moat/x" },
    });
    assert.equal(inputOf(secret, "name"), "moat/x");
  });

  it("lists in prose", () => {
    assert.deepEqual(
      [listing([]), listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"])],
      ["", "a", "a and b", "a, b and c"],
    );
  });
});

describe("loadCatalogue", () => {
  it("loads the program's instance catalogue: vCPUs and network cards", () => {
    const catalogue = loadCatalogue(readProject(path.resolve(__dirname, "..", "..", "..")));
    assert.deepEqual(catalogue("p5.48xlarge"), { vcpus: 192, networkCards: 32 });
    assert.deepEqual(catalogue("p5en.48xlarge"), { vcpus: 192, networkCards: 16 });
    assert.equal(catalogue("toString"), undefined);
  });
});
