import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { VpcEndpoints, VpcEndpointsArgs } from "./endpoints";

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly parent: string;
}

interface RegisterRequest {
  getName(): string;
  getParent(): string;
}

// setMocks is process-global; node's test runner gives each test file its own process.
const registered = new Map<string, { type: string; inputs: Record<string, unknown> }>();
const parentByName = new Map<string, string>();

// waitForRPCs is internal to the SDK but is what `pulumi up` itself awaits before exiting; it
// resolves once every pending registration has reached the mock monitor.
const waitForRegistrations = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

function recordedNamed(prefix: string): Recorded[] {
  return [...registered.entries()]
    .filter(([name]) => name === prefix || name.startsWith(`${prefix}-`))
    .map(([name, { type, inputs }]) => ({ name, type, inputs, parent: parentByName.get(name) ?? "" }));
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

before(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.name, { type: args.type, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "moat",
    "test",
  );
  const monitor = settings.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): unknown;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    parentByName.set(req.getName(), req.getParent());
    return registerResource(req, callback);
  };
});

const goodArgs: VpcEndpointsArgs = {
  // Outputs, as the Network and the security group give them.
  vpcId: pulumi.output("vpc-0abc"),
  subnetId: pulumi.output("subnet-0mgmt"),
  securityGroupId: pulumi.output("sg-0endpoints"),
  region: "eu-central-1",
};

describe("VpcEndpoints with the default services (NET-7, CMP-6, AUD-3)", () => {
  const name = "acme-endpoints";
  const services = ["ssm", "ssmmessages", "ec2messages", "logs", "kms", "secretsmanager"];
  let endpoints: VpcEndpoints;
  let children: Recorded[];

  before(async () => {
    endpoints = new VpcEndpoints(name, goodArgs);
    await waitForRegistrations();
    children = recordedNamed(name).filter((r) => r.name !== name);
  });

  it("registers itself with the moat:network:VpcEndpoints type", () => {
    assert.equal(recordedNamed(name).find((r) => r.name === name)?.type, "moat:network:VpcEndpoints");
  });

  it("creates exactly one interface endpoint per default service, parented to the component", async () => {
    assert.deepEqual(
      children.map((c) => `${c.type} ${c.name}`).sort(),
      services.map((svc) => `aws:ec2/vpcEndpoint:VpcEndpoint ${name}-${svc}`).sort(),
    );
    const urn = await valueOf(endpoints.urn);
    for (const c of children) {
      assert.equal(c.parent, urn, `${c.name} is not parented to the VpcEndpoints`);
    }
  });

  it("puts each endpoint in the management subnet behind the given group, with private DNS", () => {
    for (const svc of services) {
      assert.deepEqual(children.find((c) => c.name === `${name}-${svc}`)?.inputs, {
        vpcId: "vpc-0abc",
        serviceName: `com.amazonaws.eu-central-1.${svc}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: ["subnet-0mgmt"],
        securityGroupIds: ["sg-0endpoints"],
        tags: { Name: `${name}-${svc}`, "moat:role": "endpoint" },
      });
    }
  });

  it("exposes each endpoint's ID by service", async () => {
    assert.deepEqual(Object.keys(endpoints.endpointIds), services);
    for (const svc of services) {
      assert.equal(await valueOf(endpoints.endpointIds[svc]), `${name}-${svc}-id`);
    }
  });
});

describe("VpcEndpoints with chosen services", () => {
  const name = "globex-endpoints";

  it("creates only the services asked for, dotted ones under hyphenated child names", async () => {
    const endpoints = new VpcEndpoints(name, { ...goodArgs, services: ["ssm", "ecr.api"] });
    await waitForRegistrations();
    const children = recordedNamed(name).filter((r) => r.name !== name);
    assert.deepEqual(
      children.map((c) => [c.name, c.inputs.serviceName]),
      [
        [`${name}-ssm`, "com.amazonaws.eu-central-1.ssm"],
        [`${name}-ecr-api`, "com.amazonaws.eu-central-1.ecr.api"],
      ],
    );
    assert.equal(await valueOf(endpoints.endpointIds["ecr.api"]), `${name}-ecr-api-id`);
  });
});

describe("VpcEndpoints: invalid args", () => {
  it("lists every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new VpcEndpoints("bad-endpoints", { ...goodArgs, region: "eu-central-1a", services: ["s3", "s3"] }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["region", "services[0]", "services[1]", "services[1]"],
        );
        assert.match(err.message, /Invalid VpcEndpoints "bad-endpoints" args:/);
        assert.match(err.message, /region: "eu-central-1a" is not a region name/);
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(recordedNamed("bad-endpoints"), []);
  });
});
