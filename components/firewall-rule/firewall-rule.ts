import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { FirewallRuleContext, FirewallRuleSpec, firewallRuleProblems } from "./rule";
import { invalidArgsError, isWorld, resolvePorts } from "./rule-checks";

/**
 * Inputs of a {@link FirewallRule}: the rule itself and what it is judged against. Changing the
 * protocol, ports or source replaces the rule (AWS rules are immutable apart from the description).
 */
export interface FirewallRuleArgs extends FirewallRuleSpec {
  /**
   * The tenant's VPC CIDR and allowlists, and whether world SSH is acknowledged. No default: a
   * CIDR source is only accepted inside the tenant's own ranges (NET-4).
   */
  readonly context: FirewallRuleContext;
}

/**
 * One explicitly declared inbound flow (NET-1, NET-9): a single standalone
 * `aws.vpc.SecurityGroupIngressRule` with a description, a protocol, a port range and exactly one
 * source. The rule is validated first and every problem is thrown at once, before anything is
 * created; world SSH that the stack acknowledged is still logged as a warning (NET-6).
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 */
export class FirewallRule extends pulumi.ComponentResource {
  /** ID of the ingress rule (`sgr-...`). */
  public readonly ruleId: pulumi.Output<string>;

  constructor(name: string, args: FirewallRuleArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = firewallRuleProblems(args, args.context);
    if (problems.length > 0) {
      throw invalidArgsError("FirewallRule", name, problems);
    }
    super("moat:network:FirewallRule", name, {}, opts);

    const { source } = args;
    if ("cidr" in source && isWorld(source.cidr)) {
      // Acknowledged is not approved: keep it visible on every run (NET-6).
      void pulumi.log.warn(
        `${name} opens SSH to the whole internet (${source.cidr}) because acknowledgeWorldSsh is set; ` +
          "replace it with your office or VPN ranges (NET-6)",
        this,
      );
    }

    const { ipProtocol, fromPort, toPort } = resolvePorts(args.protocol, args.fromPort, args.toPort);
    const rule = new aws.vpc.SecurityGroupIngressRule(
      `${name}-ingress`,
      {
        securityGroupId: args.securityGroupId,
        description: args.description,
        ipProtocol,
        // Left out, not undefined, for all traffic: AWS takes no ports there.
        ...(fromPort === undefined ? {} : { fromPort, toPort }),
        ...("cidr" in source
          ? { cidrIpv4: source.cidr }
          : { referencedSecurityGroupId: source.securityGroupId }),
      },
      { parent: this },
    );

    this.ruleId = rule.id;
    this.registerOutputs({ ruleId: this.ruleId });
  }
}
