/**
 * Live progress for long cells (sweeps, training): one output updated in place inside a notebook
 * (display_data with a display_id), a single rewritten line on a TTY, and nothing in a pipe except the
 * final line.
 */
import { randomBytes } from "node:crypto";
import { escapeHtml } from "./html.js";
import { Rich, display } from "./mime.js";

export interface Progress {
  update(done: number, note?: string): void;
  finish(note?: string): void;
}

export function progressBar(total: number, label = "progress", options: { minIntervalMs?: number } = {}): Progress {
  const id = randomBytes(6).toString("hex");
  const t0 = Date.now();
  let last = 0;
  let first = true;
  const minInterval = options.minIntervalMs ?? 200;
  const render = (done: number, note = ""): Rich => {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const secs = (Date.now() - t0) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const text = `${label}: ${done}/${total} (${(frac * 100).toFixed(1)}%) ${rate.toFixed(1)}/s ${note}`.trimEnd();
    const bar =
      `<div style="font-family:monospace;font-size:12px">${escapeHtml(label)} ` +
      `<progress value="${done}" max="${Math.max(total, 1)}" style="width:240px"></progress> ` +
      `${done}/${total} · ${rate.toFixed(1)}/s ${escapeHtml(note)}</div>`;
    return new Rich({ "text/html": bar, "text/plain": text });
  };
  const emit = (r: Rich, final: boolean) => {
    if (process.stderr.isTTY && !inKernel()) {
      process.stderr.write(`\r${r.toString()}${final ? "\n" : ""}`);
    } else if (inKernel()) {
      display(r, { displayId: id, update: !first });
      first = false;
    } else if (final) {
      process.stderr.write(r.toString() + "\n");
    }
  };
  return {
    update(done, note) {
      const now = Date.now();
      if (now - last < minInterval && done < total) return;
      last = now;
      emit(render(done, note), false);
    },
    finish(note) {
      emit(render(total, note), true);
    },
  };
}

/** Inside the rlvr-lab kernel (its hook is installed on globalThis) or another Jupyter kernel process. */
function inKernel(): boolean {
  return (
    (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("rlvr.kernel")] !== undefined ||
    process.env.RLVR_KERNEL === "1" ||
    process.env.JPY_SESSION_NAME !== undefined
  );
}
