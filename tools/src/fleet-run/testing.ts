/**
 * Test helpers for fleet runs: a fake {@link FleetWorkspace} that records every call and fails the
 * stacks it is told to, stacks built in one line, and a throw-away project with an accounts/
 * baseline project beside it. Not part of the CLI (tools/tsconfig.json leaves testing.ts out).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { placeKey, stackLabel, type Operation, type RunStack } from "./types";
import type { FleetStackHandle, FleetWorkspace, OperationReport } from "./workspace";

/** One call the fake received, with the options as given (minus the output callback). */
export interface FakeCall {
  readonly stack: string;
  readonly operation: Operation;
  readonly options: Record<string, unknown>;
}

/** How the fake behaves. */
export interface FakeBehaviour {
  /**
   * Stacks whose operations reject: `stack` or `project/stack` for every operation, `up stack` (or
   * `up project/stack`) for one.
   */
  readonly fail?: readonly string[];
  /** Labels whose drift checks report drift. */
  readonly drift?: readonly string[];
  /** Milliseconds an operation takes. @default 1 */
  readonly delayMs?: number;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A workspace that runs nothing, records every call and counts operations in flight. */
export class FakeWorkspace implements FleetWorkspace {
  /** Every operation, in the order it started. */
  readonly calls: FakeCall[] = [];
  /** `start up moat/a`, `end up moat/a`, ...: the order of starts and ends. */
  readonly events: string[] = [];
  /** Stacks selected, in order (a stack is selected once per operation). */
  readonly selected: string[] = [];
  /** The most operations in flight at once, in total and per account × region. */
  mostInFlight = 0;
  readonly mostInFlightPerPlace = new Map<string, number>();
  private inFlight = 0;
  private readonly perPlace = new Map<string, number>();

  constructor(private readonly behaviour: FakeBehaviour = {}) {}

  private matches(list: readonly string[] | undefined, stack: RunStack, operation: Operation): boolean {
    const names = [stack.stack, stackLabel(stack)];
    return (list ?? []).some((s) => names.includes(s) || names.some((n) => s === `${operation} ${n}`));
  }

  private async operation(
    stack: RunStack,
    operation: Operation,
    options: { onOutput: (text: string) => void } & Record<string, unknown>,
  ): Promise<OperationReport> {
    const { onOutput, ...recorded } = options;
    const label = stackLabel(stack);
    const place = placeKey(stack);
    this.calls.push({ stack: label, operation, options: recorded });
    this.events.push(`start ${operation} ${label}`);
    this.inFlight++;
    this.perPlace.set(place, (this.perPlace.get(place) ?? 0) + 1);
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    this.mostInFlightPerPlace.set(
      place,
      Math.max(this.mostInFlightPerPlace.get(place) ?? 0, this.perPlace.get(place) ?? 0),
    );
    try {
      onOutput(`${operation} ${label}\n`);
      await tick(this.behaviour.delayMs ?? 1);
      if (this.matches(this.behaviour.fail, stack, operation)) {
        throw new Error(`code: 255\nstderr: error: ${operation} of ${label} failed\n`);
      }
      if (operation === "drift") return { drift: this.matches(this.behaviour.drift, stack, operation) };
      return { changes: { same: 3 } };
    } finally {
      this.inFlight--;
      this.perPlace.set(place, (this.perPlace.get(place) ?? 1) - 1);
      this.events.push(`end ${operation} ${label}`);
    }
  }

  /** {@inheritDoc FleetWorkspace.stack} */
  async stack(stack: RunStack): Promise<FleetStackHandle> {
    this.selected.push(stackLabel(stack));
    return {
      preview: (o) => this.operation(stack, "preview", { ...o }),
      up: (o) => this.operation(stack, "up", { ...o }),
      detectDrift: (o) => this.operation(stack, "drift", { ...o }),
    };
  }
}

/** A stack as the planner sees it; `tenant`s are in project `moat`, `baseline`s in `moat-account`. */
export function runStack(
  role: RunStack["role"],
  stack: string,
  account: string,
  region: string,
  extra: Partial<RunStack> = {},
): RunStack {
  const project = role === "tenant" ? "moat" : "moat-account";
  const projectDir = role === "tenant" ? "/repo" : "/repo/accounts";
  return {
    role,
    project,
    projectDir,
    stack,
    file: `${role === "tenant" ? "" : "accounts/"}stacks/Pulumi.${stack}.yaml`,
    account,
    region,
    ...extra,
  };
}

/** A tenant stack file's text. */
export function tenantStackText(account: string, region: string, extra = ""): string {
  return [
    "config:",
    `  aws:region: ${region}`,
    `  aws:allowedAccountIds: ["${account}"]`,
    "  moat:tenant:",
    "    id: t",
    "    environment: dev",
    "    owner: ops@example.com",
    extra,
  ].join("\n");
}

/**
 * A throw-away project folder of its own: Pulumi.yaml (project `moat`), the given tenant stack
 * files, a stand-in for the built policy pack and, when `baselines` is given, an accounts/ project
 * (`moat-account`) with those stack files. Nothing in it links to the repository, so a test may
 * write and delete in it freely (plan/scratch.ts links the real accounts/ and policies/, which a
 * test must never write through).
 */
export function fleetRunProject(tenants: Record<string, string>, baselines?: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moat-fleet-run-"));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write("Pulumi.yaml", "name: moat\nruntime: nodejs\nmain: infra/\nstackConfigDir: stacks\n");
  write(path.join("policies", "bin", "index.js"), "");
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const [name, text] of Object.entries(tenants)) write(path.join("stacks", name), text);
  if (baselines !== undefined) {
    write(
      path.join("accounts", "Pulumi.yaml"),
      "name: moat-account\nruntime: nodejs\nstackConfigDir: stacks\n",
    );
    fs.mkdirSync(path.join(dir, "accounts", "stacks"));
    for (const [name, text] of Object.entries(baselines)) write(path.join("accounts", "stacks", name), text);
  }
  return dir;
}

/** A baseline stack file's text: its region and its one account. */
export function baselineStackText(account: string, region: string): string {
  return `config:\n  aws:region: ${region}\n  aws:allowedAccountIds: ["${account}"]\n`;
}

/**
 * Scratch projects for one test file: `project` makes one with {@link fleetRunProject}, `removeAll`
 * (for the file's `after`) deletes every one it made.
 */
export function scratchFleetProjects(): {
  project: (tenants: Record<string, string>, baselines?: Record<string, string>) => string;
  removeAll: () => void;
} {
  const made: string[] = [];
  return {
    project: (tenants, baselines) => {
      const dir = fleetRunProject(tenants, baselines);
      made.push(dir);
      return dir;
    },
    removeAll: () => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })),
  };
}
