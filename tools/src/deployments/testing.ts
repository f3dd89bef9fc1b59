/**
 * Scratch repositories of stack files for the tests of deployments and CI: a root project with its
 * tenant stacks and, if asked, an account baseline project. Never the operator's own stacks/.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A tenant or baseline stack file, by the settings these tests read. */
export interface ScratchStack {
  readonly account?: string | readonly string[];
  readonly region?: string;
  /** `moat:baseline`, for a tenant. */
  readonly baseline?: string;
  /** Text of `Pulumi.<stack>.policy.json`, written when given. */
  readonly policy?: string;
}

/** What {@link scratchRepository} writes. */
export interface ScratchLayout {
  readonly tenants: Readonly<Record<string, ScratchStack>>;
  /** Baseline stacks; the accounts/stacks folder exists only when this is given. */
  readonly baselines?: Readonly<Record<string, ScratchStack>>;
  /** Whether accounts/ has its own Pulumi.yaml (a project named moat-account). @default true */
  readonly baselineProjectFile?: boolean;
}

function stackYaml(stack: ScratchStack): string {
  const lines = ["config:", `  aws:region: ${stack.region ?? "us-east-1"}`];
  if (stack.account !== undefined) {
    const accounts = typeof stack.account === "string" ? [stack.account] : stack.account;
    lines.push(`  aws:allowedAccountIds: [${accounts.map((a) => `"${a}"`).join(", ")}]`);
  }
  if (stack.baseline !== undefined) lines.push(`  moat:baseline: ${stack.baseline}`);
  return `${lines.join("\n")}\n`;
}

function writeStacks(dir: string, stacks: Readonly<Record<string, ScratchStack>>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, stack] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stackYaml(stack));
    if (stack.policy !== undefined)
      fs.writeFileSync(path.join(dir, `Pulumi.${name}.policy.json`), stack.policy);
  }
}

/** Writes a scratch repository and returns its root; the caller removes it. */
export function scratchRepository(layout: ScratchLayout): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "moat-repo-"));
  fs.writeFileSync(
    path.join(root, "Pulumi.yaml"),
    "name: moat\nruntime: nodejs\nmain: infra/\nstackConfigDir: stacks\n",
  );
  writeStacks(path.join(root, "stacks"), layout.tenants);
  if (layout.baselines !== undefined) {
    if (layout.baselineProjectFile ?? true) {
      fs.mkdirSync(path.join(root, "accounts"));
      fs.writeFileSync(
        path.join(root, "accounts", "Pulumi.yaml"),
        "name: moat-account\nruntime: nodejs\nstackConfigDir: stacks\n",
      );
    }
    writeStacks(path.join(root, "accounts", "stacks"), layout.baselines);
  }
  return root;
}
