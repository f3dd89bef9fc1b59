/**
 * `npm run bench`: figures, never pass/fail. For each example stack: resource count and `moat plan`
 * wall time (median of several runs); and the policy pack's start-up time (launch to port printed).
 * Later issues add generated large tenants and analyze throughput against a one-policy floor pack.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { launchPack } from "./analyzer/pack-process";
import { EngineServer } from "./analyzer/engine";
import { listStacks, readProject } from "./plan/project";

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
  console.log("stack                 resources  plan wall time");
  for (const stack of listStacks(project)) {
    const times: number[] = [];
    let resources = "?";
    for (let i = 0; i < RUNS; i++) {
      const started = process.hrtime.bigint();
      const run = spawnSync(process.execPath, [cli, "plan", stack], { cwd: root, encoding: "utf8" });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      resources = /: (\d+) resources/.exec(run.stdout)?.[1] ?? `exit ${run.status}`;
    }
    console.log(`${stack.padEnd(22)}${resources.padStart(9)}  ${(median(times) / 1000).toFixed(2)} s`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
