import * as path from "path";
import type { StackFile } from "../plan/project";
import { UsageError } from "../plan/project";
import type { RecordedResource } from "../plan/types";
import { AnalyzerClient, AnalyzerInfo, Diagnostic, EnforcementLevel } from "./client";
import { EngineServer } from "./engine";
import { launchPack, PackProcess } from "./pack-process";
import { resolvePolicyConfig } from "./policy-config";
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
}

/** The policy verdict on one stack. */
export interface PolicyVerdict {
  readonly pack: { name: string; version: string };
  readonly violations: Violation[];
  /** Policies the stack's policy config weakened. */
  readonly weakened: string[];
}

/** How many Analyze calls are in flight at once. */
const CONCURRENCY = 16;

/**
 * One running policy pack, driven over the analyzer protocol like the Pulumi CLI drives it. Several
 * stacks can be analyzed in turn by one session: each is configured afresh.
 */
export class PolicySession {
  private constructor(
    private readonly engine: EngineServer,
    private readonly pack: PackProcess,
    private readonly client: AnalyzerClient,
    readonly info: AnalyzerInfo,
  ) {}

  /** Milliseconds from launching the pack to its port being printed. */
  get startupMs(): number {
    return this.pack.startupMs;
  }

  /** Starts the pack in `packDir` and asks it what it is. */
  static async start(packDir: string): Promise<PolicySession> {
    const engine = new EngineServer();
    const engineAddress = await engine.start();
    let pack: PackProcess;
    try {
      pack = await launchPack(path.resolve(packDir), engineAddress);
    } catch (e) {
      engine.stop();
      throw e;
    }
    const client = new AnalyzerClient(pack.address);
    const info = await client.getAnalyzerInfo();
    return new PolicySession(engine, pack, client, info);
  }

  /** Runs every policy on a stack's resources: Analyze for each resource, then AnalyzeStack. */
  async analyze(
    project: string,
    stack: StackFile,
    resources: readonly RecordedResource[],
  ): Promise<PolicyVerdict> {
    const policyFile = stack.policyConfigFile ?? `Pulumi.${stack.stack}.policy.json`;
    const resolved = resolvePolicyConfig(this.info, stack.policyConfig, policyFile);
    if (resolved.problems.length > 0) {
      throw new UsageError(resolved.problems);
    }
    await this.client.configureStack(stack.stack, project, true, stack.secretKeys);
    await this.client.configure(resolved.config);
    const builder = new RequestBuilder(resources);
    const diagnostics: Diagnostic[] = [];
    for (let i = 0; i < resources.length; i += CONCURRENCY) {
      const batch = resources.slice(i, i + CONCURRENCY);
      const results = await Promise.all(
        batch.map(async (r) =>
          (await this.client.analyze(builder.analyzeRequest(r))).map((d) => ({ ...d, urn: d.urn || r.urn })),
        ),
      );
      results.forEach((ds) => diagnostics.push(...ds));
    }
    diagnostics.push(...(await this.client.analyzeStack(builder.analyzeStackRequest())));
    return {
      pack: { name: this.info.name, version: this.info.version },
      violations: diagnostics.map((d) => this.toViolation(d)),
      weakened: resolved.weakened,
    };
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
