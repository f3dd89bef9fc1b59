/**
 * The reachability model, loaded at run time from the compiled policy pack
 * (`<packDir>/bin/net-reach-records.js`, built by `npm run build` from
 * policies/src/net-reach-*.ts). The CLI cannot import policies/src (its rootDir is tools/src), and a
 * copy would drift from what the policies judge; so it loads the one model and types only the rows
 * it hands back (NET-4 to NET-8).
 */
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../plan/project";

/** Where one end of a flow lies; mirrors EndKind of policies/src/net-reach-graph.ts. */
export type EndKind =
  "group" | "foreign-group" | "vpc" | "internet" | "allowlist" | "public" | "other-network" | "unplaced";

/** One end of a row; mirrors ReachRowEnd of policies/src/net-reach-rows.ts. */
export interface ReachRowEnd {
  readonly id: string;
  readonly kind: EndKind;
  readonly label: string;
  readonly outside: boolean;
  readonly exposure?: "public" | "assumed" | "possible" | "private";
}

/** One allowed flow as text; mirrors ReachRow of policies/src/net-reach-rows.ts. */
export interface ReachRow {
  readonly source: ReachRowEnd;
  readonly destination: ReachRowEnd;
  readonly protocol: string;
  readonly ports: string;
  readonly rule: string;
  readonly why: string;
}

/** A recorded resource as the model takes it; mirrors ReachRecord of net-reach-records.ts. */
export interface ReachRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** What the compiled module exports. */
export interface ReachModel {
  reachabilityOfRecords(
    records: readonly ReachRecord[],
    options?: { allowlist?: readonly string[] },
  ): ReachRow[];
}

/** The compiled module's path inside a pack folder. */
export const modelPath = (packDir: string) => path.join(packDir, "bin", "net-reach-records.js");

/** Loads the model from the pack; a pack built without it is a usage error, not a crash. */
export function loadReachModel(packDir: string): ReachModel {
  const file = modelPath(packDir);
  if (!fs.existsSync(file)) {
    throw new UsageError([
      `${file} not found: --reachability needs the reachability model; build the pack with 'npm run build'`,
    ]);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as Partial<ReachModel>;
  if (typeof loaded.reachabilityOfRecords !== "function") {
    throw new UsageError([
      `${file} does not export reachabilityOfRecords: rebuild the pack with 'npm run build'`,
    ]);
  }
  return loaded as ReachModel;
}
