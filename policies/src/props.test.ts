import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unknownCheckingProxy } from "@pulumi/policy";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import * as sdkServer from "@pulumi/policy/server";
import {
  UNKNOWN,
  Props,
  forTypes,
  notApplicableQuietly,
  notApplicableReason,
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

  it("marks the policy not applicable for other types, naming the first and counting the rest", async () => {
    assert.deepEqual(await runResourcePolicy(policy, { type: "a:b/e:E", props: {} }), {
      violations: [],
      notApplicable: "Policy only applies to resources of type 'a:b/c:C' and 1 other type",
    });
  });

  it("words the reason as the SDK does for one type", () => {
    assert.equal(notApplicableReason(["a:b/c:C"]), "Policy only applies to resources of type 'a:b/c:C'");
    assert.equal(
      notApplicableReason(["a:b/c:C", "a:b/d:D", "a:b/e:E"]),
      "Policy only applies to resources of type 'a:b/c:C' and 2 other types",
    );
  });
});

// The stock SDK's Analyze handler, driven in process: what the engine receives for one resource.
type AnalyzeHandler = (
  call: { request: unknown },
  callback: (err: unknown, resp: { toObject(): AnalyzeResult }) => void,
) => void;
interface AnalyzeResult {
  diagnosticsList: { policyname: string; message: string }[];
  notApplicableList: { policyName: string; reason: string }[];
}
const { makeAnalyzeRpcFun } = sdkServer as unknown as {
  makeAnalyzeRpcFun: (
    pack: string,
    version: string,
    level: string,
    policies: ResourceValidationPolicy[],
  ) => AnalyzeHandler;
};
/* eslint-disable @typescript-eslint/no-require-imports -- generated protobuf modules ship as untyped CommonJS */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

function analyze(policies: ResourceValidationPolicy[], type: string, props: object): Promise<AnalyzeResult> {
  const request = new analyzerPb.AnalyzeRequest();
  request.setType(type);
  request.setName("x");
  request.setUrn(`urn:pulumi:test::moat::${type}::x`);
  request.setProperties(Struct.fromJavaScript(props));
  request.setOptions(new analyzerPb.AnalyzerResourceOptions());
  const handler = makeAnalyzeRpcFun("moat", "0.0.0", "mandatory", policies);
  return new Promise((resolve, reject) =>
    handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp.toObject()))),
  );
}

describe("forTypes under the stock policy SDK (analyze throughput)", () => {
  let calls = 0;
  const counted = (types: string[], name: string): ResourceValidationPolicy => ({
    name,
    description: "Checks that the SDK filters types (POL-1).",
    validateResource: forTypes(types, (args, report) => {
      calls++;
      report(`saw ${args.name}`);
    }),
  });
  const single = counted(["a:b/c:C"], "single-type");
  const several = counted(["a:b/c:C", "a:b/d:D"], "several-types");

  it("lets the SDK turn down other types of a one-type policy without calling it", async () => {
    calls = 0;
    const result = await analyze([single], "a:b/e:E", { secret: "never read" });
    assert.equal(calls, 0);
    assert.deepEqual(result.notApplicableList, [
      { policyName: "single-type", reason: "Policy only applies to resources of type 'a:b/c:C'" },
    ]);
    assert.deepEqual(result.diagnosticsList, []);
  });

  it("turns down other types of a several-type policy with the short reason, trace limit intact", async () => {
    const limit = Error.stackTraceLimit;
    const result = await analyze([several], "a:b/e:E", {});
    assert.deepEqual(result.notApplicableList, [
      {
        policyName: "several-types",
        reason: "Policy only applies to resources of type 'a:b/c:C' and 1 other type",
      },
    ]);
    assert.equal(Error.stackTraceLimit, limit);
  });

  it("runs both for a listed type and reports their violations", async () => {
    calls = 0;
    const result = await analyze([single, several], "a:b/c:C", {});
    assert.equal(calls, 2);
    assert.deepEqual(
      result.diagnosticsList.map((d) => d.policyname),
      ["single-type", "several-types"],
    );
    assert.deepEqual(result.notApplicableList, []);
  });
});

describe("notApplicableQuietly", () => {
  it("throws what args.notApplicable throws, without a stack trace, and restores the limit", () => {
    const limit = Error.stackTraceLimit;
    const args = {
      notApplicable: (reason?: string): never => {
        throw new Error(reason);
      },
    };
    assert.throws(
      () => notApplicableQuietly(args, "Policy only applies to nodes"),
      (err: Error) => err.message === "Policy only applies to nodes" && !/\n\s+at /.test(err.stack ?? ""),
    );
    assert.equal(Error.stackTraceLimit, limit);
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
