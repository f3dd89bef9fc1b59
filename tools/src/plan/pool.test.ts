import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { orderedPool, SerialQueue } from "./pool";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("orderedPool", () => {
  it("emits every result once, in the items' order, whatever order the work finishes in", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(5), { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        async (delays, limit) => {
          const emitted: number[] = [];
          await orderedPool(
            delays,
            limit,
            async (ms, i) => {
              await tick(ms);
              return i;
            },
            (result, _item, index) => {
              assert.equal(result, index);
              emitted.push(index);
            },
          );
          assert.deepEqual(
            emitted,
            delays.map((_, i) => i),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("never has more than the limit in flight, and uses the limit when there is work for it", async () => {
    let inFlight = 0;
    let most = 0;
    await orderedPool(
      Array.from({ length: 9 }, (_, i) => i),
      3,
      async () => {
        most = Math.max(most, ++inFlight);
        await tick(2);
        inFlight--;
      },
      () => undefined,
    );
    assert.equal(most, 3);
  });

  it("rejects when one call fails", async () => {
    await assert.rejects(
      orderedPool(
        [1, 2, 3],
        2,
        async (n) => {
          if (n === 2) throw new Error("two failed");
          return n;
        },
        () => undefined,
      ),
      /two failed/,
    );
  });
});

describe("SerialQueue", () => {
  it("runs calls one at a time in queue order, and a failure does not stop the ones after it", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const call = (name: string, ms: number, fail = false) =>
      queue.run(async () => {
        log.push(`start ${name}`);
        await tick(ms);
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([call("a", 5), call("b", 1, true), call("c", 0)]);
    assert.deepEqual(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
  });
});
