/**
 * Text from input files and from models is untrusted: before it reaches a terminal it is escaped, so an
 * `ESC ]0;…BEL` sequence in a JSONL line cannot set the window title, recolour the screen or hide text, and
 * it is cut, so one 5 MB line does not flood the screen. Every error message that quotes input goes
 * through `snippet` (src/schemas/jsonl.ts's formatJsonlError does it for all JSONL readers).
 *
 * Also here: `stripBom`, because editors on Windows write a UTF-8 byte-order mark that JSON.parse rejects,
 * and `formatSeconds`, the one way durations are shown to people (logs, report).
 */

/** The UTF-8 byte-order mark as JavaScript sees it after decoding. */
export const BOM = "\uFEFF";

/** The text without a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e" };

// C0 controls, DEL, C1 controls, and the Unicode bidirectional overrides/isolates (which reorder what a
// terminal shows: "Trojan Source"), line/paragraph separators and the BOM/zero-width no-break space.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Control characters as visible escapes (`\e`, `\n`, `\x07`, `\u202e`); everything else unchanged. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Default length of a quoted snippet, in characters (after escaping). */
export const SNIPPET_MAX = 200;

/**
 * Input text made safe to print in a message: control characters escaped, then cut to `max` characters
 * with a note of how much was left out.
 */
export function snippet(text: string, max: number = SNIPPET_MAX): string {
  const cutInput = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const safe = escapeControl(cutInput);
  if (safe.length <= max && cutInput.length === text.length) return safe;
  const shown = safe.slice(0, max).replace(/\\(x[0-9a-f]?|u[0-9a-f]{0,3})?$/, "");
  return `${shown}… (${text.length.toLocaleString("en-US")} characters in all)`;
}

/** A duration for people: 0.56 s, 2.8 s, 42 s, 3 min 51 s. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "n/a";
  if (s < 1) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const r = Math.round(s);
  const m = Math.floor(r / 60);
  return `${m} min ${r - 60 * m} s`;
}
