/**
 * orderedMap: map a stream through a possibly-async function with a bounded in-flight window, yielding
 * results in INPUT order.
 *
 * At most `window` items are pending at once (memory is bounded by the window, not by the input size).
 * Results that are already available (synchronous `fn`, or settled promises) are yielded as soon as every
 * earlier item has been yielded; the source is only read further while fewer than `window` items wait.
 * `fn` should not reject (the verifiers resolve error verdicts instead); a rejection ends the iteration
 * with that error.
 */
export async function* orderedMap<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  fn: (item: T, index: number) => R | Promise<R>,
  window: number,
): AsyncGenerator<R> {
  if (!(window >= 1)) throw new RangeError(`orderedMap window must be >= 1, got ${window}`);
  interface Entry {
    done: boolean;
    value?: R;
    promise?: Promise<R>;
  }
  const pending: Entry[] = [];
  let index = 0;
  for await (const item of source as AsyncIterable<T>) {
    const r = fn(item, index++);
    if (r instanceof Promise) {
      const e: Entry = { done: false };
      e.promise = r.then((v) => {
        e.done = true;
        e.value = v;
        return v;
      });
      e.promise.catch(() => {}); // rethrown when awaited in order; never an unhandled rejection meanwhile
      pending.push(e);
    } else {
      pending.push({ done: true, value: r });
    }
    // Yield every finished head; block on the head only when the window is full.
    while (pending.length > 0 && (pending[0].done || pending.length >= window)) {
      const head = pending.shift()!;
      yield head.done ? (head.value as R) : await head.promise!;
    }
  }
  while (pending.length > 0) {
    const head = pending.shift()!;
    yield head.done ? (head.value as R) : await head.promise!;
  }
}
