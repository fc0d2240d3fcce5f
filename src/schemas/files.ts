/**
 * Opening the files a user names on the command line, with errors a user can act on.
 *
 * Node's own messages (`EISDIR: illegal operation on a directory, read`, `Unexpected end of JSON input`,
 * `ENOENT … open 'x'`) name neither the flag nor the fix. Here every failure is an `InputFileError` whose
 * message says which flag (or argument) named the file, what is wrong with it and what to do:
 *
 *   --config runs/: is a directory, not a file (give a file inside it, e.g. runs/c.json)
 *   --config c.json: is empty (it must hold one JSON object)
 *   --config c.json: not valid JSON at line 3, column 9: Expected ',' or '}' after property value
 *
 * A leading UTF-8 byte-order mark is accepted. Paths and quoted input are escaped (src/schemas/text.ts).
 */
import { closeSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { escapeControl, snippet, stripBom } from "./text.js";

export class InputFileError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** `label` names where the path came from: "--config", "--in", "notebook". */
export interface FileLabel {
  label: string;
  /** What the file should be, for messages: "a verdict JSONL file". */
  expect?: string;
  /** File extensions to suggest when the path is a directory, e.g. [".jsonl"]. */
  suggest?: string[];
  /** What to do instead, appended to "no such file": "omit --in to read stdin". */
  fix?: string;
}

function filesIn(dir: string, exts: string[] | undefined): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => !exts || exts.includes(extname(f)))
      .sort()
      .slice(0, 3);
  } catch {
    return [];
  }
}

/** Node's fs error → a sentence with the label, the path and the fix. */
export function describeFileError(err: unknown, path: string, o: FileLabel): InputFileError {
  const e = err as NodeJS.ErrnoException;
  const p = `${o.label} ${escapeControl(path)}`;
  const want = o.expect ?? "a file";
  switch (e.code) {
    case "ENOENT":
      return new InputFileError(
        `${p}: no such file (check the path; it is relative to ${escapeControl(process.cwd())})${o.fix ? `; ${o.fix}` : ""}`,
        "ENOENT",
      );
    case "EISDIR": {
      const inside = filesIn(path, o.suggest).map((f) => join(path, f));
      const hint = inside.length ? `, e.g. ${inside.map((f) => escapeControl(f)).join(" or ")}` : "";
      return new InputFileError(`${p}: is a directory, not a file (give ${want} inside it${hint})${o.fix ? `; ${o.fix}` : ""}`, "EISDIR");
    }
    case "EACCES":
    case "EPERM":
      return new InputFileError(`${p}: permission denied (check its permissions with ls -l, or copy it somewhere readable)`, e.code);
    case "ENOTDIR":
      return new InputFileError(`${p}: a part of the path is a file, not a folder (check the path)`, "ENOTDIR");
    default:
      return new InputFileError(`${p}: cannot read it (${snippet(e.message ?? String(err))})`, e.code ?? "EIO");
  }
}

/**
 * Check that `path` names a readable regular file, before a stream is opened on it (a stream's EISDIR
 * arrives later, as an uncaught error without a name).
 */
export function checkInputFile(path: string, o: FileLabel): void {
  let isFile: boolean;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    isFile = st.isFile() || st.isFIFO() || st.isCharacterDevice();
    readFileSyncProbe(path);
  } catch (err) {
    throw describeFileError(err, path, o);
  }
  if (!isFile) throw new InputFileError(`${o.label} ${escapeControl(path)}: not a regular file (give ${o.expect ?? "a file"})`, "ENOTFILE");
}

// Opening for read catches EACCES, which stat does not (only regular files: opening a FIFO would block).
function readFileSyncProbe(path: string): void {
  if (statSync(path).isFile()) closeSync(openSync(path, "r"));
}

/** Read a UTF-8 text file whole (BOM dropped), translating fs errors. */
export function readTextFile(path: string, o: FileLabel): string {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw describeFileError(err, path, o);
  }
  return stripBom(text);
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** JSON.parse with a message that names the file, the line and the column. */
export function parseJsonText(text: string, path: string, o: FileLabel): unknown {
  const p = `${o.label} ${escapeControl(path)}`;
  if (text.trim() === "") throw new InputFileError(`${p}: is empty (it must hold ${o.expect ?? "JSON"})${o.fix ? `; ${o.fix}` : ""}`, "EMPTY");
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const at = /at position (\d+)/.exec(msg);
    const lc = /\(line (\d+) column (\d+)\)/.exec(msg);
    const where = lc
      ? `line ${lc[1]}, column ${lc[2]}`
      : at
        ? (({ line, column }) => `line ${line}, column ${column}`)(lineColumn(text, Number(at[1])))
        : /Unexpected end of JSON input/.test(msg)
          ? "the end (the file stops in the middle of a value; was it cut off?)"
          : "";
    const reason = msg.replace(/\s*(in JSON )?at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new InputFileError(`${p}: not valid JSON${where ? ` at ${where}` : ""}: ${snippet(reason)}`, "EJSON");
  }
}

/** readTextFile + parseJsonText. */
export function readJsonFile(path: string, o: FileLabel): unknown {
  return parseJsonText(readTextFile(path, o), path, o);
}
