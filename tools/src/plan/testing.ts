/**
 * Helpers that tests of the `moat` command share: a registration with the options a plain one has,
 * the built command run in a folder, and a snapshot of a project's stack files. Not part of the CLI.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { RecordedResource } from "./types";

/** The project root: the folder that holds tools/. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

/** A registration as `moat plan` records it, with the options nobody set left at their defaults. */
export function recordedResource(
  fields: Pick<RecordedResource, "urn" | "type" | "name"> & Partial<RecordedResource>,
): RecordedResource {
  return {
    custom: true,
    inputs: {},
    dependencies: [],
    propertyDependencies: {},
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    aliases: [],
    additionalSecretOutputs: [],
    ...fields,
  };
}

/** What one run of the command printed, and how it ended. */
export interface MoatRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `moat` command (tools/dist, built by `npm run build`) in `cwd`. */
export function runMoat(cwd: string, args: readonly string[], timeoutMs = 300_000): MoatRun {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "tools", "bin", "moat.js"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file of a project's stacks folder with its text, to show what a command wrote or did not. */
export function stackFolderSnapshot(projectDir: string): Record<string, string> {
  const stacks = path.join(projectDir, "stacks");
  return Object.fromEntries(
    fs.readdirSync(stacks).map((f) => [f, fs.readFileSync(path.join(stacks, f), "utf8")]),
  );
}
