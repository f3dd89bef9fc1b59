import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findPlaceholders, placeholder, PLACEHOLDER, placeholderHint } from "./placeholders";

describe("placeholders", () => {
  it("writes the marker and the hint, and reads the hint back", () => {
    const value = placeholder("the owner's contact e-mail, e.g. gpu-admins@acme.example");
    assert.equal(value, `${PLACEHOLDER}: the owner's contact e-mail, e.g. gpu-admins@acme.example`);
    assert.equal(placeholderHint(value), "the owner's contact e-mail, e.g. gpu-admins@acme.example");
  });

  it("takes a bare marker typed by hand, and nothing that merely mentions it", () => {
    assert.equal(placeholderHint(PLACEHOLDER), "a real value");
    assert.equal(placeholderHint(`${PLACEHOLDER} with your key`), "with your key");
    assert.equal(placeholderHint(`ops+${PLACEHOLDER}@acme.example`), undefined);
    assert.equal(placeholderHint(42), undefined);
    assert.equal(placeholderHint(undefined), undefined);
  });

  it("finds every placeholder in nested mappings and lists, with its path, in document order", () => {
    const config = {
      tenant: { id: "acme", owner: placeholder("an e-mail") },
      access: {
        allowSshFrom: ["203.0.113.0/24", placeholder("a CIDR")],
        sshPublicKeys: [{ name: "alice", publicKey: placeholder("a key") }],
      },
      headNodes: { count: 1 },
      quarantine: null,
    };
    assert.deepEqual(findPlaceholders(config), [
      { path: ["tenant", "owner"], hint: "an e-mail" },
      { path: ["access", "allowSshFrom", 1], hint: "a CIDR" },
      { path: ["access", "sshPublicKeys", 0, "publicKey"], hint: "a key" },
    ]);
    assert.deepEqual(findPlaceholders({ tenant: { id: "acme" } }), []);
  });
});
