import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { readJsonlAll, formatJsonlError, JsonlAppender, VerifyRecord, Verdict } from "../../src/schemas/index.js";

const dir = mkdtempSync(join(tmpdir(), "rlvr-jsonl-"));

test("readJsonlAll keeps every good line and names file, line and field of each bad one", async () => {
  const f = join(dir, "mixed.jsonl");
  writeFileSync(
    f,
    [
      `{"id": 1, "gold": "18", "completion": "... #### 18"}`,
      `{"id": 2, "gold": 5}`,
      ``,
      `not json`,
      `{"id": "c", "gold": "3", "completion": "3"}`,
    ].join("\n") + "\n",
  );
  const { records, lines, errors } = await readJsonlAll(f, VerifyRecord);
  assert.deepEqual(records.map((r) => r.id), [1, "c"]);
  assert.deepEqual(lines, [1, 5]);
  assert.equal(records[0].gold, "18");
  assert.equal(errors.length, 2);
  assert.equal(errors[0].line, 2);
  assert.equal(errors[0].field, "completion");
  assert.equal(errors[1].line, 4);
  assert.equal(errors[1].field, "");
  const msg = formatJsonlError(errors[0]);
  assert.match(msg, /mixed\.jsonl:2: field "completion"/);
});

test("an unterminated last line that fails to parse is reported as truncated", async () => {
  const src = Readable.from([`{"id":1,"gold":"1","completion":"1"}\n{"id":2,"go`]);
  const { records, errors } = await readJsonlAll(src, VerifyRecord, { name: "crash.jsonl" });
  assert.equal(records.length, 1);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].truncated, true);
  assert.match(formatJsonlError(errors[0]), /crash\.jsonl:2: .*incomplete/);
});

test("lines split across stream chunks and CRLF endings parse", async () => {
  const src = Readable.from([`{"id":1,"gold":"1",`, `"completion":"a"}\r\n{"id":2,`, `"gold":"2","completion":"b"}\r\n`]);
  const { records, errors } = await readJsonlAll(src, VerifyRecord);
  assert.equal(errors.length, 0);
  assert.deepEqual(records.map((r) => r.completion), ["a", "b"]);
});

test("JsonlAppender writes whole lines only on flush", () => {
  const f = join(dir, "append.jsonl");
  const w = new JsonlAppender(f);
  w.write({ a: 1 });
  w.write({ a: 2 });
  assert.equal(w.pending, 2);
  w.flush();
  w.write({ a: 3 });
  assert.equal(readFileSync(f, "utf8"), `{"a":1}\n{"a":2}\n`);
  w.close();
  assert.equal(readFileSync(f, "utf8").split("\n").filter(Boolean).length, 3);
});

test("Verdict schema rejects a score outside [0, 1] and an unknown status", () => {
  const base = { status: "correct", score: 1, extracted: "1", span: [0, 1], normalizedGold: "1", normalizedPred: "1", rule: "x", ms: 0 };
  assert.equal(Verdict.safeParse(base).success, true);
  assert.equal(Verdict.safeParse({ ...base, score: 2 }).success, false);
  assert.equal(Verdict.safeParse({ ...base, status: "maybe" }).success, false);
});
