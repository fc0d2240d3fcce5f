/**
 * nbval-style check that a notebook's committed outputs are what executing it gives now, so the claims
 * a notebook makes cannot go stale (nbval, the pytest plugin, is the model: compare each cell's outputs
 * after execution, sanitise what is known to vary, let cells opt out).
 *
 * Rules, per code cell (paired by position; the sources must be the same):
 *   - a cell tagged `nondeterministic` (or nbval's own `nbval-ignore-output`) is not compared;
 *   - the output list must have the same length and output types, in order;
 *   - stream and text MIME data: the text between numbers must match exactly; each number must match
 *     within the tolerance (default: relative 1e-6 or absolute 1e-9; a cell sets its own with
 *     `metadata.rlvr.tolerance`, a relative tolerance);
 *   - JSON MIME data (e.g. `application/vnd.plotly.v1+json`: plots compared by spec) is compared as
 *     values, numbers within the tolerance, keys and strings exactly;
 *   - `execution_count` and output metadata are not compared.
 * Error outputs in the executed notebook are always a difference.
 */
import type { Notebook, NotebookCell } from "./parameters.js";

export interface CompareOptions {
  /** Relative tolerance for numbers (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance for numbers (default 1e-9). */
  atol?: number;
}

export interface OutputDifference {
  cell: number;
  /** Where in the cell: "outputs", "outputs[2].data.text/plain", … */
  where: string;
  message: string;
}

export const SKIP_TAGS = ["nondeterministic", "nbval-ignore-output", "nbval-skip"];

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

type Out = Record<string, any>;

function near(a: number, b: number, rtol: number, atol: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b);
  return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}

function short(s: string, at: number): string {
  return JSON.stringify(s.slice(Math.max(0, at - 40), at + 40));
}

/** null when the texts agree (numbers within tolerance), else what differs. */
export function compareText(expected: string, actual: string, rtol: number, atol: number): string | null {
  if (expected === actual) return null;
  const split = (s: string) => {
    const parts: { text: string; num: number | null; at: number }[] = [];
    let last = 0;
    for (const m of s.matchAll(NUMBER)) {
      parts.push({ text: s.slice(last, m.index), num: null, at: last });
      parts.push({ text: m[0], num: Number(m[0]), at: m.index! });
      last = m.index! + m[0].length;
    }
    parts.push({ text: s.slice(last), num: null, at: last });
    return parts;
  };
  const e = split(expected);
  const a = split(actual);
  if (e.length !== a.length) {
    let at = 0;
    while (at < expected.length && expected[at] === actual[at]) at++;
    return `text differs at character ${at}: expected ${short(expected, at)}, got ${short(actual, at)}`;
  }
  for (let i = 0; i < e.length; i++) {
    if (e[i].num === null) {
      if (e[i].text !== a[i].text) {
        let k = 0;
        while (k < e[i].text.length && e[i].text[k] === a[i].text[k]) k++;
        return `text differs at character ${e[i].at + k}: expected ${short(expected, e[i].at + k)}, got ${short(actual, a[i].at + k)}`;
      }
    } else if (!near(e[i].num!, a[i].num!, rtol, atol)) {
      return `number ${e[i].text} became ${a[i].text} near ${short(expected, e[i].at)}`;
    }
  }
  return null;
}

