/**
 * Trace importers: read a training trace written by any supported trainer and map its metric names onto the
 * project's vocabulary (src/schemas/metrics.ts) using `NAME_MAPS` (src/traces/formats.ts, with the trainer
 * source each name was read from). Unknown columns are kept under their own names.
 *
 * Formats (auto-detected, or forced with `format`):
 * - `rlvr`         — this project's trace.jsonl: one `{step, <metric>: value, …}` object a line.
 * - `trl`          — TRL `trainer_state.json` (`log_history`), or a TRL output/checkpoint directory.
 * - `verl`         — verl's file logger JSONL: `{"step": N, "data": {...}}` a line.
 * - `verl-console` — verl's console log `step:N - key:value - …` (Ray prefixes and ANSI colours allowed).
 * - `tinker`       — Tinker cookbook `metrics.jsonl`: flat `{"step": N, "env/all/…": …, "optim/…": …}` lines.
 *
 * Input that cannot be analysed (empty, no step, nothing any trainer writes) throws `TraceInputError`. Input
 * that can be analysed but is odd never loses good records and never passes silently: a truncated last line,
 * non-object lines, step-less records, gaps, non-numeric values (with their line), NaN/Infinity (kept per step
 * and metric in `nonFinite`), and steps logged again by a restarted run (`segments`) become warnings.
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TraceStep } from "../schemas/trace.js";
import { DEFINITION_NOTES, NAME_MAPS, STEP_BASE, deriveMetrics, isSummaryRecord, type TraceFormat } from "./formats.js";
import { NON_FINITE_MARK, parseTolerant } from "./tolerantJson.js";
import { TraceInputError, excerpt, safeText } from "./traceErrors.js";
import { looksLikeVerlConsole, parseVerlConsole } from "./verlConsole.js";

export { NAME_MAPS, type TraceFormat } from "./formats.js";

export interface TraceSegment {
  /** 1-based line (log_history index for TRL) of the segment's first and last record. */
  firstLine: number;
  lastLine: number;
  firstStep: number;
  lastStep: number;
  records: number;
}

export interface NonFiniteValue {
  step: number;
  metric: string;
  value: string;
  line: number;
}

export interface LoadedTrace {
  path: string;
  format: TraceFormat;
  steps: TraceStep[];
  warnings: string[];
  /** Columns kept under their original names (not in the vocabulary). */
  unknownColumns: string[];
  /** The step number of the first optimizer update in this format (TRL and verl: 1). */
  stepBase: number;
  /** Runs in file order; more than one when a restarted run appended to the same file. */
  segments: TraceSegment[];
  /** NaN / ±Infinity values, by step and (vocabulary) metric; read as missing in `steps`. */
  nonFinite: NonFiniteValue[];
  /** Where a mapped name's definition differs from the vocabulary's. */
  notes: string[];
}

type Raw = { line: number; value: Record<string, unknown> };

/** Decide the format from the first record. */
export function detectFormat(path: string, first: unknown): TraceFormat {
  const r = first as Record<string, unknown> | null;
  if (r && Array.isArray(r.log_history)) return "trl";
  if (r && typeof r.data === "object" && r.data !== null && "step" in r) return "verl";
  if (r && Object.keys(r).some((k) => k.startsWith("env/") || k.startsWith("optim/") || k.startsWith("progress/"))) return "tinker";
  if (/trainer_state\.json$/.test(path)) return "trl";
  return "rlvr";
}

