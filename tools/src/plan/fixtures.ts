import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Folder of the versioned fixtures that stand in for a cloud account. */
export const FIXTURES_DIR = path.join(__dirname, "..", "..", "fixtures");

interface InvokeEntry {
  readonly when?: Record<string, unknown>;
  readonly result: Record<string, unknown>;
}

interface InvokeFixtures {
  readonly version: number;
  readonly account: string;
  readonly invokes: Record<string, InvokeEntry[]>;
}

interface TypeFixture {
  readonly idPrefix?: string;
  readonly outputs?: Record<string, unknown>;
}

/** Raised when the program calls a provider function the fixtures cannot answer. */
export class MissingFixtureError extends Error {
  /** The SDK turns a failed invoke into `new Error(err.details)`, so the message travels here too. */
  public readonly details: string;

  constructor(
    public readonly token: string,
    inputs: unknown,
  ) {
    super(
      `the offline preview has no fixture for provider function '${token}' (called with ${JSON.stringify(inputs)}); ` +
        `add an entry to tools/fixtures/invokes.json, or preview against a real account with 'pulumi preview'`,
    );
    this.name = "MissingFixtureError";
    this.details = this.message;
  }
}

/** The answers the offline preview gives in place of AWS, for one stack. */
export class Fixtures {
  private readonly invokes: InvokeFixtures;
  private readonly types: Record<string, TypeFixture>;
  /** Every call that found no fixture, in order, so the runner can report it whatever the program did. */
  readonly missing: MissingFixtureError[] = [];

  /**
   * `pinnedAccount` is the account the stack pins (`aws:allowedAccountIds`): with it pinned, the
   * provider runs only with that account's credentials, so a real preview sees that caller.
   */
  constructor(
    private readonly region: string,
    private readonly pinnedAccount?: string,
    dir = FIXTURES_DIR,
  ) {
    this.invokes = JSON.parse(fs.readFileSync(path.join(dir, "invokes.json"), "utf8"));
    this.types = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8")).types;
  }

  /** The AWS account the offline stack deploys to: the one it pins, else the fixtures' fake one. */
  get account(): string {
    return this.pinnedAccount ?? this.invokes.account;
  }

  /** Answers a provider function call, or throws {@link MissingFixtureError}. */
  invoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const entry = (this.invokes.invokes[token] ?? []).find((e) => matches(e.when ?? {}, inputs));
    if (!entry) {
      const error = new MissingFixtureError(token, inputs);
      this.missing.push(error);
      throw error;
    }
    return this.fill(entry.result, {}) as Record<string, unknown>;
  }

  /**
   * Values AWS would compute for a newly created resource: a stable ID in the type's usual form
   * (derived from `seed`), an ARN, and the extra outputs listed for the type.
   */
  computed(type: string, seed: string, name: string): { id: string; outputs: Record<string, unknown> } {
    const fixture = this.types[type] ?? {};
    const hash = createHash("sha256").update(seed).digest("hex").slice(0, 17);
    const id = fixture.idPrefix ? `${fixture.idPrefix}-${hash}` : `${name}-${hash.slice(0, 8)}`;
    const outputs: Record<string, unknown> = {
      ...(this.fill(fixture.outputs ?? {}, { id, hash }) as object),
    };
    const service = /^aws:([a-z0-9]+)\//.exec(type)?.[1];
    if (service) {
      outputs.arn = `arn:aws:${service}:${this.region}:${this.account}:${type.split(":").pop()?.toLowerCase()}/${id}`;
    }
    return { id, outputs };
  }

  private fill(value: unknown, vars: Record<string, string>): unknown {
    const all: Record<string, string> = { region: this.region, account: this.account, ...vars };
    if (typeof value === "string") {
      return value.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => all[key] ?? whole);
    }
    if (Array.isArray(value)) {
      return value.map((v) => this.fill(v, vars));
    }
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.fill(v, vars)]));
    }
    return value;
  }
}

/**
 * The account a stack's settings (PULUMI_CONFIG) pin with `aws:allowedAccountIds`, when they pin one
 * valid 12-digit id first; the program refuses any other value before it calls a provider function.
 */
export function pinnedAccount(config: Readonly<Record<string, string>>): string | undefined {
  try {
    const ids: unknown = JSON.parse(config["aws:allowedAccountIds"] ?? "null");
    const first = Array.isArray(ids) ? ids[0] : undefined;
    return typeof first === "string" && /^\d{12}$/.test(first) ? first : undefined;
  } catch {
    return undefined;
  }
}

function matches(when: Record<string, unknown>, inputs: Record<string, unknown>): boolean {
  return Object.entries(when).every(([k, v]) => JSON.stringify(inputs[k]) === JSON.stringify(v));
}
