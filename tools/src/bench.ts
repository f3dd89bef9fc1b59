/**
 * `npm run bench`: figures, never pass/fail. The policy pack's start-up time (launch to port
 * printed); for each example stack and for generated tenants of 8, 128 and 1,024 p5 nodes, the
 * resource count and `moat plan` wall time (median of several runs). The resource count must not
 * grow with the node count: nodes come from Auto Scaling groups, not one resource each.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { launchPack } from "./analyzer/pack-process";
import { EngineServer } from "./analyzer/engine";
import * as fs from "fs";
import { parse, stringify } from "yaml";
import { listStacks, readProject } from "./plan/project";
import { scratchProject } from "./plan/scratch";

const RUNS = Number(process.env.MOAT_BENCH_RUNS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function packStartup(packDir: string): Promise<number> {
  const engine = new EngineServer();
  const address = await engine.start();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const pack = await launchPack(packDir, address);
    times.push(pack.startupMs);
    pack.child.kill();
  }
  engine.stop();
  return median(times);
}

async function main(): Promise<void> {
  const root = process.cwd();
  const project = readProject(root);
  const cli = path.join(__dirname, "cli.js");
  console.log(`moat bench: median of ${RUNS} runs (MOAT_BENCH_RUNS to change)`);
  console.log(`policy pack start-up: ${(await packStartup(path.join(root, "policies"))).toFixed(0)} ms`);
  console.log("stack                         resources  plan wall time");
  for (const stack of listStacks(project)) {
    console.log(row(stack, planFigures(cli, root, stack)));
  }
  const base = parse(fs.readFileSync(`${root}/stacks/Pulumi.acme-prod.yaml`, "utf8"));
  for (const nodes of [8, 128, 1024]) {
    const doc = structuredClone(base);
    doc.config["moat:computeGroups"] = [{ name: "train", instanceType: "p5.48xlarge", nodeCount: nodes }];
    const dir = scratchProject(root, { "Pulumi.generated.yaml": stringify(doc) });
    console.log(row(`generated, ${nodes} p5 nodes`, planFigures(cli, dir, "generated")));
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
