/**
 * StepScheduler: runs the incremental generations of concurrent requests fairly on the one event loop.
 *
 * Sampling is synchronous CPU work; run to the end inside a request handler it would hold the loop, so no
 * other connection is accepted, read or written until it finishes, and a stream's chunks would all leave at
 * the end. Instead each generation is an iterator (TokenModel.generateSteps: one decoding step a `next()`),
 * and the scheduler advances them round-robin — one step of each active generation a round — and yields
 * to the event loop after every round (`setImmediate`), so sockets are served between steps: chunks written
 * by `onStep` leave at once, new requests join the next round, and a short request finishes after its own
 * few steps however long the others are.
 *
 * Departure from vLLM: concurrent requests are interleaved, not batched into one forward pass (the policy's
 * sampler batches only prompts of one request). `size` is the number of generations active now.
 */

interface Job {
  step(): boolean;
}

export class StepScheduler {
  private readonly active: Job[] = [];
  private running = false;

  /** Generations active now (queued or being stepped). */
  get size(): number {
    return this.active.length;
  }

  /** Advance `it` to its end, one step a round; `onStep` sees every yielded value. Resolves with its return value. */
  run<S, R>(it: Iterator<S, R>, onStep: (s: S) => void = () => {}): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.active.push({
        step: () => {
          try {
            const r = it.next();
            if (r.done) {
              resolve(r.value);
              return true;
            }
            onStep(r.value);
            return false;
          } catch (err) {
            reject(err);
            return true;
          }
        },
      });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.active.length > 0) {
        for (const job of [...this.active]) {
          if (job.step()) this.active.splice(this.active.indexOf(job), 1);
        }
        await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
  }
}
