import assert from "node:assert/strict";
import { parseStackConfig } from "./parse";
import { ed25519Key } from "../../components/node-bootstrap/test-keys";

/** Stack file named in messages. */
export const FILE = "stacks/Pulumi.acme-prod.yaml";
/** The account the complete config deploys to. */
export const ACCOUNT = "111111111111";
/** A valid user key. */
export const ALICE = ed25519Key(7, "alice@acme");

/** A complete, valid raw config as the Pulumi runtime holds it (JSON text per key). */
export function rawConfig(overrides: Record<string, unknown> = {}): Record<string, string> {
  const values: Record<string, unknown> = {
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": [ACCOUNT],
    "moat:tenant": { id: "acme", environment: "prod", owner: "gpu-admins@acme.example" },
    "moat:baseline": "acme-corp/moat-account/acme-production-us-east-1",
    "moat:network": { cidr: "10.42.0.0/16", availabilityZone: "us-east-1b" },
    "moat:access": { allowSshFrom: ["203.0.113.0/24"], sshPublicKeys: [{ name: "alice", publicKey: ALICE }] },
    "moat:computeGroups": [{ name: "gpu-a", instanceType: "p5.48xlarge", nodeCount: 2 }],
    "moat:audit": { alertEmails: ["secops@acme.example"] },
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** Problems found in the complete config with `overrides` applied; asserts there are some. */
export function problems(overrides: Record<string, unknown>): string[] {
  const result = parseStackConfig(rawConfig(overrides), FILE);
  assert.equal(result.ok, false, "expected the config to be refused");
  return result.ok ? [] : result.problems;
}
