import type { EnforcementLevel, Policy } from "@pulumi/policy";
import { protoUtil, type ProtoStruct } from "./sdk-internals";

/** A ConfigureAnalyzerRequest as the generated classes expose it. */
export interface ConfigureRequest {
  getPolicyconfigMap(): {
    entries(): Iterable<
      [string, { getProperties(): ProtoStruct | undefined; getEnforcementlevel(): number }]
    >;
  };
}

/**
 * The policy configuration the engine sends with Configure: per policy, its enforcement level and
 * settings. Read exactly as the SDK's server reads it: a policy's level is the configured one, else
 * its own, else the pack's; its settings are everything configured but the level.
 */
export class PackConfig {
  private config: Record<string, Record<string, unknown>> = {};

  constructor(private readonly packLevel: EnforcementLevel) {}

  /** Replaces the configuration with the one in a Configure request. */
  configure(request: ConfigureRequest): void {
    const config: Record<string, Record<string, unknown>> = {};
    for (const [name, value] of request.getPolicyconfigMap().entries()) {
      const properties = value.getProperties()?.toJavaScript() ?? {};
      properties.enforcementLevel = protoUtil.convertEnforcementLevel(value.getEnforcementlevel());
      config[name] = properties;
    }
    this.config = config;
  }

  /** The level a policy runs at. */
  levelOf(policy: Policy): EnforcementLevel {
    const configured = this.config[policy.name]?.enforcementLevel as EnforcementLevel | undefined;
    return configured || policy.enforcementLevel || this.packLevel;
  }

  /** A policy's settings, a fresh object each call, as the SDK's `args.getConfig()` returns them. */
  settingsOf(policyName: string): Record<string, unknown> {
    const { enforcementLevel: _level, ...settings } = this.config[policyName] ?? {};
    return settings;
  }
}
