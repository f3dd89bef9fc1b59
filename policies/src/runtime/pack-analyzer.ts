import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { Outcomes, throwNotApplicable, type PackIdentity } from "./outcomes";
import { PackConfig, type ConfigureRequest } from "./pack-config";
import { PolicyIndex } from "./policy-index";
import { describeResource, pulumiTypeOf, type ResourceMessage } from "./resource-request";
import { protoUtil } from "./sdk-internals";

/** One resource of an AnalyzeStack request, with its parent and dependencies by URN. */
export interface StackResourceMessage extends ResourceMessage {
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
}

type StackTags = StackValidationArgs["stackTags"];

/**
 * The pack's answers to the analyzer protocol, with the SDK server's semantics: the same arguments,
 * levels, settings, diagnostics and not-applicable entries, with one difference made for speed. A
 * resource policy is called only for the resource types it checks (see PolicyIndex); for other
 * types the SDK's server either calls it or lists it as not applicable "by type", while this answer
 * leaves it out, as it leaves out policies that are disabled. A violation is never left out:
 * tests/pack-runtime.test.ts compares both servers' diagnostics on every example stack.
 */
export class PackAnalyzer {
  private readonly resourcePolicies: readonly ResourceValidationPolicy[];
  private readonly stackPolicies: readonly StackValidationPolicy[];
  private readonly index: PolicyIndex;
  private readonly config: PackConfig;
  private stackTags: StackTags = freezeTags(new Map());

  constructor(
    private readonly pack: PackIdentity,
    level: EnforcementLevel,
    private readonly policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[],
  ) {
    this.resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
    this.stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);
    this.index = new PolicyIndex(this.resourcePolicies);
    this.config = new PackConfig(level);
  }

  configure(request: ConfigureRequest): void {
    this.config.configure(request);
  }

  configureStack(tags: Map<string, string>): void {
    this.stackTags = freezeTags(tags);
  }

  /** Analyze: the resource policies that check this resource's type, on its inputs. */
  async analyze(request: ResourceMessage): Promise<unknown> {
    const outcomes = new Outcomes(this.pack);
    const type = request.getType();
    for (const policy of this.index.forType(type)) {
      const level = this.config.levelOf(policy);
      if (level === "disabled") {
        continue;
      }
      const report = outcomes.reporter(policy, level === "remediate" ? "mandatory" : level);
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource!];
      for (const validate of validations) {
        try {
          await validate(this.resourceArgs(request, policy.name), report);
        } catch (e) {
          outcomes.settle(policy, e);
        }
      }
    }
    return outcomes.response();
  }

  /** AnalyzeStack: every stack policy, on all resources with parents and dependencies resolved. */
  async analyzeStack(resources: readonly StackResourceMessage[]): Promise<unknown> {
    const outcomes = new Outcomes(this.pack);
    for (const policy of this.stackPolicies) {
      let level = this.config.levelOf(policy);
      if (level === "disabled") {
        continue;
      }
      level = level === "remediate" ? "mandatory" : level;
      const type = pulumiTypeOf(policy.validateStack);
      if (type !== undefined && !resources.some((r) => r.getType() === type)) {
        outcomes.addNotApplicable(policy.name, `Policy only applies to resources of type '${type}'`);
        continue;
      }
      const report = outcomes.reporter(policy, level);
      try {
        const args: StackValidationArgs = {
          resources: stackResources(resources),
          getConfig: () => this.config.settingsOf(policy.name) as never,
          stackTags: this.stackTags,
          notApplicable: throwNotApplicable,
        };
        await policy.validateStack(args, report);
      } catch (e) {
        outcomes.settle(policy, e);
      }
    }
    return outcomes.response();
  }

  /**
   * Remediate: Moat's policies validate and never remediate (serve refuses a policy that would), so
   * a policy configured to "remediate" is listed as not applicable, as the SDK's server lists it.
   */
  remediate(): unknown {
    const outcomes = new Outcomes(this.pack);
    for (const policy of this.resourcePolicies) {
      if (this.config.levelOf(policy) === "remediate") {
        outcomes.addNotApplicable(policy.name, "Policy does not implement remediateResource");
      }
    }
    return protoUtil.makeRemediateResponse([], outcomes.notApplicable);
  }

  /** GetAnalyzerInfo: the pack, every policy with its schema, as the SDK describes them. */
  info(level: EnforcementLevel): unknown {
    return protoUtil.makeAnalyzerInfo(this.pack.name, this.pack.version, level, { policies: this.policies });
  }

  private resourceArgs(request: ResourceMessage, policyName: string): ResourceValidationArgs {
    return describeResource(request, {
      stackTags: this.stackTags,
      getConfig: () => this.config.settingsOf(policyName) as never,
      notApplicable: throwNotApplicable,
    }) as unknown as ResourceValidationArgs;
  }
}

/** The stack's resources for one stack policy: fresh properties, parents and dependencies linked. */
function stackResources(messages: readonly StackResourceMessage[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = messages.map((m) => {
    const resource: PolicyResource = describeResource(m, { dependencies: [], propertyDependencies: {} });
    byUrn.set(resource.urn, resource);
    return resource;
  });
  const linked = (urns: readonly string[]) =>
    urns.map((u) => byUrn.get(u)).filter((r): r is PolicyResource => r !== undefined);
  messages.forEach((m, i) => {
    const resource = resources[i] as { -readonly [K in keyof PolicyResource]: PolicyResource[K] };
    const parent = m.getParent() ? byUrn.get(m.getParent()) : undefined;
    if (parent) {
      resource.parent = parent;
    }
    resource.dependencies = linked(m.getDependenciesList());
    for (const [key, deps] of m.getPropertydependenciesMap()?.entries() ?? []) {
      (resource.propertyDependencies as Record<string, PolicyResource[]>)[key] = linked(deps.getUrnsList());
    }
  });
  return resources;
}

function freezeTags(map: Map<string, string>): StackTags {
  return Object.freeze({
    entries: map.entries.bind(map),
    forEach: map.forEach.bind(map),
    get: map.get.bind(map),
    has: map.has.bind(map),
    keys: map.keys.bind(map),
    size: map.size,
    values: map.values.bind(map),
    [Symbol.iterator]: map[Symbol.iterator].bind(map),
  }) as StackTags;
}
