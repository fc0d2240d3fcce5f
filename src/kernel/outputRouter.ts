/**
 * Where a cell's side outputs go: `process.stdout/stderr.write` and tslab's display API
 * (`tslab.display.*`, `tslab.newDisplay()`) become iopub `stream` / `display_data` /
 * `update_display_data` / `clear_output` messages of the current request.
 *
 * Stream text is buffered and flushed once per event-loop turn (consecutive writes to the same stream
 * merged, stdout/stderr order kept), and always before any other output so ordering is exact.
 * Like ipykernel, output written after a cell finished (timers, callbacks) goes to the last cell.
 */
import { createRequire } from "node:module";
import { TextDecoder } from "node:util";
import type { DisplayContent } from "./mimebundle.js";

const require = createRequire(import.meta.url);

/** Symbol under which cells reach kernel-side helpers (see `clearOutput` in ./display.ts). */
export const KERNEL_HOOK = Symbol.for("rlvr.kernel");

export type Publish = (msgType: string, content: object) => void;

export class OutputRouter {
  /** Pending stream text in write order; consecutive writes to the same stream are merged. */
  private buf: { name: "stdout" | "stderr"; text: string }[] = [];
  private scheduled = false;

  constructor(private readonly publish: Publish) {}

  /** Take over process.stdout/stderr and tslab's display hook (once per process). */
  install(): void {
    const decoder = new TextDecoder();
    const hook = (name: "stdout" | "stderr") =>
      ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
        this.write(name, typeof chunk === "string" ? chunk : decoder.decode(chunk));
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") (done as () => void)();
        return true;
      }) as typeof process.stdout.write;
    process.stdout.write = hook("stdout");
    process.stderr.write = hook("stderr");
    // tslab's public display API calls this module-level function of its jupyter.js.
    const tslabJupyter = require("tslab/dist/jupyter.js");
    tslabJupyter.lastWriteDisplayData = (content: DisplayContent & { transient?: object }, update: boolean) =>
      this.display(content, update);
    (globalThis as Record<symbol, unknown>)[KERNEL_HOOK] = {
      clearOutput: (wait = false) => this.clearOutput(wait),
      display: (content: DisplayContent & { transient?: object }, update = false) => this.display(content, update),
    };
  }

  write(name: "stdout" | "stderr", text: string): void {
    const last = this.buf[this.buf.length - 1];
    if (last && last.name === name) last.text += text;
    else this.buf.push({ name, text });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  display(content: DisplayContent & { transient?: object }, update: boolean): void {
    this.flush();
    this.publish(update ? "update_display_data" : "display_data", {
      data: content.data,
      metadata: content.metadata ?? {},
      transient: content.transient ?? {},
    });
  }

  clearOutput(wait: boolean): void {
    this.flush();
    this.publish("clear_output", { wait });
  }

  flush(): void {
    this.scheduled = false;
    for (const { name, text } of this.buf.splice(0)) {
      if (text) this.publish("stream", { name, text });
    }
  }
}
