import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { escapeControl, formatSeconds, snippet, stripBom } from "../../src/schemas/text.js";
import { describeFileError, lineColumn, parseJsonText, readJsonFile, InputFileError } from "../../src/schemas/files.js";
import { formatJsonlError, readJsonlAll } from "../../src/schemas/jsonl.js";

test("escapeControl makes every terminal control sequence visible and leaves other text alone", () => {
  for (const [input, expected] of [
    ["\x1b]0;title\x07", "\\e]0;title\\x07"],
    ["a\nb\tc\r", "a\\nb\\tc\\r"],
    ["\x00\x7f\x9b", "\\x00\\x7f\\x9b"],
    ["abc\u202eevil", "abc\\u202eevil"], // right-to-left override (Trojan Source)
    ["\u2028", "\\u2028"],
    ["héllo · ✓ 18", "héllo · ✓ 18"],
    ["", ""],
  ]) assert.equal(escapeControl(input), expected, JSON.stringify(input));
});

test("snippet cuts long input after escaping and says how long it was", () => {
  assert.equal(snippet("short"), "short");
  const s = snippet("x".repeat(5000), 100);
  assert.ok(s.startsWith("x".repeat(100)));
  assert.match(s, /… \(5,000 characters in all\)$/);
  // A cut never leaves half an escape such as "\x1" behind.
  const esc = snippet("ab" + "\x1b".repeat(100), 5);
  assert.match(esc, /^ab\\e… /);
  assert.doesNotMatch(snippet("\x01".repeat(50), 7), /\\x0?…/);
});

test("stripBom drops only a leading byte-order mark", () => {
  assert.equal(stripBom("\uFEFF{}"), "{}");
  assert.equal(stripBom("{}\uFEFF"), "{}\uFEFF");
  assert.equal(stripBom(""), "");
});

test("readJsonl skips a BOM before line 1 from a file and from a stream; line numbers stay right", async () => {
  const Rec = z.object({ a: z.number() });
  const dir = mkdtempSync(join(tmpdir(), "rlvr-bom-"));
  const p = join(dir, "bom.jsonl");
  writeFileSync(p, "\uFEFF{\"a\":1}\n{\"a\":2}\n");
  for (const src of [p, Readable.from([Buffer.from("\uFEFF{\"a\":1}\n{\"a\":2}\n")])]) {
    const r = await readJsonlAll(src, Rec);
    assert.deepEqual(r.records, [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(r.lines, [1, 2]);
    assert.deepEqual(r.errors, []);
  }
});

test("formatJsonlError escapes the file, the field and the message", () => {
  const m = formatJsonlError({ file: "a\x1b.jsonl", line: 3, field: "x\x07", message: "got \x1b[31mred" });
  assert.equal(m, 'a\\e.jsonl:3: field "x\\x07": got \\e[31mred (fix or remove this record; the other lines are still processed)');
});

test("lineColumn and parseJsonText place a JSON syntax error by line and column", () => {
  assert.deepEqual(lineColumn("ab\ncd\nef", 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn("ab\ncd\nef", 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumn("ab\ncd\nef", 6), { line: 3, column: 1 });
  assert.throws(() => parseJsonText('{\n "a": 1\n "b": 2}', "c.json", { label: "--config" }), /--config c\.json: not valid JSON at line 3, column 2/);
  assert.throws(() => parseJsonText('{"a": [1, 2', "c.json", { label: "--config" }), (e: Error) => e instanceof InputFileError && !/position/.test(e.message));
  assert.throws(() => parseJsonText("  \n", "c.json", { label: "--config", expect: "an object" }), /c\.json: is empty \(it must hold an object\)/);
});

test("describeFileError names the label and says what to do for each fs error", () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  assert.match(describeFileError(e("ENOENT"), "x.jsonl", { label: "--in", fix: "omit --in" }).message, /^--in x\.jsonl: no such file .*; omit --in$/);
  assert.match(describeFileError(e("EACCES"), "x", { label: "--in" }).message, /permission denied/);
  assert.match(describeFileError(e("ENOTDIR"), "f/x", { label: "--in" }).message, /a part of the path is a file/);
  assert.throws(() => readJsonFile(tmpdir(), { label: "--config" }), /--config .*: is a directory, not a file/);
});

test("formatSeconds rounds durations for people", () => {
  assert.deepEqual([0.5612, 2.7703, 42.4, 231.2, Number.NaN].map(formatSeconds), ["0.56 s", "2.8 s", "42 s", "3 min 51 s", "n/a"]);
});
