// The parts of @pulumi/policy and @pulumi/pulumi that the pack's runtime reuses instead of copying:
// how the SDK turns a request's properties into the values a policy reads (secrets, assets,
// unknowns), the proxy that throws on an unknown, and the protobuf messages it answers with. None
// of them has public typings (the SDK marks them internal), so this file is the one place that
// names them, with the types the runtime relies on. tests/pack-runtime.test.ts runs the stock SDK
// server and this runtime side by side on every example stack, so an SDK upgrade that changes any
// of them fails there first.
import * as grpc from "@grpc/grpc-js";

/** A google.protobuf.Struct as the generated JavaScript classes expose it. */
export interface ProtoStruct {
  toJavaScript(): Record<string, unknown>;
}

/** The generated message classes of pulumi/analyzer.proto (only what the runtime calls). */
export interface AnalyzerProto {
  PolicyNotApplicable: new () => { setPolicyName(name: string): void; setReason(reason: string): void };
  AnalyzerStackConfigureResponse: new () => unknown;
}

/** A diagnostic as the SDK's makeAnalyzeResponse reads it. */
export interface SdkDiagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: string;
  readonly urn?: string;
  readonly severity?: string;
}

/** The SDK's protocol helpers (protoutil.js). */
export interface ProtoUtil {
  makeAnalyzerInfo(
    name: string,
    version: string,
    enforcementLevel: string,
    args: { policies: readonly unknown[] },
    initialConfig?: unknown,
  ): unknown;
  makeAnalyzeResponse(ds: readonly SdkDiagnostic[], notApplicable: readonly unknown[] | undefined): unknown;
  makeRemediateResponse(rs: readonly unknown[], notApplicable: readonly unknown[] | undefined): unknown;
  convertEnforcementLevel(level: number): string;
  asGrpcError(e: unknown, message?: string): Error;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const analyzerProto: AnalyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
export const analyzerService: grpc.ServiceDefinition =
  require("@pulumi/pulumi/proto/analyzer_grpc_pb").AnalyzerService;
export const pluginProto: {
  PluginInfo: new () => { setVersion(v: string): void };
} = require("@pulumi/pulumi/proto/plugin_pb");
export const protoUtil: ProtoUtil = require("@pulumi/policy/protoutil");
/** Request properties to plain values, as the SDK hands them to policies (secrets kept as values). */
export const deserializeProperties: (struct: ProtoStruct | undefined, keepSecrets: boolean) => unknown =
  require("@pulumi/policy/deserialize").deserializeProperties;
/** Wraps properties so that reading an unknown throws UnknownValueError. */
export const unknownCheckingProxy: <T>(props: T) => T = require("@pulumi/policy/proxy").unknownCheckingProxy;
/** What the proxy throws on an unknown; the SDK turns it into an advisory "can't run" diagnostic. */
export const UnknownValueError: new (...args: never[]) => Error =
  require("@pulumi/policy/proxy").UnknownValueError;
/** The policy SDK's version, which the SDK's server reports as the plugin version. */
export const policySdkVersion: string = require("@pulumi/policy/version").version;
/* eslint-enable @typescript-eslint/no-require-imports */
