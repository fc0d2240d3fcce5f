/**
 * SFT pretraining of the base policy (data/checkpoints/base/) on generated arithmetic problems with worked
 * solutions, stopped EARLY on purpose: the base model should already solve some held-out problems
 * (pass@1 at temperature 1 roughly 20–50%) and leave room for GRPO to lift it.
 *
 *   npx tsx scripts/pretrain.ts [--out data/checkpoints/base] [--target 0.35] [--max-steps 3000] …
 *   npx tsx scripts/pretrain.ts --eval-only data/checkpoints/base     # re-measure validation pass@1 only
 *
 * --slip-rate p pretrains on an imperfect corpus: a fraction p of the worked solutions carry one arithmetic
 * slip (src/tasks/arith.ts arithSlipSolution), like worked solutions scraped from the web. The base then
 * "knows" answers it does not reliably say — the situation where RL with a verifier gives large lifts.
 *
 * Loop: Adam on the masked next-token loss (src/policy/sft.ts), batches of fresh TRAIN-split problems only
 * (src/tasks/arithSplit.ts: no validation or test arithmetic is ever pretrained on); every --eval-every
 * steps, pass@1 (T = 1) on --n-dev validation problems; stop once it reaches --target (or at --max-steps /
 * --max-minutes). Then save, and measure pass@1 on --n-eval problems of --eval-split (validation by
 * default: the base's recipe is chosen there, never on test) with a Wilson 95% CI; the figures go to
 * <out>/pretrain.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/policy/backend.js";
import { GPT } from "../src/policy/gpt.js";
import { sftStep } from "../src/policy/sft.js";
import { arithPrompt, arithSlipSolution, generateArithProblems, type ArithOp } from "../src/tasks/arith.js";
import { createRng, hashSeed } from "../src/stats/rng.js";
import { evaluateArith } from "../src/tasks/evalArith.js";
import { SPLIT_VERSION } from "../src/tasks/arithSplit.js";

const { values: a } = parseArgs({
  options: {
    out: { type: "string", default: "data/checkpoints/base" },
    seed: { type: "string", default: "0" },
    layers: { type: "string", default: "1" },
    heads: { type: "string", default: "4" },
    embd: { type: "string", default: "64" },
    block: { type: "string", default: "96" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "0.003" },
    warmup: { type: "string", default: "30" },
    "max-steps": { type: "string", default: "3000" },
    "max-minutes": { type: "string", default: "30" },
    "eval-every": { type: "string", default: "25" },
    target: { type: "string", default: "0.35" },
    /** Fraction of pretraining solutions with one arithmetic slip (src/tasks/arith.ts arithSlipSolution); 0 = clean corpus. */
    "slip-rate": { type: "string", default: "0" },
    /** Also save <out>/step-N/ every this many steps (0 = only the final checkpoint). */
    "save-every": { type: "string", default: "0" },
    "n-dev": { type: "string", default: "128" },
    /** Problems of --eval-split measured at the end (≤ the split's distinct arithmetic facts). */
    "n-eval": { type: "string", default: "200" },
    "eval-split": { type: "string", default: "validation" },
    backend: { type: "string" },
    /** Only measure --eval-split pass@1 of an existing checkpoint folder (no training, nothing written). */
    "eval-only": { type: "string" },
  },
});
const num = (k: keyof typeof a) => Number(a[k]);
for (const k of ["seed", "layers", "heads", "embd", "block", "batch", "lr", "max-steps", "eval-every", "target", "n-dev", "n-eval", "slip-rate", "save-every"] as const) {
  if (!Number.isFinite(num(k))) throw new Error(`--${k} must be a number, got ${a[k]}`);
}

const evalSplit = a["eval-split"];
if (evalSplit !== "validation" && evalSplit !== "test") throw new Error(`--eval-split must be validation or test, got ${evalSplit}`);

const t0 = Date.now();
const info = await initBackend(a.backend ? { backend: a.backend as "wasm" | "cpu" } : {});
console.log(`backend ${info.backend}`);
if (a["eval-only"]) {
  const m = await GPT.load(a["eval-only"]);
  const held = generateArithProblems({ seed: num("seed") + 7, n: num("n-eval"), split: evalSplit });
  for (const [label, temperature, s] of [["T=1", 1, 12345], ["greedy", 0, 0]] as const) {
    const e = evaluateArith(m, held, { temperature, seed: s });
    console.log(`${label}: ${evalSplit} pass@1 ${e.passAt1.toFixed(3)} (${e.correct}/${e.n}) CI95 [${e.ci95.map((x) => x.toFixed(3)).join(", ")}] strict ${e.strictRate.toFixed(3)} byLevel ${JSON.stringify(Object.fromEntries(Object.entries(e.byLevel).map(([k, v]) => [k, v.passAt1.toFixed(3)])))}`);
  }
  process.exit(0);
}
const seed = num("seed");
const model = new GPT({ nLayer: num("layers"), nHead: num("heads"), nEmbd: num("embd"), blockSize: num("block") }, seed);
const tok = model.tokenizer;
console.log(`params ${model.numParams()} config ${JSON.stringify({ ...model.config, alphabet: undefined })}`);

