import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_ENDPOINT_SERVICES,
  EndpointsArgsToCheck,
  endpointRole,
  endpointServiceName,
  validateVpcEndpointsArgs,
} from "./endpoint-services";

const happy: EndpointsArgsToCheck = {
  vpcId: "vpc-0abc",
  subnetId: "subnet-0abc",
  securityGroupId: "sg-0abc",
  region: "us-east-1",
};

describe("endpoint service names (NET-7, CMP-6, AUD-3)", () => {
  it("names the service in its region", () => {
    assert.equal(
      endpointServiceName("eu-central-1", "ssmmessages"),
      "com.amazonaws.eu-central-1.ssmmessages",
    );
  });

  it("turns dotted services into child-name roles", () => {
    assert.equal(endpointRole("ecr.api"), "ecr-api");
    assert.equal(endpointRole("ssm"), "ssm");
  });

  it("covers SSM sessions, logs, KMS and Secrets Manager by default", () => {
    assert.deepEqual(
      [...DEFAULT_ENDPOINT_SERVICES],
      ["ssm", "ssmmessages", "ec2messages", "logs", "kms", "secretsmanager"],
    );
  });
});

describe("validateVpcEndpointsArgs", () => {
  it("accepts compliant args, with and without services", () => {
    assert.deepEqual(validateVpcEndpointsArgs(happy), []);
    assert.deepEqual(validateVpcEndpointsArgs({ ...happy, services: ["sts", "ecr.api", "ecr.dkr"] }), []);
  });

  it("accepts IDs that are outputs, which AWS checks at deploy time", () => {
    const id = pulumi.output("anything");
    assert.deepEqual(
      validateVpcEndpointsArgs({ ...happy, vpcId: id, subnetId: id, securityGroupId: id }),
      [],
    );
  });

  const broken: Array<[Partial<EndpointsArgsToCheck>, string, RegExp]> = [
    [{ vpcId: "" }, "vpcId", /^"" is not a vpc-\.\.\. ID; pass the vpcId output/],
    [{ subnetId: "vpc-0abc" }, "subnetId", /is not a subnet-\.\.\. ID/],
    [{ securityGroupId: undefined as never }, "securityGroupId", /^undefined is not a sg-\.\.\. ID/],
    [{ region: "us-east-1a" }, "region", /^"us-east-1a" is not a region name; use one such as us-east-1$/],
    [{ services: [] }, "services", /^name at least one service, or leave services out for ssm, ssmmessages/],
    [{ services: ["ssm", "SSM"] }, "services[1]", /"SSM" is not a service name; .* e\.g\. ssm or ecr\.api/],
    [
      { services: ["ssm", "kms", "ssm"] },
      "services[2]",
      /^"ssm" repeats services\[0\]; name each service once$/,
    ],
    [{ services: ["ecr.api", "ecr-api"] }, "services[1]", /repeats services\[0\]/],
    [{ services: ["s3"] }, "services[0]", /S3 gateway endpoint; remove it here/],
  ];
  for (const [change, path, reason] of broken) {
    it(`rejects ${JSON.stringify(change)} at ${path} with a fix`, () => {
      const problems = validateVpcEndpointsArgs({ ...happy, ...change });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].propertyPath, path);
      assert.match(problems[0].reason, reason);
    });
  }

  it("reports every broken property in one pass", () => {
    const problems = validateVpcEndpointsArgs({
      vpcId: "x",
      subnetId: "y",
      securityGroupId: "z",
      region: "",
      services: ["", "kms", "kms"],
    });
    assert.deepEqual(
      problems.map((p) => p.propertyPath),
      ["vpcId", "subnetId", "securityGroupId", "region", "services[0]", "services[2]"],
    );
  });
});
