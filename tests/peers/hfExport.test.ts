/**
 * `rlvr export --format hf` → transformers: GPT2LMHeadModel loads the folder and its logits equal the tfjs
 * policy's (max abs diff ≤ 1e-4), its greedy generation equals ours, its tokenizer gives our ids; and
 * `rlvr import` reads the folder back to the same weights. Through the bin link; skips without the peers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";
import { repo, RLVR_BIN } from "../helpers/serveProcess.js";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";

const BASE = join(repo, "data", "checkpoints", "base");
const PROMPTS = ["Tom has 7 apples and buys 4 more. How many apples now?\n", "12+7=", "Mia has 6 cards and gives away 2. How many cards are left?\n6-2=4\n#### 4"];

function rlvr(args: string[]) {
  return spawnSync(RLVR_BIN, args, { cwd: repo, encoding: "utf8", timeout: 120_000 });
}

test("rlvr export then rlvr import gives back the same weights byte for byte", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rlvr-hf-"));
  try {
    const e = rlvr(["export", "--format", "hf", BASE, join(dir, "hf")]);
    assert.equal(e.status, 0, e.stderr);
    assert.match(e.stdout, /model\.safetensors/);
    const again = rlvr(["export", "--format", "hf", BASE, join(dir, "hf")]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /not empty/);
    const i = rlvr(["import", join(dir, "hf"), join(dir, "back")]);
    assert.equal(i.status, 0, i.stderr);
    assert.deepEqual(readFileSync(join(dir, "back", "weights.bin")), readFileSync(join(BASE, "weights.bin")));
    const bad = rlvr(["import", BASE, join(dir, "x")]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /model_type/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const skip = peerSkip(["torch", "transformers"]);

test("transformers' GPT2LMHeadModel on the exported folder: same token ids, logits within 1e-4 of tfjs, same greedy text, chat template renders", { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "rlvr-hf-"));
  try {
    assert.equal(rlvr(["export", "--format", "hf", BASE, dir]).status, 0);
    const r = spawnSync(PEER_PYTHON!, [join(repo, "tests", "peers", "hf_logits.py"), dir, ...PROMPTS], { encoding: "utf8", timeout: 300_000, maxBuffer: 64 * 2 ** 20 });
    assert.equal(r.status, 0, r.stderr);
    const hf = JSON.parse(r.stdout);
    assert.equal(hf.class, "GPT2LMHeadModel");
    await initBackend();
    const model = await GPT.load(BASE);
    let maxDiff = 0;
    PROMPTS.forEach((p, k) => {
      const ids = model.tokenizer.encodePrompt(p);
      assert.deepEqual(hf.ids[k], ids, "the HF tokenizer encodes as CharTokenizer.encodePrompt");
      const logits = model.forward(tf.tensor2d([ids], [1, ids.length], "int32"));
      const ours = logits.arraySync()[0];
      logits.dispose();
      ours.forEach((row, t) => row.forEach((x, v) => (maxDiff = Math.max(maxDiff, Math.abs(x - hf.logits[k][t][v])))));
      const greedy = model.sample([ids], { maxTokens: 30, temperature: 0, seed: 0 })[0];
      assert.equal(hf.greedy[k], greedy.text, `greedy continuation of prompt ${k}`);
    });
    console.log(`max |logit(tfjs) − logit(transformers)| = ${maxDiff.toExponential(2)} over ${PROMPTS.length} prompts`);
    assert.ok(maxDiff <= 1e-4, `max abs logit diff ${maxDiff}`);
    assert.equal(hf.chat, `<bos>${PROMPTS[0]}`);
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
