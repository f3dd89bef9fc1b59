/**
 * Fleet checks for `moat plan --all`: after every stack planned, the stacks are checked together,
 * since each can be correct alone while the fleet is not (two environments of one tenant in one
 * account, a copied stack, a sixth trail in an account, quotas tenants share). See README, "Fleet
 * checks".
 */
import * as fs from "fs";
import * as path from "path";
import { UsageError, type ProjectFile } from "../plan/project";
import { loadCatalogue } from "./catalogue";
import { checkFleet } from "./check";
import { readFleetFile } from "./fleet-file";
import { fleetJson, fleetMarkdown, fleetSection } from "./report";
import type { FleetStackInput } from "./types";

export type { FleetStackInput } from "./types";

/** What the fleet checks print and the exit code they ask for: 0, 1 on an error, 2 on a bad fleet file. */
export interface FleetOutcome {
  readonly out: string[];
  readonly err: string[];
  readonly exit: number;
}

/** How `moat plan --all` runs the fleet checks. */
export interface FleetOptions {
  /** `--fleet-report DIR`: write `DIR/fleet.md` and `DIR/fleet.json`. */
  readonly reportDir?: string;
  /** Stacks that did not plan, named in the section as left out. */
  readonly notPlanned?: readonly string[];
}

/** Checks the planned stacks together with the project's fleet file, and writes the report if asked. */
export function fleetChecks(
  project: ProjectFile,
  planned: readonly FleetStackInput[],
  options: FleetOptions = {},
): FleetOutcome {
  let fleet;
  try {
    fleet = readFleetFile(project);
  } catch (e) {
    if (e instanceof UsageError) {
      return { out: [], err: e.problems, exit: 2 };
    }
    throw e;
  }
  const result = checkFleet(planned, fleet, loadCatalogue(project));
  if (options.reportDir !== undefined) {
    fs.mkdirSync(options.reportDir, { recursive: true });
    fs.writeFileSync(path.join(options.reportDir, "fleet.md"), fleetMarkdown(result));
    fs.writeFileSync(
      path.join(options.reportDir, "fleet.json"),
      `${JSON.stringify(fleetJson(result), null, 2)}\n`,
    );
  }
  return {
    out: fleetSection(result, options.notPlanned),
    err: [],
    exit: result.findings.some((f) => f.level === "error") ? 1 : 0,
  };
}
