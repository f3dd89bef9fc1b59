import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forAnalyzer, redact, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN } from "./wire";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const ref = (urn: string, id?: string) => ({
  [SIG_KEY]: RESOURCE_SIG,
  urn,
  ...(id === undefined ? {} : { id }),
});

describe("redact", () => {
  it("replaces every secret, records its path, and keeps nothing of its value", () => {
    const { value, secretPaths } = redact({
      token: secret("s3cr3t-token"),
      nested: { list: [1, secret({ key: "private" })] },
      plain: "visible",
    });
    assert.deepEqual(value, { token: "[secret]", nested: { list: [1, "[secret]"] }, plain: "visible" });
    assert.deepEqual(secretPaths, ["token", "nested.list[1]"]);
    assert.doesNotMatch(JSON.stringify(value), /s3cr3t|private/);
  });

  it("shows unknowns and resource references readably", () => {
    assert.deepEqual(redact({ id: UNKNOWN, vpc: ref("urn:a", "vpc-1") }).value, {
      id: "[unknown]",
      vpc: "urn:a",
    });
  });
});

describe("forAnalyzer", () => {
  it("downgrades resource references to IDs, keeping secrets and unknowns in wire form", () => {
    const out = forAnalyzer({
      a: ref("urn:x", "vpc-1"),
      b: ref("urn:y", ""),
      c: ref("urn:z"),
      d: secret("v"),
      e: UNKNOWN,
    });
    assert.deepEqual(out, { a: "vpc-1", b: UNKNOWN, c: "urn:z", d: secret("v"), e: UNKNOWN });
  });
});
