// templateCheck(dir) / labelsTable: the notebook views of src/hf (findings as an escaped table, labels per position).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labelsTable, templateCheck } from "../../src/notebook/templateView.js";
import { loadModelTokenizer, qwen3TokenizerDir } from "../../src/hf/modelTokenizer.js";
import { RLVR_MIMEBUNDLE } from "../../src/notebook/mime.js";

const tmp = mkdtempSync(join(tmpdir(), "rlvr-tplview-"));
function variant(pad: string): string {
  const dir = join(tmp, "Qwen3-<b>-" + pad.length);
  mkdirSync(dir, { recursive: true });
  cpSync(join(qwen3TokenizerDir(), "tokenizer.json"), join(dir, "tokenizer.json"));
  const c = JSON.parse(readFileSync(join(qwen3TokenizerDir(), "tokenizer_config.json"), "utf8"));
  c.pad_token = pad;
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(c));
  return dir;
}

test("templateCheck on the real Qwen3 folder: no findings, shown as such", () => {
  const r = templateCheck(qwen3TokenizerDir());
  assert.deepEqual(r.findings, []);
  assert.equal(r.errors, 0);
  assert.match(String(r), /no findings/);
});

test("templateCheck names pad-is-eos as an error row of an HTML table, with the folder name escaped", () => {
  const r = templateCheck(variant("<|im_end|>"));
  assert.deepEqual(r.ids, ["pad-is-eos"]);
  assert.equal(r.errors, 1);
  const html = String(r[RLVR_MIMEBUNDLE]()["text/html"]);
  assert.match(html, /<table[\s\S]*<td>error<\/td><td>pad-is-eos<\/td>/);
  assert.ok(html.includes("Qwen3-&lt;b&gt;-10") && !html.includes("Qwen3-<b>"), "the folder name is escaped");
  assert.match(String(r), /error\s+pad-is-eos/);
});

test("templateCheck passes options through (model kind) and throws naming a missing tokenizer.json", () => {
  assert.deepEqual(templateCheck(qwen3TokenizerDir(), { modelKind: "base" }).ids, ["chat-template-on-base-model"]);
  assert.throws(() => templateCheck(join(tmp, "nothing")), /tokenizer\.json not found/);
});

test("labelsTable marks masked positions and refuses mismatched lengths", () => {
  const t = loadModelTokenizer(qwen3TokenizerDir());
  const ids = t.encode("a. b", { addSpecialTokens: false });
  const labels = ids.map((id) => (id === 13 ? -100 : id));
  const text = String(labelsTable(t, ids, labels));
  assert.match(text, /"\."\s+-100\s+✗ masked/);
  assert.equal(text.split("\n").length, 2 + ids.length);
  assert.match(String(labelsTable(t, ids, labels, { from: 1 })), /^t\s/);
  assert.throws(() => labelsTable(t, ids, labels.slice(1)), /one label a position/);
});
