/**
 * `npm run bench`: figures, never pass/fail. The policy pack's start-up time (launch to port
 * printed) and sequential Analyze throughput over gRPC on the largest example stack's resources
 * repeated to about 2,000, side by side with a one-policy floor pack (tools/floor-pack) driven the
 * same way, which is the protocol's own cost, and with Moat's policies on @pulumi/policy's stock
 * server (tools/sdk-server-pack), which the pack's runtime replaced. Then `moat plan`: the floor (a
 * node process loading the five Pulumi SDKs), each stack's resource count and plan wall time (median
 * of several runs) and the largest stack's against the floor (target at most 3x); tenants like the
 * largest stack with 8, 128 and 1,024 p5 nodes, whose resource count must not grow with the node
 * count (nodes come from Auto Scaling groups); and a generated fleet of `MOAT_BENCH_FLEET` tenants
 * (24 by default) planned by `moat plan --all`, in seconds per stack (target at most 2 s on 2 cores).
 * `MOAT_BENCH_ONLY=pack` prints the pack figures alone.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { launchPack } from "./analyzer/pack-process";
import { EngineServer } from "./analyzer/engine";
import { parse, stringify } from "yaml";
import { AnalyzerClient } from "./analyzer/client";
import { RequestBuilder } from "./analyzer/requests";
import { listStacks, readProject, readStackFile } from "./plan/project";
import { runProgram } from "./plan/run-program";
import type { RecordedResource } from "./plan/types";
import { scratchProject } from "./plan/scratch";
import { generateFleet } from "./bench/fleet";

const RUNS = Number(process.env.MOAT_BENCH_RUNS ?? 3);
/** Tenants in the generated fleet that `moat plan --all` plans (`MOAT_BENCH_FLEET` to change). */
const FLEET = Number(process.env.MOAT_BENCH_FLEET ?? 24);
/** `MOAT_BENCH_ONLY=pack` stops after the pack figures, for a quick loop while tuning policies. */
const ONLY_PACK = process.env.MOAT_BENCH_ONLY === "pack";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A pack the bench measures. */
interface BenchPack {
  readonly label: string;
  readonly dir: string;
}

/**
 * Start-up times (launch to port printed), the packs launched in turn so that a slow spell of the
 * machine affects each of them alike: median per pack.
 */
async function packStartups(packs: readonly BenchPack[]): Promise<number[]> {
  const engine = new EngineServer();
  const address = await engine.start();
  const times: number[][] = packs.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [p, pack] of packs.entries()) {
      const launched = await launchPack(pack.dir, address);
      times[p].push(launched.startupMs);
      launched.child.kill();
    }
  }
  engine.stop();
  return times.map(median);
}

/**
 * Resources analyzed per second, one Analyze call at a time, each pack launched as the CLI does.
 * One pass over the resources warms each pack up (uncounted); then the packs take turns, a pass
 * each, and each pack's median pass counts.
 */
