// Test support for component tests: Pulumi mocks that record every registration with its inputs,
// parent, options and dependencies. Not used by the program. setMocks is process-global; node's test
// runner gives each test file its own process.
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";

/** One resource as the mock engine saw it registered. */
export interface Recorded {
  /** Type token, e.g. `aws:ec2/vpc:Vpc`. */
  readonly type: string;
  /** Logical name, e.g. `acme-vpc`. */
  readonly name: string;
  /** Inputs with every Output resolved, as the provider would receive them. */
  readonly inputs: Record<string, unknown>;
  /** URN of the parent; empty for the stack's direct children. */
  readonly parent: string;
  /** The `protect` option. */
  readonly protect: boolean;
  /** The `retainOnDelete` option. */
  readonly retainOnDelete: boolean;
  /** URNs the resource waits for (dependsOn and input dependencies). */
  readonly dependencies: readonly string[];
  /** The `ignoreChanges` option. */
  readonly ignoreChanges: readonly string[];
}

/** What tests may tune about the mocks. */
export interface RecordingMockOptions {
  /** Outputs the cloud computes for a new resource, beyond `id` (`<name>-id`) and the inputs. */
  readonly computed?: (type: string, name: string, id: string) => Record<string, unknown>;
  /** Answers to provider functions. @default echoes the call's inputs */
  readonly call?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown>;
}

/** What {@link installRecordingMocks} gives a test. */
export interface RecordingMocks {
  /** Every registration so far, in order. */
  all(): Recorded[];
  /** Registrations whose name is `prefix` or starts with `prefix-`. */
  named(prefix: string): Recorded[];
  /** Resolves once every pending registration has reached the mock monitor. */
  settle(): Promise<void>;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
}

/**
 * `waitForRPCs` is internal to the SDK, but it is what `pulumi up` itself awaits before exiting, so
 * it is the one reliable way to know every child has registered.
 */
export const waitForRegistrations = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

/**
 * Installs recording mocks. Resource options, parents and component registrations are read from the
 * RegisterResource requests by wrapping the mock monitor, since the mocks' `newResource` hook does not
 * receive them (pulumi/pulumi#14421).
 */
export async function installRecordingMocks(options: RecordingMockOptions = {}): Promise<RecordingMocks> {
  const inputs = new Map<string, Record<string, unknown>>();
  const requests: RegisterRequest[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs.set(`${args.type}::${args.name}`, args.inputs);
        const id = `${args.name}-id`;
        return { id, state: { ...args.inputs, ...options.computed?.(args.type, args.name, id) } };
      },
      call: (args) => options.call?.(args.token, args.inputs) ?? args.inputs,
    },
    "moat",
    "test",
  );
  const monitor = settings.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): unknown;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    requests.push(req);
    return registerResource(req, callback);
  };
  const all = (): Recorded[] =>
    requests.map((req) => ({
      type: req.getType(),
      name: req.getName(),
      inputs: inputs.get(`${req.getType()}::${req.getName()}`) ?? {},
      parent: req.getParent(),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      dependencies: req.getDependenciesList(),
      ignoreChanges: req.getIgnorechangesList(),
    }));
  return {
    all,
    named: (prefix) => all().filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`)),
    settle: waitForRegistrations,
  };
}

/** The value of an Output, once resolved. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/**
 * Computed outputs for IAM and KMS resources: an ARN naming the resource (`arn:mock:<name>`) and a
 * key's `keyId`, so tests can tell which resource an ARN input refers to.
 */
export function mockArns(type: string, name: string, id: string): Record<string, unknown> {
  return type === "aws:kms/key:Key" ? { keyId: id, arn: `arn:mock:${name}` } : { arn: `arn:mock:${name}` };
}

/** The AMI ids {@link answerImageLookups} gives: Amazon Linux 2023 and the ParallelCluster image. */
export const MOCK_IMAGES = { base: "ami-0a1b2c3d4e5f60718", slurm: "ami-0c0ffee5106a1c3a1" } as const;

/**
 * Answers the default-image lookups of components/node-instance/image.ts for x86_64 instance types:
 * the Amazon Linux 2023 SSM parameter and the ParallelCluster AMI search; anything else echoes its
 * inputs, as the plain mocks do.
 */
export function answerImageLookups(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (
    token === "aws:ssm/getParameter:getParameter" &&
    inputs.name === "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
  ) {
    return { name: inputs.name, insecureValue: MOCK_IMAGES.base, value: MOCK_IMAGES.base };
  }
  const filters = inputs.filters as { name: string; values: string[] }[] | undefined;
  if (
    token === "aws:ec2/getAmi:getAmi" &&
    filters?.[0]?.values?.[0] === "aws-parallelcluster-3.16.1-amzn2023-hvm-x86_64*"
  ) {
    return { id: MOCK_IMAGES.slurm, imageId: MOCK_IMAGES.slurm };
  }
  return inputs;
}
