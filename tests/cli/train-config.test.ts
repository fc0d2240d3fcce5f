/**
 * `rlvr train --config` through the installed bin: the TRL-parity knobs, LoRA and the SFT warm start are
 * accepted from a JSON file, run end to end, are recorded in summary.json, and the saved checkpoint is a
 * plain (merged) policy; bad LoRA fields get an error naming the field.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binSkip, rlvr } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "rlvr-train-config-"));
const small = { steps: 2, heldout: 3, trainProblems: 20, evalSamples: 1, passK: [1], resamples: 50, warmupSteps: 0, promptsPerStep: 2, groupSize: 4 };

test("rlvr train --config runs LoRA + SFT + filterZeroStd + sampler old log-probs + TRL-style scaling", { skip: binSkip }, async () => {
  const cfg = {
    ...small,
    lora: { rank: 2, targets: ["attn.qkv", "mlp.fc"] },
    sftSteps: 1,
    sftBatch: 4,
    filterZeroStd: true,
    maskTruncated: true,
    oldLogprobs: "sampler",
    stdKind: "sample",
    scaleRewards: "batch",
    entropyCoef: 0.01,
    entropyAggregation: "token_mean",
  };
  const p = join(dir, "c.json");
  writeFileSync(p, JSON.stringify(cfg));
  const out = join(dir, "run");
  const r = await rlvr(["train", "--config", p, "--out", out, "--no-report", "--json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.deepEqual(summary.config.lora, { rank: 2, targets: ["attn.qkv", "mlp.fc"] });
  assert.equal(summary.config.entropyAggregation, "token_mean");
  assert.equal(summary.config.scaleRewards, "batch");
  const ckpt = JSON.parse(readFileSync(join(out, "checkpoint", "config.json"), "utf8"));
  assert.equal(ckpt.lora, null, "adapters merged before saving");
  const traces = readFileSync(join(out, "trace.jsonl"), "utf8").trim().split("\n");
  assert.equal(traces.length, 2);
});

test("rlvr train --config names a bad lora field and how to fix it", { skip: binSkip }, async () => {
  for (const [lora, re] of [
    [{ rank: 0 }, /lora\.rank/],
    [{ rank: 2, targets: ["attn.q"] }, /lora\.targets/],
    [{ rank: 2, dropout: 0.1 }, /dropout/],
  ] as const) {
    const p = join(dir, "bad.json");
    writeFileSync(p, JSON.stringify({ lora }));
    const r = await rlvr(["train", "--config", p], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
  }
});
