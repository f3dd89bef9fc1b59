import * as os from "os";

/** Programs run at once by default: one per core, since each is one busy Node.js process. */
export const DEFAULT_JOBS = Math.max(1, os.availableParallelism());

/**
 * Runs `work` on every item with at most `limit` calls in flight, and hands each result to `emit` in
 * the items' order as soon as it and every earlier one are done, so output stays ordered while the
 * work overlaps. Resolves when every item has been emitted; a rejected call rejects the whole.
 */
export async function orderedPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  emit: (result: R, item: T, index: number) => void,
): Promise<void> {
  const done = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  const flush = () => {
    while (done.has(emitted)) {
      const result = done.get(emitted) as R;
      done.delete(emitted);
      emit(result, items[emitted], emitted);
      emitted++;
    }
  };
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      done.set(index, await work(items[index], index));
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Runs calls one at a time in the order they were queued, whatever their callers' concurrency. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `call` behind every call queued before it. */
  run<R>(call: () => Promise<R>): Promise<R> {
    const result = this.tail.then(call, call);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