/** A directory argument: the trainer file inside it, or an error that says what was looked for. */
export function resolveTracePath(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new TraceInputError(`${safeText(path)}: no such file or directory`);
  }
  if (!st.isDirectory()) return path;
  const names = readdirSync(path);
  if (names.includes("trainer_state.json")) return join(path, "trainer_state.json");
  const ckpts = names
    .map((n) => ({ n, k: /^checkpoint-(\d+)$/.exec(n) }))
    .filter((x) => x.k && safeStat(join(path, x.n, "trainer_state.json")))
    .sort((a, b) => Number(b.k![1]) - Number(a.k![1]));
  if (ckpts.length) return join(path, ckpts[0].n, "trainer_state.json");
  for (const n of ["trace.jsonl", "metrics.jsonl"]) if (names.includes(n)) return join(path, n);
  const jsonl = names.filter((n) => n.endsWith(".jsonl") && n !== "rollouts.jsonl");
  if (jsonl.length === 1) return join(path, jsonl[0]);
  throw new TraceInputError(
    `${safeText(path)} is a directory without a trace: looked for trainer_state.json or checkpoint-*/trainer_state.json (TRL), trace.jsonl (rlvr), ` +
      `metrics.jsonl (Tinker cookbook), or a single *.jsonl (verl file logger)` +
      (jsonl.length > 1 ? `; found ${jsonl.length} .jsonl files (${jsonl.slice(0, 4).map(safeText).join(", ")}…): pass the one you mean` : "; pass the trace file itself"),
  );
}

function safeStat(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The records of the file, in file order, and the format they are in. */
function readRecords(path: string, text: string, forced: TraceFormat | undefined, warnings: string[]): { format: TraceFormat; records: Raw[]; otherLines: number } {
  const firstLine = text.slice(0, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n")).trim();
  let firstIsObject = false;
  try {
    const v = parseTolerant(firstLine).value;
    // A one-line JSON document holding log_history is still a trainer_state.json, not a JSONL of one record.
    firstIsObject = !!v && typeof v === "object" && !Array.isArray(v) && !Array.isArray((v as { log_history?: unknown }).log_history);
  } catch {
    /* a multi-line document, or not JSON */
  }
  if ((forced === "trl" || !forced) && text.trimStart().startsWith("{") && !firstIsObject) {
    let doc: unknown;
    try {
      doc = parseTolerant(text, { mark: true }).value;
    } catch (err) {
      const msg = (err as Error).message;
      const at = errorOffset(text, msg);
      const line = at < 0 ? "" : `:${text.slice(0, at).split("\n").length}`;
      throw new TraceInputError(`${safeText(path)}${line}: not valid JSON (${safeText(msg)}); a TRL trainer_state.json is one JSON document`);
    }
    const lh = (doc as { log_history?: unknown }).log_history;
    if (!Array.isArray(lh)) throw new TraceInputError(`${safeText(path)}: a JSON document without "log_history" — not a TRL trainer_state.json`);
    return { format: "trl", records: lh.map((x, i) => ({ line: i + 1, value: (x ?? {}) as Record<string, unknown> })), otherLines: 0 };
  }
  if (forced === "verl-console" || (!forced && !firstIsObject && looksLikeVerlConsole(text))) {
    const c = parseVerlConsole(text);
    return { format: "verl-console", records: c.records, otherLines: c.other };
  }
  const records: Raw[] = [];
  const lines = text.split("\n");
  let bad = 0;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const p = parseTolerant(line, { mark: true });
      if (p.value && typeof p.value === "object" && !Array.isArray(p.value)) records.push({ line: i + 1, value: p.value as Record<string, unknown> });
      else {
        bad++;
        warnings.push(`${safeText(path)}:${i + 1}: not a JSON object; skipped`);
      }
    } catch (err) {
      const last = lines.slice(i + 1).every((l) => l.trim() === "");
      if (last && !text.endsWith("\n")) warnings.push(`${safeText(path)}:${i + 1}: truncated last line (a crashed writer?); skipped, every earlier line kept`);
      else if (++bad <= 5) warnings.push(`${safeText(path)}:${i + 1}: not valid JSON (${safeText((err as Error).message)}); skipped`);
    }
  });
  if (bad > 5) warnings.push(`${safeText(path)}: ${bad} unparseable lines in total (first 5 listed)`);
  return { format: forced ?? detectFormat(path, records[0]?.value ?? null), records, otherLines: bad };
}

/**
 * Where JSON.parse failed, from its message: "at position N" (V8 before Node 20) or, from Node 20 on, the
 * excerpt it quotes (`...""ward": }\n ]..." is not valid JSON`) searched for in the text. −1 when unknown.
 */
