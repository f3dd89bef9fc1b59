import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { limitedPool } from "./limits";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("limitedPool", () => {
  it("runs every item, never over the global or the per-key limit, and fills the limits when it can", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.nat(3)), { maxLength: 14 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        async (items, jobs, perAccount) => {
          let total = 0;
          let most = 0;
          const perKey = new Map<string, number>();
          const mostPerKey = new Map<string, number>();
          const ran: number[] = [];
          const left = await limitedPool(
            items.map((item, i) => ({ key: item[0], ms: item[1], i })),
            (item) => item.key,
            { jobs, perAccount },
            async (item) => {
              total++;
              perKey.set(item.key, (perKey.get(item.key) ?? 0) + 1);
              most = Math.max(most, total);
              mostPerKey.set(item.key, Math.max(mostPerKey.get(item.key) ?? 0, perKey.get(item.key) ?? 0));
              await tick(item.ms);
              total--;
              perKey.set(item.key, (perKey.get(item.key) ?? 1) - 1);
              ran.push(item.i);
            },
          );
          assert.deepEqual(left, []);
          assert.deepEqual(
            [...ran].sort((x, y) => x - y),
            items.map((_, i) => i),
          );
          assert.ok(most <= jobs, `at most ${jobs} at once, saw ${most}`);
          for (const [key, n] of mostPerKey) assert.ok(n <= perAccount, `${key}: ${n} > ${perAccount}`);
          // The limits are used, not just respected: the first wave of starts fills them.
          const keys = new Set(items.map((i) => i[0]));
          const capacity = [...keys].reduce(
            (n, k) => n + Math.min(perAccount, items.filter((i) => i[0] === k).length),
            0,
          );
          assert.equal(most, Math.min(jobs, capacity));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("lets a later item of another key pass one whose key is full", async () => {
    const started: string[] = [];
    await limitedPool(
      ["a1", "a2", "b1"],
      (item) => item[0],
      { jobs: 2, perAccount: 1 },
      async (item) => {
        started.push(item);
        await tick(2);
      },
    );
    assert.deepEqual(started, ["a1", "b1", "a2"]);
  });

  it("starts nothing more once mayStart is false, lets the running items finish, and returns the rest", async () => {
    const finished: number[] = [];
    let stop = false;
    const left = await limitedPool(
      [1, 2, 3, 4, 5],
      () => "k",
      { jobs: 2, perAccount: 2 },
      async (n) => {
        await tick(n === 2 ? 5 : 1);
        if (n === 1) stop = true;
        finished.push(n);
      },
      () => !stop,
    );
    assert.deepEqual(finished, [1, 2]);
    assert.deepEqual(left, [3, 4, 5]);
  });

  it("rejects when a call rejects", async () => {
    await assert.rejects(
      limitedPool(
        [1],
        () => "k",
        { jobs: 1, perAccount: 1 },
        async () => {
          throw new Error("boom");
        },
      ),
      /boom/,
    );
  });
});
