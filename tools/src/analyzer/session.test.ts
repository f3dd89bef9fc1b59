/**
 * Streaming analysis (one stack's registrations sent to the pack while its program runs, as the
 * Pulumi engine does) gives exactly the verdict of analyzing the finished registrations.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { listStacks, readProject, readStackFile } from "../plan/project";
import { runProgram } from "../plan/run-program";
import type { RecordedResource } from "../plan/types";
import { PolicySession } from "./session";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("PolicySession.begin: registrations analyzed as they arrive", () => {
  const project = readProject(ROOT);
  // Any stack will do: the first one of the project.
  const stack = readStackFile(project, listStacks(project)[0]);
  let session: PolicySession;
  let resources: RecordedResource[];

  before(async () => {
    const streamed: RecordedResource[] = [];
    const [started, run] = await Promise.all([
      PolicySession.start(path.join(ROOT, "policies")),
      runProgram(project, stack, { unknowns: true, typeCheck: false, onResource: (r) => streamed.push(r) }),
    ]);
    session = started;
    resources = run.resources;
    assert.equal(run.failure, undefined, JSON.stringify(run.failure));
    // Every registration arrives through the channel, in the order of the finished run.
    assert.deepEqual(
      streamed.map((r) => r.urn),
      resources.map((r) => r.urn),
    );
  });
  after(() => session?.close());

  it("gives the batch verdict when every registration was added, and when the last ones were not", async () => {
    const batch = await session.analyze(project.name, stack, resources);

    const all = await session.begin(project.name, stack);
    resources.forEach((r) => all.add(r));
    assert.deepEqual(await all.finish(resources), batch);

    // Messages from the program come in order; any that miss the channel are the last ones.
    const some = await session.begin(project.name, stack);
    resources.slice(0, Math.floor((resources.length * 2) / 3)).forEach((r) => some.add(r));
    assert.deepEqual(await some.finish(resources), batch);
  });
});