function errorOffset(text: string, msg: string): number {
  const pos = /position (\d+)/.exec(msg);
  if (pos) return Number(pos[1]);
  const q = /, (?:\.\.\.)?"([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(msg);
  if (!q) return -1;
  const excerptText = q[1].replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\r/g, "\r");
  const i = text.indexOf(excerptText);
  const tok = /Unexpected token '(.)'/.exec(msg)?.[1];
  return i < 0 ? -1 : tok && excerptText.includes(tok) ? i + excerptText.indexOf(tok) : i;
}

export function loadTrace(path: string, options: { format?: TraceFormat; vocabulary?: Iterable<string> } = {}): LoadedTrace {
  path = resolveTracePath(path);
  let text = readFileSync(path, "utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 BOM (Windows editors, PowerShell redirects)
  if (text.trim() === "") throw new TraceInputError(`${safeText(path)}: empty file — no training steps to analyse`);
  const warnings: string[] = [];
  const { format, records, otherLines } = readRecords(path, text, options.format, warnings);

  const vocab = new Set(options.vocabulary ?? []);
  const map = NAME_MAPS[format];
  const unknown = new Set<string>();
  const nonFinite: NonFiniteValue[] = [];
  const nonNumeric: string[] = [];
  const segments: (TraceSegment & { byStep: Map<number, Record<string, unknown>> })[] = [];
  let noStep = 0;
  let summaries = 0;
  for (const { line, value } of records) {
    const flat = format === "verl" && value.data && typeof value.data === "object" ? { ...(value.data as Record<string, unknown>), step: value.step } : value;
    if (isSummaryRecord(format, flat)) {
      summaries++;
      continue;
    }
    const stepRaw = flat.step ?? flat["progress/batch"];
    const step = typeof stepRaw === "number" ? stepRaw : typeof stepRaw === "string" && stepRaw.trim() !== "" ? Number(stepRaw) : Number.NaN;
    if (!Number.isInteger(step) || step < 0) {
      noStep++;
      continue;
    }
    const out: Record<string, unknown> = { step };
    for (const [k, v0] of Object.entries(flat)) {
      if (k === "step") continue;
      const name = map[k] ?? k;
      // A mapped name wins over a same-named raw column (e.g. TRL logs `entropy` and verl `actor/entropy`).
      if (name in out && !(k in map)) continue;
      let v = v0;
      if (typeof v === "string" && v.startsWith(NON_FINITE_MARK)) v = v.slice(NON_FINITE_MARK.length);
      if (typeof v === "string" && /^[+-]?(NaN|Infinity|inf|nan)$/i.test(v.trim()) && typeof v0 === "string") {
        nonFinite.push({ step, metric: name, value: v.trim(), line });
        v = null;
      } else if (v !== null && typeof v !== "number" && (vocab.has(name) || k in map)) {
        nonNumeric.push(`${safeText(path)}:${line}: ${excerpt(k)} = ${excerpt(JSON.stringify(v))} is not a number; read as missing`);
        v = null;
      }
      out[name] = v;
      if (!vocab.has(name)) unknown.add(name);
    }
    deriveMetrics(format, out);
    let seg = segments[segments.length - 1];
    const prev = seg?.byStep.get(step);
    // Bookkeeping keys every entry of a step repeats (TRL's epoch) do not make two entries the same record.
    const mergeable = seg && step === seg.lastStep && prev && Object.keys(out).every((k) => k === "step" || k === "epoch" || !(k in prev));
    if (mergeable) {
      Object.assign(prev!, out); // TRL train + eval entries of one step; verl validation logged beside training
      seg.lastLine = line;
      seg.records++;
      continue;
    }
    if (!seg || step <= seg.lastStep) {
      seg = { firstLine: line, lastLine: line, firstStep: step, lastStep: step, records: 0, byStep: new Map() };
      segments.push(seg);
    }
    seg.byStep.set(step, out);
    seg.lastStep = step;
    seg.lastLine = line;
    seg.records++;
  }
  warnings.push(...nonNumeric.slice(0, 5));
  if (nonNumeric.length > 5) warnings.push(`${safeText(path)}: ${nonNumeric.length} non-numeric metric values in total (first 5 listed)`);
  if (nonFinite.length) {
    const names = [...new Set(nonFinite.map((n) => n.metric))].slice(0, 5).map((m) => excerpt(m)).join(", ");
    warnings.push(`${safeText(path)}: ${nonFinite.length} NaN/Infinity value(s) (${names}; first at line ${nonFinite[0].line}, step ${nonFinite[0].step}) read as missing; their records are kept`);
  }
  if (noStep) warnings.push(`${safeText(path)}: ${noStep} record(s) without a usable step (summary or eval-only lines); not plotted`);

  const byStep = new Map<number, Record<string, unknown>>();
  for (const seg of segments) for (const [s, r] of seg.byStep) byStep.set(s, r);
  if (segments.length > 1) {
    const desc = segments.map((s, i) => `#${i + 1} steps ${s.firstStep}–${s.lastStep} (lines ${s.firstLine}–${s.lastLine})`).join(", ");
    warnings.push(`${safeText(path)}: the run restarts ${segments.length - 1} time(s) inside the file — ${desc}; for a step logged more than once the latest segment is analysed`);
  }
  const steps = [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number)) as TraceStep[];
  if (steps.length === 0) {
    const seen = `${records.length} record(s)` + (otherLines ? ` and ${otherLines} other line(s)` : "") + (summaries ? `, ${summaries} run summary` : "");
    throw new TraceInputError(
      `${safeText(path)}: no training steps found (read as ${format}: ${seen}, ${noStep} without a step). ` +
        `Expected TRL trainer_state.json, verl file-logger JSONL or console log, Tinker metrics.jsonl, or this project's trace.jsonl; force one with --format`,
    );
  }
  if (vocab.size && !steps.some((s) => Object.keys(s).some((k) => vocab.has(k)))) {
    const cols = [...unknown].slice(0, 8).map((m) => excerpt(m)).join(", ");
    throw new TraceInputError(
      `${safeText(path)}: format not recognised — ${steps.length} step(s), but none of the columns (${cols}${unknown.size > 8 ? ", …" : ""}) is a metric TRL, verl, Tinker or rlvr writes` +
        (options.format ? "" : "; if this is one of them, pass --format"),
    );
  }
  const gaps = missingSteps(steps.map((s) => s.step));
  if (gaps.count) warnings.push(`${safeText(path)}: ${gaps.count} step(s) missing inside [${steps[0].step}, ${steps[steps.length - 1].step}] (stride ${gaps.stride}), e.g. ${gaps.examples.join(", ")}`);
  const notes = Object.entries(DEFINITION_NOTES[format] ?? {})
    .filter(([name]) => steps.some((s) => name in s))
    .map(([name, note]) => `${name}: ${note}`);
  return {
    path,
    format,
    steps,
    warnings,
    unknownColumns: [...unknown].sort(),
    stepBase: STEP_BASE[format],
    segments: segments.map(({ byStep: _b, ...s }) => s),
    nonFinite,
    notes,
  };
}

