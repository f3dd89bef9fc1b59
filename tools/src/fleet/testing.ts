/**
 * Planned stacks for the fleet checks' tests: registrations shaped as `moat plan` records them (a
 * URN per resource, the tenant's explicit AWS provider, property dependencies), built from a few
 * facts instead of a program run.
 */
import { recordedResource } from "../plan/testing";
import type { RecordedResource } from "../plan/types";
import type { FleetStackInput } from "./types";

/** The facts a test stack is made of; everything else is a small Moat tenant's. */
export interface TestStack {
  readonly stack: string;
  readonly tenant?: string;
  readonly environment?: string;
  readonly account?: string;
  readonly region?: string;
  readonly cidr?: string;
}

/** A registration of `stack`, created through its tenant provider unless `provider` is given. */
export function registration(
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  return recordedResource({
    urn: `urn:pulumi:${stack}::moat::${type}::${name}`,
    type,
    name,
    custom: !type.startsWith("moat:"),
    provider: `urn:pulumi:${stack}::moat::pulumi:providers:aws::${stack}-aws`,
    inputs,
    ...extra,
  });
}

/** The facts with their defaults filled in. */
export function facts(spec: TestStack): Required<TestStack> {
  return {
    tenant: spec.stack.split("-")[0],
    environment: "prod",
    account: "111111111111",
    region: "us-east-1",
    cidr: "10.0.0.0/20",
    ...spec,
  };
}

/** A planned stack: its stack file's settings, its provider and `resources` (made for the stack). */
export function testStack(
  spec: TestStack,
  resources: (stack: string) => RecordedResource[] = () => [],
): FleetStackInput {
  const { stack, tenant, environment, account, region, cidr } = facts(spec);
  const provider = registration(stack, "pulumi:providers:aws", `${stack}-aws`, {
    region,
    allowedAccountIds: JSON.stringify([account]),
  });
  return {
    stack,
    file: `stacks/Pulumi.${stack}.yaml`,
    config: {
      "aws:region": region,
      "aws:allowedAccountIds": JSON.stringify([account]),
      "moat:tenant": JSON.stringify({ id: tenant, environment, owner: `ops@${tenant}.example` }),
      "moat:network": JSON.stringify({ cidr, availabilityZone: `${region}a` }),
    },
    resources: [{ ...provider, provider: undefined }, ...resources(stack)],
  };
}

/**
 * A stack with what one Moat tenant declares that the fleet checks look at: named IAM, audit and
 * alert resources, a multi-region trail, a GuardDuty detector, a VPC with NAT, an internet gateway,
 * two Elastic IPs, endpoints, and one compute group of `nodes` nodes of `instanceType`.
 */
export function tenantStack(
  spec: TestStack,
  compute: { instanceType?: string; nodes?: number; cards?: number } = {},
): FleetStackInput {
  const { tenant, account, region, cidr } = facts(spec);
  const { instanceType = "p5.48xlarge", nodes = 2, cards = 32 } = compute;
  return testStack(spec, (stack) => {
    const r = (type: string, name: string, inputs: Record<string, unknown> = {}, extra = {}) =>
      registration(stack, type, name, inputs, extra);
    const vpc = r("aws:ec2/vpc:Vpc", `${tenant}-vpc`, { cidrBlock: cidr });
    const subnet = r("aws:ec2/subnet:Subnet", `${tenant}-compute`, { availabilityZone: `${region}a` });
    const template = r("aws:ec2/launchTemplate:LaunchTemplate", `${tenant}-gpu-template`, {
      instanceType,
      networkInterfaces: Array.from({ length: cards }, (_, i) => ({ networkCardIndex: i })),
    });
    const onVpc = { propertyDependencies: { vpcId: [vpc.urn], subnetIds: [subnet.urn] } };
    return [
      vpc,
      subnet,
      r("aws:iam/role:Role", `${tenant}-admin-role`, { name: `moat-${tenant}-admin` }),
      r("aws:iam/instanceProfile:InstanceProfile", `${tenant}-profile`, { name: `moat-${tenant}-head` }),
      r("aws:s3/bucket:Bucket", `${tenant}-audit-bucket`, {
        bucket: `moat-${tenant}-audit-${account}-${region}`,
      }),
      r("aws:cloudtrail/trail:Trail", `${tenant}-audit-trail`, {
        name: `moat-${tenant}`,
        isMultiRegionTrail: true,
      }),
      r("aws:cloudwatch/logGroup:LogGroup", `${tenant}-trail-logs`, { name: `/moat/${tenant}/cloudtrail` }),
      r("aws:kms/alias:Alias", `${tenant}-alias`, { name: `alias/moat-${tenant}` }),
      r("aws:cloudwatch/eventRule:EventRule", `${tenant}-iam-changes`, {
        name: `moat-${tenant}-iam-changes`,
      }),
      r("aws:guardduty/detector:Detector", `${tenant}-guardduty`, { enable: true }),
      r("aws:ec2/internetGateway:InternetGateway", `${tenant}-igw`),
      r("aws:ec2/eip:Eip", `${tenant}-nat-eip`, { domain: "vpc" }),
      r("aws:ec2/eip:Eip", `${tenant}-bastion-eip`, { domain: "vpc" }),
      r(
        "aws:ec2/natGateway:NatGateway",
        `${tenant}-nat`,
        {},
        { propertyDependencies: { subnetId: [subnet.urn] } },
      ),
      r(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        `${tenant}-ssm`,
        { vpcEndpointType: "Interface", subnetIds: ["s"] },
        onVpc,
      ),
      r("aws:ec2/vpcEndpoint:VpcEndpoint", `${tenant}-s3`, { vpcEndpointType: "Gateway" }, onVpc),
      template,
      r(
        "aws:autoscaling/group:Group",
        `${tenant}-gpu-asg`,
        { desiredCapacity: nodes, maxSize: nodes, minSize: nodes },
        { propertyDependencies: { launchTemplate: [template.urn] } },
      ),
    ];
  });
}

/**
 * A planned account baseline (accounts/): its stack file's settings and provider, and `resources`.
 * `forwardTo` is its `moat-account:forwardGlobalEventsTo`.
 */
export function baselineStack(
  spec: Pick<TestStack, "stack" | "account" | "region">,
  forwardTo: readonly string[] = [],
  resources: (stack: string) => RecordedResource[] = () => [],
): FleetStackInput {
  const { stack, account, region } = facts(spec);
  const provider = registration(stack, "pulumi:providers:aws", `${stack}-aws`, {
    region,
    allowedAccountIds: JSON.stringify([account]),
  });
  return {
    stack: `accounts/${stack}`,
    file: `accounts/stacks/Pulumi.${stack}.yaml`,
    config: {
      "aws:region": region,
      "aws:allowedAccountIds": JSON.stringify([account]),
      "moat-account:owner": "ops@example.com",
      "moat-account:forwardGlobalEventsTo": JSON.stringify(forwardTo),
    },
    resources: [{ ...provider, provider: undefined }, ...resources(stack)],
  };
}

/** A tenant stack's input naming `baseline` (a baseline stack name) in `moat:baseline`. */
export function withBaseline(input: FleetStackInput, baseline: string): FleetStackInput {
  return { ...input, config: { ...input.config, "moat:baseline": `org/moat-account/${baseline}` } };
}