/** null when two JSON values agree (numbers within tolerance), else the path and what differs. */
export function compareJson(expected: unknown, actual: unknown, rtol: number, atol: number, path = ""): string | null {
  if (typeof expected === "number" && typeof actual === "number") {
    return near(expected, actual, rtol, atol) ? null : `${path || "value"}: ${expected} became ${actual}`;
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return `${path}: array vs non-array`;
    if (expected.length !== actual.length) return `${path}: length ${expected.length} became ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = compareJson(expected[i], actual[i], rtol, atol, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected && actual && typeof expected === "object" && typeof actual === "object") {
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(actual).sort();
    if (ek.join("\u0000") !== ak.join("\u0000")) return `${path || "object"}: keys ${JSON.stringify(ek)} became ${JSON.stringify(ak)}`;
    for (const k of ek) {
      const d = compareJson((expected as Out)[k], (actual as Out)[k], rtol, atol, `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  if (typeof expected === "string" && typeof actual === "string") {
    const d = compareText(expected, actual, rtol, atol);
    return d ? `${path}: ${d}` : null;
  }
  return Object.is(expected, actual) ? null : `${path}: ${JSON.stringify(expected)} became ${JSON.stringify(actual)}`;
}

const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

function compareOutput(e: Out, a: Out, rtol: number, atol: number): { where: string; message: string } | null {
  if (e.output_type !== a.output_type) return { where: "output_type", message: `${e.output_type} became ${a.output_type}` };
  if (e.output_type === "stream") {
    if (e.name !== a.name) return { where: "name", message: `stream ${e.name} became ${a.name}` };
    const d = compareText(text(e.text), text(a.text), rtol, atol);
    return d ? { where: "text", message: d } : null;
  }
  if (e.output_type === "error") return { where: "", message: `error output ${e.ename}: ${e.evalue}` };
  const ed = (e.data ?? {}) as Out;
  const ad = (a.data ?? {}) as Out;
  const mimes = Object.keys(ed).sort();
  if (mimes.join() !== Object.keys(ad).sort().join()) {
    return { where: "data", message: `MIME types ${mimes.join(", ")} became ${Object.keys(ad).sort().join(", ")}` };
  }
  for (const mime of mimes) {
    const d = /json$/.test(mime) ? compareJson(ed[mime], ad[mime], rtol, atol) : compareText(text(ed[mime]), text(ad[mime]), rtol, atol);
    if (d) return { where: `data.${mime}`, message: d };
  }
  return null;
}

function skipped(cell: NotebookCell): boolean {
  const tags = ((cell.metadata as Out | undefined)?.tags ?? []) as string[];
  return tags.some((t) => SKIP_TAGS.includes(t));
}

/** Every difference between the committed notebook and its fresh execution (empty: they agree). */
export function compareNotebooks(committed: Notebook, executed: Notebook, options: CompareOptions = {}): OutputDifference[] {
  const diffs: OutputDifference[] = [];
  if (committed.cells.length !== executed.cells.length) {
    return [{ cell: -1, where: "cells", message: `${committed.cells.length} cells became ${executed.cells.length}` }];
  }
  committed.cells.forEach((c, i) => {
    const x = executed.cells[i];
    if (c.cell_type !== "code") return;
    if (text(c.source) !== text(x.source)) {
      diffs.push({ cell: i, where: "source", message: "the cell's source differs from the committed one" });
      return;
    }
    const eo = (c.outputs ?? []) as Out[];
    const ao = (x.outputs ?? []) as Out[];
    for (const [j, o] of ao.entries()) {
      if (o.output_type === "error") diffs.push({ cell: i, where: `outputs[${j}]`, message: `error ${o.ename}: ${o.evalue}` });
    }
    if (skipped(c)) return;
    const rtol = Number((c.metadata as Out | undefined)?.rlvr?.tolerance ?? options.rtol ?? 1e-6);
    const atol = options.atol ?? 1e-9;
    if (eo.length !== ao.length || eo.some((o, j) => o.output_type !== ao[j].output_type)) {
      diffs.push({ cell: i, where: "outputs", message: `outputs [${eo.map((o) => o.output_type)}] became [${ao.map((o) => o.output_type)}]` });
      return;
    }
    for (let j = 0; j < eo.length; j++) {
      const d = compareOutput(eo[j], ao[j], rtol, atol);
      if (d) diffs.push({ cell: i, where: `outputs[${j}]${d.where ? "." + d.where : ""}`, message: d.message });
    }
  });
  return diffs;
}
