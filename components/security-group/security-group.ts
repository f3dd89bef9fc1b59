import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { invalidArgsError } from "../firewall-rule/rule-checks";
import { MoatRole, TAG_ROLE } from "../tenant/tags";
import { SecurityGroupEgress, planEgressRules, validateSecurityGroupArgs } from "./security-group-args";

/** Inputs of a {@link DefaultDenySecurityGroup}. */
export interface DefaultDenySecurityGroupArgs {
  /** The tenant VPC the group belongs to. Changing this replaces the group. */
  readonly vpcId: pulumi.Input<string>;
  /** What the group is for, written to the `moat:role` tag, e.g. `head` or `cluster`. No default. */
  readonly role: MoatRole;
  /**
   * What the group is for, shown in the console, e.g. `Moat acme head nodes (NET-6)`. At most 255
   * characters of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*. Changing this replaces the
   * group (AWS cannot edit a group's description), and with it every rule on it.
   */
  readonly description: string;
  /**
   * Outbound rules: `all` for NET-2's explicit all-traffic rule, an allowlist for one rule per
   * destination, or `none` for a group that sends nothing (quarantine, NET-11). No default: open
   * egress is a choice, not an omission.
   */
  readonly egress: SecurityGroupEgress;
}

/**
 * A security group that denies everything it was not told to allow (NET-1). The group itself
 * declares no inline rules at all: not even empty `ingress`/`egress` lists, which would make it own
 * its rule set and revoke the standalone rules others attach on every update (NET-9). Inbound flows
 * are added as `FirewallRule`s; outbound ones come from `egress` as standalone
 * `aws.vpc.SecurityGroupEgressRule`s, because AWS providers strip the implicit allow-all egress
 * rule that the console would have created (NET-2).
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 */
export class DefaultDenySecurityGroup extends pulumi.ComponentResource {
  /** ID of the security group, for rules, instances and launch templates. */
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: DefaultDenySecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateSecurityGroupArgs(args);
    if (problems.length > 0) {
      throw invalidArgsError("DefaultDenySecurityGroup", name, problems);
    }
    super("moat:network:DefaultDenySecurityGroup", name, {}, opts);

    const group = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: args.description,
        // No `ingress` or `egress` here, on purpose (see the class comment).
        tags: { Name: name, [TAG_ROLE]: args.role },
      },
      { parent: this },
    );

    for (const rule of planEgressRules(args.egress)) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-egress-${rule.key}`,
        {
          securityGroupId: group.id,
          description: rule.description,
          ipProtocol: rule.ipProtocol,
          cidrIpv4: rule.cidrIpv4,
          ...(rule.fromPort === undefined ? {} : { fromPort: rule.fromPort, toPort: rule.toPort }),
        },
        { parent: this },
      );
    }

    this.securityGroupId = group.id;
    this.registerOutputs({ securityGroupId: this.securityGroupId });
  }
}
