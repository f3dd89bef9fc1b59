// Serves a policy pack over the analyzer protocol, launched as the Pulumi CLI launches any Node.js
// pack (`pulumi-analyzer-policy` runs the pack's main module): it listens on a free local port and
// prints the port on its first line. It replaces `new PolicyPack(...)` from @pulumi/policy, whose
// server offers every resource to every resource policy; the policies themselves stay ordinary
// @pulumi/policy policies, and the answers stay the SDK's (see PackAnalyzer for the one difference).
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyFailure } from "./outcomes";
import { PackAnalyzer, type StackResourceMessage } from "./pack-analyzer";
import type { ConfigureRequest } from "./pack-config";
import type { ResourceMessage } from "./resource-request";
import { analyzerProto, analyzerService, pluginProto, policySdkVersion, protoUtil } from "./sdk-internals";

/** The pack, as `new PolicyPack(name, args)` takes it. */
export interface PackArgs {
  readonly policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[];
  readonly enforcementLevel: EnforcementLevel;
}

// The SDK's limits: pack names, and the largest request (a whole stack for AnalyzeStack).
const PACK_NAME = /^[a-zA-Z0-9-_.]{1,100}$/;
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/**
 * Problems that would make the pack unservable, as the SDK checks them, plus one of Moat's own: the
 * runtime does not run remediations, so a policy that defines one is refused rather than skipped.
 */
export function packProblems(name: string, args: PackArgs): string[] {
  const problems: string[] = [];
  if (!PACK_NAME.test(name)) {
    problems.push(
      `Invalid policy pack name "${name}": only alphanumerics, hyphens, underscores and periods.`,
    );
  }
  const seen = new Set<string>();
  for (const policy of args.policies) {
    if (policy.name === "all") {
      problems.push('Invalid policy name "all": it is reserved.');
    }
    if (seen.has(policy.name)) {
      problems.push(`Policy "${policy.name}" is defined twice.`);
    }
    seen.add(policy.name);
    if (
      policy.configSchema?.properties?.enforcementLevel ||
      policy.configSchema?.required?.includes("enforcementLevel")
    ) {
      problems.push(`Policy "${policy.name}": enforcementLevel cannot be a config property.`);
    }
    if ("remediateResource" in policy && policy.remediateResource !== undefined) {
      problems.push(
        `Policy "${policy.name}" defines remediateResource, which the pack's runtime does not run.`,
      );
    }
  }
  return problems;
}

/** Starts the pack's analyzer server and prints its port; exits 1 if the pack cannot be served. */
export function servePolicyPack(name: string, args: PackArgs): void {
  const problems = packProblems(name, args);
  // The version the engine reports with every diagnostic, read as the SDK reads it: the pack
  // folder (the working directory the CLI starts the pack in) has the package.json.
  const version = readPackVersion(process.cwd());
  if (version === undefined) {
    problems.push(`Version must be defined in ${path.join(process.cwd(), "package.json")}.`);
  }
  if (problems.length > 0) {
    problems.forEach((p) => console.error(p));
    process.exit(1);
  }
  const analyzer = new PackAnalyzer({ name, version: version! }, args.enforcementLevel, args.policies);
  const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES });
  server.addService(analyzerService, handlers(analyzer, args.enforcementLevel));
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    // A string, so that Node does not colour it: the CLI reads this line as the port.
    console.log(port.toString());
  });
}

function readPackVersion(dir: string): string | undefined {
  try {
    const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
    return typeof version === "string" && version !== "" ? version : undefined;
  } catch {
    return undefined;
  }
}

type Unary<Req> = (call: { request: Req }, callback: (err: Error | null, resp?: unknown) => void) => void;

/** Runs `answer` for a unary call, turning a throw into the gRPC error the SDK would send. */
function unary<Req>(answer: (request: Req) => unknown): Unary<Req> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => answer(call.request))
      .then(
        (resp) => callback(null, resp),
        (e: unknown) => callback(e instanceof PolicyFailure ? e : protoUtil.asGrpcError(e)),
      );
  };
}

function handlers(analyzer: PackAnalyzer, level: EnforcementLevel): grpc.UntypedServiceImplementation {
  // Configure answers with google.protobuf.Empty from the copy @pulumi/pulumi's stubs were built
  // against (their serializer checks `instanceof`), which is the method's own response type.
  const Empty = (analyzerService.configure as unknown as { responseType: new () => unknown }).responseType;
  return {
    analyze: unary((req: ResourceMessage) => analyzer.analyze(req)),
    analyzeStack: unary((req: { getResourcesList(): StackResourceMessage[] }) =>
      analyzer.analyzeStack(req.getResourcesList()),
    ),
    remediate: unary(() => analyzer.remediate()),
    getAnalyzerInfo: unary(() => analyzer.info(level)),
    getPluginInfo: unary(() => {
      const info = new pluginProto.PluginInfo();
      info.setVersion(policySdkVersion);
      return info;
    }),
    configure: unary((req: ConfigureRequest) => {
      analyzer.configure(req);
      return new Empty();
    }),
    configureStack: unary((req: { getTagsMap(): { forEach(f: (v: string, k: string) => void): void } }) => {
      const tags = new Map<string, string>();
      req.getTagsMap().forEach((v, k) => tags.set(k, v));
      analyzer.configureStack(tags);
      return new analyzerProto.AnalyzerStackConfigureResponse();
    }),
  };
}
