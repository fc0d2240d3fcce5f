/**
 * JSONL in and out, with errors that name the file, the line and the field.
 *
 * Reading never drops a good line because of a bad one: the reader yields every line either as a parsed
 * value or as a `JsonlError`, and the caller decides what to do (the CLIs report errors on stderr, keep
 * going, and exit non-zero at the end). A last line without a trailing newline that fails to parse is
 * marked `truncated` — that is what a crashed writer leaves behind.
 */
import { createReadStream, openSync, writeSync, fsyncSync, closeSync, writeFileSync } from "node:fs";
import type { Readable } from "node:stream";
import type { z } from "zod";
import { escapeControl, snippet, stripBom } from "./text.js";

export interface JsonlError {
  file: string;
  /** 1-based line number. */
  line: number;
  /** Dotted path of the offending field, or "" when the line itself is not JSON. */
  field: string;
  message: string;
  /** True when this is an unterminated final line (a writer crashed mid-line). */
  truncated?: boolean;
}

export type JsonlItem<T> = { line: number; value: T; error?: undefined } | { line: number; error: JsonlError; value?: undefined };

/** `file:line: field "x": message (fix)`, with input quoted in the message escaped and cut (src/schemas/text.ts). */
export function formatJsonlError(e: JsonlError): string {
  const where = `${escapeControl(e.file)}:${e.line}`;
  const what = e.field === "" ? snippet(e.message) : `field "${snippet(e.field, 80)}": ${snippet(e.message)}`;
  const fix = e.truncated
    ? "the last line is incomplete (a crashed writer?); delete it or re-run the step that wrote the file"
    : e.field === ""
      ? "each line must be one complete JSON object"
      : "fix or remove this record; the other lines are still processed";
  return `${where}: ${what} (${fix})`;
}

/** Parse one JSONL line against a zod schema. Blank lines are the caller's business (skip them). */
export function parseJsonlLine<S extends z.ZodType>(
  text: string,
  schema: S,
  where: { file: string; line: number; last?: boolean },
): JsonlItem<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return {
      line: where.line,
      error: {
        file: where.file,
        line: where.line,
        field: "",
        message: `not valid JSON (${(err as Error).message})`,
        truncated: where.last === true,
      },
    };
  }
  const r = schema.safeParse(raw);
  if (r.success) return { line: where.line, value: r.data };
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  const extra = r.error.issues.length > 1 ? ` (+${r.error.issues.length - 1} more issue(s))` : "";
  return { line: where.line, error: { file: where.file, line: where.line, field, message: issue.message + extra } };
}

/**
 * Stream a JSONL file (or readable stream) line by line. Yields one item per non-blank line, in order.
 * Memory is bounded by the longest line. A UTF-8 byte-order mark before line 1 is skipped.
 */
export async function* readJsonl<S extends z.ZodType>(
  source: string | Readable,
  schema: S,
  options: { name?: string } = {},
): AsyncGenerator<JsonlItem<z.output<S>>> {
  const file = options.name ?? (typeof source === "string" ? source : "<stdin>");
  const stream = typeof source === "string" ? createReadStream(source, { encoding: "utf8" }) : source;
  if (typeof source !== "string") stream.setEncoding("utf8");
  let carry = "";
  let lineNo = 0;
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = first ? stripBom(chunk) : carry + chunk;
    first = false;
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf("\n", start)) !== -1) {
      lineNo++;
      let line = text.slice(start, nl);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      start = nl + 1;
      if (line.trim() === "") continue;
      yield parseJsonlLine(line, schema, { file, line: lineNo });
    }
    carry = text.slice(start);
  }
  if (carry.trim() !== "") {
    lineNo++;
    yield parseJsonlLine(carry, schema, { file, line: lineNo, last: true });
  }
}

/** Read a whole JSONL file: every good record and every error (nothing is dropped silently). */
export async function readJsonlAll<S extends z.ZodType>(
  source: string | Readable,
  schema: S,
  options: { name?: string } = {},
): Promise<{ records: z.output<S>[]; lines: number[]; errors: JsonlError[] }> {
  const records: z.output<S>[] = [];
  const lines: number[] = [];
  const errors: JsonlError[] = [];
  for await (const item of readJsonl(source, schema, options)) {
    if (item.error) errors.push(item.error);
    else {
      records.push(item.value);
      lines.push(item.line);
    }
  }
  return { records, lines, errors };
}

/** Write records as JSONL (overwrites). */
export function writeJsonl(path: string, records: Iterable<unknown>): void {
  let out = "";
  for (const r of records) out += JSON.stringify(r) + "\n";
  writeFileSync(path, out);
}

/**
 * Append-only JSONL writer with explicit durable batches: `write()` buffers, `flush()` appends the buffer
 * as whole lines and fsyncs. A crash loses at most the unflushed batch, and never leaves a half line that
 * a later `flush()` would glue onto (each flush writes complete lines only).
 */
export class JsonlAppender {
  private fd: number;
  private buf: string[] = [];
  constructor(readonly path: string) {
    this.fd = openSync(path, "a");
  }
  write(record: unknown): void {
    this.buf.push(JSON.stringify(record) + "\n");
  }
  get pending(): number {
    return this.buf.length;
  }
  flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(""));
    fsyncSync(this.fd);
    this.buf = [];
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
