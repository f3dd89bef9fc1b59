import * as fs from "fs";
import * as path from "path";
import type { StackFile } from "../plan/project";
import { UsageError } from "../plan/project";
import type { RecordedResource } from "../plan/types";
import { AnalyzerClient, AnalyzerInfo, Diagnostic, EnforcementLevel } from "./client";
import { EngineServer } from "./engine";
import { launchPack, PackProcess } from "./pack-process";
import { ConfiguredExemption, resolvePolicyConfig } from "./policy-config";
import { RequestBuilder } from "./requests";

/** Matches the requirement IDs of ../shared/REQUIREMENTS.md. */
export const REQUIREMENT_ID = /\b(?:NET|CMP|IAM|DAT|AUD|K8S|POL)-\d+\b/g;

/** A policy finding, in the shape of the JSON plan's `policy.violations`. */
export interface Violation {
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly urn: string;
  readonly message: string;
  readonly requirements: string[];
  /** Set when the stack's policy config exempts this resource from this policy (POL-1). */
  readonly exemption?: { readonly resource: string; readonly reason: string };
}

/** An exemption of the stack's policy config, and how many findings it covered in this plan. */
export interface ExemptionUse extends ConfiguredExemption {
  readonly matched: number;
}

/** Whether an exemption names the resource with this URN: the pack's own rule (exemptions.ts). */
type ExemptionMatcher = (exemption: { resource: string }, urn: string) => boolean;

/** The policy verdict on one stack. */
export interface PolicyVerdict {
  readonly pack: { name: string; version: string };
  readonly violations: Violation[];
  /** Policies the stack's policy config weakened. */
  readonly weakened: string[];
  /** The stack's exemptions; their findings are in `violations`, marked with `exemption`. */
  readonly exemptions: ExemptionUse[];
}

/** How many Analyze calls are in flight at once. */
const CONCURRENCY = 16;

/** A stack being analyzed as its resources arrive (see {@link PolicySession.begin}). */
export interface StackAnalysis {
  /** Analyzes one registration, in the background. */
  add(resource: RecordedResource): void;
  /** Every registration of the stack, in order: analyzes any not added, then the stack as a whole. */
  finish(resources: readonly RecordedResource[]): Promise<PolicyVerdict>;
}