/** Steps missing from an otherwise regular sequence (stride = the most common difference). */
export function missingSteps(steps: readonly number[]): { count: number; stride: number; examples: number[] } {
  if (steps.length < 3) return { count: 0, stride: 1, examples: [] };
  const diffs = new Map<number, number>();
  for (let i = 1; i < steps.length; i++) diffs.set(steps[i] - steps[i - 1], (diffs.get(steps[i] - steps[i - 1]) ?? 0) + 1);
  const stride = [...diffs.entries()].sort((a, b) => b[1] - a[1])[0][0];
  if (stride <= 0) return { count: 0, stride, examples: [] };
  const examples: number[] = [];
  let count = 0;
  for (let i = 1; i < steps.length; i++) {
    for (let s = steps[i - 1] + stride; s < steps[i]; s += stride) {
      count++;
      if (examples.length < 5) examples.push(s);
    }
  }
  return { count, stride, examples };
}

/** Is this file a rollouts JSONL (one completion a line) rather than a per-step trace? Reads the first 64 KiB only. */
export function looksLikeRollouts(path: string): boolean {
  let head = "";
  try {
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.alloc(1 << 16);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  const first = head.replace(/^\uFEFF/, "").split("\n")[0];
  try {
    const r = JSON.parse(first) as Record<string, unknown>;
    return !!r && typeof r === "object" && "completion" in r && "reward" in r && "step" in r;
  } catch {
    return false;
  }
}
