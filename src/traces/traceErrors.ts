/**
 * Input errors of trace analytics and how they are shown. A file that cannot be analysed (empty, no steps, a
 * format nobody writes, a missing rollouts file, DuckDB refusing it) is a `TraceInputError`: the CLI prints it
 * and exits 2, never "no findings". Text that comes from the file (keys, values, lines) passes `safeText`
 * first, so a control character in a trace cannot rewrite the user's terminal.
 */

export class TraceInputError extends Error {
  override name = "TraceInputError";
}

/** Escape C0/C1 control characters (and DEL) as \xNN / \uNNNN; everything printable stays as it is. */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** A short, escaped excerpt of foreign text for a message. */
export function excerpt(s: string, max = 60): string {
  const t = s.length > max ? `${s.slice(0, max)}…` : s;
  return safeText(t);
}

/**
 * Translate a DuckDB error over `path` into a message a user can act on: which file, which line (when DuckDB
 * says), what DuckDB said in its first sentence — never the SQL it ran.
 */
export function duckdbError(path: string, what: string, err: unknown): TraceInputError {
  const raw = String((err as Error)?.message ?? err);
  const first = raw.split("\n").find((l) => l.trim() !== "" && !/^\s*LINE \d+:/.test(l)) ?? raw;
  const line = /line (\d+)/i.exec(raw.replace(/LINE \d+:[^\n]*/g, ""))?.[1];
  const cleaned = first.replace(/^(IO|Invalid Input|Binder|Conversion|Parser) Error:\s*/, "").trim();
  let hint = "";
  if (/No files found|does not exist|cannot open/i.test(raw)) hint = " — the file does not exist or cannot be read; check the path";
  else if (/Malformed JSON|JSON/i.test(raw)) hint = " — not newline-delimited JSON (one rollout object a line)";
  return new TraceInputError(`${safeText(path)}${line ? `:${line}` : ""}: could not read ${what} (${safeText(cleaned)})${hint}`);
}
