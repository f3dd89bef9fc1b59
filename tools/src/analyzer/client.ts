import * as grpc from "@grpc/grpc-js";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- generated protobuf modules ship as untyped CommonJS */
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

/** Enforcement levels as the analyzer protocol numbers them. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
/** A policy's enforcement level. */
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** A policy as the pack describes it. */
export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: { properties: Record<string, unknown>; required: string[] };
}

/** The pack as GetAnalyzerInfo describes it. */
export interface AnalyzerInfo {
  readonly name: string;
  readonly version: string;
  readonly supportsConfig: boolean;
  readonly policies: PolicyInfo[];
}

/** One diagnostic returned by Analyze or AnalyzeStack. */
export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
}

/** A whole Analyze or AnalyzeStack answer: the diagnostics, and the policies that did not apply. */
export interface AnalyzeAnswer {
  readonly diagnostics: Diagnostic[];
  readonly notApplicable: { readonly policyName: string; readonly reason: string }[];
}

/** Promise-based client for a policy pack's Analyzer gRPC service. */
export class AnalyzerClient {
  private readonly client: any;

  constructor(address: string) {
    this.client = new analyzerRpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const info = await this.call("getAnalyzerInfo", new Empty());
    return {
      name: info.getName(),
      version: info.getVersion(),
      supportsConfig: info.getSupportsconfig(),
      policies: info.getPoliciesList().map((p: any) => ({
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: ENFORCEMENT_LEVELS[p.getEnforcementlevel()],
        configSchema: p.getConfigschema()
          ? {
              properties: p.getConfigschema().getProperties()?.toJavaScript() ?? {},
              required: p.getConfigschema().getRequiredList(),
            }
          : undefined,
      })),
    };
  }

  async configureStack(stack: string, project: string, dryRun: boolean, secretKeys: string[]): Promise<void> {
    const req = new analyzerPb.AnalyzerStackConfigureRequest();
    req.setStack(stack);
    req.setProject(project);
    req.setDryRun(dryRun);
    req.setConfigSecretKeysList(secretKeys);
    await this.call("configureStack", req);
  }

  /** Sends each policy's enforcement level and properties (ConfigureAnalyzerRequest). */
  async configure(
    config: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>,
  ): Promise<void> {
    const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(ENFORCEMENT_LEVELS.indexOf(c.enforcementLevel));
      pc.setProperties(Struct.fromJavaScript(c.properties));
      map.set(name, pc);
    }
    await this.call("configure", req);
  }

  async analyze(request: unknown): Promise<Diagnostic[]> {
    return toDiagnostics(await this.call("analyze", request));
  }

  async analyzeStack(request: unknown): Promise<Diagnostic[]> {
    return toDiagnostics(await this.call("analyzeStack", request));
  }

  /** Analyze (or AnalyzeStack, with `stack`), keeping the not-applicable entries too. */
  async answer(request: unknown, stack = false): Promise<AnalyzeAnswer> {
    const resp = await this.call(stack ? "analyzeStack" : "analyze", request);
    return {
      diagnostics: toDiagnostics(resp),
      notApplicable: resp.getNotApplicableList().map((n: any) => ({
        policyName: n.getPolicyName(),
        reason: n.getReason(),
      })),
    };
  }

  close(): void {
    this.client.close();
  }

  private call(method: string, request: unknown): Promise<any> {
    return new Promise((resolve, reject) =>
      this.client[method](request, (err: Error | null, resp: any) => (err ? reject(err) : resolve(resp))),
    );
  }
}

function toDiagnostics(resp: any): Diagnostic[] {
  return resp.getDiagnosticsList().map((d: any) => ({
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    description: d.getDescription(),
    message: d.getMessage(),
    enforcementLevel: ENFORCEMENT_LEVELS[d.getEnforcementlevel()],
    urn: d.getUrn(),
  }));
}
