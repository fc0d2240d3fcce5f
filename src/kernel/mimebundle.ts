/**
 * Rich display of a cell's last value (the `execute_result`).
 *
 * Convention (checked in this order; the first that yields a bundle wins):
 *   1. `value[Symbol.for("rlvr.mimebundle")]` — a MIME bundle object, or a function returning one;
 *   2. `value._repr_mimebundle_()` — IPython's method name, for objects ported from Python habits;
 *   3. the formatters registered on `globalThis[Symbol.for("rlvr.formatters")]` (src/notebook/mime.ts:
 *      Plotly figure specs render as plots, query rows as tables), first non-null bundle wins.
 * A MIME bundle maps MIME types to data, e.g. `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`;
 * keys that are not `type/subtype` are dropped, `Uint8Array` data is base64-encoded, and JSON MIME
 * types (`application/json`, `application/vnd.*+json`) keep their object value. `text/plain` is always
 * present: from the bundle if it has one, else `util.inspect(value)`.
 * The symbol is global (`Symbol.for`), so a library can implement it without importing this module.
 */
import { inspect } from "node:util";

export const MIMEBUNDLE: unique symbol = Symbol.for("rlvr.mimebundle");

export type MimeBundle = Record<string, unknown>;

export interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

const MIME_KEY = /^[\w\-+.]+\/[\w\-+.]+$/;

/** `util.inspect` with notebook-friendly limits (deep enough to read, short enough to scroll). */
export function plainText(value: unknown): string {
  return inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}

function bundleFrom(value: unknown): MimeBundle | null {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return null;
  const v = value as Record<string | symbol, unknown>;
  let raw: unknown = v[MIMEBUNDLE];
  if (typeof raw === "function") raw = (raw as () => unknown).call(value);
  if ((raw === undefined || raw === null) && typeof v._repr_mimebundle_ === "function") {
    raw = (v._repr_mimebundle_ as () => unknown).call(value);
  }
  if (raw === undefined || raw === null || typeof raw !== "object") {
    const formatters = (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("rlvr.formatters")];
    for (const f of Array.isArray(formatters) ? formatters : []) {
      const b = typeof f === "function" ? (f as (v: unknown) => unknown)(value) : null;
      if (b && typeof b === "object") return b as MimeBundle;
    }
    return null;
  }
  return raw as MimeBundle;
}

/** Normalize one MIME entry for JSON transport. */
function encodeEntry(mime: string, data: unknown): unknown {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
  if (/json$/.test(mime)) return data;
  return typeof data === "string" ? data : String(data);
}

/** Clean a bundle: keep valid MIME keys, encode binary data. */
export function normalizeBundle(bundle: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, data] of Object.entries(bundle)) {
    if (!MIME_KEY.test(mime) || data === undefined) continue;
    out[mime] = encodeEntry(mime, data);
  }
  return out;
}

/**
 * The display content of a value: its rich bundle (if it follows the convention) plus `text/plain`.
 * A bundle method that throws falls back to plain text and reports the failure in `metadata`.
 */
export function toDisplayContent(value: unknown): DisplayContent {
  let data: MimeBundle = {};
  const metadata: Record<string, unknown> = {};
  try {
    const b = bundleFrom(value);
    if (b) data = normalizeBundle(b);
  } catch (err) {
    metadata["rlvr/bundle_error"] = String((err as Error)?.message ?? err);
  }
  if (typeof data["text/plain"] !== "string") data["text/plain"] = plainText(value);
  return { data, metadata };
}