async function analyzeThroughputs(
  packs: readonly BenchPack[],
  resources: RecordedResource[],
): Promise<number[]> {
  const engine = new EngineServer();
  const address = await engine.start();
  const launched = await Promise.all(packs.map((p) => launchPack(p.dir, address)));
  const clients = launched.map((l) => new AnalyzerClient(l.address));
  const builder = new RequestBuilder(resources);
  const requests = resources.map((r) => builder.analyzeRequest(r));
  const pass = async (client: AnalyzerClient): Promise<number> => {
    const started = process.hrtime.bigint();
    for (const request of requests) {
      await client.analyze(request);
    }
    return requests.length / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const rates: number[][] = packs.map(() => []);
  for (const client of clients) {
    await pass(client);
  }
  for (let run = 0; run < RUNS; run++) {
    for (const [p, client] of clients.entries()) {
      rates[p].push(await pass(client));
    }
  }
  clients.forEach((c) => c.close());
  launched.forEach((l) => l.child.kill());
  engine.stop();
  return rates.map(median);
}

async function main(): Promise<void> {
  const root = process.cwd();
  const project = readProject(root);
  const cli = path.join(__dirname, "cli.js");
  console.log(`moat bench: median of ${RUNS} runs (MOAT_BENCH_RUNS to change)`);
  const packs: BenchPack[] = [
    { label: "floor (1 no-op)", dir: path.join(__dirname, "..", "floor-pack") },
    { label: "moat", dir: path.join(root, "policies") },
    { label: "moat, SDK server", dir: path.join(__dirname, "..", "sdk-server-pack") },
  ];
  const largest = await largestStackResources(project);
  const starts = await packStartups(packs);
  const rates = await analyzeThroughputs(packs, largest);
  console.log(`pack              start-up   analyze (sequential, ${largest.length} resources)`);
  packs.forEach((p, i) =>
    console.log(
      `${p.label.padEnd(17)}${starts[i].toFixed(0).padStart(6)} ms  ${rates[i].toFixed(0).padStart(6)} resources/s`,
    ),
  );
  console.log(
    `moat vs floor:    start-up ${((starts[1] / starts[0] - 1) * 100).toFixed(0)}% slower, throughput ${((rates[1] / rates[0]) * 100).toFixed(0)}% of the floor (targets: within 15%, at least 90%)`,
  );
  if (ONLY_PACK) {
    return;
  }
  const floor = sdkLoadSeconds(root);
  console.log(`SDK floor: loading the five Pulumi SDKs in one node process takes ${floor.toFixed(2)} s`);
  console.log("stack                         resources  plan wall time");
  const figures = listStacks(project).map((stack) => ({ stack, ...planFigures(cli, root, stack) }));
  figures.forEach((f) => console.log(row(f.stack, f)));
  const biggest = figures.reduce((a, b) => (Number(b.resources) > Number(a.resources) ? b : a));
  console.log(
    `single plan of ${biggest.stack}: ${(biggest.seconds / floor).toFixed(1)}x the SDK floor (target: at most 3x)`,
  );
  const baseFile = readStackFile(project, biggest.stack);
  const baseYaml = fs.readFileSync(path.join(root, baseFile.file), "utf8");
  const basePolicy = baseFile.policyConfigFile
    ? fs.readFileSync(path.join(root, baseFile.policyConfigFile), "utf8")
    : undefined;
  for (const nodes of [8, 128, 1024]) {
    const doc = parse(baseYaml);
    doc.config["moat:computeGroups"] = [{ name: "train", instanceType: "p5.48xlarge", nodeCount: nodes }];
    const dir = scratchProject(root, { "Pulumi.generated.yaml": stringify(doc) });
    console.log(row(`generated, ${nodes} p5 nodes`, planFigures(cli, dir, "generated")));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const fleet = generateFleet(baseYaml, basePolicy, FLEET);
  const dir = scratchProject(root, fleet.stacks);
  for (const [file, text] of Object.entries(fleet.baselines)) {
    fs.writeFileSync(path.join(dir, "accounts", "stacks", file), text);
  }
  // The tenants only: their baselines' stack files answer their stack references unplanned.
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, "plan", "--all", "--project", "."], {
    cwd: dir,
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(dir, { recursive: true, force: true });
  const passed = run.stdout.split("\n").filter((l) => l.startsWith("PASS ")).length;
  console.log(
    `fleet of ${FLEET} tenants like ${biggest.stack}, moat plan --all on ${os.availableParallelism()} cores: ` +
      `${seconds.toFixed(1)} s, ${(seconds / FLEET).toFixed(2)} s per stack (target: at most 2 s); ` +
      `${passed} of ${FLEET} passed, exit ${run.status}`,
  );
}

/** Wall time of a node process that loads the five Pulumi SDKs the program uses: the floor of a plan. */
function sdkLoadSeconds(root: string): number {
  const sdks = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/random", "@pulumi/tls"];
  const script = sdks.map((m) => `require(${JSON.stringify(m)});`).join("");
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
    if (run.status !== 0) {
      throw new Error(`loading the SDKs failed: ${run.stderr}`);
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return median(times);
}

/** The largest example stack's resources, repeated to about 2,000, with unique URNs. */
async function largestStackResources(project: ReturnType<typeof readProject>): Promise<RecordedResource[]> {
  let largest: RecordedResource[] = [];
  for (const stack of listStacks(project)) {
    const run = await runProgram(project, readStackFile(project, stack), {
      unknowns: false,
      typeCheck: false,
    });
    if (run.resources.length > largest.length) {
      largest = run.resources;
    }
  }
  const copies = Math.max(1, Math.round(2000 / largest.length));
  return Array.from({ length: copies }, (_, i) =>
    largest.map((r) => ({ ...r, urn: `${r.urn}-${i}` })),
  ).flat();
}

function planFigures(cli: string, cwd: string, stack: string): { resources: string; seconds: number } {
  const times: number[] = [];
  let resources = "?";
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [cli, "plan", stack], { cwd, encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    resources = /: (\d+) resources/.exec(run.stdout)?.[1] ?? `exit ${run.status}`;
  }
  return { resources, seconds: median(times) / 1000 };
}

function row(label: string, figures: { resources: string; seconds: number }): string {
  return `${label.padEnd(30)}${figures.resources.padStart(9)}  ${figures.seconds.toFixed(2)} s`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
