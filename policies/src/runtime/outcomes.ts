// How a policy's call ends up in the answer, as in the SDK's server: a reported violation becomes a
// diagnostic at the policy's level; reading an unknown becomes an advisory "can't run" diagnostic;
// `args.notApplicable(reason)` becomes a not-applicable entry; any other error fails the request.
import type { EnforcementLevel, Policy, ReportViolation } from "@pulumi/policy";
import { UnknownValueError, analyzerProto, protoUtil, type SdkDiagnostic } from "./sdk-internals";

/** The pack as diagnostics name it. */
export interface PackIdentity {
  readonly name: string;
  readonly version: string;
}

/** The object form of a violation, which the SDK's server accepts though its typings omit it. */
interface ViolationObject {
  readonly name?: string;
  readonly message?: string;
  readonly description?: string;
  readonly urn?: string;
  readonly enforcementLevel?: EnforcementLevel;
  readonly severity?: Policy["severity"];
}

/** What `args.notApplicable(reason)` throws. */
export class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

/** A policy's call failed: the request fails with this message (the policy's name, then the stack). */
export class PolicyFailure extends Error {}

/** The `notApplicable` every policy argument carries. */
export function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** The answer being built for one request. */
export class Outcomes {
  readonly diagnostics: SdkDiagnostic[] = [];
  notApplicable: unknown[] | undefined;

  constructor(private readonly pack: PackIdentity) {}

  /** Records that a policy does not apply to the request's resource (or stack). */
  addNotApplicable(policyName: string, reason: string | undefined): void {
    const entry = new analyzerProto.PolicyNotApplicable();
    entry.setPolicyName(policyName);
    if (reason) {
      entry.setReason(reason);
    }
    (this.notApplicable ??= []).push(entry);
  }

  /** The reportViolation a policy at `level` is called with. */
  reporter(policy: Policy, level: EnforcementLevel): ReportViolation {
    const { name, description, severity } = policy;
    return (message: string | ViolationObject, urn?: string) => {
      if (typeof message === "object") {
        this.diagnostics.push({
          policyName: message.name || name,
          policyPackName: this.pack.name,
          policyPackVersion: this.pack.version,
          message: message.message || message.description || description,
          urn: message.urn,
          description: message.description || description,
          enforcementLevel: message.enforcementLevel || level,
          severity: message.severity || severity,
        });
        return;
      }
      this.diagnostics.push({
        policyName: name,
        policyPackName: this.pack.name,
        policyPackVersion: this.pack.version,
        message: message ? `${description}\n${message}` : description,
        urn,
        description,
        enforcementLevel: level,
        severity,
      });
    };
  }

  /**
   * Turns what a policy's call threw into its outcome; rethrows, as a gRPC error naming the policy,
   * anything that is not an unknown read or a not-applicable answer.
   */
  settle(policy: Policy, error: unknown): void {
    const policyFrom = `policy '${policy.name}' from policy pack '${this.pack.name}@v${this.pack.version}'`;
    if (error instanceof UnknownValueError) {
      this.diagnostics.push({
        policyName: policy.name,
        policyPackName: this.pack.name,
        policyPackVersion: this.pack.version,
        message: `can't run ${policyFrom} during preview: ${error.message}`,
        description: policy.description,
        enforcementLevel: "advisory",
        severity: policy.severity,
      });
    } else if (error instanceof NotApplicable) {
      this.addNotApplicable(policy.name, error.reason);
    } else {
      // Worded as the SDK words it, for stack policies too.
      throw new PolicyFailure(
        protoUtil.asGrpcError(error, `Error validating resource with ${policyFrom}`).message,
      );
    }
  }

  /** The AnalyzeResponse message. */
  response(): unknown {
    return protoUtil.makeAnalyzeResponse(this.diagnostics, this.notApplicable);
  }
}
