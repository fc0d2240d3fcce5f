/**
 * The exported tokenizer in transformers (AutoTokenizer on an `rlvr export --format hf` folder, through the bin
 * link): every character of the policy's alphabet round-trips with the policy's ids — the shipped ASCII
 * alphabet and a custom one with non-ASCII, CJK and emoji — and a character outside it becomes `<unk>` (one per
 * character), whose id the model refuses, as the policy refuses the character. Skips without the peers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";
import { repo, RLVR_BIN } from "../helpers/serveProcess.js";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";
import { CharTokenizer, DEFAULT_ALPHABET } from "../../src/policy/tokenizer.js";

const skip = peerSkip(["torch", "transformers"]);
const CUSTOM = DEFAULT_ALPHABET + "\téïü€£°中文😀";

function hf(dir: string, texts: string[]): any {
  const f = join(dir, "..", `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(texts));
  const r = spawnSync(PEER_PYTHON!, [join(repo, "tests", "peers", "hf_tokenizer.py"), dir, f], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("transformers' tokenizer of the export round-trips every character of the alphabet (ASCII and a custom non-ASCII one) and maps the others to <unk>, which the model refuses", { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), "rlvr-hftok-"));
  try {
    await initBackend();
    const m = new GPT({ alphabet: CUSTOM, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 }, 7);
    await m.save(join(tmp, "custom"));
    m.dispose();
    for (const [alphabet, ckpt] of [[DEFAULT_ALPHABET, join(repo, "data", "checkpoints", "base")], [CUSTOM, join(tmp, "custom")]] as const) {
      const out = join(tmp, `hf-${alphabet.length}`);
      const e = spawnSync(RLVR_BIN, ["export", "--format", "hf", ckpt, out], { cwd: repo, encoding: "utf8", timeout: 120_000 });
      assert.equal(e.status, 0, e.stderr);
      const ct = new CharTokenizer(alphabet);
      const chars = Array.from(alphabet);
      const texts = [...chars, chars.join(""), "naïve €5 中😀"];
      const r = hf(out, texts);
      assert.match(r.class, /^(PreTrainedTokenizerFast|TokenizersBackend)$/, "the fast (tokenizers) tokenizer; transformers 5 names it TokenizersBackend");
      assert.equal(r.unk_token, "<unk>");
      assert.equal(r.unk_id, ct.vocabSize);
      assert.equal(r.vocab_size, ct.vocabSize, "the model's vocabulary is the policy's; <unk> is one past it");
      assert.match(r.unk_forward, /^IndexError/);
      texts.slice(0, -1).forEach((t, k) => {
        assert.deepEqual(r.items[k].ids, ct.encodePrompt(t), `ids of ${JSON.stringify(t)}`);
        assert.equal(r.items[k].decoded, t);
        assert.equal(r.items[k].plain, t);
      });
      const mixed = r.items.at(-1);
      const want = [ct.bosId, ...Array.from("naïve €5 中😀").map((c) => (alphabet.includes(c) ? ct.encode(c)[0] : ct.vocabSize))];
      assert.deepEqual(mixed.ids, want, `mixed text with alphabet ${alphabet.length}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
