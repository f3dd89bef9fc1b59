import * as grpc from "@grpc/grpc-js";

/* eslint-disable @typescript-eslint/no-require-imports -- generated protobuf modules ship as CommonJS without usable types here */
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/** A message a plugin logged to the engine. */
export interface EngineLogEntry {
  readonly severity: number;
  readonly message: string;
  readonly urn: string;
}

/**
 * The part of the Pulumi engine a policy pack may talk to: its log endpoint. The CLI passes its
 * engine's address to every plugin it launches; this server gives the pack a real one and keeps what
 * it logs.
 */
export class EngineServer {
  readonly logs: EngineLogEntry[] = [];
  private server = new grpc.Server();

  /** Starts listening on a loopback port and returns the address to hand to the plugin. */
  async start(): Promise<string> {
    this.server.addService(engineRpc.EngineService, {
      log: (
        call: { request: { getSeverity(): number; getMessage(): string; getUrn(): string } },
        cb: grpc.sendUnaryData<unknown>,
      ) => {
        this.logs.push({
          severity: call.request.getSeverity(),
          message: call.request.getMessage(),
          urn: call.request.getUrn(),
        });
        cb(null, new Empty());
      },
      getRootResource: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
        cb({ code: grpc.status.UNIMPLEMENTED }, null),
      setRootResource: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
        cb({ code: grpc.status.UNIMPLEMENTED }, null),
      startDebugging: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, new Empty()),
      requirePulumiVersion: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, new Empty()),
    });
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    return `127.0.0.1:${port}`;
  }

  /** Stops the server. */
  stop(): void {
    this.server.forceShutdown();
  }
}
