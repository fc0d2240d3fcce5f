/**
 * The exported HF tokenizer (`rlvr export --format hf`, src/hf/charTokenizer.ts) read back in TypeScript with
 * @lenml/tokenizers (loadModelTokenizer): every character the policy's CharTokenizer knows round-trips — the
 * shipped ASCII alphabet and a custom one with non-ASCII, CJK, astral (emoji) and tab characters — with the
 * policy's ids; a character outside the alphabet encodes to `<unk>` (id V, which the policy refuses like the
 * character itself) instead of vanishing; export → import keeps the alphabet and the weights.
 * tests/peers/hfTokenizer.test.ts checks the same folder in transformers.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";
import { CharTokenizer, DEFAULT_ALPHABET } from "../../src/policy/tokenizer.js";
import { exportHF, importHF } from "../../src/hf/gpt2.js";
import { loadModelTokenizer } from "../../src/hf/modelTokenizer.js";
import { repo } from "../helpers/serveProcess.js";

export const CUSTOM_ALPHABET = DEFAULT_ALPHABET + "\téïü€£°中文😀";
const tmp = mkdtempSync(join(tmpdir(), "rlvr-chartok-"));
const baseExport = join(tmp, "base-hf");
const customCkpt = join(tmp, "custom");
const customExport = join(tmp, "custom-hf");

before(async () => {
  await initBackend();
  await exportHF(join(repo, "data", "checkpoints", "base"), baseExport);
  const m = new GPT({ alphabet: CUSTOM_ALPHABET, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 }, 7);
  await m.save(customCkpt);
  m.dispose();
  await exportHF(customCkpt, customExport);
});

for (const [name, alphabet, dir] of [["the shipped ASCII alphabet", DEFAULT_ALPHABET, () => baseExport], ["a custom alphabet with non-ASCII, CJK, emoji and tab", CUSTOM_ALPHABET, () => customExport]] as const) {
  test(`${name}: every character round-trips through the exported tokenizer with the policy's ids`, () => {
    const t = loadModelTokenizer(dir());
    const ct = new CharTokenizer(alphabet);
    for (const c of Array.from(alphabet)) {
      assert.deepEqual(t.encode(c), ct.encodePrompt(c), `character ${JSON.stringify(c)}`);
      assert.equal(t.decode(t.encode(c), { skipSpecialTokens: true }), c);
    }
    const all = Array.from(alphabet).reverse().join("") + alphabet;
    assert.deepEqual(t.encode(all), ct.encodePrompt(all));
    assert.equal(t.decode(t.encode(all, { addSpecialTokens: false })), all);
  });
}

test("a character outside the alphabet encodes to <unk> (id V, one a character), which the policy refuses like the character", () => {
  const t = loadModelTokenizer(baseExport);
  const V = new CharTokenizer(DEFAULT_ALPHABET).vocabSize;
  assert.equal(t.unkToken, "<unk>");
  assert.equal(t.idOf("<unk>"), V);
  const ct = new CharTokenizer(DEFAULT_ALPHABET);
  assert.deepEqual(t.encode("naïve €5"), [ct.bosId, ...ct.encode("na"), V, ...ct.encode("ve "), V, ...ct.encode("5")]);
  assert.equal(t.decode(t.encode("naïve"), { skipSpecialTokens: true }), "nave");
  assert.throws(() => ct.encode("naïve"), /character "ï" is not in the alphabet/);
  const cfg = JSON.parse(readFileSync(join(baseExport, "config.json"), "utf8"));
  assert.equal(cfg.vocab_size, V, "the model's vocabulary is unchanged: <unk> is one past it");
  // the custom alphabet knows ï: no <unk> there
  assert.ok(!loadModelTokenizer(customExport).encode("naïve €5").includes(Array.from(CUSTOM_ALPHABET).length + 3));
});

test("export → import of the custom alphabet gives back the alphabet and the weights byte for byte", async () => {
  const back = join(tmp, "custom-back");
  await importHF(customExport, back);
  assert.equal(JSON.parse(readFileSync(join(back, "tokenizer.json"), "utf8")).alphabet, CUSTOM_ALPHABET);
  assert.deepEqual(readFileSync(join(back, "weights.bin")), readFileSync(join(customCkpt, "weights.bin")));
});
