import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeResource, type ResourceMessage } from "./resource-request";

/* eslint-disable @typescript-eslint/no-require-imports -- generated protobuf modules ship as untyped CommonJS */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/** A real AnalyzeRequest, whose properties are read only through the message, with a count of reads. */
function request(): { message: ResourceMessage; reads: () => number } {
  const req = new analyzerPb.AnalyzeRequest();
  req.setType("aws:s3/bucket:Bucket");
  req.setUrn("urn:pulumi:dev::moat::aws:s3/bucket:Bucket::logs");
  req.setName("logs");
  req.setProperties(Struct.fromJavaScript({ bucket: "logs", tags: { Tenant: "acme" } }));
  req.setOptions(new analyzerPb.AnalyzerResourceOptions());
  const provider = new analyzerPb.AnalyzerProviderResource();
  provider.setType("pulumi:providers:aws");
  provider.setUrn("urn:pulumi:dev::moat::pulumi:providers:aws::default");
  provider.setName("default");
  provider.setProperties(Struct.fromJavaScript({ region: "eu-west-1" }));
  req.setProvider(provider);
  let reads = 0;
  const getProperties = req.getProperties.bind(req);
  req.getProperties = () => {
    reads++;
    return getProperties();
  };
  return { message: req, reads: () => reads };
}

describe("describeResource", () => {
  it("reads the properties only when a policy asks for them, then once", () => {
    const { message, reads } = request();
    const resource = describeResource(message, {});
    assert.equal(reads(), 0);
    assert.equal(resource.props.bucket, "logs");
    assert.equal(resource.props.tags.Tenant, "acme");
    assert.equal(reads(), 1);
    assert.equal(resource.asType({ __pulumiType: "aws:s3/bucket:Bucket" } as never), resource.props);
    assert.equal(resource.asType({ __pulumiType: "aws:s3/bucket:BucketV2" } as never), undefined);
  });

  it("gives each description its own copy, as the SDK gives each policy", () => {
    const { message } = request();
    const first = describeResource(message, {});
    const second = describeResource(message, {});
    (first.props.tags as Record<string, string>).Tenant = "changed by a policy";
    assert.equal(second.props.tags.Tenant, "acme");
    assert.notEqual(first.props, second.props);
  });

  it("keeps the properties a policy spreads, lists or replaces, and the extra fields", () => {
    const { message } = request();
    const resource = describeResource(message, { dependencies: [] as string[] });
    assert.ok(Object.keys(resource).includes("props"));
    assert.deepEqual({ ...resource }.props, { bucket: "logs", tags: { Tenant: "acme" } });
    assert.deepEqual(resource.dependencies, []);
    (resource as { props: Record<string, unknown> }).props = { bucket: "other" };
    assert.deepEqual(resource.props, { bucket: "other" });
  });

  it("describes the provider with its own properties", () => {
    const { message } = request();
    const resource = describeResource(message, {});
    assert.equal(resource.provider?.type, "pulumi:providers:aws");
    assert.equal(resource.provider?.props.region, "eu-west-1");
    assert.ok(Object.keys(resource.provider ?? {}).includes("props"));
  });
});
