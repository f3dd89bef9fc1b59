import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unknownCheckingProxy } from "@pulumi/policy";
import {
  UNKNOWN,
  Props,
  forTypes,
  plainCopy,
  readBoolean,
  readList,
  readNumber,
  readString,
  readValue,
} from "./props";
import { neverRead, runResourcePolicy, unknown } from "./testing";

// Properties exactly as the SDK hands them to a policy at preview.
const preview = (props: Record<string, unknown>) => (unknownCheckingProxy as (p: object) => Props)(props);

describe("props readers under the SDK's unknown-checking proxy", () => {
  const props = preview({
    name: "head",
    port: 22,
    portText: "443",
    blank: " ",
    protocolNumber: 6,
    enabled: true,
    nothing: null,
    list: ["10.0.0.0/16", unknown.string],
    computedId: unknown.string,
    computedPort: unknown.number,
    computedFlag: unknown.boolean,
    computedList: unknown.array,
  });

  it("returns known values", () => {
    assert.equal(readString(props, "name"), "head");
    assert.equal(readNumber(props, "port"), 22);
    assert.equal(readBoolean(props, "enabled"), true);
    const list = readList(props, "list");
    assert.ok(Array.isArray(list));
    assert.equal(list.length, 2);
  });

  it("returns UNKNOWN for values computed at preview instead of throwing", () => {
    assert.equal(readValue(props, "computedId"), UNKNOWN);
    assert.equal(readString(props, "computedId"), UNKNOWN);
    assert.equal(readNumber(props, "computedPort"), UNKNOWN);
    assert.equal(readBoolean(props, "computedFlag"), UNKNOWN);
    assert.equal(readList(props, "computedList"), UNKNOWN);
  });

  it("reads absent, null and mistyped values as undefined", () => {
    assert.equal(readValue(props, "missing"), undefined);
    assert.equal(readValue(props, "nothing"), undefined);
    assert.equal(readNumber(props, "name"), undefined);
    assert.equal(readNumber(props, "blank"), undefined);
    assert.equal(readBoolean(props, "name"), undefined);
    assert.equal(readList(props, "name"), undefined);
  });

  it("coerces numbers and numeric text where AWS accepts either", () => {
    assert.equal(readString(props, "protocolNumber"), "6");
    assert.equal(readNumber(props, "portText"), 443);
  });

  it("lets errors other than an unknown read escape", () => {
    assert.throws(
      () => readValue(neverRead({}, "secret"), "secret"),
      /policy read computed property "secret"/,
    );
  });
});

describe("forTypes", () => {
  const policy = {
    name: "test-policy",
    description: "Checks that forTypes filters (POL-1).",
    validateResource: forTypes(["a:b/c:C", "a:b/d:D"], (args, report) => report(`saw ${args.name}`)),
  };

  it("runs the validation for each listed type", async () => {
    assert.deepEqual(await runResourcePolicy(policy, { type: "a:b/d:D", name: "x", props: {} }), {
      violations: ["saw x"],
    });
  });

  it("marks the policy not applicable for other types", async () => {
    assert.deepEqual(await runResourcePolicy(policy, { type: "a:b/e:E", props: {} }), {
      violations: [],
      notApplicable: "Policy only applies to resources of type 'a:b/c:C', 'a:b/d:D'",
    });
  });
});

describe("plainCopy", () => {
  it("keeps a __proto__ key as an ordinary key, as JSON.parse does", () => {
    const parsed = JSON.parse('{"Condition":{"__proto__":{"aws:SourceAccount":"123456789012"}}}');
    const copy = plainCopy(parsed) as Record<string, Record<string, unknown>>;
    assert.deepEqual(copy, parsed);
    assert.ok(Object.prototype.hasOwnProperty.call(copy.Condition, "__proto__"));
    assert.equal(Object.getPrototypeOf(copy.Condition), Object.prototype);
  });
});
