import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkedTypes } from "../props";

/**
 * The pack's resource policies by the resource types they check, built once at start-up. The SDK's
 * own server offers every resource to every resource policy, and most of its analyze time went on
 * policies that do not check the resource's type (a copy of the properties each, or a "not
 * applicable" entry each in the answer). A policy whose validations name their types (forTypes)
 * is listed under those types only; one that does not is listed under every type. Lists keep the
 * pack's order, so diagnostics come out in the order the SDK's server gives them.
 */
export class PolicyIndex {
  private readonly everyType: ReadonlySet<ResourceValidationPolicy>;
  private readonly typed = new Map<ResourceValidationPolicy, ReadonlySet<string>>();
  private readonly byType = new Map<string, readonly ResourceValidationPolicy[]>();

  constructor(private readonly policies: readonly ResourceValidationPolicy[]) {
    const everyType = new Set<ResourceValidationPolicy>();
    for (const policy of policies) {
      const types = policyTypes(policy);
      if (types === undefined) {
        everyType.add(policy);
      } else {
        this.typed.set(policy, types);
      }
    }
    this.everyType = everyType;
  }

  /** The policies that check resources of this type, in pack order. */
  forType(type: string): readonly ResourceValidationPolicy[] {
    let list = this.byType.get(type);
    if (list === undefined) {
      list = this.policies.filter((p) => this.everyType.has(p) || this.typed.get(p)!.has(type));
      this.byType.set(type, list);
    }
    return list;
  }
}

/** The types a policy checks: the union over its validations, or undefined if one checks every type. */
export function policyTypes(policy: ResourceValidationPolicy): ReadonlySet<string> | undefined {
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource!];
  const types = new Set<string>();
  for (const validation of validations) {
    const checked = checkedTypes(validation);
    if (checked === undefined) {
      return undefined;
    }
    checked.forEach((t) => types.add(t));
  }
  return types;
}