const batch = num("batch");
const maxSteps = num("max-steps");
const train = generateArithProblems({ seed, n: batch * Math.min(maxSteps, 2000), split: "train" });
const dev = generateArithProblems({ seed: seed + 1, n: num("n-dev"), split: "validation" });
const heldout = generateArithProblems({ seed: seed + 7, n: num("n-eval"), split: evalSplit });
const slipRate = num("slip-rate");
if (slipRate < 0 || slipRate > 1) throw new Error(`--slip-rate must be in [0, 1], got ${slipRate}`);
/** The corpus text of example i of step s: the worked solution, or with probability --slip-rate a slipped one. */
function corpusSolution(p: (typeof train)[number], s: number, i: number): string {
  if (slipRate === 0) return p.metadata!.solution as string;
  const rng = createRng(hashSeed(seed, "slip", s, i));
  if (rng() >= slipRate) return p.metadata!.solution as string;
  return arithSlipSolution(p.metadata!.op as ArithOp, p.metadata!.operands as number[], rng).solution;
}
const opt = tf.train.adam(num("lr"), 0.9, 0.99);
const history: { step: number; loss: number; devPassAt1?: number; seconds: number }[] = [];
let step = 0;
let lossEma = NaN;
let devPass = 0;
for (; step < maxSteps; step++) {
  const chunk = Array.from({ length: batch }, (_, i) => train[(step * batch + i) % train.length]);
  const prompts = chunk.map((p) => tok.encodePrompt(arithPrompt(p)));
  const sequences = chunk.map((p, i) => [...prompts[i], ...tok.encode(corpusSolution(p, step, i)), tok.eosId]);
  (opt as unknown as { learningRate: number }).learningRate = num("lr") * Math.min(1, (step + 1) / num("warmup"));
  const loss = sftStep(model, opt, { sequences, promptLens: prompts.map((p) => p.length) });
  lossEma = Number.isNaN(lossEma) ? loss : 0.9 * lossEma + 0.1 * loss;
  const seconds = (Date.now() - t0) / 1000;
  if ((step + 1) % num("eval-every") === 0) {
    devPass = evaluateArith(model, dev, { temperature: 1, seed: step }).passAt1;
    history.push({ step: step + 1, loss: lossEma, devPassAt1: devPass, seconds });
    console.log(`step ${step + 1} loss ${lossEma.toFixed(3)} dev pass@1 ${devPass.toFixed(3)} ${seconds.toFixed(0)}s`);
    if (devPass >= num("target")) {
      step++;
      break;
    }
  } else if ((step + 1) % 10 === 0) {
    history.push({ step: step + 1, loss: lossEma, seconds });
    console.log(`step ${step + 1} loss ${lossEma.toFixed(3)} ${seconds.toFixed(0)}s`);
  }
  if (num("save-every") > 0 && (step + 1) % num("save-every") === 0) await model.save(join(a.out!, `step-${step + 1}`));
  if (seconds > 60 * num("max-minutes")) {
    step++;
    break;
  }
}
const trainSeconds = (Date.now() - t0) / 1000;
mkdirSync(a.out!, { recursive: true });
await model.save(a.out!);

const ev = evaluateArith(model, heldout, { temperature: 1, seed: 12345 });
const greedy = evaluateArith(model, heldout, { temperature: 0, seed: 0 });
const summary = {
  command: `npx tsx scripts/pretrain.ts ${process.argv.slice(2).join(" ")}`.trim(),
  backend: info.backend,
  params: model.numParams(),
  /** The corpus: train-split arithmetic only, of this split definition (tests/tasks/arith-split.test.ts checks it). */
  corpus: { split: "train", splitVersion: SPLIT_VERSION, slipRate },
  steps: step,
  batch,
  trainSeconds,
  finalLossEma: lossEma,
  devPassAt1: devPass,
  [evalSplit]: {
    n: ev.n,
    temperature1: { passAt1: ev.passAt1, correct: ev.correct, ci95: ev.ci95, strictRate: ev.strictRate, byLevel: ev.byLevel },
    greedy: { passAt1: greedy.passAt1, correct: greedy.correct, ci95: greedy.ci95, strictRate: greedy.strictRate, byLevel: greedy.byLevel },
  },
  examples: ev.samples.slice(0, 5),
  history,
};
writeFileSync(join(a.out!, "pretrain.json"), JSON.stringify(summary, null, 1) + "\n");
console.log(
  `saved ${a.out} after ${step} steps (${trainSeconds.toFixed(0)}s); ${evalSplit} pass@1 (T=1) ${ev.passAt1.toFixed(3)} ` +
    `[${ev.ci95.map((x) => x.toFixed(3)).join(", ")}] n=${ev.n}; greedy ${greedy.passAt1.toFixed(3)}; strict ${ev.strictRate.toFixed(3)}`,
);
