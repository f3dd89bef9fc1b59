import type * as pulumi from "@pulumi/pulumi";

/**
 * Services reached through interface endpoints when none are named: what SSM sessions (NET-7's
 * `ssm` mode), log shipping (AUD-3), KMS and Secrets Manager (CMP-4, CMP-6) need, so none of that
 * traffic leaves the VPC through the NAT gateway.
 */
export const DEFAULT_ENDPOINT_SERVICES: readonly string[] = [
  "ssm",
  "ssmmessages",
  "ec2messages",
  "logs",
  "kms",
  "secretsmanager",
];

/** The endpoint service name of an AWS service in a region, e.g. `com.amazonaws.us-east-1.ssm`. */
export function endpointServiceName(region: string, service: string): string {
  return `com.amazonaws.${region}.${service}`;
}

/**
 * The child-name role of a service's endpoint: the service with dots turned into hyphens
 * (`ecr.api` gives `ecr-api`), so child names read like the others, `${name}-<role>`.
 */
export function endpointRole(service: string): string {
  return service.replace(/\./g, "-");
}

/** The inputs {@link validateVpcEndpointsArgs} checks; the same shape as `VpcEndpointsArgs`. */
export interface EndpointsArgsToCheck {
  /** ID of the VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** ID of the management subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** ID of the endpoints' security group. */
  readonly securityGroupId: pulumi.Input<string>;
  /** Region name. */
  readonly region: string;
  /** Service names, e.g. `ssm`. */
  readonly services?: readonly string[];
}

/** One invalid endpoints property: where it is and what to do about it. */
export interface EndpointsArgsProblem {
  /** Property path inside the args, e.g. `services[2]`. */
  readonly propertyPath: string;
  /** What is wrong and how to fix it. */
  readonly reason: string;
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// `ecr.api`, `ecr.dkr`, `sts`, `ssm-contacts`: lowercase words joined by dots or hyphens.
const SERVICE = /^[a-z0-9]+([.-][a-z0-9]+)*$/;

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Checks the endpoints' args and returns every problem at once, each with its fix; an empty array
 * means they are usable. IDs that are outputs are checked by AWS at deploy time.
 */
export function validateVpcEndpointsArgs(args: EndpointsArgsToCheck): EndpointsArgsProblem[] {
  const problems: EndpointsArgsProblem[] = [];
  const problem = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
  const ids = { vpcId: "vpc-", subnetId: "subnet-", securityGroupId: "sg-" } as const;
  for (const [key, prefix] of Object.entries(ids) as Array<[keyof typeof ids, string]>) {
    const value = args[key];
    if (value === undefined || value === null || (typeof value === "string" && !value.startsWith(prefix))) {
      problem(key, `${shown(value)} is not a ${prefix}... ID; pass the ${key} output of the resource`);
    }
  }
  if (typeof args.region !== "string" || !REGION_NAME.test(args.region)) {
    problem("region", `${shown(args.region)} is not a region name; use one such as us-east-1`);
  }
  if (args.services === undefined) {
    return problems;
  }
  if (!Array.isArray(args.services) || args.services.length === 0) {
    problem(
      "services",
      `name at least one service, or leave services out for ${DEFAULT_ENDPOINT_SERVICES.join(", ")}`,
    );
    return problems;
  }
  const seen = new Map<string, number>();
  args.services.forEach((service, index) => {
    const path = `services[${index}]`;
    if (typeof service !== "string" || !SERVICE.test(service)) {
      problem(path, `${shown(service)} is not a service name; use the last part of one, e.g. ssm or ecr.api`);
      return;
    }
    if (service === "s3") {
      problem(path, "s3 is reached through the Network's S3 gateway endpoint; remove it here");
    }
    const first = seen.get(endpointRole(service));
    if (first !== undefined) {
      problem(path, `${shown(service)} repeats services[${first}]; name each service once`);
    } else {
      seen.set(endpointRole(service), index);
    }
  });
  return problems;
}