/** Runs at most `limit` calls at once; the rest wait their turn in order. */
class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<R>(call: () => Promise<R>): Promise<R> {
    if (this.running >= this.limit) {
      // The finishing call hands its slot over, so the count never passes the limit.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await call();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** How a session may save work across many analyses of variants of one stack. */
export interface SessionOptions {
  /**
   * Configure the pack once per stack rather than once per analysis, and reuse a resource's Analyze
   * findings when the identical request (properties, options, provider) was analyzed for the same
   * stack before. A resource policy sees nothing but its request, so this cannot change a verdict;
   * stack policies still run on every analysis. For the mutation suite's hundreds of variants.
   * @default false
   */
  readonly reuseIdenticalRequests?: boolean;
  /**
   * Lower the pack's scheduling priority by this much (see launchPack), when the pack starts beside
   * programs that are the longer path.
   * @default 0
   */
  readonly packNiceness?: number;
}

/**
 * One running policy pack, driven over the analyzer protocol like the Pulumi CLI drives it. Several
 * stacks can be analyzed in turn by one session: each is configured afresh.
 */
export class PolicySession {
  private configuredFor?: string;
  private readonly reused = new Map<string, Diagnostic[]>();

  private constructor(
    private readonly engine: EngineServer,
    private readonly pack: PackProcess,
    private readonly client: AnalyzerClient,
    readonly info: AnalyzerInfo,
    private readonly packDir: string,
    private readonly options: SessionOptions,
  ) {}

  /** Milliseconds from launching the pack to its port being printed. */
  get startupMs(): number {
    return this.pack.startupMs;
  }

  /** Starts the pack in `packDir` and asks it what it is. */
  static async start(packDir: string, options: SessionOptions = {}): Promise<PolicySession> {
    const engine = new EngineServer();
    const engineAddress = await engine.start();
    let pack: PackProcess;
    try {
      pack = await launchPack(path.resolve(packDir), engineAddress, { niceness: options.packNiceness });
    } catch (e) {
      engine.stop();
      throw e;
    }
    const client = new AnalyzerClient(pack.address);
    const info = await client.getAnalyzerInfo();
    return new PolicySession(engine, pack, client, info, path.resolve(packDir), options);
  }

  /** Runs every policy on a stack's resources: Analyze for each resource, then AnalyzeStack. */
  async analyze(
    project: string,
    stack: StackFile,
    resources: readonly RecordedResource[],
  ): Promise<PolicyVerdict> {
    const analysis = await this.begin(project, stack);
    resources.forEach((r) => analysis.add(r));
    return analysis.finish(resources);
  }

  /**
   * Starts analyzing a stack whose resources arrive one at a time, as the Pulumi engine does: each
   * registration is analyzed as soon as it is added, while the program goes on; `finish` waits for
   * those, runs AnalyzeStack on every resource, and gives the verdict with the findings in
   * registration order. One analysis at a time per session: the pack is configured per stack.
   */
  async begin(project: string, stack: StackFile): Promise<StackAnalysis> {
    const policyFile = stack.policyConfigFile ?? `Pulumi.${stack.stack}.policy.json`;
    const resolved = resolvePolicyConfig(this.info, stack.policyConfig, policyFile);
    if (resolved.problems.length > 0) {
      throw new UsageError(resolved.problems);
    }
    const configKey = JSON.stringify([project, stack.stack, stack.secretKeys, resolved.config]);
    if (!this.options.reuseIdenticalRequests || this.configuredFor !== configKey) {
      await this.client.configureStack(stack.stack, project, true, stack.secretKeys);
      await this.client.configure(resolved.config);
      this.configuredFor = configKey;
      this.reused.clear();
    }
    const builder = new RequestBuilder([]);
    const limit = new Limiter(CONCURRENCY);
    const pending = new Map<string, Promise<Diagnostic[]>>();
    return {
      add: (resource) => {
        builder.know(resource);
        const found = limit.run(() => this.analyzeResource(builder, resource));
        found.catch(() => undefined);
        pending.set(resource.urn, found);
      },
      finish: async (resources) => {
        resources.forEach((r) => builder.know(r));
        const perResource = Promise.all(
          resources.map((r) => pending.get(r.urn) ?? limit.run(() => this.analyzeResource(builder, r))),
        );
        // Sent now, the stack request waits in the pack behind the resource requests still queued
        // there, instead of one round trip after the last of them.
        const stack = this.client.analyzeStack(builder.analyzeStackRequest(resources));
        stack.catch(() => undefined);
        const diagnostics: Diagnostic[] = [...(await perResource).flat(), ...(await stack)];
        const violations = diagnostics.map((d) => this.toViolation(d));
        return {
          pack: { name: this.info.name, version: this.info.version },
          violations: this.markExempted(violations, resolved.exemptions, policyFile),
          weakened: resolved.weakened,
          exemptions: resolved.exemptions.map((e) => ({
            ...e,
            matched: violations.filter((v) => v.policy === e.policy && this.matcher(policyFile)(e, v.urn))
              .length,
          })),
        };
      },
    };
  }

  private async analyzeResource(builder: RequestBuilder, r: RecordedResource): Promise<Diagnostic[]> {
    const request = builder.analyzeRequest(r);
    const key = this.options.reuseIdenticalRequests
      ? Buffer.from((request as { serializeBinary(): Uint8Array }).serializeBinary()).toString("base64")
      : undefined;
    const known = key === undefined ? undefined : this.reused.get(key);
    if (known !== undefined) {
      return known;
    }
    const found = (await this.client.analyze(request)).map((d) => ({ ...d, urn: d.urn || r.urn }));
    if (key !== undefined) {
      this.reused.set(key, found);
    }
    return found;
  }

  // The pack skips exempted resources itself; moat sends no exemptions so that it can show the
  // findings they cover, and marks them with the pack's own matching rule.
  private markExempted(
    violations: Violation[],
    exemptions: readonly ConfiguredExemption[],
    policyFile: string,
  ): Violation[] {
    if (exemptions.length === 0) {
      return violations;
    }
    const matches = this.matcher(policyFile);
    return violations.map((v) => {
      const exemption = exemptions.find((e) => e.policy === v.policy && matches(e, v.urn));
      return exemption ? { ...v, exemption: { resource: exemption.resource, reason: exemption.reason } } : v;
    });
  }

  private matcher(policyFile: string): ExemptionMatcher {
    const file = path.join(this.packDir, "bin", "exemptions.js");
    if (!fs.existsSync(file)) {
      throw new UsageError([`${policyFile}: the policy pack in ${this.packDir} does not support exemptions`]);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(file) as { exemptionMatches: ExemptionMatcher }).exemptionMatches;
  }

  /** Stops the pack and the engine endpoint. */
  close(): void {
    this.client.close();
    this.pack.child.kill();
    this.engine.stop();
  }

  private toViolation(d: Diagnostic): Violation {
    const description = this.info.policies.find((p) => p.name === d.policyName)?.description ?? d.description;
    const requirements = [
      ...new Set([...(description.match(REQUIREMENT_ID) ?? []), ...(d.message.match(REQUIREMENT_ID) ?? [])]),
    ].sort();
    return { policy: d.policyName, level: d.enforcementLevel, urn: d.urn, message: d.message, requirements };
  }
}
