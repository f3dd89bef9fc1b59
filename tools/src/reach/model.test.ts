// Loading the reachability model from the compiled pack (built by `npm run build`): the CLI draws
// the model the net-reachability-* policies judge, not a copy (NET-4 to NET-8).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { UsageError } from "../plan/project";
import { loadReachModel, modelPath } from "./model";

const PACK = path.resolve(__dirname, "..", "..", "..", "policies");

describe("loadReachModel", () => {
  it(
    "loads reachabilityOfRecords from <pack>/bin/net-reach-records.js",
    { skip: !fs.existsSync(modelPath(PACK)) },
    () => {
      const model = loadReachModel(PACK);
      assert.deepEqual(model.reachabilityOfRecords([]), []);
    },
  );

  it("asks for a build when the pack has no compiled model", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "moat-pack-"));
    assert.throws(
      () => loadReachModel(empty),
      (e: unknown) => e instanceof UsageError && /build the pack with 'npm run build'/.test(e.message),
    );
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
