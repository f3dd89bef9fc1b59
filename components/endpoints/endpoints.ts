import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG_ROLE } from "../tenant/tags";
import {
  DEFAULT_ENDPOINT_SERVICES,
  endpointRole,
  endpointServiceName,
  validateVpcEndpointsArgs,
} from "./endpoint-services";

/**
 * Inputs of {@link VpcEndpoints}. Tenant, environment and owner tags (AUD-5) come from the tenant
 * provider passed in the resource options.
 */
export interface VpcEndpointsArgs {
  /** ID of the tenant VPC, e.g. `Network.vpcId`. Changing this replaces every endpoint. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * ID of the management subnet the endpoints' network interfaces sit in; nodes of every tier
   * reach them there through the VPC's local route. Changing this replaces the interfaces.
   */
  readonly subnetId: pulumi.Input<string>;
  /**
   * ID of the endpoints' security group, created elsewhere with one standalone rule allowing
   * HTTPS (443) from the VPC's CIDR and tagged `moat:role: endpoint` (NET-9).
   */
  readonly securityGroupId: pulumi.Input<string>;
  /** Region of the VPC, e.g. `us-east-1`; names each endpoint service. */
  readonly region: string;
  /**
   * AWS services to reach privately, each the last part of its endpoint service name
   * (`ssm` for `com.amazonaws.<region>.ssm`). Not `s3`: the Network has an S3 gateway endpoint.
   * Removing one deletes its endpoint and sends that traffic back through the NAT gateway.
   * https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
   * @default ["ssm", "ssmmessages", "ec2messages", "logs", "kms", "secretsmanager"]
   */
  readonly services?: readonly string[];
}

/**
 * Interface VPC endpoints, one per AWS service, in the management subnet with private DNS on, so
 * the default service hostnames resolve to addresses inside the VPC: SSM sessions work without
 * internet access (NET-7's `ssm` mode), and secrets, keys and logs never cross the NAT gateway.
 */
export class VpcEndpoints extends pulumi.ComponentResource {
  /** Endpoint ID per service, keyed by the service as given, e.g. `endpointIds.ssm`. */
  public readonly endpointIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): invalid args must not leave even the component behind in the stack.
    const problems = validateVpcEndpointsArgs(args);
    if (problems.length > 0) {
      throw new pulumi.InputPropertiesError({
        message:
          `Invalid VpcEndpoints "${name}" args:\n` +
          problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n"),
        errors: problems.map((p) => ({ propertyPath: p.propertyPath, reason: p.reason })),
      });
    }
    super("moat:network:VpcEndpoints", name, {}, opts);

    const services = args.services ?? DEFAULT_ENDPOINT_SERVICES;
    const endpointIds: Record<string, pulumi.Output<string>> = {};
    for (const service of services) {
      const role = endpointRole(service);
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-${role}`,
        {
          vpcId: args.vpcId,
          serviceName: endpointServiceName(args.region, service),
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: [args.subnetId],
          securityGroupIds: [args.securityGroupId],
          tags: { Name: `${name}-${role}`, [TAG_ROLE]: "endpoint" },
        },
        { parent: this },
      );
      endpointIds[service] = endpoint.id;
    }

    this.endpointIds = endpointIds;
    this.registerOutputs({ endpointIds: this.endpointIds });
  }
}
