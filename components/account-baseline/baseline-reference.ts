import * as pulumi from "@pulumi/pulumi";
import { baselineUseProblems, type BaselineOutputs } from "./account-scope";

/** Inputs of {@link BaselineReference}. */
export interface BaselineReferenceArgs {
  /** The baseline stack, `<organization>/moat-account/<stack>` (the stack's `moat:baseline`). */
  readonly stack: string;
  /** The tenant's account ID. */
  readonly accountId: pulumi.Input<string>;
  /** The tenant's region. */
  readonly region: string;
}

/**
 * A tenant's link to its account baseline (AUD-1, AUD-4): a stack reference to the baseline of
 * the tenant's account and region, whose outputs are checked against the tenant's own. A tenant
 * in another account or region than its baseline fails the preview, naming both, instead of
 * running without a trail or a GuardDuty detector.
 */
export class BaselineReference extends pulumi.ComponentResource {
  /** The baseline's outputs, once checked; fails the update when they do not fit the tenant. */
  public readonly baseline: pulumi.Output<BaselineOutputs>;

  constructor(name: string, args: BaselineReferenceArgs, opts?: pulumi.ComponentResourceOptions) {
    // The referenced stack as input, so the pack sees which baseline covers the tenant (AUD-1).
    super("moat:account:BaselineReference", name, { stack: args.stack }, opts);
    const reference = new pulumi.StackReference(`${name}-stack`, { name: args.stack }, { parent: this });
    this.baseline = pulumi.all([reference.outputs, args.accountId]).apply(([outputs, accountId]) => {
      const baseline = outputs.baseline as BaselineOutputs | undefined;
      if (baseline === undefined) {
        throw new Error(
          `stack ${args.stack} exports no "baseline" output: deploy the account baseline (accounts/) before its tenants`,
        );
      }
      const problems = baselineUseProblems(baseline, { accountId, region: args.region });
      if (problems.length > 0) {
        throw new Error(`moat:baseline names ${args.stack}, but ${problems.join("; ")}`);
      }
      return baseline;
    });
    this.registerOutputs({ baseline: this.baseline });
  }
}
