/**
 * The offline answer to the program's stack references. Moat's tenant stacks reference their
 * account baseline (`moat:baseline`, `<organization>/moat-account/<stack>`); offline, that stack is
 * found by project name among the Pulumi projects in the folder tree of the referencing project
 * (its root and the folders directly under it, e.g. accounts/), its stack file is read, and its
 * outputs are computed by the program's own `baselineOutputs` (components/account-baseline/
 * account-scope.ts, loaded through the program's TypeScript hook), so the answer is what the
 * baseline exports once deployed. Any other reference is refused with the reason.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the program's own module, loaded at run time */
import * as fs from "fs";
import * as path from "path";
import { readProject, readStackFile, type ProjectFile } from "./project";
import { pinnedAccount } from "./fixtures";

/** Where the program keeps the function that says what a baseline exports. */
const BASELINE_OUTPUTS_MODULE = path.join("components", "account-baseline", "account-scope.ts");

/** A stack reference the offline preview cannot answer. */
export class StackReferenceError extends Error {
  /** The SDK turns a failed registration into `new Error(err.details)`. */
  public readonly details: string;

  constructor(reference: string, why: string) {
    super(`the offline preview cannot answer the stack reference '${reference}': ${why}`);
    this.name = "StackReferenceError";
    this.details = this.message;
  }
}

/** Answers stack references for the project at `root`. */
export class StackReferences {
  /** Every reference that could not be answered, in order. */
  readonly missing: StackReferenceError[] = [];

  constructor(private readonly root: string) {}

  /** The outputs of the referenced stack, or throws {@link StackReferenceError} (also kept in `missing`). */
  outputs(reference: string): Record<string, unknown> {
    try {
      return this.answer(reference);
    } catch (e) {
      const error =
        e instanceof StackReferenceError ? e : new StackReferenceError(reference, (e as Error).message);
      this.missing.push(error);
      throw error;
    }
  }

  private answer(reference: string): Record<string, unknown> {
    const parts = reference.split("/");
    if (parts.length !== 3 || parts.some((p) => p === "")) {
      throw new StackReferenceError(reference, "name it as <organization>/<project>/<stack>");
    }
    const [, projectName, stack] = parts;
    const project = this.projects().find((p) => p.name === projectName);
    if (project === undefined) {
      throw new StackReferenceError(
        reference,
        `no Pulumi project named '${projectName}' in ${this.root} or a folder directly under it`,
      );
    }
    if (projectName !== "moat-account") {
      throw new StackReferenceError(
        reference,
        "only references to the account baseline (moat-account) are known offline",
      );
    }
    const file = readStackFile(project, stack);
    const accountId = pinnedAccount(file.config);
    if (accountId === undefined) {
      throw new StackReferenceError(
        reference,
        `${path.join(path.relative(this.root, project.root), file.file)} pins no account (aws:allowedAccountIds)`,
      );
    }
    const region = file.config["aws:region"];
    const forwardTo = parseList(file.config["moat-account:forwardGlobalEventsTo"]);
    const { baselineOutputs } = require(path.join(this.root, BASELINE_OUTPUTS_MODULE)) as {
      baselineOutputs: (accountId: string, region: string, forwardTo: readonly string[]) => object;
    };
    return { baseline: baselineOutputs(accountId, region, forwardTo) };
  }

  private projects(): ProjectFile[] {
    const dirs = [this.root, ...fs.readdirSync(this.root).map((d) => path.join(this.root, d))];
    return dirs.filter((d) => fs.existsSync(path.join(d, "Pulumi.yaml"))).map((d) => readProject(d));
  }
}

function parseList(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}
