/**
 * The sweep's append-only completions.jsonl: reading it back for `--resume`, and compacting it.
 *
 * Crash model: the writer (JsonlAppender) appends whole lines and fsyncs each batch, so a `kill -9`
 * leaves (a) every flushed record intact and (b) at worst one partial last line. On resume:
 * 1. `repairTail` cuts the file back to its last newline (dropping only that partial line, with a
 *    warning), so the next append does not glue onto it;
 * 2. `readCompletions` keeps ONE record per (problem_id, sample_index): the first complete one
 *    (finish_reason ≠ "error"/"abort"); a later complete record for the same key is a duplicate
 *    (counted, dropped); an error record followed by a complete one is superseded (counted, dropped);
 *    a key with only error records keeps its last one and is retried by the next resume.
 * 3. `compactCompletions` rewrites the file with exactly the kept records (temp file, fsync, rename:
 *    atomic), so after a finished sweep every key is present exactly once in the file itself.
 */
import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, fstatSync, ftruncateSync, writeSync } from "node:fs";
import { z } from "zod";
import { Completion, readJsonl, formatJsonlError } from "../schemas/index.js";
import { sampleKeyString } from "./seed.js";

/** A sweep's completion record: the shared Completion schema plus retry bookkeeping. */
export const SweepCompletion = Completion.extend({
  attempts: z.number().int().min(0).optional(),
  /** Final error message when finish_reason is "error". */
  error: z.string().optional(),
  /** Messages of the failed attempts before the final outcome. */
  retry_errors: z.array(z.string()).optional(),
  latency_ms: z.number().nonnegative().optional(),
  /** The server left a stop string in the text; the sweep cut the text before it (`stop_trimmed` is the removed tail's start). */
  stop_trimmed: z.object({ stop: z.string(), at: z.number().int().nonnegative(), removed: z.number().int().nonnegative() }).optional(),
  epoch: z.number().int().optional(),
  step: z.number().int().optional(),
});
export type SweepCompletion = z.infer<typeof SweepCompletion>;

export function isComplete(r: Pick<SweepCompletion, "finish_reason">): boolean {
  return r.finish_reason !== "error" && r.finish_reason !== "abort";
}

/** Cut a partial last line (no trailing newline) off the file; returns the dropped bytes. */
export function repairTail(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, "r+");
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    // Scan backwards in chunks for the last "\n".
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (at >= 0) {
        const keep = start + at + 1;
        if (keep < size) {
          ftruncateSync(fd, keep);
          fsyncSync(fd);
        }
        return size - keep;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    fsyncSync(fd);
    return size;
  } finally {
    closeSync(fd);
  }
}

export interface StoreRead {
  /** Kept record per key, in first-seen order. */
  byKey: Map<string, SweepCompletion>;
  /** Complete records seen again for a key that already had one. */
  duplicates: number;
  /** Error records replaced by a later complete record (or by a later error record). */
  superseded: number;
  /** Lines that were not valid records (formatted file:line: field: message). */
  badLines: string[];
}

/** Read completions.jsonl with the dedupe rules of the module comment. Missing file → empty. */
export async function readCompletions(path: string): Promise<StoreRead> {
  const out: StoreRead = { byKey: new Map(), duplicates: 0, superseded: 0, badLines: [] };
  if (!existsSync(path)) return out;
  for await (const item of readJsonl(path, SweepCompletion)) {
    if (item.error) {
      out.badLines.push(formatJsonlError(item.error));
      continue;
    }
    const r = item.value;
    const key = sampleKeyString(r.problem_id, r.sample_index);
    const prev = out.byKey.get(key);
    if (!prev) out.byKey.set(key, r);
    else if (isComplete(prev)) {
      if (isComplete(r)) out.duplicates++;
      else out.superseded++; // an error after a success (should not happen): keep the success
    } else {
      out.superseded++;
      out.byKey.set(key, r);
    }
  }
  return out;
}

/** Atomically rewrite the file with exactly these records (temp file, fsync, rename). */
export function compactCompletions(path: string, records: Iterable<SweepCompletion>): void {
  const tmp = `${path}.compact-${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    let buf = "";
    for (const r of records) {
      buf += JSON.stringify(r) + "\n";
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = "";
      }
    }
    if (buf) writeSync(fd, buf);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
